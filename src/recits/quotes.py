"""Checking an article draft: each quotation found back in the corpus, with fidelity and consent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from recits.errors import InputFileError, RecitsError
from recits.exports.gate import ALIAS, Guard
from recits.importers import WRITTEN_SUFFIXES, read_paragraphs
from recits.masking import Masker
from recits.models import Participant
from recits.models.parsed import TextBlock
from recits.names import name_index
from recits.participants import may_quote
from recits.provenance import Corpus, Difference, Preference, Source, find
from recits.store import Store

MIN_WORDS = 3  # « on verra » is a phrase, not a testimony
FOUND_SCORE = 85.0  # below, the quotation is reported as not found
PUBLISHED = "source publiée"  # the consent shown for a passage of a published source

_WORD = re.compile(r"\w+")
_CUT = re.compile(r"\s*(?:[\[(]\s*(?:…|\.\.\.)\s*[\])])\s*")
_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))


@dataclass(frozen=True)
class DraftQuote:
    """A quotation in a draft: its text, how it was marked, its paragraph (1-based)."""

    index: int
    text: str
    mark: str  # guillemets | italique
    paragraph: int


@dataclass(frozen=True)
class QuoteCheck:
    """Where a quotation comes from, how faithful it is, and whether it may be published."""

    quote: DraftQuote
    found: bool
    score: float  # 0–100, after case, accents and punctuation are set aside
    fidelity: str  # exacte | fidèle | retouchée | introuvable
    differences: tuple[Difference, ...] = ()
    document_id: str | None = None
    document_title: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    speaker: str | None = None  # pseudonym
    consent: str | None = None
    consented: bool = False
    names: tuple[str, ...] = ()  # names written in the quotation, described by pseudonym

    @property
    def problems(self) -> list[str]:
        out = []
        if not self.found:
            out.append("introuvable dans le corpus")
        elif not self.consented:
            out.append(f"consentement « {self.consent or 'inconnu'} » pour cette personne")
        if self.names:
            out.append("contient un nom : " + ", ".join(self.names))
        return out

    @property
    def ok(self) -> bool:
        return not self.problems


# -- reading a draft ---------------------------------------------------------------------------
def _paragraphs(path: Path) -> list[TextBlock]:
    """The draft's paragraphs with their italic spans, read by the importers' own readers
    (tracked changes, comments and notes handled as for transcripts), empty ones left out."""
    suffix = path.suffix.lower()
    if suffix not in WRITTEN_SUFFIXES:
        raise InputFileError(
            path,
            f"format de brouillon non pris en charge ({suffix or 'sans extension'}) ;"
            f" formats acceptés : {', '.join(WRITTEN_SUFFIXES)}",
        )
    return [block for block in read_paragraphs(path) if block.text.strip()]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Outermost « … », “ … ” and "…" spans (nested quotes stay inside)."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "«":
            depth, start = depth + 1, (i + 1 if depth == 0 else start)
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    for opening, closing in _PAIRS[1:]:
        pattern = re.escape(opening) + "([^" + re.escape(closing) + "]+)" + re.escape(closing)
        for m in re.finditer(pattern, text):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(1), m.end(1)))
    return sorted(spans)


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and not text[out[-1][1] : start].strip():
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def read_draft(path: Path) -> list[DraftQuote]:
    """Every quotation of a draft, in reading order; French errors name the file."""
    path = Path(path)
    quotes: list[DraftQuote] = []
    for number, block in enumerate(_paragraphs(path), start=1):
        text = block.text
        quoted = _quoted_spans(text)
        found = [(s, e, "guillemets") for s, e in quoted]
        for s, e in _merged(list(block.italics), text):
            if not any(qs - 2 <= s < qe + 2 or s <= qs < e for qs, qe in quoted):
                found.append((s, e, "italique"))
        for s, e, mark in sorted(found):
            body = text[s:e].strip().strip("*_").strip()
            if len(_WORD.findall(body)) >= MIN_WORDS:
                quotes.append(DraftQuote(len(quotes) + 1, body, mark, number))
    if not quotes:
        raise InputFileError(
            path,
            f"aucune citation trouvée (entre « », “ ” ou en italique, d'au moins {MIN_WORDS} mots)",
        )
    return quotes


# -- finding a quotation in the corpus -------------------------------------------------------
def _same_text(a: str, b: str) -> bool:
    def squeeze(text: str) -> str:
        return " ".join(text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " ").split())

    return squeeze(a) in squeeze(b)


def _names(guard: Guard, masker: Masker, text: str) -> tuple[str, ...]:
    """The names a quotation holds, shown by pseudonym when they are someone's real name."""
    shown = []
    for leak in guard.scan(text, "citation"):
        if leak.kind == ALIAS:
            shown.append(f"nom réel de « {masker.mask(leak.found)} »")
        else:
            shown.append(f"« {leak.found} » ({leak.kind})")
    return tuple(dict.fromkeys(shown))


