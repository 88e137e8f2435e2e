"""policing: local crime and policing performance summaries for the command line."""

# The one place the version is written: pyproject.toml reads it (setuptools dynamic
# version) and ``policing --version`` prints it without importlib.metadata.
__version__ = "0.1.0"
