"""Name matching, low level: one folding of every disguise, whole-word finding, alias masking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = "'’ʼ`´‘"
# Characters that print as nothing: soft hyphen (what LibreOffice writes at a hyphenation
# point), zero-width spaces and joiners, word joiner, BOM, bidirectional marks and overrides.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)
# A word cut at the end of a line: "Be-⏎nali" (or "Be- nali" once the lines are joined).
# Joined for matching only, never in the output.
_LINE_HYPHEN = re.compile(r"[-‐‑](?:[ \t]*\r?\n[ \t]*|[ \t]+)")  # between two letters
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_VOWELS = "aeiouyhàâäéèêëîïôöùûüœæ"
# French elision before a name: "d'Aurélie" / "de Karim", "qu'Aurélie" / "que Karim".
_ELIDED = re.compile(r"(?i)\b(d|qu)['’]$")
_FULL = re.compile(r"(?i)\b(de|que)\s$")
_BEFORE = 8  # enough for what _ELIDED and _FULL read before a name (6)


@lru_cache(maxsize=8192)
def _latin(char: str) -> str:
    """A letter of another script that looks like a Latin one ("а" Cyrillic) -> that letter."""
    if char.isascii() or not char.isalpha() or "LATIN" in unicodedata.name(char, "LATIN"):
        return char
    from confusable_homoglyphs import confusables  # its table only when such a letter shows

    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"]) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalpha():
                return glyph["c"]
    return char


@lru_cache(maxsize=8192)
def clean_char(char: str) -> str:
    """One character as a reader sees it: compatibility forms (full-width "Ｎ", ligatures)
    decomposed, confusable letters of other scripts made Latin, invisible characters dropped.
    Case and accents are kept."""
    if char in INVISIBLE:
        return ""
    if char in _APOSTROPHES:
        return "'"
    return "".join(_latin(c) for c in unicodedata.normalize("NFKC", char) if c not in INVISIBLE)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char == "_":  # e-mail addresses and handles: "nadia_benali"
        return " "
    decomposed = unicodedata.normalize("NFD", clean_char(char))
    # A lone combining accent (text typed in NFD) folds to nothing, like an accent on a letter.
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Table(dict):
    """str.translate table filled on demand, one entry per character ever seen."""

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function
        self.irregular: set[str] = set()  # characters that become several, or none

    def __missing__(self, code: int) -> str:
        char = chr(code)
        result = self[code] = self.function(char)
        if len(result) != 1:
            self.irregular.add(char)
        return result


_FOLD = _Table(_fold_char)
_CLEAN = _Table(clean_char)


def fold(text: str) -> str:
    """Lower case, no accents, one apostrophe, no disguise: "Zoé", "ZOE", "Ｚｏｅ" -> "zoe"."""
    return text.translate(_FOLD)


def _line_hyphens(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _LINE_HYPHEN.finditer(text)
        if m.start() > 0 and text[m.start() - 1].isalpha() and text[m.end() : m.end() + 1].isalpha()
    ]


def _view(text: str, table: _Table) -> tuple[str, list[int] | None]:
    converted = text.translate(table)
    hyphens = _line_hyphens(text)
    # Each character looked for with a fast search (a copy of the set: another thread may
    # add to it), rather than the text walked character by character.
    irregular = [char for char in tuple(table.irregular) if char in text]
    if not hyphens and not irregular:
        return converted, None
    # Runs of characters that stay one character are translated whole; only the characters
    # that become several (or none) and the line-end hyphens are looked at one by one.
    special = [(start, end, False) for start, end in hyphens]
    if irregular:
        pattern = "|".join(map(re.escape, sorted(irregular)))
        special += [(m.start(), m.end(), True) for m in re.finditer(pattern, text)]
    special.sort()
    out: list[str] = []
    origin: list[int] = []
    position = 0
    for start, end, kept in special:
        if start < position:
            continue  # inside a line-end hyphen already skipped
        out.append(text[position:start].translate(table))
        origin.extend(range(position, start))
        if kept:
            converted = table[ord(text[start])]
            out.append(converted)
            origin.extend([start] * len(converted))
        position = end
    out.append(text[position:].translate(table))
    origin.extend(range(position, len(text)))
    return "".join(out), origin


def fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text, line-end hyphenation joined, and for each of its characters the index
    of its source character (None when every character stayed in place, the usual case)."""
    return _view(text, _FOLD)


def clean_with_map(text: str) -> tuple[str, list[int] | None]:
    """Like fold_with_map, keeping case and accents (for finding capitalised words)."""
    return _view(text, _CLEAN)


def name_key(name: str) -> str:
    """The identity of a name: folded, separators collapsed ("Jean-Marc" == "jean marc")."""
    return _SEPARATORS.sub(" ", fold(name)).strip()


# Between the words of a name: nothing ("NadiaBenali"), spaces, hyphens, dots, underscores.
_BETWEEN = r"[\s\-‐‑–.]*"
_LETTER = re.compile(r"[^\W\d_]")


def _pattern_part(key: str) -> str:
    return _BETWEEN.join(re.escape(w) for w in key.split(" ") if w)


@dataclass(frozen=True)
class Occurrence:
    """A name found in a text: the offsets into that text, the form written, the name sought."""

    start: int
    end: int
    found: str
    name: str


