"""Words that may be a person's name, found without any model: what the export gate checks."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from recits.lexicon import ACRONYMS, INSTITUTIONS, TITLES, Lexicon, lexicon
from recits.masking import clean_with_map, fold, name_key

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
_UPPER = "".join(re.escape(c) for c in map(chr, range(0x530)) if c.isupper())
_CAPITAL = re.compile(f"[{_UPPER}]")
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
# Identifiers written by recits itself (ids, hashes): their letters are not words ("…-aada-…").
_IDENTIFIER = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
    r"|\b[0-9a-f]{16,}\b"
)
_HEX_RUN = re.compile(r"[0-9a-fA-F]{8}")
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


_VOWELS = set("aeiouy")
_MID_SENTENCE = "?"  # a capitalised ordinary word mid-sentence: it depends on the word before
_CAPS_WORD = "!"  # an ordinary word in capitals: a surname beside a first name ("Claire FONTAINE")
# The endings of inclusive writing: "médiateur·rice·s", "salarié.e.s" ("rice" is not Rice).
INCLUSIVE_ENDINGS = frozenset(
    "e es s x rice rices trice trices ice ices euse euses ne nes le les ve ves se ses fe fes"
    " ere eres ère ères te tes ale ales aux elle elles sse sses".split()
)
# Between the words of an institution's name: "Agence Régionale de Santé", "Aide Sociale à
# l'Enfance", "Maison Départementale des Personnes Handicapées".
_LINK = re.compile(
    r"[ \u00a0]+(?:(?:de|du|des|la|le|les|à|au|aux|et|pour|en|sur)[ \u00a0]+)*(?:[ld]['’])?",
    re.IGNORECASE,
)


def _classify(word: str, at_start: bool, lex: Lexicon) -> str | None:
    """Why a capitalised word may be a name; None: an ordinary word; _MID_SENTENCE: see
    _after."""
    key = fold(word)
    if len(key) < 2:
        return None
    first, rest = word[0], word[1:]
    capitals = sum(1 for c in word if c.isupper())
    mixed = capitals > 1 and not word.isupper()
    if mixed and capitals * 2 > len(word) and len(key) <= 5 and key not in lex.names:
        return None  # an acronym: "RdR", "RdRD", "CeGIDD"
    if word.isupper():
        if key in ACRONYMS or (len(key) <= 3 and key not in lex.names):
            return None
        if key in lex.words:
            return _CAPS_WORD  # a heading's word, or a surname: the words beside it tell
        if not set(key) & _VOWELS:
            return None  # no vowel, not a name: "HCSP", "DRJSCS"
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
    return _MID_SENTENCE


def _after(key: str, previous: str, lex: Lexicon) -> str | None:
    """An ordinary word written with a capital mid-sentence: a name after a title ("Madame
    Petit"), or when it is a first name ("Constance"); "" when only a name beside it tells."""
    if previous in TITLES:
        return AFTER_TITLE.format(previous)
    if key in lex.frequent:
        return None
    return FIRST_NAME if key in lex.first_names else ""


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
    # Quick scans first: an address or a handle holds "@", an identifier 8 hex digits in a row.
    has_at, has_hex = "@" in clean, _HEX_RUN.search(clean) is not None
    for regex, reason in ((_IDENTIFIER, ""), (_EMAIL, EMAIL), (_HANDLE, HANDLE)):
        if not (has_at if reason else has_hex):
            continue
        for m in regex.finditer(clean):
            if _inside(taken, m.start()):
                continue
            bisect.insort(taken, (m.start(), m.end()))
            if not reason:
                continue
            start, end = span(m.start(), m.end())
            found.append(Candidate(start, end, text[start:end], fold(m.group()), reason))
    # Only capitalised words (and lower-case first names) are kept: a lower-case word between
    # two capitalised ones is enough to tell them apart. Lower-case words, nine in ten, are
    # only collected (in C), never looked at one by one.
    folded: dict[str, str] = {}
    lower_case: set[str] = set()
    first_names: list[str] = []
    for word in _distinct_words(clean):
        if word.islower():
            key = folded[word] = fold(word)
            lower_case.add(key)
            if key in lex.first_names and key not in lex.words and len(key) > 2:
                first_names.append(word)
    words: list[tuple[int, int, str | None, bool]] = []  # start, end, why, opens a sentence
    if first_names:
        pattern = r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, first_names)) + r")(?![^\W\d_])"
        for m in re.finditer(pattern, clean):
            start, end = m.span()
            if (taken and _inside(taken, start)) or _glued(clean, start, end):
                continue
            ending = start > 1 and clean[start - 1] in "·•.-" and clean[start - 2].isalpha()
            if ending and fold(m.group()) in INCLUSIVE_ENDINGS:
                continue  # "médiateur·rice·s"
            words.append((start, end, LOWER_NAME, False))
    classified: dict[tuple[str, bool], str | None] = {}
    for start, end in _capitalised(clean):
        if taken and _inside(taken, start):
            continue
        word = clean[start:end]
        key = folded.get(word)
        if key is None:
            key = folded[word] = fold(word)
        at_start = _sentence_start(clean, start)
        memo = (word, at_start)
        if memo not in classified:
            classified[memo] = _classify(word, at_start, lex)
        reason = classified[memo]
        if reason == _MID_SENTENCE:
            reason = _after(key, _previous_word(clean, start), lex)
        if reason == CAPITALS and _glued(clean, start, end):
            reason = None  # letters inside an identifier or a number: "2DEB1FB7", "A4"
        words.append((start, end, reason, at_start or key in TITLES))
    words.sort()
    _surnames_in_capitals(clean, words, lex)
    _institutions(clean, words)
    # A capitalised word the text also writes in lower case is an ordinary word ("Cheffe",
    # "Expérientiel" at the start of a sentence), unless it is a known name.
    lower = lower_case - lex.names
    for i, (start, end, reason, opens) in enumerate(words):
        if reason == UNKNOWN and folded[clean[start:end]] in lower:
            continue
        if reason == "" and not opens and _beside_name(clean, words, i):
            reason = BESIDE_NAME
        if reason and reason != LOWER_NAME and _in_place(clean, start, end, lex):
            continue  # "Saint-Étienne", "Clermont-Ferrand", "Aix-en-Provence"
        if reason:
            s, e = span(start, end)
            found.append(Candidate(s, e, text[s:e], folded[clean[start:end]], reason))
    found.sort(key=lambda c: c.start)
    return found


