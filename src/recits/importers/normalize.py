"""Small text helpers shared by the importers: normalised text, ISO dates, French sizes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")


def normalize_text(text: str) -> str:
    """Return `text` in NFC with "\\n" line ends, without BOM nor blank lines around it."""
    text = text.removeprefix("\ufeff")
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _LEADING_BLANK_LINES.sub("", text)
    return text.rstrip()


def iso_date(value: object) -> str | None:
    """Return "YYYY-MM-DD" for a date, a datetime or an ISO date(-time) string, else None."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        head = value.strip()[:10]
        try:
            return dt.date.fromisoformat(head).isoformat() if len(head) == 10 else None
        except ValueError:
            return None
    return None


def french_megabytes(size: int) -> str:
    """Format a byte count as French mebibytes: 52428800 -> "50,0 Mo"."""
    return f"{size / 2**20:.1f}".replace(".", ",") + " Mo"


def clean_inline(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) into one space."""
    return " ".join(text.split())
