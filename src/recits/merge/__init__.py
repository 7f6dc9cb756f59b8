"""Merging a bundle into a project: by UUID, idempotent, commutative, conflicts kept aside.

Every field has one rule, the same whichever side is local, so that A then B gives B then A:
a removal wins (the earliest tombstone), lists are united, an empty value takes the other
one; two different values are a conflict, stored for the team, and the greatest of the two
stands meanwhile (a deterministic choice, never a silent one: the merge says so and exits 3).
The stages run in the order rows point to each other: people, documents, codes, consent,
the work, the reviews, the scenes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from recits.merge.corpus import map_codes, merge_documents
from recits.merge.people import merge_coders, merge_consent, merge_participants
from recits.merge.plan import Plan
from recits.merge.reviews import merge_consensus_rejections, merge_memos, merge_name_decisions
from recits.merge.scenes import merge_scenes
from recits.merge.work import merge_codings, merge_decisions
from recits.models.merging import TABLES, Bundle, MergeReport

if TYPE_CHECKING:
    from recits.store import Store

FORMAT_VERSION = 4
STAGES = (
    merge_coders, merge_participants, merge_documents, map_codes, merge_consent,
    merge_codings, merge_decisions, merge_name_decisions, merge_consensus_rejections,
    merge_scenes, merge_memos,
)  # fmt: skip


def bundle_of(store: Store, project: str, created_at: str) -> Bundle:
    """The project's work as a bundle (the learnt model stays behind: it is retrained)."""
    tables = {table: tuple(store.work_rows(table, with_text=True)) for table in TABLES}
    return Bundle(
        FORMAT_VERSION, created_at, project, store.code_labels(), tables,
        code_uuids=store.code_uuid_map(),
    )  # fmt: skip


def merge_bundle(store: Store, bundle: Bundle, actor: str | None = None) -> MergeReport:
    """Bring the bundle's work into the project in one transaction; nothing is written if a
    code is unknown here."""
    plan = Plan(store, bundle)
    for stage in STAGES:
        stage(plan)
    settled = store.settled_conflicts()
    met = [c for c in plan.conflicts.values() if c.id not in settled]
    report = MergeReport(
        added={t: len(rows) for t, rows in plan.inserts.items() if rows},
        updated={t: len(rows) for t, rows in plan.updates.items() if rows},
        conflicts=tuple(sorted(met, key=lambda c: (c.kind, c.message))),
    )
    if report.changed or report.conflicts:
        summary = {
            "from": bundle.project,
            "added": report.added,
            "updated": report.updated,
            "conflicts": len(report.conflicts),
        }
        store.apply_merge(
            plan.inserts, plan.updates, report.conflicts, sorted(plan.consent_refresh),
            actor, summary,
        )  # fmt: skip
    return report


def merge_file(store: Store, path: Path, actor: str | None = None) -> MergeReport:
    """Merge a bundle file. One already merged, with nothing written here since, is known by
    its digest and changes nothing (merging twice is once) without being read again; after
    any write here it is read and compared in full (see merge.work)."""
    from recits.bundle import bundle_digest, read_bundle

    key = f"merged-bundle:{bundle_digest(path)}"
    if store.get_meta(key) == str(store.last_audit_id()):
        return MergeReport()
    report = merge_bundle(store, read_bundle(path), actor)
    store.set_meta(key, str(store.last_audit_id()))
    return report
