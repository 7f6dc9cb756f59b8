"""Words that may be a person's name, found without any model: what the export gate checks."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from recits.lexicon import ACRONYMS, TITLES, Lexicon, lexicon
from recits.masking import clean_with_map, fold

UNKNOWN = "mot à majuscule absent du dictionnaire"
FIRST_NAME = "prénom connu"
AFTER_TITLE = "après « {} »"
BESIDE_NAME = "à côté d'un autre nom"
CAPITALS = "nom en capitales"
JOINED = "mots collés"
LOWER_NAME = "prénom écrit en minuscules"
EMAIL = "adresse e-mail"
HANDLE = "identifiant (@…)"

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_HANDLE = re.compile(r"(?<![\w@.])@[^\W_][\w.]{1,}")
_WORD = re.compile(r"[^\W\d_]+")
# Identifiers written by recits itself (ids, hashes): their letters are not words ("…-aada-…").
_IDENTIFIER = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
    r"|\b[0-9a-f]{16,}\b"
)
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ])")
# What ends a sentence or opens one: after these, a capital says nothing.
_OPENERS = set('.!?…:;«»"“”—–([\n\r\t•*#>|')
_JOINERS = {" ", "-", "\u00a0", "\u202f", "\u2009"}


@dataclass(frozen=True)
class Candidate:
    """A word in a text that may be someone's name, with why it was taken for one."""

    start: int
    end: int
    text: str
    key: str  # folded
    reason: str


def _sentence_start(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \u00a0\u202f\u2009'":
        index -= 1
    return index < 0 or text[index] in _OPENERS or text[index].isdigit()


def _classify(word: str, at_start: bool, previous: str, lex: Lexicon) -> str | None:
    """Why a word may be a name (None: an ordinary word, "" : a capitalised ordinary word)."""
    key = fold(word)
    if len(key) < 2:
        return None
    first, rest = word[0], word[1:]
    capitals = sum(1 for c in word if c.isupper())
    mixed = capitals > 1 and not word.isupper()
    if mixed and capitals * 2 > len(word) and len(key) <= 5 and key not in lex.names:
        return None  # an acronym: "RdR", "RdRD", "CeGIDD"
    if word.isupper():
        if key in lex.words or key in ACRONYMS or (len(key) <= 3 and key not in lex.names):
            return None
        return CAPITALS
    if not first.isupper():  # "iPhone", "eMail"; lower-case words are seen to by the caller
        return JOINED if _CAMEL.search(word) else None
    if not rest.islower() and _CAMEL.search(word):
        return JOINED
    if key in lex.places:
        return None
    if key not in lex.words:
        return UNKNOWN
    if at_start or key in TITLES:
        return None
    if previous in TITLES:
        return AFTER_TITLE.format(previous)
    if key in lex.frequent:
        return None
    if key in lex.first_names:
        return FIRST_NAME
    return ""


def find_candidates(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Every word of `text` that may be a person's name, with offsets into `text`.

    The text is read as a reader sees it (soft hyphens, zero-width characters, full-width and
    look-alike letters, words cut at a line end), so disguises don't hide a name."""
    if not text:
        return []
    lex = lex or lexicon()
    clean, origin = clean_with_map(text)

    def span(start: int, end: int) -> tuple[int, int]:
        if origin is None:
            return start, end
        return origin[start], origin[end - 1] + 1

    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for regex, reason in ((_IDENTIFIER, ""), (_EMAIL, EMAIL), (_HANDLE, HANDLE)):
        for m in regex.finditer(clean):
            if _inside(taken, m.start()):
                continue
            bisect.insort(taken, (m.start(), m.end()))
            if not reason:
                continue
            start, end = span(m.start(), m.end())
            found.append(Candidate(start, end, text[start:end], fold(m.group()), reason))
    # Only capitalised words (and lower-case first names) are kept: a lower-case word between
    # two capitalised ones is enough to tell them apart.
    words: list[tuple[int, int, str | None, bool]] = []  # start, end, why, opens a sentence
    lower_case: set[str] = set()
    previous = ""
    folded: dict[str, str] = {}
    classified: dict[tuple[str, bool, str], str | None] = {}
    for m in _WORD.finditer(clean):
        start, end = m.span()
        if taken and _inside(taken, start):
            continue
        word = m.group()
        key = folded.get(word)
        if key is None:
            key = folded[word] = fold(word)
        if word.islower():
            lower_case.add(key)
            if (
                key in lex.first_names and key not in lex.words and len(key) > 2
                and not _glued(clean, start, end)
            ):  # fmt: skip
                words.append((start, end, LOWER_NAME, False))
            previous = key
            continue
        at_start = _sentence_start(clean, start)
        title = previous if previous in TITLES else ""
        memo = (word, at_start, title)
        if memo not in classified:
            classified[memo] = _classify(word, at_start, title, lex)
        reason = classified[memo]
        if reason == CAPITALS and _glued(clean, start, end):
            reason = None  # letters inside an identifier or a number: "2DEB1FB7", "A4"
        words.append((start, end, reason, at_start or key in TITLES))
        previous = key
    # A capitalised word the text also writes in lower case is an ordinary word ("Cheffe",
    # "Expérientiel" at the start of a sentence), unless it is a known name.
    lower = lower_case - lex.names
    for i, (start, end, reason, opens) in enumerate(words):
        if reason == UNKNOWN and folded[clean[start:end]] in lower:
            continue
        if reason == "" and not opens and _beside_name(clean, words, i):
            reason = BESIDE_NAME
        if reason:
            s, e = span(start, end)
            found.append(Candidate(s, e, text[s:e], folded[clean[start:end]], reason))
    found.sort(key=lambda c: c.start)
    return found


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether position falls in one of the sorted, disjoint spans."""
    index = bisect.bisect_right(spans, (position, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _glued(clean: str, start: int, end: int) -> bool:
    return (start > 0 and clean[start - 1].isdigit()) or (end < len(clean) and clean[end].isdigit())


def _beside_name(clean: str, words: list[tuple[int, int, str | None, bool]], i: int) -> bool:
    """A capitalised ordinary word next to a name is part of it: "Karim Boulanger"."""
    start, end, _reason, _opens = words[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and words[j][2] and words[j][2] != "":
            gap = clean[words[j][1] : start] if j < i else clean[end : words[j][0]]
            if gap and set(gap) <= _JOINERS and len(gap) <= 2:
                return True
    return False


def candidate_keys(text: str, lex: Lexicon | None = None) -> Iterator[str]:
    for candidate in find_candidates(text, lex):
        yield candidate.key
