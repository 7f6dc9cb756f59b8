"""Errors meant for the user: each message is complete, in French."""

from __future__ import annotations

from pathlib import Path


class RecitsError(Exception):
    """An error the CLI and the app show as is (French message, no traceback)."""


class InputFileError(RecitsError):
    """A file given by the user cannot be used; the message names the file."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path} : {problem}")
