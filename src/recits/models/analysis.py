"""The spaCy analysis and the suggestions: sentences, entities, reasons, decisions, models."""

from __future__ import annotations

from dataclasses import dataclass


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

    kind: str  # terms | question | example | codebook-example | model
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
