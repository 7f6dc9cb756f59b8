"""Words that may be a person's name, found without any model: what the export gate checks."""

from __future__ import annotations

import re
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
    if word.isupper():
        if key in lex.words or key in ACRONYMS or (len(key) <= 3 and key not in lex.names):
            return None
        return CAPITALS
    if not first.isupper():
        if key in lex.first_names and key not in lex.words and len(key) > 2 and word.islower():
            return LOWER_NAME
        if not word.islower() and _CAMEL.search(word):
            return JOINED
        return None
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
    for regex, reason in ((_EMAIL, EMAIL), (_HANDLE, HANDLE)):
        for m in regex.finditer(clean):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            start, end = span(m.start(), m.end())
            found.append(Candidate(start, end, text[start:end], fold(m.group()), reason))
    words: list[tuple[int, int, str | None]] = []
    openers: list[bool] = []
    previous = ""
    for m in _WORD.finditer(clean):
        if any(s <= m.start() < e for s, e in taken):
            continue
        word = m.group()
        at_start = _sentence_start(clean, m.start())
        reason = _classify(word, at_start, previous, lex)
        if reason in (LOWER_NAME, CAPITALS) and _glued(clean, m.start(), m.end()):
            reason = None  # letters inside an identifier or a number: "2deb1fb7", "A4"
        words.append((m.start(), m.end(), reason))
        openers.append(at_start or fold(word) in TITLES)
        previous = fold(word)
    for i, (start, end, reason) in enumerate(words):
        if reason == "" and not openers[i] and _beside_name(clean, words, i):
            reason = BESIDE_NAME
        if reason:
            s, e = span(start, end)
            found.append(Candidate(s, e, text[s:e], fold(clean[start:end]), reason))
    found.sort(key=lambda c: c.start)
    return found


def _glued(clean: str, start: int, end: int) -> bool:
    return (start > 0 and clean[start - 1].isdigit()) or (end < len(clean) and clean[end].isdigit())


def _beside_name(clean: str, words: list[tuple[int, int, str | None]], i: int) -> bool:
    """A capitalised ordinary word next to a name is part of it: "Karim Boulanger"."""
    start, end, _reason = words[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and words[j][2] and words[j][2] != "":
            gap = clean[words[j][1] : start] if j < i else clean[end : words[j][0]]
            if gap and set(gap) <= _JOINERS and len(gap) <= 2:
                return True
    return False


def candidate_keys(text: str, lex: Lexicon | None = None) -> Iterator[str]:
    for candidate in find_candidates(text, lex):
        yield candidate.key
