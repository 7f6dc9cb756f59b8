"""Errors meant for the user: each message is complete, in French."""

from __future__ import annotations

from pathlib import Path


class RecitsError(Exception):
    """An error the CLI and the app show as is (French message, no traceback).

    A message that tells how to fix it with a command (« recits … », a `--flag`) has its own
    wording for the app, `in_app`, which speaks of the app's keys and screens instead."""

    def __init__(self, message: str = "", *, in_app: str | None = None) -> None:
        super().__init__(message)
        self.in_app = in_app or message


class InputFileError(RecitsError):
    """A file given by the user cannot be used; the message names the file."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path} : {problem}")


def app_message(error: BaseException) -> str:
    """What the app shows for an error: the app's wording of a RecitsError (keys and screens,
    never command-line flags), the message of any other error."""
    if isinstance(error, RecitsError):
        return error.in_app
    return str(error) or repr(error)
