"""Merge stages for people: the team's coders, the participants and their consent ledger."""

from __future__ import annotations

from typing import Any

from recits.masking import name_key
from recits.merge.plan import Plan, Row, conflict


def merge_coders(plan: Plan) -> None:
    local = {r["id"]: r for r in plan.store.work_rows("coders")}

    def describe(column: str, a: Any, b: Any, kept: Any) -> str:
        what = "deux noms" if column == "name" else "deux couleurs"
        return f"un·e même codeur·euse a {what} : « {a} » et « {b} » (gardé : « {kept} »)"

    plan.merge_table("coders", local, plan.bundle.rows("coders"), describe)
    final = {**local}
    for row in plan.inserts["coders"] + plan.updates["coders"]:
        final[row["id"]] = row
    # The same person added in both copies: one coder, the smallest id (whichever side).
    groups: dict[str, list[str]] = {}
    for coder_id, row in final.items():
        if row["deleted_at"] is None:
            groups.setdefault(name_key(row["name"]), []).append(coder_id)
    for ids in groups.values():
        if len(ids) < 2:
            continue
        winner, stamp = min(ids), max(final[i]["created_at"] for i in ids)
        for loser in ids:
            if loser != winner:
                final[loser] = {**final[loser], "merged_into": winner, "deleted_at": stamp}
                plan.replace("coders", final[loser], loser in local)
    plan.coder_final = final


def merge_participants(plan: Plan) -> None:
    local = {r["id"]: r for r in plan.store.work_rows("participants")}
    current: list[str] = [""]

    def describe(column: str, a: Any, b: Any, kept: Any) -> str:
        if column == "pseudonym":
            return (
                f"la même personne a deux pseudonymes : « {a} » et « {b} » (gardé pour"
                f" l'instant : « {kept} » ; choisissez avec « recits participants"
                " rename … --pseudonym »)"
            )
        return f"« {local[current[0]]['pseudonym']} » a deux rôles : « {a} » et « {b} »"

    for row in plan.bundle.rows("participants"):
        current[0] = row["id"]
        plan.merge_table("participants", local, [row], describe)
    plan.consent_refresh.update(r["id"] for r in plan.inserts["participants"])
    live = {
        r["id"]: r
        for r in [*local.values(), *plan.inserts["participants"]]
        if r["deleted_at"] is None
    }
    by_key: dict[str, list[str]] = {}
    for pid, row in live.items():
        by_key.setdefault(name_key(row["pseudonym"]), []).append(pid)
    new = {r["id"] for r in plan.inserts["participants"]}
    for ids in by_key.values():
        if len(ids) > 1 and new & set(ids) and set(ids) - new:
            names = sorted(live[i]["pseudonym"] for i in ids)
            plan.add_conflict(
                conflict(
                    "pseudonym", "participants", ",".join(sorted(ids)), "pseudonym", names,
                    None,
                    f"deux participant·e·s différent·e·s portent le pseudonyme"
                    f" « {names[0]} » : la même personne (« recits participants"
                    " merge ») ou deux (« recits participants rename … --pseudonym ») ?",
                )
            )  # fmt: skip


def merge_consent(plan: Plan) -> None:
    """The ledgers united; two different decisions on one date for one person, a conflict."""
    local = {r["id"]: r for r in plan.store.work_rows("consent_events")}
    incoming = {r["id"]: r for r in plan.bundle.rows("consent_events")}
    mine_only = [r for i, r in local.items() if i not in incoming]
    theirs_only = [r for i, r in incoming.items() if i not in local]
    plan.inserts["consent_events"] = theirs_only
    plan.consent_refresh.update(r["participant_id"] for r in theirs_only)
    people = plan.store.work_rows("participants")
    pseudonyms = {r["id"]: r["pseudonym"] for r in people}
    pseudonyms.update({r["id"]: r["pseudonym"] for r in plan.inserts["participants"]})
    dated: dict[tuple[str, str], list[Row]] = {}
    for row in mine_only:
        if row["consent_date"]:
            dated.setdefault((row["participant_id"], row["consent_date"]), []).append(row)
    for theirs in theirs_only:
        key = (theirs["participant_id"], theirs["consent_date"] or "")
        for mine in dated.get(key, ()):
            a = f"{mine['consent']} ({', '.join(mine['consent_scope']) or '-'})"
            b = f"{theirs['consent']} ({', '.join(theirs['consent_scope']) or '-'})"
            if a == b:
                continue
            who = pseudonyms.get(key[0], key[0])
            plan.add_conflict(
                conflict(
                    "consent", "consent_events", ",".join(sorted([mine["id"], theirs["id"]])),
                    "consent", [a, b], None,
                    f"« {who} » : deux décisions de consentement le {key[1]} : {min(a, b)} et"
                    f" {max(a, b)} ; vérifiez avec « recits participants history »",
                )
            )  # fmt: skip
    live = {r["id"] for r in people if r["deleted_at"] is None}
    live.update(r["id"] for r in plan.inserts["participants"] if r["deleted_at"] is None)
    dead = {r["id"] for r in plan.updates["participants"] if r["deleted_at"] is not None}
    plan.consent_refresh &= live - dead
