"""Frozen dataclasses that cross module boundaries.

The nouns every part uses are here; the others live in submodules (parsed, analysis, publishing)
loaded on first use, so that the app paints its first screen without building them (each frozen
dataclass costs ~0.4 ms to create). `from recits.models import Sentence` works all the same.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recits.models.analysis import (
        Decision,
        Entity,
        Reason,
        Sentence,
        StoredAnalysis,
        Suggestion,
        TrainedModel,
    )
    from recits.models.coders import Coder
    from recits.models.memos import Memo
    from recits.models.parsed import NewSpeaker, ParsedDocument, ParsedTurn, SpeakerPlan
    from recits.models.publishing import (
        CodedSource,
        ConsentEvent,
        ExportRecord,
        NameDecision,
        ParticipantUsage,
        ValidationEvent,
    )
    from recits.models.scenes import (
        Character,
        DialogueLine,
        Panel,
        Scene,
        SceneCandidate,
        SceneComment,
        SceneDetail,
        SceneSource,
        SceneValidation,
        StatusChange,
    )

_ELSEWHERE = {
    "ParsedTurn": "parsed",
    "ParsedDocument": "parsed",
    "NewSpeaker": "parsed",
    "SpeakerPlan": "parsed",
    "Entity": "analysis",
    "Sentence": "analysis",
    "Reason": "analysis",
    "Suggestion": "analysis",
    "Decision": "analysis",
    "StoredAnalysis": "analysis",
    "TrainedModel": "analysis",
    "ConsentEvent": "publishing",
    "ValidationEvent": "publishing",
    "ExportRecord": "publishing",
    "NameDecision": "publishing",
    "ParticipantUsage": "publishing",
    "CodedSource": "publishing",
    "Coder": "coders",
    "Memo": "memos",
    "Scene": "scenes",
    "SceneDetail": "scenes",
    "SceneSource": "scenes",
    "Character": "scenes",
    "Panel": "scenes",
    "DialogueLine": "scenes",
    "StatusChange": "scenes",
    "SceneComment": "scenes",
    "SceneValidation": "scenes",
    "SceneCandidate": "scenes",
}

__all__ = [
    "Character",
    "Code",
    "CodedSource",
    "Coder",
    "Coding",
    "ConsentEvent",
    "Decision",
    "DialogueLine",
    "Document",
    "Entity",
    "Excerpt",
    "ExportRecord",
    "Memo",
    "NameDecision",
    "NewCoding",
    "NewSpeaker",
    "Panel",
    "ParsedDocument",
    "ParsedTurn",
    "Participant",
    "ParticipantUsage",
    "Reason",
    "Scene",
    "SceneCandidate",
    "SceneComment",
    "SceneDetail",
    "SceneSource",
    "SceneValidation",
    "SearchHit",
    "Sentence",
    "SpeakerPlan",
    "Status",
    "StatusChange",
    "StoredAnalysis",
    "Suggestion",
    "TrainedModel",
    "Turn",
    "ValidationEvent",
]


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return value


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
    source: str | None = None  # the reference of a published source (« Rapport …, 2021 »)
    published: bool = False  # a publication itself: cited by its source, no consent needed


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
    page: int | None = None  # where a paragraph of a written document sits (« p. 12 »)
    section: str | None = None
    kind: str | None = None  # "heading" | "footnote"; None: ordinary text or a speaker turn


@dataclass(frozen=True)
class Participant:
    id: str
    pseudonym: str
    role: str | None
    aliases: tuple[str, ...]
    consent: str
    consent_scope: tuple[str, ...]
    consent_date: str | None
    # Set while the team has not said whether this speaker is the participant with this id, whose
    # name they share ("Karim" in two interviews); the gate quotes neither meanwhile. The
    # participant's own id: several documents under one label, imported before recits asked.
    same_label_as: str | None = None


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
    page: int | None = None  # where the paragraph sits, in a written document
    section: str | None = None


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
    page: int | None = None  # where the passage starts, in a written document
    section: str | None = None
