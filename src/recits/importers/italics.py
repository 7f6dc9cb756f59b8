"""Italic phrases on their way from a reader to the import: marked in a block's text by two
Unicode non-characters (never in a document's text), then taken out as offsets."""

from __future__ import annotations

import re

ITALIC_OPEN, ITALIC_CLOSE = "\ufdd0", "\ufdd1"
_MARKS = re.compile("[\ufdd0\ufdd1]")
_SPLIT = re.compile("([\ufdd0\ufdd1])")


def unmarked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """A block's text without its italic marks, stripped, and its italic phrases (offsets into
    it, without the spaces around them)."""
    if ITALIC_OPEN not in text:
        text = _MARKS.sub("", text)
        return text.strip(), []
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length, opened = 0, None
    for piece in _SPLIT.split(text):
        if piece == ITALIC_OPEN:
            opened = length if opened is None else opened
        elif piece == ITALIC_CLOSE:
            if opened is not None:
                spans.append((opened, length))
            opened = None
        else:
            out.append(piece)
            length += len(piece)
    if opened is not None:
        spans.append((opened, length))
    whole = "".join(out)
    lead = len(whole) - len(whole.lstrip())
    stripped = whole.strip()
    kept = []
    for start, end in spans:
        start, end = max(start - lead, 0), min(end - lead, len(stripped))
        while start < end and stripped[start].isspace():
            start += 1
        while end > start and stripped[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        if kept and not stripped[kept[-1][1] : start].strip():
            kept[-1] = (kept[-1][0], end)  # two phrases with only spaces between: one
        else:
            kept.append((start, end))
    return stripped, kept
