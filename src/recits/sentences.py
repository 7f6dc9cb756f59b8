"""A document's sentences (the analysis's, else fast French rules) and word boundaries."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recits.models import Turn

# A sentence ends at . ! ? … (possibly doubled, possibly followed by a closing » or quote)
# and a space; abbreviations such as "M." or "Mme." or "etc." do not end a sentence.
_END = re.compile(r"[.!?…]+[»”\")\]]*(?=\s+[^\w\s]*[A-ZÀ-ÖØ-Þ0-9«\"“—–\-\[(])")
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr st ste etc cf ex p pp vol n no art chap fig env av apr jc".split()
)
_WORD = re.compile(r"\w+(?:[-·'’]\w+)*|[^\w\s]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute (start, end) spans without outer spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, end):
        before = text[max(begin, match.start() - 6) : match.start()].split()
        last_word = re.sub(r"^\W+", "", before[-1]) if before else ""
        if match.group().startswith(".") and (
            last_word.casefold() in _ABBREVIATIONS
            or (len(last_word) == 1 and last_word.isupper())  # an initial: "Karim B."
        ):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [span for s, e in spans if (span := _strip(text, s, e))[0] < span[1]]


def turn_sentences(
    text: str, turns: Sequence[Turn], analysed: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int, int]]:
    """The one segmentation of a document, as (start, end, turn index) in text order.

    A turn the analysis has read keeps the analysis's sentences (those suggestions are made
    of: spaCy's, short fragments joined to a neighbour); any other turn, `sentence_spans`."""
    spans = sorted(analysed)
    starts = [s for s, _ in spans]
    out: list[tuple[int, int, int]] = []
    for i, turn in enumerate(turns):
        first = bisect.bisect_left(starts, turn.start_char)
        last = bisect.bisect_left(starts, turn.end_char)
        inside = [(s, e) for s, e in spans[first:last] if e <= turn.end_char]
        if not inside:
            inside = sentence_spans(text, turn.start_char, turn.end_char)
        out.extend((s, e, i) for s, e in inside)
    return out


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Words (and punctuation marks) of text[start:end] as absolute spans."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    stripped = chunk.lstrip()
    start += len(chunk) - len(stripped)
    return start, start + len(stripped.rstrip())
