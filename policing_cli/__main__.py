"""Allow ``python -m policing_cli``."""

from policing_cli.cli import main

if __name__ == "__main__":
    main()
