"""Names to review: detected in the corpus, attached to a participant or dismissed by the team."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from recits.candidates import INCLUSIVE_ENDINGS, find_candidates
from recits.errors import RecitsError
from recits.lexicon import TITLES, Lexicon, lexicon
from recits.masking import Masker, NameFinder, context, distinct, fold, name_key, name_parts
from recits.models import Participant
from recits.participants import check_names, resolve
from recits.store import Store

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
    """A word or name that may be a person's, how often, and what the team decided about it."""

    name: str  # the most frequent spelling
    key: str
    count: int
    documents: int
    status: str  # à revoir | participant | écarté
    pseudonym: str | None  # status "participant": whose name it is
    reason: str  # status "écarté": why
    mentions: tuple[NameMention, ...]
    why: str = ""  # why it may be a name: "nom de personne (spaCy)", "prénom connu"…


@dataclass(frozen=True)
class NameIndex:
    """What masking and the export gate need to know about names."""

    replacements: tuple[tuple[str, str], ...]  # (alias, source label or part, pseudonym)
    known: tuple[str, ...]  # aliases, source labels and their parts: never leave the database
    unattached: tuple[str, ...]  # detected names still to review: block any export holding them
    unanalysed: tuple[str, ...]  # ids of documents whose names were never detected
    allowed: frozenset[str] = frozenset()  # keys that may leave: pseudonyms, coders, dismissed
    dismissed: tuple[str, ...] = ()  # names reviewed and let out (their words with them)

    def masker(self) -> Masker:
        return Masker(self.replacements)


SPACY = "nom de personne (spaCy)"


def _participant_names(store: Store, labels: Labels) -> list[tuple[str, str]]:
    """(real name, pseudonym) for every alias and source label that is not the pseudonym,
    full names first, then the parts that identify a person on their own."""
    full: list[tuple[str, str]] = []
    for p in store.participants():
        for name in (*p.aliases, *labels.get(p.id, ())):
            if name_key(name) != name_key(p.pseudonym):
                full.append((name, p.pseudonym))
    words = lexicon().is_word
    parts = [(part, pseudonym) for name, pseudonym in full for part in name_parts(name, words)]
    return full + parts


def _allowed(store: Store, coders: set[str]) -> frozenset[str]:
    """Name keys that may leave: pseudonyms and coders (and their words), dismissed names."""
    keys: set[str] = set()
    for name in [*(p.pseudonym for p in store.participants()), *coders]:
        key = name_key(name)
        keys.add(key)
        keys.update(re.findall(r"[^\W\d_]+", key))  # as the gate reads words: "Pseudo6"
    keys.update(d.name_key for d in store.name_decisions() if d.decision == "dismissed")
    return frozenset(keys)


def _known_keys(store: Store, labels: Labels | None = None) -> dict[str, str]:
    """Every name of every participant (pseudonym, aliases, source labels) → pseudonym."""
    labels = store.speaker_labels() if labels is None else labels
    keys: dict[str, str] = {name_key(p.pseudonym): p.pseudonym for p in store.participants()}
    for name, pseudonym in _participant_names(store, labels):
        keys.setdefault(name_key(name), pseudonym)
    return keys


def name_index(store: Store, labels: Labels | None = None) -> NameIndex:
    labels = store.speaker_labels() if labels is None else labels
    replacements = _participant_names(store, labels)
    # A participant still called by the name written in the transcript has no pseudonym yet:
    # that name is a real name too, and must not leave either. The team's coders (who also
    # speak in meetings) are named in exports anyway, as coders.
    coders = {c for c, _n in store.status().codings_by_coder}
    coder_keys = {name_key(c) for c in coders}
    unpseudonymised = [
        label
        for p in store.participants()
        for label in labels.get(p.id, ())
        if name_key(label) == name_key(p.pseudonym) and name_key(label) not in coder_keys
    ]
    analysed = store.analysis_keys()
    return NameIndex(
        replacements=tuple(replacements),
        known=tuple(distinct([a for a, _p in replacements] + unpseudonymised)),
        unattached=tuple(
            n.name for n in detected_names(store, contexts=0, labels=labels, spacy_only=True)
        ),
        unanalysed=tuple(d.id for d in store.documents() if d.id not in analysed),
        allowed=_allowed(store, coders) - {name_key(n) for n in unpseudonymised},
        dismissed=tuple(d.name for d in store.name_decisions() if d.decision == "dismissed"),
    )


Place = tuple[str, int, int, str, str]  # document id, start, end, why, as written


