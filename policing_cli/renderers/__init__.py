"""Renderers: one module per output format, each rendering a ``Document``
(``policing_cli/document``) to a string (or a rich renderable); ``formats.py`` registers
them. Only the commands (``commands/``) print or write files."""
