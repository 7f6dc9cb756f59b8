"""Reported speech in a told sentence: « il m'a dit : « … » » becomes its own dialogue line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from recits.masking import NameFinder

# The character a quoted line is given when the sentence does not name who said it.
QUOTED_PERSON = "personne citée"

_PAIRS = {"«": "»", "“": "”", '"': '"'}
# Before the quote: a colon (« il m'a dit : « … » »), or a verb of saying when the quote reads
# like speech: a sentence's punctuation or three words (« on dit « pair-aidant » » is a word).
_COLON = re.compile(r":\s*$")
_SAYING = re.compile(
    r"(?:\b(?:dit|dis|disait|dira|répond\w*|repond\w*|demand\w*|lanc\w*|fait|faisait|"
    r"expliqu\w*|cri\w*|rétorqu\w*|balanc\w*|ajout\w*|annonc\w*))\s*$",
    re.IGNORECASE,
)
# After it, past a comma: an incise (« … », m'a-t-il dit ; « … », dit-elle ; « … », m'a dit Léa).
_INCISE = re.compile(
    r"^\s*,\s*(?:\S+-t-|qu[e']|\w+-(?:il|elle|iel|ils|elles)\b|"
    r"(?:m'|t'|lui\s|nous\s|leur\s)?a(?:vait)?\s(?:dit|répondu|demandé|lancé|crié|fait)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Utterance:
    """A piece of a sentence, as absolute offsets: the narrator's words, or words they quote."""

    start: int
    end: int
    quoted: bool


def _quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted spans of text[start:end], marks included, outermost only."""
    found, i = [], start
    while i < end:
        close = _PAIRS.get(text[i])
        if close is None:
            i += 1
            continue
        depth, j = 1, i + 1
        while j < end and depth:
            if text[j] == close and close != text[i]:
                depth -= 1
            elif text[j] == text[i]:
                depth = depth - 1 if close == text[i] else depth + 1
            j += 1
        if depth:  # never closed in this sentence: not a quote we can cut out
            break
        found.append((i, j))
        i = j
    return found


def _strip(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def utterances(text: str, start: int, end: int) -> list[Utterance]:
    """The sentence text[start:end] cut where the narrator quotes someone: the narrator's words
    and each reported line in reading order. A sentence without reported speech stays whole;
    a word in quotation marks (« pair-aidant ») is not speech."""
    pieces: list[Utterance] = []
    begin = start
    for q_start, q_end in _quotes(text, start, end):
        inner = _strip(text, q_start + 1, q_end - 1, "")
        if inner[0] >= inner[1]:
            continue
        before, after = text[begin:q_start], text[q_end:end]
        said = text[inner[0] : inner[1]]
        speech = bool(re.search(r"[.!?…,]", said)) or len(said.split()) >= 3
        introduced = _COLON.search(before) or _INCISE.match(after)
        if not (introduced or (speech and _SAYING.search(before))):
            continue
        pieces.append(Utterance(begin, q_start, False))
        pieces.append(Utterance(*inner, True))
        begin = q_end
    if not pieces:
        return [Utterance(start, end, False)]
    pieces.append(Utterance(begin, end, False))
    out = []
    for p in pieces:
        s, e = _strip(text, p.start, p.end, ",;" if not p.quoted else "")
        if p.quoted or any(c.isalnum() for c in text[s:e]):
            out.append(Utterance(s, e, p.quoted))
    return out


def quoted_name(
    text: str, start: int, end: int, quote: Utterance, finder: NameFinder
) -> str | None:
    """Who said the quoted words: the name `finder` knows that the sentence gives outside the
    quotes, the nearest before the quote (« Karim m'a dit : « … » »), else the first after it
    (« « … », m'a dit Karim »); None when the sentence names nobody it knows."""
    inside = _quotes(text, start, end)
    named = [
        (start + o.start, o.name)
        for o in finder.find(text[start:end])
        if not any(s <= start + o.start < e for s, e in inside)
    ]
    before = [name for at, name in named if at < quote.start]
    after = [name for at, name in named if at >= quote.end]
    return before[-1] if before else (after[0] if after else None)


# A quotation's end that ends the sentence too: « … usagère. » Je suis partie.
_CLOSED = re.compile(r"[.!?…]\s*[»”](?=\s+[A-ZÀ-ÖØ-Þ«])")


def _open(chunk: str) -> bool:
    return chunk.count("«") > chunk.count("»") or chunk.count("“") > chunk.count("”")


def keep_quotes_whole(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences joined where a quotation runs over a sentence's end (« Tu n'es pas
    éducatrice. Tu es usagère. »), so that a reported line is never cut in two; and cut after
    a quotation that ends a sentence (« … usagère. » Je suis sortie.)."""
    joined: list[tuple[int, int]] = []
    for s, e in spans:
        if joined and _open(text[joined[-1][0] : joined[-1][1]]):
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    out = []
    for s, e in joined:
        begin = s
        for m in _CLOSED.finditer(text, s, e):
            if not _open(text[begin : m.end()]):
                out.append((begin, m.end()))
                begin = m.end()
                while begin < e and text[begin].isspace():
                    begin += 1
        out.append((begin, e))
    return out
