"""A bundle of a project's work, and what merging one did: counts and conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The tables a bundle carries, in the order a merge writes them (each after those it points to).
TABLES = (
    "coders", "participants", "documents", "turns", "italics", "consent_events", "codings",
    "decisions", "name_decisions", "consensus_rejections", "scenes", "scene_sources",
    "scene_characters", "scene_panels", "scene_lines", "scene_status_history",
    "scene_comments", "scene_validations", "memos",
)  # fmt: skip


@dataclass(frozen=True)
class Bundle:
    """A project's work as rows (column -> value) per table, everything by UUID. `turns` and
    `italics` rows carry their `document_id`; `documents` rows their `text` and `author` (the
    participant who wrote a document without speakers, by UUID). `codes` are the live codes of
    the project it came from (id -> label); `code_uuids` all its codes' UUIDs, removed ones
    included (id -> UUID): a code renamed on one side is still the same code on the other."""

    version: int
    created_at: str
    project: str
    codes: dict[str, str]
    tables: dict[str, tuple[dict[str, Any], ...]]
    code_uuids: dict[str, str] = field(default_factory=dict)

    def rows(self, table: str) -> tuple[dict[str, Any], ...]:
        return self.tables.get(table, ())


@dataclass(frozen=True)
class Conflict:
    """Two values met for one field of one row; `kept` stands meanwhile, the team settles."""

    id: str  # a hash of what conflicts: meeting it again adds nothing
    kind: str
    table_name: str
    row_id: str
    field: str
    values: tuple[str, ...]
    kept: str | None
    message: str  # in French


@dataclass(frozen=True)
class MergeReport:
    """What a merge added and changed per table, and the conflicts it met."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values())
