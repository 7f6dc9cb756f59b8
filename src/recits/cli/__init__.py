"""The `recits` command line (click): every command calls the core, never SQL."""

from recits.cli.main import cli, main

__all__ = ["cli", "main"]
