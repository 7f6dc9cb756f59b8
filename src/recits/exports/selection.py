"""Which excerpts an export holds: filters, the consent gate, masked quotations by code."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from recits.exports.published import (
    italic_testimony,
    quoted_in_report,
    sections_and_pages,
    source_attribution,
)
from recits.exports.typography import attribution, ends_sentence, quotation_text
from recits.masking import Masker
from recits.models import CodedSource, Participant, Turn
from recits.participants import may_quote
from recits.spans import mostly_overlaps
from recits.store import Store


@dataclass(frozen=True)
class ExportFilters:
    """What to export; empty tuples and None mean "everything"."""

    codes: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()  # document ids
    kind: str | None = None
    coder: str | None = None
    scope: str = "articles"

    def as_dict(self) -> dict[str, object]:
        return {
            "codes": list(self.codes),
            "documents": list(self.documents),
            "kind": self.kind,
            "coder": self.coder,
            "scope": self.scope,
        }


@dataclass(frozen=True)
class Quotation:
    """What one participant says in an excerpt: masked text with "[…]" cuts, attribution; or
    (participant_id None) a passage of a published source, attributed to it."""

    participant_id: str | None
    pseudonym: str
    role: str | None
    text: str  # aliases replaced, French spacing, no guillemets
    attribution: str  # "— travailleuse paire, réunion du collectif, mars 2021"


@dataclass(frozen=True)
class ExportedExcerpt:
    """A coding as it leaves the database: only pseudonyms, roles and masked text."""

    coding_id: str
    document_id: str
    document_title: str  # masked
    document_kind: str
    document_date: str | None
    start_char: int
    end_char: int
    code_id: str
    code_label: str
    coder: str  # masked: coders may also be participants
    origin: str
    created_at: str
    quotations: tuple[Quotation, ...]
    source: str | None = None  # masked: a published source's reference
    page: int | None = None  # the page of its first paragraph (written documents)
    section: str | None = None  # masked: the section of its first paragraph
    # The unmasked speech, kept in memory for the gate only; never rendered.
    source_texts: tuple[str, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class Exclusion:
    """An excerpt left out, and why: "consent" (pseudonyms listed), "no-speaker", "no-speech",
    "unconfirmed" (a speaker shares a name with another participant, not yet confirmed)."""

    coding_id: str
    code_id: str
    document_id: str
    reason: str
    pseudonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeSection:
    code_id: str
    label: str  # masked
    description: str  # masked
    excerpts: tuple[ExportedExcerpt, ...]

    @cached_property
    def passages(self) -> tuple[ExportedExcerpt, ...]:
        """The excerpts without repeats, in their order: when coders coded the same passage
        (the same span, or spans mostly overlapping), the widest version appears once."""
        kept: dict[str, list[ExportedExcerpt]] = {}  # per document
        for e in sorted(self.excerpts, key=lambda e: e.start_char - e.end_char):
            same_document = kept.setdefault(e.document_id, [])
            if not any(
                mostly_overlaps((k.start_char, k.end_char), (e.start_char, e.end_char))
                for k in same_document
            ):
                same_document.append(e)
        chosen = {id(e) for excerpts in kept.values() for e in excerpts}
        return tuple(e for e in self.excerpts if id(e) in chosen)


@dataclass(frozen=True)
class Selection:
    filters: ExportFilters
    sections: tuple[CodeSection, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def excerpts(self) -> list[ExportedExcerpt]:
        return [e for s in self.sections for e in s.excerpts]

    @property
    def count(self) -> int:
        return sum(len(s.excerpts) for s in self.sections)

    @property
    def passage_count(self) -> int:
        return sum(len(s.passages) for s in self.sections)

    def excluded_by_pseudonym(self) -> dict[str, int]:
        """Excerpts left out for lack of consent, per pseudonym (an excerpt may count twice)."""
        counts: dict[str, int] = {}
        for ex in self.excluded:
            for pseudonym in ex.pseudonyms:
                counts[pseudonym] = counts.get(pseudonym, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def excluded_count(self, reason: str) -> int:
        return sum(1 for ex in self.excluded if ex.reason == reason)


def _pieces(source: CodedSource) -> list[tuple[Turn, str, bool, bool]]:
    """The speech inside the coded span, turn by turn: (turn, text, cut before, cut after)."""
    coding = source.coding
    pieces = []
    for turn in source.turns:
        start = max(coding.start_char, turn.start_char)
        end = min(coding.end_char, turn.end_char)
        text = turn.text[start - turn.start_char : end - turn.start_char]
        if start >= end or not text.strip():
            continue
        before = turn.text[: start - turn.start_char].rstrip()
        # Right after a «, or up to its », a quotation is whole: no "[…]".
        cut_before = bool(before) and not ends_sentence(before) and not before.endswith("«")
        rest = turn.text[end - turn.start_char :].strip()
        cut_after = bool(rest) and not ends_sentence(text.rstrip()) and not rest.startswith("»")
        pieces.append((turn, text, cut_before, cut_after))
    # A heading the span runs over is not part of what is quoted.
    text_pieces = [p for p in pieces if p[0].kind != "heading"]
    return text_pieces or pieces


def _quotations(
    pieces: list[tuple[Turn, str, bool, bool]],
    people: dict[str, Participant],
    source: CodedSource,
    masker: Masker,
) -> tuple[Quotation, ...]:
    groups: list[tuple[str, list[tuple[str, bool, bool]]]] = []
    for turn, text, cut_before, cut_after in pieces:
        assert turn.participant_id is not None
        if not groups or groups[-1][0] != turn.participant_id:
            groups.append((turn.participant_id, []))
        groups[-1][1].append((masker.mask(text), cut_before, cut_after))
    document = source.document
    out = []
    for participant_id, items in groups:
        p = people[participant_id]
        out.append(
            Quotation(
                participant_id=p.id,
                pseudonym=p.pseudonym,
                role=masker.mask(p.role) if p.role else None,
                text=quotation_text(items),
                attribution=masker.mask(attribution(p.role, document.kind, document.date)),
            )
        )
    return tuple(out)


def _published(
    source: CodedSource,
    pieces: list[tuple[Turn, str, bool, bool]],
    reference: str,
    pages: list[int],
    masker: Masker,
    italics: list[tuple[int, int]],
) -> tuple[Quotation, ...]:
    """A published source's passage: one quotation, attributed to the source and its page
    (a testimony the report quotes, in « » or in italics, as such); no participant, no
    consent to ask."""
    turn, coding = pieces[0][0], source.coding
    start, end = max(coding.start_char, turn.start_char), min(coding.end_char, turn.end_char)
    testimony = len(pieces) == 1 and (
        quoted_in_report(turn, start, end) or italic_testimony(turn, start, end, italics)
    )
    items = [(masker.mask(text), before, after) for _t, text, before, after in pieces]
    return (
        Quotation(
            participant_id=None,
            pseudonym="",
            role=None,
            text=quotation_text(items),
            attribution=masker.mask(source_attribution(reference, pages, testimony)),
        ),
    )


def _excerpt(
    source: CodedSource,
    code_label: str,
    masker: Masker,
    quotations: tuple[Quotation, ...],
    pieces: list[tuple[Turn, str, bool, bool]],
    **written: object,
) -> ExportedExcerpt:
    coding = source.coding
    return ExportedExcerpt(
        coding_id=coding.id,
        document_id=coding.document_id,
        document_title=masker.mask(source.document.title),
        document_kind=masker.mask(source.document.kind),
        document_date=source.document.date,
        start_char=coding.start_char,
        end_char=coding.end_char,
        code_id=coding.code_id,
        code_label=code_label,
        coder=masker.mask(coding.coder),
        origin=coding.origin,
        created_at=coding.created_at,
        quotations=quotations,
        source_texts=tuple(text for _t, text, *_ in pieces),
        **written,  # type: ignore[arg-type]
    )


def select(store: Store, filters: ExportFilters, masker: Masker) -> Selection:
    """The excerpts to export, grouped by code; the others listed with the reason."""
    people = {p.id: p for p in store.participants()}
    sections: dict[str, tuple[str, str, list[ExportedExcerpt]]] = {}
    excluded: list[Exclusion] = []
    italics: dict[str, list[tuple[int, int]]] = {}  # per published document
    for source in store.coded_sources(
        code_ids=filters.codes, document_ids=filters.documents, kind=filters.kind,
        coder=filters.coder,
    ):  # fmt: skip
        coding = source.coding
        section = sections.setdefault(
            coding.code_id,
            (masker.mask(source.code_label), masker.mask(source.code_description), []),
        )
        pieces = _pieces(source)

        def leave_out(reason: str, pseudonyms: tuple[str, ...] = (), c=coding) -> None:
            excluded.append(Exclusion(c.id, c.code_id, c.document_id, reason, pseudonyms))

        if not pieces:
            leave_out("no-speech")
            continue
        pages, section_name = sections_and_pages([t for t, *_ in pieces])
        written = {
            "page": min(pages) if pages else None,
            "section": masker.mask(section_name) if section_name else None,
        }
        if source.document.published:
            reference = masker.mask(source.document.source or source.document.title)
            if source.document.id not in italics:
                italics[source.document.id] = store.italics(source.document.id)
            quoted = _published(
                source, pieces, reference, pages, masker, italics[source.document.id]
            )
            excerpt = _excerpt(source, section[0], masker, quoted, pieces, **written)
            section[2].append(replace(excerpt, source=reference))
            continue
        if any(t.participant_id is None or t.participant_id not in people for t, *_ in pieces):
            leave_out("no-speaker")
            continue
        if any(people[t.participant_id].same_label_as for t, *_ in pieces):
            leave_out("unconfirmed")  # maybe someone else of that name: not until confirmed
            continue
        refused = tuple(
            dict.fromkeys(
                people[t.participant_id].pseudonym
                for t, *_ in pieces
                if not may_quote(people[t.participant_id], filters.scope)
            )
        )
        if refused:
            leave_out("consent", refused)
            continue
        quotations = _quotations(pieces, people, source, masker)
        section[2].append(_excerpt(source, section[0], masker, quotations, pieces, **written))
    return Selection(
        filters=filters,
        sections=tuple(
            CodeSection(code_id, label, description, tuple(items))
            for code_id, (label, description, items) in sections.items()
            if items
        ),
        excluded=tuple(excluded),
    )