class NameFinder:
    """Finds several names at once, whole words only, through case, accents and disguises."""

    def __init__(self, names: Iterable[str]) -> None:
        keys: dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key and any(c.isalnum() for c in key):
                keys.setdefault(key, name)
        self.names = keys
        self._joined = {k.replace(" ", ""): k for k in keys}
        # Longest first, so that "Nadia Benali" wins over "Nadia". A name is a whole word
        # between non-letters: digits and punctuation around it ("nadia75@…") do not hide it.
        parts = sorted((_pattern_part(k) for k in keys), key=len, reverse=True)
        # The letter before is checked apart (_whole_words): a pattern that opens on the names
        # themselves is searched for much faster.
        self._regex = re.compile(r"(?:" + "|".join(parts) + r")(?![^\W\d_])") if parts else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def key_of(self, written: str) -> str:
        key = name_key(re.sub(r"[.\s]+", " ", written))
        return key if key in self.names else self._joined.get(key.replace(" ", ""), key)

    def _whole_words(self, folded: str) -> Iterator[re.Match[str]]:
        """The names in `folded` that no letter precedes, left to right: what a lookbehind
        for a letter at the head of the pattern would find."""
        assert self._regex is not None
        position = 0
        while (match := self._regex.search(folded, position)) is not None:
            start = match.start()
            if start and _LETTER.match(folded, start - 1):
                position = start + 1  # inside a word: look again from the next character
                continue
            yield match
            position = match.end()

    def find(self, text: str) -> list[Occurrence]:
        if self._regex is None or not text:
            return []
        folded, origin = fold_with_map(text)
        found: list[Occurrence] = []
        for match in self._whole_words(folded):
            start, end = match.start(), match.end()
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
            while end < len(text) and (unicodedata.combining(text[end]) or text[end] in INVISIBLE):
                end += 1  # accents typed after the name's last letter, a trailing soft hyphen
            key = self.key_of(match.group())
            found.append(Occurrence(start, end, text[start:end], self.names.get(key, key)))
        return found


def contains_name(text: str, name: str) -> bool:
    return bool(NameFinder([name]).find(text))


def _styled(pseudonym: str, written: str) -> str:
    letters = [c for c in written if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return pseudonym.upper()
    return pseudonym


def _starts_with_vowel(word: str) -> bool:
    return bool(word) and fold(word[0]) in _VOWELS


def name_parts(name: str, is_word: Callable[[str], bool]) -> list[str]:
    """The parts of a multi-word name that identify a person on their own: "Nadia Benali" ->
    "Nadia", "Benali"; not a common word ("Rose Martin": "Martin" only), not an initial."""
    words = [w for w in name_key(name).split(" ") if len(w) > 1]
    if len(words) < 2:
        return []
    return [w for w in words if not is_word(w)]


class Masker:
    """Replaces every alias by its pseudonym, keeping capitals and French elision right."""

    def __init__(self, replacements: Iterable[tuple[str, str]]) -> None:
        self._pseudonyms: dict[str, str] = {}
        for alias, pseudonym in replacements:
            self._pseudonyms.setdefault(name_key(alias), pseudonym)
        self.finder = NameFinder(self._pseudonyms)
        self._short: dict[str, str] = {}  # roles, titles, attributions repeat a lot

    def mask(self, text: str) -> str:
        if len(text) <= 200:
            if text not in self._short:
                self._short[text] = self._mask(text)
            return self._short[text]
        return self._mask(text)

    def _mask(self, text: str) -> str:
        edits = self.edits(text)
        return apply_edits(text, edits) if edits else text

    def edits(self, text: str) -> list[tuple[int, int, str]]:
        """What masking changes, in order: (start, end, replacement) over `text` (an elided
        "d'" before the name is part of the change), for exports that keep offsets."""
        out: list[tuple[int, int, str]] = []
        position = 0
        for occ in self.finder.find(text):
            pseudonym = _styled(self._pseudonyms[name_key(occ.name)], occ.found)
            # The few characters before the name ("que " and the one before it, for \b).
            origin = max(position, occ.start - _BEFORE)
            before = text[origin : occ.start]
            elided, full = _ELIDED.search(before), _FULL.search(before)
            start, prefix = occ.start, ""
            if elided and not _starts_with_vowel(pseudonym):
                word = elided.group(1)
                suffix = "E " if len(word) > 1 and word.isupper() else "e "
                start, prefix = origin + elided.start(), word + suffix
            elif full and _starts_with_vowel(pseudonym):
                word = full.group(1)[:-1]
                apostrophe = "’" if "’" in text else "'"
                start, prefix = origin + full.start(), word + apostrophe
            out.append((start, occ.end, prefix + pseudonym))
            position = occ.end
        return out


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """A one-line view of text around [start, end), with "…" where cut."""
    left, right = max(0, start - width), min(len(text), end + width)
    body = " ".join(text[left:right].split())
    return ("…" if left else "") + body + ("…" if right < len(text) else "")


def distinct(names: Sequence[str]) -> list[str]:
    """Names without duplicates by identity, in their first spelling."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name_key(name), name)
    return list(seen.values())


def apply_edits(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) applied; the spans in order, not overlapping."""
    out: list[str] = []
    position = 0
    for start, end, replacement in edits:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)
