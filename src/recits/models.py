"""Frozen dataclasses that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn (or a paragraph when nobody speaks) found by an importer."""

    start_char: int
    end_char: int
    speaker: str | None = None
    timestamp: str | None = None  # "00:12:03" when the source gives one


@dataclass(frozen=True)
class ParsedDocument:
    """What an importer reads from one file, before it reaches the store."""

    text: str  # NFC, "\n" line ends
    turns: tuple[ParsedTurn, ...]
    format: str  # txt, md, docx, odt, vtt, srt
    title: str | None = None
    kind: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    participants: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Document:
    """An imported transcript; `text` is only loaded when asked for."""

    id: str
    title: str
    kind: str
    date: str | None
    format: str
    source_name: str
    sha256: str
    word_count: int
    version: int
    previous_id: str | None
    imported_at: str
    text: str | None = None


@dataclass(frozen=True)
class Turn:
    """A speaker turn: `speaker` is the participant's pseudonym (None for plain paragraphs)."""

    id: int
    document_id: str
    position: int
    start_char: int
    end_char: int
    speaker: str | None
    participant_id: str | None
    timestamp: str | None
    text: str


@dataclass(frozen=True)
class Participant:
    id: str
    pseudonym: str
    role: str | None
    aliases: tuple[str, ...]
    consent: str
    consent_scope: tuple[str, ...]
    consent_date: str | None


@dataclass(frozen=True)
class Coding:
    """A coded span: `text == document.text[start_char:end_char]`."""

    id: str
    document_id: str
    start_char: int
    end_char: int
    text: str
    code_id: str
    coder: str
    origin: str  # manual | suggestion
    memo: str
    created_at: str


@dataclass(frozen=True)
class NewCoding:
    """A coding to add, before it has an id."""

    document_id: str
    start_char: int
    end_char: int
    code_id: str
    coder: str
    origin: str = "manual"
    memo: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: offsets into the document text, a snippet around it."""

    document_id: str
    document_title: str
    turn_id: int
    speaker: str | None
    start_char: int
    end_char: int
    snippet: str


@dataclass(frozen=True)
class Status:
    documents: int
    words: int
    participants: int
    codes: int
    codings_by_coder: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Code:
    """A code of the codebook (the YAML is its source of truth)."""

    id: str
    label: str
    description: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    color: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class Excerpt:
    """A coding with what retrieval shows around it."""

    coding: Coding
    document_title: str
    document_kind: str
    document_date: str | None
    speaker: str | None
    before: str  # a little context before the span, in the same turn
    after: str


@dataclass(frozen=True)
class Entity:
    """A named entity found by the analysis (label PER, LOC, ORG, MISC); offsets into the text."""

    document_id: str
    start_char: int
    end_char: int
    label: str
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence found by the analysis, inside one speaker turn; `lemmas` are content lemmas."""

    document_id: str
    turn_position: int
    start_char: int
    end_char: int
    lemmas: str  # space-separated lowercase lemmas of content words


@dataclass(frozen=True)
class Reason:
    """Why a code is suggested: matched terms, a nearest coded example, a model score."""

    kind: str  # terms | example | model | codebook-example
    detail: str  # French, shown to the coder
    terms: tuple[str, ...] = ()
    score: float | None = None
    document_id: str | None = None
    start_char: int | None = None
    end_char: int | None = None


@dataclass(frozen=True)
class Suggestion:
    """A proposed code for a passage (a sentence or a speaker turn), with its reasons."""

    id: str
    document_id: str
    start_char: int
    end_char: int
    text: str
    code_id: str
    score: float
    reasons: tuple[Reason, ...]
    model_version: str


@dataclass(frozen=True)
class Decision:
    """What a coder decided about a suggestion (accept, reject, skip, other = another code)."""

    id: str
    document_id: str
    start_char: int
    end_char: int
    code_id: str  # the suggested code
    coder: str
    decision: str  # accept | reject | skip | other
    chosen_code_id: str | None
    coding_id: str | None
    score: float
    model_version: str
    decided_at: str


@dataclass(frozen=True)
class StoredAnalysis:
    """A document's stored spaCy analysis: a DocBin with one Doc per turn."""

    document_id: str
    key: str
    model: str
    turn_starts: tuple[int, ...]
    docs: bytes
    tokens: int


@dataclass(frozen=True)
class TrainedModel:
    """The suggestion model learnt from the project (pickled), with what it was trained on."""

    version: str
    fingerprint: str
    trained_at: str
    positives: int
    negatives: int
    data: bytes


@dataclass(frozen=True)
class ConsentEvent:
    """One recorded change of a participant's consent (kept, never rewritten)."""

    participant_id: str
    consent: str  # inconnu | accordé | refusé | retiré
    consent_scope: tuple[str, ...]
    consent_date: str | None
    recorded_by: str | None
    recorded_at: str


@dataclass(frozen=True)
class NameDecision:
    """A detected person name the team reviewed: attached to a participant, or dismissed."""

    name: str
    name_key: str  # folded: lower case, no accents
    decision: str  # attached | dismissed
    participant_id: str | None
    reason: str
    decided_by: str | None
    decided_at: str


@dataclass(frozen=True)
class ParticipantUsage:
    """Where a participant speaks: the labels found in the sources, turns and documents."""

    participant_id: str
    labels: tuple[str, ...]
    turns: int
    documents: int


@dataclass(frozen=True)
class CodedSource:
    """A coding to publish, with its document, its code and the speaker turns it overlaps."""

    coding: Coding
    document: Document
    code_label: str
    code_description: str
    turns: tuple[Turn, ...]
