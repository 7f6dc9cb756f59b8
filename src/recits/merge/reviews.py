"""Merge stages for what the team decided once and should not decide again: reviewed names
(attached to a participant or dismissed), the adjudication's « neither », and memos."""

from __future__ import annotations

from typing import Any

from recits.merge.plan import Plan, Row, conflict


def _nothing(*_args: Any) -> str:
    return ""


def merge_name_decisions(plan: Plan) -> None:
    """United by id; one live decision per name: the same decision made on both sides is
    kept once (the smallest id), two different ones are a conflict and the attached one
    stands meanwhile (the name stays masked: fail-closed)."""
    local = {r["id"]: r for r in plan.store.work_rows("name_decisions")}
    plan.merge_table("name_decisions", local, plan.bundle.rows("name_decisions"), _nothing)
    final = {**local}
    for row in plan.inserts["name_decisions"] + plan.updates["name_decisions"]:
        final[row["id"]] = row
    groups: dict[str, list[str]] = {}
    for row_id, row in final.items():
        if row["deleted_at"] is None:
            groups.setdefault(row["name_key"], []).append(row_id)
    people = {r["id"]: r["pseudonym"] for r in plan.store.work_rows("participants")}
    people.update({r["id"]: r["pseudonym"] for r in plan.inserts["participants"]})
    for key, ids in groups.items():
        if len(ids) < 2:
            continue
        rows = [final[i] for i in sorted(ids)]
        # Attached first: of two different decisions, the one that keeps the name masked.
        winner = min(rows, key=lambda r: (r["decision"] != "attached", r["id"]))
        stamp = max(r["decided_at"] for r in rows)
        shown = sorted({_shown(r, people) for r in rows})
        if len(shown) > 1:
            plan.add_conflict(
                conflict(
                    "name", "name_decisions", key, "decision", shown, _shown(winner, people),
                    f"le nom « {winner['name']} » a été relu différemment : "
                    f"{' ; '.join(shown)} (gardé : {_shown(winner, people)}, il reste masqué ;"
                    " changez-le avec « recits names »)",
                )
            )  # fmt: skip
        for row in rows:
            if row["id"] != winner["id"]:
                plan.replace("name_decisions", {**row, "deleted_at": stamp}, row["id"] in local)


def _shown(row: Row, people: dict[str, str]) -> str:
    if row["decision"] == "attached":
        who = people.get(row["participant_id"] or "", "?")
        return f"rattaché à « {who} »"
    return "écarté (pas un nom à protéger)"


def merge_memos(plan: Plan) -> None:
    """Memos on a document, a code or the project, by id: a document's follows the document
    here, a code's the code with its UUID (else its id); edited on both sides: a conflict."""
    by_uuid = {uuid: code for code, uuid in plan.store.code_uuid_map().items()}
    uuids = plan.bundle.code_uuids

    def target(row: Row) -> str | None:
        if row["target_type"] == "document":
            return plan.doc_map[row["target_id"]]
        if row["target_type"] == "code":
            return by_uuid.get(uuids.get(row["target_id"], ""), row["target_id"])
        return row["target_id"]

    local = {r["id"]: r for r in plan.store.work_rows("memos")}
    incoming = [{**r, "target_id": target(r)} for r in plan.bundle.rows("memos")]
    plan.merge_table("memos", local, incoming, _memo)


def _memo(column: str, a: Any, b: Any, kept: Any) -> str:
    return f"un mémo écrit de deux façons, « {a} » et « {b} » (gardé : « {kept} »)"


def merge_consensus_rejections(plan: Plan) -> None:
    """The consensus's « neither » decisions, by id; choosing again on either side wins (the
    earliest tombstone)."""
    local = {r["id"]: r for r in plan.store.work_rows("consensus_rejections")}
    incoming = [
        {**r, "document_id": plan.doc_map[r["document_id"]]}
        for r in plan.bundle.rows("consensus_rejections")
    ]
    plan.merge_table("consensus_rejections", local, incoming, _nothing)
