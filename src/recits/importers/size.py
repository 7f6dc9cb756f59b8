"""The one size rule of every format: the text extracted, counted while the file is read."""

from __future__ import annotations

from pathlib import Path

from recits.errors import InputFileError
from recits.importers.normalize import french_megabytes

# UTF-8 bytes of text that one file may hold once extracted, whatever its format (.txt, .docx,
# .odt, captions). Read at call time, so that tests can lower it.
MAX_TEXT_BYTES = 20 * 2**20


def limit() -> int:
    return MAX_TEXT_BYTES


def _megabytes(size: int) -> str:
    return f"{size // 2**20} Mo" if size % 2**20 == 0 else french_megabytes(size)


def too_long(path: Path, markup: int = 1) -> InputFileError:
    """The file holds more text than the rule allows; with `markup` > 1, more than that many
    times the limit of text and markup together (caption timings)."""
    shown = _megabytes(limit())
    rule = f"maximum {shown} de texte par fichier, quel que soit le format"
    if markup > 1:
        whole = _megabytes(markup * limit())
        return InputFileError(path, f"fichier trop volumineux : plus de {whole} ({rule})")
    return InputFileError(path, f"fichier trop volumineux : plus de {shown} de texte ({rule})")


class TextBudget:
    """A running count of the text read from one file; refuses the file the moment it passes
    the limit, so that nothing bigger is ever held in memory. `markup` allows that many times
    the limit for a file whose text comes with markup still to remove (caption timings)."""

    def __init__(self, path: Path, markup: int = 1) -> None:
        self.path = path
        self.markup = markup
        self.limit = markup * limit()
        self.used = 0

    def add(self, text: str) -> None:
        self.add_bytes(len(text.encode("utf-8", "surrogatepass")))

    def add_bytes(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise too_long(self.path, self.markup)


def check_text(path: Path, text: str) -> None:
    """The rule on a whole extracted text (the last check, the same for every format)."""
    TextBudget(path).add(text)