def _preference(people: dict[str, Participant], scope: str) -> Preference:
    """Between places that hold the same words: a known speaker before an anonymous one;
    among known speakers, one who may not be quoted first (the words may be theirs)."""

    def rank(source: Source) -> tuple:
        speakers = [people.get(t.participant_id or "") for t in source.turns]
        known = [p for p in speakers if p is not None]
        if not known:
            return (2,)
        return (1,) if all(may_quote(p, scope) for p in known) else (0,)

    return rank


def check_quote(
    corpus: Corpus,
    quote: DraftQuote,
    scope: str,
    guard: Guard,
    masker: Masker,
    people: dict[str, Participant],
    published: frozenset[str] = frozenset(),
) -> QuoteCheck:
    """Where a quotation comes from; what it shows of the corpus is masked (pseudonyms only).
    A passage of a published source (document ids in `published`) needs no consent."""
    fragments = [f for f in _CUT.split(quote.text) if _WORD.search(f)]
    prefer = _preference(people, scope)
    matches: list[tuple[str, Source]] = []
    near = None
    for fragment in fragments:
        match = find(corpus, fragment, prefer, near)
        if match is None:
            matches = []
            break
        matches.append((fragment, match))
        near = match
    names = _names(guard, masker, quote.text)
    if not matches:
        return QuoteCheck(quote, False, 0.0, "introuvable", names=names)
    total = sum(len(f) for f, _m in matches)
    score = min(100.0, sum(min(m.score, 100.0) * len(f) for f, m in matches) / total)
    if score < FOUND_SCORE:
        return QuoteCheck(quote, False, round(score, 1), "introuvable", names=names)
    differences = tuple(
        Difference(masker.mask(d.draft), masker.mask(d.source))
        for _f, m in matches
        for d in m.differences
    )
    exact = all(_same_text(f, m.text) for f, m in matches)
    fidelity = "exacte" if exact else "fidèle" if not differences else "retouchée"
    first, last = matches[0][1], matches[-1][1]
    # Every speaker the quotation runs through must agree, not only the first; the report
    # names the first who does not.
    turns = [t for _f, m in matches for t in m.turns]
    blocking = [
        t
        for t in turns
        if t.document_id not in published
        and not may_quote(people.get(t.participant_id or ""), scope)
    ]
    shown = blocking[0] if blocking else first.turn
    participant = people.get(shown.participant_id or "")
    same_doc = last.document_id == first.document_id
    return QuoteCheck(
        quote=quote,
        found=True,
        score=round(score, 1),
        fidelity=fidelity,
        differences=differences,
        document_id=first.document_id,
        document_title=masker.mask(first.title),
        start_char=first.start,
        end_char=last.end if same_doc else first.end,
        speaker=shown.speaker,
        consent=(
            participant.consent
            if participant
            else PUBLISHED
            if not blocking and first.document_id in published
            else None
        ),
        consented=not blocking,
        names=names,
    )


def check_quotes(store: Store, path: Path, *, scope: str = "articles") -> list[QuoteCheck]:
    """Check every quotation of a draft against the corpus (reads only, writes nothing)."""
    quotes = read_draft(Path(path))
    if not store.documents():
        raise RecitsError("le projet n'a aucun document : importez d'abord les transcriptions")
    guard = Guard(name_index(store))
    masker = guard.index.masker()
    people = {p.id: p for p in store.participants()}
    corpus = Corpus(store)
    published = frozenset(d.id for d in store.documents() if d.published)
    return [check_quote(corpus, q, scope, guard, masker, people, published) for q in quotes]