def _adjacent(clean: str, words: list[tuple[int, int, str | None, bool]], i: int, j: int) -> bool:
    if not 0 <= j < len(words):
        return False
    gap = clean[words[j][1] : words[i][0]] if j < i else clean[words[i][1] : words[j][0]]
    return bool(gap) and set(gap) <= _JOINERS and len(gap) <= 2


def _surnames_in_capitals(
    clean: str, words: list[tuple[int, int, str | None, bool]], lex: Lexicon
) -> None:
    """An ordinary word in capitals beside a first name is a surname ("Claire FONTAINE",
    "BLANC Elise"), and a first name beside a surname in capitals is a name even where a
    sentence opens ("Rédaction : Claire BELKACEM")."""
    for i, (start, end, reason, opens) in enumerate(words):
        if reason not in (_CAPS_WORD, CAPITALS):
            continue
        beside = [
            j
            for j in (i - 1, i + 1)
            if _adjacent(clean, words, i, j)
            and not clean[words[j][0] : words[j][1]].isupper()
            and (
                words[j][2] not in (None, _CAPS_WORD)
                or fold(clean[words[j][0] : words[j][1]]) in lex.first_names
            )
        ]
        if reason == _CAPS_WORD:
            words[i] = (start, end, CAPITALS if beside else None, opens)
        for j in beside:
            if words[j][2] is None or words[j][2] == "":
                words[j] = (*words[j][:2], BESIDE_NAME, words[j][3])


def _institutions(clean: str, words: list[tuple[int, int, str | None, bool]]) -> None:
    """Ordinary words in the name of a body are not a first name and a surname: "Agence
    Régionale de Santé" ("Santé" is a first name somewhere), "Aide Sociale à l'Enfance".

    A first name is cleared only after another ordinary word of the name ("Régionale"):
    "la Maison de Claire" may be someone's, "Fondation Claire Martin" is named after someone."""
    chain, support = False, 0
    for i, (start, end, reason, opens) in enumerate(words):
        word = clean[start:end]
        linked = i > 0 and bool(_LINK.fullmatch(clean[words[i - 1][1] : start]))
        if fold(word) in INSTITUTIONS and word[0].isupper() and not word.isupper():
            chain, support = True, 0
            heads = i + 1 < len(words) and _LINK.fullmatch(clean[end : words[i + 1][0]])
            if reason == "" and heads:
                words[i] = (start, end, None, opens)  # "la Fondation Claire Martin"
            continue
        chain = chain and linked
        if chain and reason in (None, ""):
            support += 1
            if reason == "":
                words[i] = (start, end, None, opens)
        elif chain and reason == FIRST_NAME and support:
            words[i] = (start, end, None, opens)
        elif reason is not None:
            chain = False  # a name of its own: "Fondation Martin Dupont" is not cleared


def _distinct_words(clean: str) -> set[str]:
    """The words of the text, each once: read from its distinct space-separated pieces (a
    word never holds a space), much fewer than its words."""
    words: set[str] = set()
    for piece in set(clean.split()):
        words.update(_WORD.findall(piece))
    return words


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether position falls in one of the sorted, disjoint spans."""
    index = bisect.bisect_right(spans, (position, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def identifiers(text: str) -> list[tuple[int, int]]:
    """Where `text` holds an identifier recits writes (a UUID, a hash): not words, not names."""
    return [m.span() for m in _IDENTIFIER.finditer(text)]


def _capitalised(clean: str) -> Iterator[tuple[int, int]]:
    """The words holding a capital letter ("Nadia", "KACEM", "iPhone"), found from their
    capitals: a scan for one kind of character, much faster than matching every word."""
    last = -1
    for m in _CAPITAL.finditer(clean):
        position = m.start()
        if position < last:
            continue  # another capital of the same word
        start = position
        while start > 0 and _WORD.match(clean, start - 1, start):
            start -= 1
        last = _WORD.match(clean, start).end()
        yield start, last


def _previous_word(clean: str, start: int) -> str:
    """The word before `start`, folded (to tell "Madame Petit" from "petit")."""
    m = _LAST_WORD.search(clean, max(0, start - 40), start)
    return fold(m.group(1)) if m else ""


_WORDS_AROUND = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _in_place(clean: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether the word is part of the name of a place written in several words."""
    if not lex.place_phrases:
        return False
    key = name_key(clean[start:end])
    if key and not all(w in lex.place_words for w in key.split(" ")):
        return False  # a word of no place name: no phrase around it can be one
    left = [m for m in _WORDS_AROUND.finditer(clean, max(0, start - 40), start)][-4:]
    right = list(_WORDS_AROUND.finditer(clean, end, min(len(clean), end + 40)))[:4]
    words = [clean[m.start() : m.end()] for m in left] + [clean[start:end]]
    words += [clean[m.start() : m.end()] for m in right]
    here = len(left)
    for first in range(here + 1):
        for last in range(here, min(len(words), first + 6)):
            if last > first and name_key(" ".join(words[first : last + 1])) in lex.place_phrases:
                return True
    return False


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
