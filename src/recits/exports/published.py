"""Excerpts of written documents: pages and sections, and a published source's attribution."""

from __future__ import annotations

from collections.abc import Sequence

from recits.exports.typography import clean_spaces
from recits.models import Turn

TESTIMONY = "témoignage de pair·e cité dans"


def page_label(pages: list[int]) -> str | None:
    """ "p. 12", "p. 12–13"; None without pages."""
    if not pages:
        return None
    first, last = min(pages), max(pages)
    return f"p. {first}" if first == last else f"p. {first}–{last}"


def source_attribution(reference: str, pages: list[int], testimony: bool) -> str:
    """ "— Rapport d'activités 2020-2021, plateforme travail pair AuRA, p. 12", or for a
    testimony the report quotes: "— témoignage de pair·e cité dans Rapport …, p. 12"."""
    parts = [f"{TESTIMONY} {clean_spaces(reference)}" if testimony else clean_spaces(reference)]
    label = page_label(pages)
    if label:
        parts.append(label)
    return "— " + ", ".join(parts)


_TRAILING = ".,;:!?… \u00a0\u202f\n"


def _depth(text: str) -> int | None:
    """How many « are still open at the end of `text`; None if a » closes one opened before."""
    depth = 0
    for char in text:
        if char == "«":
            depth += 1
        elif char == "»":
            if depth == 0:
                return None
            depth -= 1
    return depth


def quoted_in_report(turn: Turn, start_char: int, end_char: int) -> bool:
    """Whether a span of a report's paragraph is a testimony the report quotes: it is itself
    one « … » quotation, or it lies between the « and » of one."""
    start, end = start_char - turn.start_char, end_char - turn.start_char
    span = turn.text[start:end].strip().rstrip(_TRAILING)
    if span.startswith("«") and span.endswith("»"):
        return _depth(span[1:-1]) == 0
    before = _depth(turn.text[:start])
    if not before:
        return False
    # Opened before the span: it must not close inside it (its closing » may end the span).
    return _depth(span.removesuffix("»").rstrip(_TRAILING)) is not None


_MIN_WORDS = 3  # a title of a work in italics is no testimony


def italic_testimony(
    turn: Turn, start_char: int, end_char: int, italics: Sequence[tuple[int, int]]
) -> bool:
    """Whether a span of a report's paragraph is a testimony the report sets in italics (as
    the issue's reports quote peers without « »): it lies within one italic phrase of at
    least three words, punctuation and spaces around it aside."""
    start, end = start_char - turn.start_char, end_char - turn.start_char
    span = turn.text[start:end]
    start += len(span) - len(span.lstrip(_TRAILING + "«"))
    end -= len(span) - len(span.rstrip(_TRAILING + "»"))
    if start >= end:
        return False
    start, end = start + turn.start_char, end + turn.start_char
    for first, last in italics:
        if first <= start and end <= last:
            phrase = turn.text[first - turn.start_char : last - turn.start_char]
            return len(phrase.split()) >= _MIN_WORDS
    return False


def sections_and_pages(turns: list[Turn]) -> tuple[list[int], str | None]:
    """The pages of the paragraphs an excerpt spans, and the section of the first."""
    pages = [t.page for t in turns if t.page is not None]
    section = next((t.section for t in turns if t.section), None)
    return pages, section
