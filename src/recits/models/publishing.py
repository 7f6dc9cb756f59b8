"""Publishing: consent history, name decisions, who speaks where, coded sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recits.models import Coding, Document, Turn


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
