"""The command line: Click lives in this package and nowhere else; every command calls into the package below."""

from gitops_writer.cli.main import cli, main, run

__all__ = ["cli", "main", "run"]
