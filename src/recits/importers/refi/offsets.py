"""Where a REFI-QDA selection lands: which offset unit a tool used (the spec's code points, or
NVivo's UTF-16 code units over CRLF text), chosen per source by which reading puts the
selections on word boundaries and on their `name` text; then moved onto the stored text."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recits.importers.refi.reading import RefiSelection

CODE_POINTS, UTF16 = "points de code", "unités UTF-16"
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")


@dataclass(frozen=True)
class Reading:
    unit: str  # CODE_POINTS | UTF16
    crlf: bool  # counted over CRLF line ends while the file has LF

    def describe(self) -> str:
        text = (
            "points de code (norme REFI-QDA)"
            if self.unit == CODE_POINTS
            else ("unités UTF-16 (comme NVivo)")
        )
        return text + (", fins de ligne CRLF" if self.crlf else "")


def name_matches(text: str, name: str) -> bool:
    """The selected text is the selection's name (spaces aside; a name cut with "…" is its
    beginning)."""
    text, name = " ".join(text.split()), " ".join(name.split())
    if name.endswith("…") and len(name) > 1:
        return text.startswith(name[:-1].rstrip())
    return text == name


def _boundary(text: str, p: int) -> bool:
    return p <= 0 or p >= len(text) or not (text[p - 1].isalnum() and text[p].isalnum())


def _converter(text: str, unit: str) -> Callable[[int], int | None]:
    """Offsets in `unit` -> code points of `text` (None: inside a character)."""
    if unit == CODE_POINTS:
        return lambda u: u if 0 <= u <= len(text) else None
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    starts = [p + k for k, p in enumerate(astral)]  # UTF-16 position of each astral char
    total = len(text) + len(astral)

    def convert(u: int) -> int | None:
        if not 0 <= u <= total:
            return None
        before = bisect_left(starts, u)  # astral chars starting before u
        if before and starts[before - 1] + 1 == u:
            return None  # between the two halves of a surrogate pair
        return u - before

    return convert


def _variants(raw: str) -> list[tuple[Reading, str]]:
    out = [(Reading(CODE_POINTS, False), raw), (Reading(UTF16, False), raw)]
    if "\n" in raw and "\r" not in raw:
        crlf = raw.replace("\n", "\r\n")
        out += [(Reading(UTF16, True), crlf), (Reading(CODE_POINTS, True), crlf)]
    return out


def _score(
    text: str, spans: Sequence[tuple[int | None, int | None]], names: Sequence[str | None]
) -> int:
    score = 0
    for (start, end), name in zip(spans, names, strict=True):
        if start is None or end is None or start >= end:
            score -= 5
            continue
        score += _boundary(text, start) + _boundary(text, end)
        if name and name_matches(text[start:end], name):
            score += 3
    return score


def place(
    raw: str, selections: Sequence[RefiSelection]
) -> tuple[Reading, str, list[tuple[int, int] | None]]:
    """The best reading of the selections' offsets: (reading, the text it counts over, spans
    in code points of that text, None where a selection falls outside)."""
    names = [s.name for s in selections]
    best: tuple[int, int, Reading, str, list] | None = None  # type: ignore[type-arg]
    for rank, (reading, text) in enumerate(_variants(raw)):
        convert = _converter(text, reading.unit)
        spans = [(convert(s.start), convert(s.end)) for s in selections]
        score = _score(text, spans, names)
        if best is None or score > best[0]:
            best = (score, -rank, reading, text, spans)
    assert best is not None
    _score_, _rank, reading, text, spans = best
    placed = [(a, b) if a is not None and b is not None and a < b else None for a, b in spans]
    return reading, text, placed


def to_stored(text: str, stored: str) -> Callable[[int], int] | None:
    """Code points of the source's text -> the stored text's (line ends made "\\n", leading
    blank lines and trailing spaces gone); None when the stored text is not that text."""
    removed = [m.start() for m in re.finditer("\r\n", text)]  # the "\r" of each CRLF
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", normal):
        return None
    match = _LEADING_BLANK_LINES.match(normal)
    lead = match.end() if match else 0
    if not normal.startswith(stored, lead):
        lead = normal.find(stored)
        if lead < 0:
            return None
    length = len(stored)

    def convert(p: int) -> int:
        return min(max(p - bisect_left(removed, p) - lead, 0), length)

    return convert
