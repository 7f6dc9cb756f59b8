"""The exports written: each file, its checksum and scope, and whose words it holds."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from recits.store import mappers
from recits.store.base import StoreBase, new_id, now

if TYPE_CHECKING:
    from recits.models.publishing import ExportRecord


class ExportsMixin(StoreBase):
    def record_export(
        self,
        *,
        file: str,
        fmt: str,
        sha256: str,
        scope: str | None,
        filters: Mapping[str, Any],
        excerpts: int,
        quoted: Mapping[str, int],
        actor: str | None,
    ) -> str:
        """Record a written export and how many of its excerpts quote each participant; call
        inside the write transaction that writes the file's audit row."""
        export_id = new_id()
        with self.write():
            self.db["exports"].insert(
                {
                    "id": export_id,
                    "file": file,
                    "format": fmt,
                    "sha256": sha256,
                    "scope": scope,
                    "filters": json.dumps(dict(filters), ensure_ascii=False, sort_keys=True),
                    "excerpts": excerpts,
                    "written_at": now(),
                    "written_by": actor,
                    "quoted_known": 1,
                }
            )
            self.db["export_participants"].insert_all(
                {"export_id": export_id, "participant_id": pid, "excerpts": n}
                for pid, n in sorted(quoted.items())
            )
        return export_id

    def export_records(self, participant_id: str | None = None) -> list[ExportRecord]:
        """Exports in the order they were written; with `participant_id`, only those holding
        that person's words, and those older ones that did not record whom they quote."""
        quoted: dict[str, list[tuple[str, int]]] = {}
        for export_id, pid, n in self.conn.execute(
            "SELECT export_id, participant_id, excerpts FROM export_participants"
            " ORDER BY export_id, excerpts DESC, participant_id"
        ):
            quoted.setdefault(export_id, []).append((pid, n))
        rows = self.query("SELECT * FROM exports ORDER BY written_at, rowid")
        return [
            mappers.export_record(r, quoted.get(r["id"], []))
            for r in rows
            if participant_id is None
            or not r["quoted_known"]
            or any(pid == participant_id for pid, _n in quoted.get(r["id"], []))
        ]
