"""One module per command (or family of commands), imported only when that command runs:
``policing --help`` and ``--version`` load none of them (see ``cli.COMMANDS``)."""