def _found_in_corpus(
    store: Store, spacy_only: bool, reviewed: Sequence[str] = ()
) -> dict[str, list[Place]]:
    """Name key -> places (document id, start, end, why, as written) of every word that may be
    a person's name: the model's person entities, and the words the gate would stop; a word
    inside a reviewed name of several words ("Jean-Luc", "Madame Pichon") is that name's;
    a word inside an entity is listed under the entity ("Nadia Benali", not "Benali")."""
    grouped: dict[str, list[Place]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    lex = lexicon()
    for entity in store.entities(label=PERSON):
        trimmed = _trim(entity.text, lex)
        if trimmed is None:
            continue
        offset, written = trimmed
        key = name_key(written)
        words = key.split()
        if words and any(c.isalpha() for c in key) and not set(words) <= NOT_NAME_WORDS:
            start = entity.start_char + offset
            grouped.setdefault(key, []).append(
                (entity.document_id, start, start + len(written), SPACY, written)
            )
            # Only what is left of the entity: a word the trim dropped ("Claire FONTAINE" ->
            # "Claire") is still checked on its own below.
            spans.setdefault(entity.document_id, []).append((start, start + len(written)))
    if spacy_only:
        return grouped
    whole = NameFinder(n for n in reviewed if len(name_key(n).split()) > 1)
    for document in store.documents():
        text = store.document_text(document.id)
        inside = sorted(
            [*spans.get(document.id, ()), *((o.start, o.end) for o in whole.find(text))]
        )
        for c in find_candidates(text, lex):
            if inside and _overlaps(inside, c.start, c.end):
                continue
            grouped.setdefault(c.key, []).append((document.id, c.start, c.end, c.reason, c.text))
    return grouped


def _trim(text: str, lex: Lexicon) -> tuple[int, str] | None:
    """A person entity without the ordinary words the model took in with the name ("Merci Jo",
    "Bienvenue Laurent" -> "Jo", "Laurent"): (offset, name); None when nothing is left ("Sinon",
    "Promis", "Moi ça va"). A first name that is also a word ("Rose") is kept, and so are
    titles ("Mme Roux")."""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]

    def ordinary(token: str) -> bool:
        return _ordinary(token.strip(".,;:!?…«»\"'()"), lex)

    while tokens and ordinary(tokens[0][1]):
        tokens.pop(0)

    def title(token: str) -> bool:
        return name_key(token.strip(".,;:!?…«»\"'’()")) in TITLES

    while tokens and ordinary(tokens[-1][1]) and not (len(tokens) > 1 and title(tokens[-2][1])):
        tokens.pop()  # "Mme Roux" keeps "Roux", a word after a title
    if all(title(t) for _s, t in tokens):
        return None
    if len(tokens) == 1 and _ENUMERATOR.match(tokens[0][1]) and not tokens[0][1].isalpha():
        return None  # a heading's number: "B.", "IV.", "2.3"
    start, end = tokens[0][0], tokens[-1][0] + len(tokens[-1][1])
    return start, text[start:end]


# Elided words: "n'", "qu'", "l'" (the model takes "n’" for a person in written prose).
_ELIDED = frozenset("c d j l m n s t qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
_ELISION = re.compile(r"^([^\W\d_]+)['’]")
# Inclusive writing: "un·e", "pair·e·s", "rémunéré-e-s", "salarié.e.s".
_INCLUSIVE = re.compile(r"^([^\W\d_]+?)(?:[·•.\-][^\W\d_]{1,5})+$")
_ENUMERATOR = re.compile(r"^(?:[A-Za-z]|[IVXivx]{1,4}|\d+(?:\.\d+)*)[.)]?$")


def _ordinary(token: str, lex: Lexicon) -> bool:
    """Whether a token of a person entity is an ordinary word, not part of a name: a French
    word, an elision ("n’", "qu’on", "l’Aide"), inclusive writing ("pair·e"), a heading's
    number ("A.", "2.3") is seen to by the caller."""
    if not token:
        return True
    elided = _ELISION.match(token)
    if elided and fold(elided.group(1)) in _ELIDED:
        rest = token[elided.end() :].strip("'’")
        return not rest or _ordinary(rest, lex)
    key = name_key(token)
    if key in lex.words and key not in lex.first_names and key not in TITLES:
        return True
    inclusive = _INCLUSIVE.match(token)
    if inclusive:
        stem, *endings = re.split(r"[·•.\-]", fold(token))
        return (
            all(e in INCLUSIVE_ENDINGS for e in endings)  # "Petit-Jean" is not inclusive
            and stem in lex.words
            and stem not in lex.first_names
        )
    return False


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return any(s < end and start < e for s, e in spans[max(0, index - 1) : index + 2])


def detected_names(
    store: Store,
    *,
    include_reviewed: bool = False,
    contexts: int = 3,
    labels: Labels | None = None,
    spacy_only: bool = False,
) -> list[DetectedName]:
    """Words and names that may be a person's, in the corpus; by default those to review."""
    known = _known_keys(store, labels)
    decisions = {d.name_key: d for d in store.name_decisions()}
    titles = {d.id: d.title for d in store.documents()}
    texts: dict[str, str] = {}
    found = []
    reviewed = [*known, *(d.name for d in decisions.values() if d.decision == "dismissed")]
    for key, places in _found_in_corpus(store, spacy_only, reviewed).items():
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
        mentions = []
        for document_id, start, end, _why, written in places:
            spellings[written] = spellings.get(written, 0) + 1
            if len(mentions) < contexts:
                if document_id not in texts:
                    texts[document_id] = store.document_text(document_id)
                text = texts[document_id]
                mentions.append(
                    NameMention(
                        document_id, titles.get(document_id, ""), start, end,
                        context(text, start, end),
                    )
                )  # fmt: skip
        whys = dict.fromkeys(place[3] for place in places)
        found.append(
            DetectedName(
                name=max(spellings, key=lambda s: (spellings[s], s)),
                key=key,
                count=len(places),
                documents=len({p[0] for p in places}),
                status=status,
                pseudonym=pseudonym,
                reason=reason,
                mentions=tuple(mentions),
                why=", ".join(whys),
            )
        )
    return sorted(found, key=lambda n: (-n.count, n.key))


def attach(store: Store, name: str, participant: str, *, actor: str | None = None) -> None:
    """The name belongs to a participant: it becomes one of their aliases (masked in exports)."""
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
    check_names([changed if q.id == p.id else q for q in store.participants()], changed={p.id})
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
