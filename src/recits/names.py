"""Names in the text: accent- and case-insensitive whole-word finding, alias masking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from recits.errors import RecitsError
from recits.models import Participant
from recits.store import Store

_APOSTROPHES = "'’ʼ`´"
_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_VOWELS = set("aeiouyhàâäéèêëîïôöùûüœæ")
# French elision before a name: "d'Aurélie" / "de Karim", "qu'Aurélie" / "que Karim".
_ELIDED = re.compile(r"(?i)\b(d|qu)['’]$")
_FULL = re.compile(r"(?i)\b(de|que)\s$")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _APOSTROPHES:
        return "'"
    decomposed = unicodedata.normalize("NFD", char)
    # A lone combining accent (text typed in NFD) folds to nothing, like an accent on a letter.
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower case, no accents, one apostrophe: "Zoé", "ZOE", "zoe" all fold to "zoe"."""
    return text.translate(_TABLE)


class _FoldTable(dict):
    """str.translate table filled on demand, one entry per character ever folded."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        if len(folded) != 1:
            _IRREGULAR.add(chr(code))
        return folded


_TABLE = _FoldTable()
_IRREGULAR: set[str] = set()  # characters folding to several ("ß") or to none (lone accents)


def fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, the index of its source character
    (None when folding kept every character in place, the usual case)."""
    folded = text.translate(_TABLE)
    if _IRREGULAR.isdisjoint(text):
        return folded, None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def name_key(name: str) -> str:
    """The identity of a name: folded, separators collapsed ("Jean-Marc" == "jean marc")."""
    return _SEPARATORS.sub(" ", fold(name)).strip()


def _pattern_part(name: str) -> str:
    words = [re.escape(w) for w in name_key(name).split(" ") if w]
    return r"[\s\-‐‑–]+".join(words)


@dataclass(frozen=True)
class Occurrence:
    """A name found in a text: the offsets into that text, the form written, the name sought."""

    start: int
    end: int
    found: str
    name: str


class NameFinder:
    """Finds several names at once, whole words only, ignoring case and accents."""

    def __init__(self, names: Iterable[str]) -> None:
        keys: dict[str, str] = {}
        for name in names:
            key = name_key(name)
            if key and any(c.isalnum() for c in key):
                keys.setdefault(key, name)
        self.names = keys
        # Longest first, so that "Nadia Benali" wins over "Nadia".
        parts = sorted((_pattern_part(k) for k in keys), key=len, reverse=True)
        self._regex = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)") if parts else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def find(self, text: str) -> list[Occurrence]:
        if self._regex is None or not text:
            return []
        folded, origin = fold_with_map(text)
        found: list[Occurrence] = []
        for match in self._regex.finditer(folded):
            start, end = match.start(), match.end()
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1  # the accents typed after the name's last letter
            key = _SEPARATORS.sub(" ", match.group()).strip()
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
    return bool(word) and fold(word[0]) in {fold(v) for v in _VOWELS}


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
        occurrences = self.finder.find(text)
        if not occurrences:
            return text
        out: list[str] = []
        position = 0
        for occ in occurrences:
            pseudonym = _styled(self._pseudonyms[name_key(occ.name)], occ.found)
            before = text[position : occ.start]
            elided, full = _ELIDED.search(before), _FULL.search(before)
            if elided and not _starts_with_vowel(pseudonym):
                word = elided.group(1)
                suffix = "E " if len(word) > 1 and word.isupper() else "e "
                before = before[: elided.start()] + word + suffix
            elif full and _starts_with_vowel(pseudonym):
                word = full.group(1)[:-1]
                apostrophe = "’" if "’" in text else "'"
                before = before[: full.start()] + word + apostrophe
            out.append(before)
            out.append(pseudonym)
            position = occ.end
        out.append(text[position:])
        return "".join(out)


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


# -- names detected by the analysis ------------------------------------------------------------
PERSON = "PER"
# Spoken fillers and pronouns the small French model sometimes tags as persons ("euh",
# "Moi je", "toi"): a "name" made only of these words is never a name.
NOT_NAME_WORDS = frozenset(
    "euh heu hein bah ben bon ouais ouai voila quoi enfin hum mh mmh oh ah eh bref genre "
    "moi toi lui elle nous vous eux elles je j tu il ils on me m te t se s ca ce c "
    "mon ton son ma ta sa mes tes ses le la les l un une des du de d et ou mais donc".split()
)
Labels = dict[str, tuple[str, ...]]  # participant id -> names written before their turns
TO_REVIEW, KNOWN, DISMISSED = "à revoir", "participant", "écarté"


@dataclass(frozen=True)
class NameMention:
    document_id: str
    document_title: str
    start_char: int
    end_char: int
    context: str


@dataclass(frozen=True)
class DetectedName:
    """A person name found by the analysis, how often, and what the team decided about it."""

    name: str  # the most frequent spelling
    key: str
    count: int
    documents: int
    status: str  # à revoir | participant | écarté
    pseudonym: str | None  # status "participant": whose name it is
    reason: str  # status "écarté": why
    mentions: tuple[NameMention, ...]


@dataclass(frozen=True)
class NameIndex:
    """What masking and the export gate need to know about names."""

    replacements: tuple[tuple[str, str], ...]  # (alias or source label, pseudonym)
    known: tuple[str, ...]  # aliases and source labels: must never leave the database
    unattached: tuple[str, ...]  # detected names still to review: block any export holding them
    unanalysed: tuple[str, ...]  # ids of documents whose names were never detected

    def masker(self) -> Masker:
        return Masker(self.replacements)


