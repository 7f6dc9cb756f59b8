"""Data moves that migrations make (written once: never edit one after it ships)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from recits.consent import replay
from recits.models import ConsentEvent
from recits.store.base import new_id, now

if TYPE_CHECKING:
    from sqlite_utils import Database


def date_the_consent_ledger(db: Database) -> None:
    """m009: every decision gets an effective date, a status set before the history existed
    becomes the first decision of its ledger, and each participant's cached status is replayed
    from the ledger in date order; a status (or scope) that changes is said in the audit log."""
    stamp = now()
    db.execute(
        "UPDATE consent_events SET consent_date = substr(recorded_at, 1, 10)"
        " WHERE consent_date IS NULL OR consent_date = ''"
    )
    orphans = db.query(
        "SELECT * FROM participants p WHERE (consent != 'inconnu' OR consent_scope != '[]')"
        " AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.participant_id = p.id)"
    )
    for p in list(orphans):
        db["consent_events"].insert(
            {
                "id": new_id(),
                "participant_id": p["id"],
                "consent": p["consent"],
                "consent_scope": p["consent_scope"],
                "consent_date": p["consent_date"] or (p["created_at"] or stamp)[:10],
                "recorded_by": None,
                "recorded_at": stamp,
            }
        )
    events: dict[str, list[ConsentEvent]] = {}
    for row in db.query("SELECT * FROM consent_events ORDER BY recorded_at, rowid"):
        events.setdefault(row["participant_id"], []).append(
            ConsentEvent(
                row["participant_id"],
                row["consent"],
                tuple(json.loads(row["consent_scope"])),
                row["consent_date"],
                row["recorded_by"],
                row["recorded_at"],
                row["id"],
            )  # fmt: skip
        )
    people = db.query("SELECT id, consent, consent_scope, consent_date FROM participants")
    for p in list(people):
        if p["id"] not in events:
            continue
        status = replay(events[p["id"]])
        scope = json.dumps(list(status.scope), ensure_ascii=False)
        if (p["consent"], p["consent_scope"], p["consent_date"]) == (
            status.consent,
            scope,
            status.date,
        ):
            continue
        db.execute(
            "UPDATE participants SET consent = ?, consent_scope = ?, consent_date = ? WHERE id = ?",
            [status.consent, scope, status.date, p["id"]],
        )
        if (p["consent"], json.loads(p["consent_scope"])) == (status.consent, list(status.scope)):
            continue  # only the date of the decision in force was filled in
        before = {"consent": p["consent"], "scope": json.loads(p["consent_scope"]),
                  "date": p["consent_date"]}  # fmt: skip
        after = {"consent": status.consent, "scope": list(status.scope), "date": status.date}
        _audit(db, stamp, "consent-replayed", participant=p["id"], before=before, after=after)


def record_earlier_exports(db: Database) -> None:
    """m009: the exports written so far, from the audit log: their file, format, scope and
    size are known, whom they quote is not (`quoted_known` 0)."""
    rows = db.query("SELECT at, actor, details FROM audit WHERE action = 'export-excerpts'")
    for row in list(rows):
        details = json.loads(row["details"])
        filters = details.get("filters") or {}
        db["exports"].insert(
            {
                "id": new_id(),
                "file": details.get("file") or "",
                "format": details.get("format") or "",
                "sha256": details.get("sha256") or "",
                "scope": filters.get("scope"),
                "filters": json.dumps(filters, ensure_ascii=False, sort_keys=True),
                "excerpts": int(details.get("count") or 0),
                "written_at": row["at"],
                "written_by": row["actor"],
                "quoted_known": 0,
            }
        )


def _audit(db: Database, at: str, action: str, **details: Any) -> None:
    db["audit"].insert(
        {
            "at": at,
            "actor": None,
            "action": action,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
        }
    )
