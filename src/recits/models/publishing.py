"""Publishing: consent ledger, name decisions, who speaks where, coded sources, exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recits.models import Coding, Document, Turn


@dataclass(frozen=True)
class ValidationEvent:
    """A peer's validation of a scene as the consent ledger lists it, with its date; it grants
    or withdraws no consent (the replay reads ConsentEvents only)."""

    participant_id: str
    scene_id: str
    scene_title: str
    validated_on: str  # YYYY-MM-DD
    recorded_by: str | None
    recorded_at: str
    id: str = ""


@dataclass(frozen=True)
class ConsentEvent:
    """One consent decision as entered, with its effective date (kept, never rewritten).

    `refusé` / `retiré` with a scope withdraw only those uses; every other decision sets the
    status and scope outright (see recits.consent for how the ledger adds up).
    """

    participant_id: str
    consent: str  # inconnu | accordé | refusé | retiré
    consent_scope: tuple[str, ...]
    consent_date: str | None  # the effective date (YYYY-MM-DD)
    recorded_by: str | None
    recorded_at: str
    id: str = ""


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


@dataclass(frozen=True)
class ExportRecord:
    """A file an export wrote, and whose words it holds (participant id, excerpts)."""

    id: str
    file: str  # absolute path when written
    format: str
    sha256: str
    scope: str | None  # articles | bd: the use the consent was checked for
    excerpts: int  # excerpts in the file
    written_at: str
    written_by: str | None
    quoted: tuple[tuple[str, int], ...]  # (participant id, excerpts holding their words)
    quoted_known: bool = True  # False: written before recits recorded whom exports quote