def _known_keys(store: Store, labels: Labels | None = None) -> dict[str, str]:
    """Every name of every participant (pseudonym, aliases, source labels) → pseudonym."""
    labels = store.speaker_labels() if labels is None else labels
    keys: dict[str, str] = {}
    for p in store.participants():
        for name in (p.pseudonym, *p.aliases, *labels.get(p.id, ())):
            keys.setdefault(name_key(name), p.pseudonym)
    return keys


def name_index(store: Store, labels: Labels | None = None) -> NameIndex:
    labels = store.speaker_labels() if labels is None else labels
    replacements: list[tuple[str, str]] = []
    for p in store.participants():
        for name in (*p.aliases, *labels.get(p.id, ())):
            if name_key(name) != name_key(p.pseudonym):
                replacements.append((name, p.pseudonym))
    # A participant still called by the name written in the transcript has no pseudonym yet:
    # that name is a real name too, and must not leave either. The team's coders (who also
    # speak in meetings) are named in exports anyway, as coders.
    coders = {name_key(c) for c, _n in store.status().codings_by_coder}
    unpseudonymised = [
        label
        for p in store.participants()
        for label in labels.get(p.id, ())
        if name_key(label) == name_key(p.pseudonym) and name_key(label) not in coders
    ]
    analysed = store.analysis_keys()
    return NameIndex(
        replacements=tuple(replacements),
        known=tuple(distinct([a for a, _p in replacements] + unpseudonymised)),
        unattached=tuple(n.name for n in detected_names(store, contexts=0, labels=labels)),
        unanalysed=tuple(d.id for d in store.documents() if d.id not in analysed),
    )


def detected_names(
    store: Store,
    *,
    include_reviewed: bool = False,
    contexts: int = 3,
    labels: Labels | None = None,
) -> list[DetectedName]:
    """Person names found in the corpus; by default only those still to review."""
    known = _known_keys(store, labels)
    decisions = {d.name_key: d for d in store.name_decisions()}
    titles = {d.id: d.title for d in store.documents()}
    texts: dict[str, str] = {}
    grouped: dict[str, list] = {}
    for entity in store.entities(label=PERSON):
        key = name_key(entity.text)
        words = key.split()
        if words and any(c.isalpha() for c in key) and not set(words) <= NOT_NAME_WORDS:
            grouped.setdefault(key, []).append(entity)
    found = []
    for key, entities in grouped.items():
        decision = decisions.get(key)
        if key in known:
            status, pseudonym, reason = KNOWN, known[key], ""
        elif decision is not None and decision.decision == "dismissed":
            status, pseudonym, reason = DISMISSED, None, decision.reason
        else:
            status, pseudonym, reason = TO_REVIEW, None, ""
        if status != TO_REVIEW and not include_reviewed:
            continue
        spellings: dict[str, int] = {}
        for e in entities:
            spellings[e.text] = spellings.get(e.text, 0) + 1
        mentions = []
        for e in entities[:contexts]:
            if e.document_id not in texts:
                texts[e.document_id] = store.document_text(e.document_id)
            text = texts[e.document_id]
            mentions.append(
                NameMention(
                    e.document_id, titles.get(e.document_id, ""), e.start_char, e.end_char,
                    context(text, e.start_char, e.end_char),
                )
            )  # fmt: skip
        found.append(
            DetectedName(
                name=max(spellings, key=lambda s: (spellings[s], s)),
                key=key,
                count=len(entities),
                documents=len({e.document_id for e in entities}),
                status=status,
                pseudonym=pseudonym,
                reason=reason,
                mentions=tuple(mentions),
            )
        )
    return sorted(found, key=lambda n: (-n.count, n.key))


def attach(store: Store, name: str, participant: str, *, actor: str | None = None) -> None:
    """The name belongs to a participant: it becomes one of their aliases (masked in exports)."""
    # participants imports this module for matching; imported here to avoid the cycle.
    from recits.participants import check_names, resolve

    p = resolve(store, participant)
    clean = " ".join(name.split())
    if not clean:
        raise RecitsError("nom vide")
    aliases = tuple(distinct([*p.aliases, clean]))
    if name_key(clean) == name_key(p.pseudonym):
        raise RecitsError(f"« {clean} » est déjà le pseudonyme de cette personne")
    changed = Participant(
        p.id, p.pseudonym, p.role, aliases, p.consent, p.consent_scope, p.consent_date
    )
    check_names([changed if q.id == p.id else q for q in store.participants()])
    store.decide_name(
        clean, name_key(clean), "attached", actor=actor, participant_id=p.id, aliases=aliases
    )


def dismiss(store: Store, name: str, *, reason: str = "", actor: str | None = None) -> None:
    """Not a person to protect (not a name, a public figure…): no longer blocks exports."""
    clean = " ".join(name.split())
    key = name_key(clean)
    if not key:
        raise RecitsError("nom vide")
    owner = _known_keys(store).get(key)
    if owner is not None:
        raise RecitsError(
            f"« {clean} » est un nom de « {owner} » (pseudonyme ou alias) : il reste masqué"
        )
    store.decide_name(clean, key, "dismissed", actor=actor, reason=reason)
