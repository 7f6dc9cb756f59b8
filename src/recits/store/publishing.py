"""Participants' pseudonyms and consent, reviewed names, and what exports and quote checks read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recits import models  # its analysis and publishing nouns load on first use
from recits.failures import NotFound
from recits.models import Participant, Turn
from recits.store import mappers
from recits.store.base import StoreBase, new_id, now

if TYPE_CHECKING:
    from recits.models.publishing import (
        CodedSource,
        ConsentEvent,
        NameDecision,
        ParticipantUsage,
        ValidationEvent,
    )


class PublishingMixin(StoreBase):
    # -- participants ------------------------------------------------------------------------
    def participant(self, participant_id: str) -> Participant | None:
        row = next(
            self.query(
                "SELECT * FROM participants WHERE id = ? AND deleted_at IS NULL", [participant_id]
            ),
            None,
        )
        return mappers.participant(row) if row else None

    def add_participant(
        self, pseudonym: str, *, role: str | None, aliases: Sequence[str], actor: str | None
    ) -> str:
        """A person named in the transcripts who may never speak in them (a colleague…)."""
        participant_id = new_id()
        with self.write():
            self.db["participants"].insert(
                {
                    "id": participant_id,
                    "pseudonym": pseudonym,
                    "role": role or None,
                    "aliases": json.dumps(list(aliases), ensure_ascii=False),
                    "created_at": now(),
                }
            )
            self.audit("participant-add", actor, participant=participant_id)
        return participant_id

    def update_participant(
        self,
        participant_id: str,
        *,
        actor: str | None,
        action: str,
        pseudonym: str | None = None,
        role: str | None = None,
        aliases: Sequence[str] | None = None,
    ) -> None:
        """Change a participant's pseudonym, role or aliases; recorded in the audit log."""
        changes: dict[str, Any] = {}
        if pseudonym is not None:
            changes["pseudonym"] = pseudonym
        if role is not None:
            changes["role"] = role or None
        if aliases is not None:
            changes["aliases"] = json.dumps(list(aliases), ensure_ascii=False)
        with self.write():
            self._update_participant_row(participant_id, changes)
            # The audit names the participant by id only: aliases are real names.
            self.audit(action, actor, participant=participant_id, fields=sorted(changes))

    def _update_participant_row(self, participant_id: str, changes: dict[str, Any]) -> None:
        if not changes:
            return
        sets = ", ".join(f"{column} = ?" for column in changes)
        cursor = self.conn.execute(
            f"UPDATE participants SET {sets} WHERE id = ? AND deleted_at IS NULL",
            [*changes.values(), participant_id],
        )
        if cursor.rowcount == 0:
            raise NotFound("participant", participant_id)

    def record_consent(
        self,
        participant_id: str,
        consent: str,
        scope: Sequence[str],
        date: str | None,
        actor: str | None,
    ) -> ConsentEvent:
        """Add a decision, as entered, to a participant's consent ledger and refresh the status
        it adds up to (by effective date, not by entry), in one transaction."""
        row = {
            "id": new_id(),
            "participant_id": participant_id,
            "consent": consent,
            "consent_scope": json.dumps(list(scope), ensure_ascii=False),
            "consent_date": date,
            "recorded_by": actor,
            "recorded_at": now(),
        }
        with self.write():
            if self.participant(participant_id) is None:
                raise NotFound("participant", participant_id)
            self.db["consent_events"].insert(row)
            self.refresh_consent(participant_id)
            self.audit(
                "consent", actor, participant=participant_id, consent=consent,
                scope=list(scope), date=date,
            )  # fmt: skip
        return mappers.consent_event(row)

    def consent_history(self, participant_id: str) -> list[ConsentEvent]:
        """A participant's consent decisions in entry order (recorded_at, then insertion)."""
        rows = self.query(
            "SELECT * FROM consent_events WHERE participant_id = ? ORDER BY recorded_at, rowid",
            [participant_id],
        )
        return [mappers.consent_event(r) for r in rows]

    def ledger_validations(self, participant_id: str) -> list[ValidationEvent]:
        """A participant's validations of scenes, as the consent ledger (the view) lists them."""
        rows = self.query(
            "SELECT * FROM consent_ledger WHERE participant_id = ? AND kind = 'validation'"
            " ORDER BY date, recorded_at, id",
            [participant_id],
        )
        return [mappers.validation_event(r) for r in rows]

    def participant_usage(self) -> dict[str, ParticipantUsage]:
        """For each participant who speaks: labels found in the sources, turns, documents."""
        counts = self.conn.execute(
            "SELECT t.participant_id, count(*), count(DISTINCT t.document_id) FROM turns t"
            " JOIN documents d ON d.id = t.document_id AND d.deleted_at IS NULL"
            " WHERE t.participant_id IS NOT NULL GROUP BY t.participant_id"
        ).fetchall()
        labels: dict[str, list[str]] = {}
        for participant_id, label in self.conn.execute(
            "SELECT DISTINCT participant_id, speaker FROM turns"
            " WHERE participant_id IS NOT NULL AND speaker IS NOT NULL ORDER BY speaker"
        ).fetchall():
            labels.setdefault(participant_id, []).append(label)
        return {
            pid: models.ParticipantUsage(pid, tuple(labels.get(pid, ())), turns, documents)
            for pid, turns, documents in counts
        }

    def speaker_labels(self) -> dict[str, tuple[str, ...]]:
        """The names written before each participant's turns in the sources (an index scan)."""
        labels: dict[str, list[str]] = {}
        for participant_id, label in self.conn.execute(
            "SELECT DISTINCT participant_id, speaker FROM turns"
            " WHERE participant_id IS NOT NULL AND speaker IS NOT NULL"
        ).fetchall():
            labels.setdefault(participant_id, []).append(label)
        return {pid: tuple(sorted(names)) for pid, names in labels.items()}

    # -- reviewed names ----------------------------------------------------------------------
    def name_decisions(self) -> list[NameDecision]:
        rows = self.query("SELECT * FROM name_decisions WHERE deleted_at IS NULL ORDER BY name_key")
        return [mappers.name_decision(r) for r in rows]

    def decide_name(
        self,
        name: str,
        name_key: str,
        decision: str,
        *,
        actor: str | None,
        participant_id: str | None = None,
        aliases: Sequence[str] | None = None,
        reason: str = "",
    ) -> None:
        """Record a decision on a detected name (replacing an earlier one); attaching also
        stores the participant's new aliases, in the same transaction."""
        with self.write():
            stamp = now()
            self.conn.execute(
                "UPDATE name_decisions SET deleted_at = ?"
                " WHERE name_key = ? AND deleted_at IS NULL",
                [stamp, name_key],
            )
            if participant_id is not None and aliases is not None:
                self._update_participant_row(
                    participant_id, {"aliases": json.dumps(list(aliases), ensure_ascii=False)}
                )
            self.db["name_decisions"].insert(
                {
                    "id": new_id(),
                    "name": name,
                    "name_key": name_key,
                    "decision": decision,
                    "participant_id": participant_id,
                    "reason": reason,
                    "decided_by": actor,
                    "decided_at": stamp,
                }
            )
            self.audit("name-" + decision, actor, name_key=name_key, participant=participant_id)

    # -- what exports read -------------------------------------------------------------------
    def coded_sources(
        self,
        *,
        code_ids: Sequence[str] = (),
        document_ids: Sequence[str] = (),
        kind: str | None = None,
        coder: str | None = None,
    ) -> list[CodedSource]:
        """Live codings matching the filters, in codebook then reading order, with the turns
        they overlap (the turns' text is the speech only, never the speaker labels)."""
        where = ["c.deleted_at IS NULL", "d.deleted_at IS NULL", "k.deleted_at IS NULL"]
        params: list[Any] = []
        for column, values in (("c.code_id", code_ids), ("c.document_id", document_ids)):
            if values:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        for clause, value in (("d.kind = ?", kind), ("c.coder = ?", coder)):
            if value is not None:
                where.append(clause)
                params.append(value)
        rows = self.rows(
            "SELECT c.*, d.id AS d_id, d.title AS d_title, d.kind AS d_kind, d.date AS d_date,"
            " d.format AS d_format, d.source_name AS d_source_name, d.sha256 AS d_sha256,"
            " d.word_count AS d_word_count, d.version AS d_version,"
            " d.previous_id AS d_previous_id, d.imported_at AS d_imported_at,"
            " d.source AS d_source, d.published AS d_published,"
            " k.label AS k_label, k.description AS k_description"
            " FROM codings c JOIN documents d ON d.id = c.document_id"
            " JOIN codes k ON k.id = c.code_id"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY k.position, d.date IS NULL, d.date, d.title, c.start_char, c.end_char,"
            " c.coder",
            params,
        )
        turns = self._turns_of_codings([r["id"] for r in rows])
        sources = []
        for r in rows:
            document = mappers.document(r, prefix="d_")
            coding = mappers.coding(r)
            sources.append(
                models.CodedSource(
                    coding, document, r["k_label"], r["k_description"] or "",
                    tuple(turns.get(coding.id, ())),
                )
            )  # fmt: skip
        return sources

    def _turns_of_codings(self, coding_ids: Sequence[str]) -> dict[str, list[Turn]]:
        """The turns each coding overlaps, in order, in one query per 500 codings."""
        found: dict[str, list[Turn]] = {}
        for i in range(0, len(coding_ids), 500):
            chunk = coding_ids[i : i + 500]
            rows = self.rows(
                "SELECT c.id AS coding_id, t.*, p.pseudonym FROM codings c"
                " JOIN turns t ON t.document_id = c.document_id"
                "  AND t.start_char < c.end_char AND t.end_char > c.start_char"
                " LEFT JOIN participants p ON p.id = t.participant_id"
                f" WHERE c.id IN ({', '.join('?' * len(chunk))}) ORDER BY c.id, t.position",
                chunk,
            )
            for row in rows:
                found.setdefault(row["coding_id"], []).append(mappers.turn(row))
        return found

    def turn_candidates(self, fts: str, limit: int = 20) -> list[tuple[Turn, str]]:
        """Turns matching an FTS5 query, best first, each with its document's title."""
        rows = self.query(
            "SELECT t.*, p.pseudonym, d.title AS d_title"
            " FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid"
            " JOIN documents d ON d.id = t.document_id AND d.deleted_at IS NULL"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE turns_fts MATCH ? ORDER BY bm25(turns_fts) LIMIT ?",
            [fts, limit],
        )
        return [(mappers.turn(r), r["d_title"]) for r in rows]

    def turns_near(self, document_id: str, position: int, reach: int) -> list[Turn]:
        """The turns of a document within `reach` positions of `position`, in order."""
        rows = self.query(
            "SELECT t.*, p.pseudonym FROM turns t"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE t.document_id = ? AND t.position BETWEEN ? AND ? ORDER BY t.position",
            [document_id, position - reach, position + reach],
        )
        return [mappers.turn(r) for r in rows]

    # -- consent ledger ----------------------------------------------------------------------
    def refresh_consent(self, participant_id: str) -> None:
        """Recompute a participant's cached status (consent, scope, date) from the ledger,
        replayed by effective date; call inside the write transaction that changed it."""
        from recits.consent import replay  # with its dataclasses, after the first paint

        status = replay(self.consent_history(participant_id))
        self._update_participant_row(
            participant_id,
            {
                "consent": status.consent,
                "consent_scope": json.dumps(list(status.scope), ensure_ascii=False),
                "consent_date": status.date,
            },
        )
