"""A merge's plan: what each stage will insert and update, the conflicts met, and the one rule
per field that every stage applies (the same whichever side is local)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from recits.models.merging import TABLES, Bundle, Conflict

if TYPE_CHECKING:
    from recits.store import Store

Row = dict[str, Any]
Describe = Callable[[str, Any, Any, Any], str]

# column -> rule; columns not listed are kept as they are locally (they never change).
RULES: dict[str, dict[str, str]] = {
    "coders": {"name": "conflict", "colour": "conflict", "created_at": "min",
               "deleted_at": "min", "merged_into": "greatest"},
    "participants": {"pseudonym": "conflict", "role": "fill", "aliases": "union",
                     "same_label_as": "greatest", "merged_into": "greatest",
                     "created_at": "min", "deleted_at": "min"},
    "documents": {"title": "conflict", "kind": "conflict", "date": "fill", "deleted_at": "min",
                  "source": "fill", "published": "least", "author": "fill"},
    "codings": {"code_id": "conflict", "start_char": "conflict", "end_char": "conflict",
                "memo": "fill", "created_at": "min", "deleted_at": "min"},
    "decisions": {"deleted_at": "min"},
    "name_decisions": {"deleted_at": "min"},
    "consensus_rejections": {"deleted_at": "min"},
    "scenes": {"title": "conflict", "synopsis": "fill", "place": "fill", "time": "fill",
               "themes": "union", "created_by": "fill", "created_at": "min",
               "updated_at": "max", "deleted_at": "min"},
    "scene_sources": {"deleted_at": "min"},
    "scene_characters": {"name": "conflict", "participant_id": "fill", "composite": "conflict",
                         "description": "fill", "deleted_at": "min"},
    "scene_panels": {"picture": "fill", "caption": "fill", "position": "min",
                     "deleted_at": "min"},  # the live panels' order: see merge.scenes
    "scene_lines": {"text": "conflict", "character_id": "fill", "source_id": "fill",
                    "position": "greatest", "deleted_at": "min"},
    "scene_status_history": {"note": "fill", "deleted_at": "min"},
    "scene_comments": {"text": "conflict", "deleted_at": "min"},
    "scene_validations": {"deleted_at": "min"},
    "memos": {"text": "conflict", "author": "fill", "created_at": "min", "deleted_at": "min"},
}  # fmt: skip
# Rule « least »: None is « not known there » (a bundle older than the field); two values are
# a conflict and the smallest stands (published: 0, so consent is still asked: fail-closed).
COMPANION = {"codings": {"deleted_at": "deleted_by"}}  # taken with the column they go with
KINDS = {
    "coders": "coder",
    "participants": "participant",
    "documents": "document",
    "codings": "coding",
    "name_decisions": "name",
    **dict.fromkeys(
        ("scenes", "scene_characters", "scene_panels", "scene_lines", "scene_comments",
         "scene_status_history"),
        "scene",
    ),
}  # fmt: skip


def conflict(
    kind: str, table: str, row_id: str, field: str, values: list[Any], kept: Any, message: str
) -> Conflict:
    """A conflict named by a hash of what conflicts: meeting it again adds nothing."""
    shown = sorted(json.dumps(v, ensure_ascii=False) for v in values)
    digest = hashlib.sha256(json.dumps([table, row_id, field, shown]).encode()).hexdigest()
    return Conflict(
        digest[:32], kind, table, row_id, field, tuple(shown),
        None if kept is None else str(kept), message,
    )  # fmt: skip


def greatest(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return max(a, b, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))


class Plan:
    """Filled stage by stage (coders, participants, documents, codes, consent, codings…), then
    written by the store in one transaction."""

    def __init__(self, store: Store, bundle: Bundle) -> None:
        self.store, self.bundle = store, bundle
        self.inserts: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.updates: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.conflicts: dict[str, Conflict] = {}
        self.consent_refresh: set[str] = set()
        self.doc_map: dict[str, str] = {}  # bundle document id -> id here
        self.doc_titles: dict[str, str] = {}
        self.code_map: dict[str, str] = {}  # bundle code id -> id here (by UUID)
        self.coder_final: dict[str, Row] = {}

    def add_conflict(self, found: Conflict) -> None:
        self.conflicts[found.id] = found

    def merge_row(self, table: str, local: Row, incoming: Row, describe: Describe) -> Row:
        """One row met on both sides, field by field."""
        merged = dict(local)
        for column, rule in RULES[table].items():
            a, b = local[column], incoming[column]
            if a == b:
                continue
            if rule == "min":
                chosen = min((v for v in (a, b) if v is not None), default=None)
                merged[column] = chosen
                companion = COMPANION.get(table, {}).get(column)
                if companion and chosen == b:
                    merged[companion] = incoming[companion]
            elif rule == "max":
                merged[column] = max((v for v in (a, b) if v is not None), default=None)
            elif rule == "least" and (a is None or b is None):
                merged[column] = b if a is None else a
            elif rule == "union":
                merged[column] = sorted(set(a) | set(b))
            elif rule == "greatest":
                merged[column] = greatest(a, b)
            elif rule == "fill" and (a in (None, "") or b in (None, "")):
                merged[column] = b if a in (None, "") else a
            else:  # conflict, or fill / least with two values
                merged[column] = min(a, b) if rule == "least" else greatest(a, b)
                message = describe(column, a, b, merged[column])
                self.add_conflict(
                    conflict(
                        KINDS[table], table, local["id"], column, [a, b], merged[column],
                        message,
                    )
                )  # fmt: skip
        return merged

    def merge_table(
        self, table: str, local: dict[str, Row], incoming: Iterable[Row], describe: Describe
    ) -> None:
        """Rows merged by id: new ones inserted, changed ones updated."""
        for row in incoming:
            mine = local.get(row["id"])
            if mine is None:
                self.inserts[table].append(row)
                continue
            merged = self.merge_row(table, mine, row, describe)
            if merged != mine:
                self.updates[table].append(merged)

    def replace(self, table: str, row: Row, exists: bool) -> None:
        """Put a changed row in the plan (instead of its earlier version, if any)."""
        bucket = self.updates[table] if exists else self.inserts[table]
        bucket[:] = [r for r in bucket if r["id"] != row["id"]]
        bucket.append(row)

    def coder(self, coder_id: str) -> Row:
        """The coder a coder became (followed through merges)."""
        row, seen = self.coder_final[coder_id], {coder_id}
        while row["merged_into"] in self.coder_final and row["merged_into"] not in seen:
            seen.add(row["merged_into"])
            row = self.coder_final[row["merged_into"]]
        return row

    def coder_view(self) -> dict[str, tuple[str, str]]:
        """coder id -> (id, name) a row by that coder carries after the merge."""
        view = {}
        for coder_id in self.coder_final:
            final = self.coder(coder_id)
            view[coder_id] = (final["id"], final["name"])
        return view
