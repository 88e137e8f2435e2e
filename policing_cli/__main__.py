"""Allow ``python -m policing_cli``."""

from policing_cli.cli import run

if __name__ == "__main__":
    run()
