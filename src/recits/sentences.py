"""Fast rule-based French sentence and word boundaries, for moving and selecting in a turn."""

from __future__ import annotations

import re

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


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Words (and punctuation marks) of text[start:end] as absolute spans."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    stripped = chunk.lstrip()
    start += len(chunk) - len(stripped)
    return start, start + len(stripped.rstrip())
