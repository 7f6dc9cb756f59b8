"""spaCy analyses, sentences, entities, lemma forms, suggestions and decisions on them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from recits.failures import MissingCoder, UnknownChoice
from recits.models import NewCoding
from recits.store import mappers
from recits.store.base import new_id, now
from recits.store.codings import CodingsMixin

if TYPE_CHECKING:
    from recits.models.analysis import (
        Decision,
        Entity,
        Reason,
        Sentence,
        StoredAnalysis,
        Suggestion,
        TrainedModel,
    )

DECISIONS = ("accept", "reject", "skip", "other")


def _reason_json(reason: Reason) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": reason.kind, "detail": reason.detail}
    if reason.terms:
        data["terms"] = list(reason.terms)
    for key in ("score", "document_id", "start_char", "end_char"):
        value = getattr(reason, key)
        if value is not None:
            data[key] = value
    return data


def reasons_to_json(reasons: Iterable[Reason]) -> str:
    return json.dumps([_reason_json(r) for r in reasons], ensure_ascii=False)


class AnalysisMixin(CodingsMixin):
    """Also codes: accepting a suggestion adds a coding."""

    # -- analyses ----------------------------------------------------------------------------
    def analysis_keys(self) -> dict[str, str]:
        """Live documents that have an analysis: document id -> analysis key."""
        rows = self.conn.execute(
            "SELECT a.document_id, a.key FROM analyses a JOIN documents d"
            " ON d.id = a.document_id AND d.deleted_at IS NULL"
        ).fetchall()
        return dict(rows)

    def analysis(self, document_id: str) -> StoredAnalysis | None:
        row = next(self.query("SELECT * FROM analyses WHERE document_id = ?", [document_id]), None)
        return mappers.analysis(row) if row else None

    def analysis_by_key(self, key: str) -> StoredAnalysis | None:
        """Any stored analysis of an identical text (so a re-imported text is not parsed again)."""
        row = next(self.query("SELECT * FROM analyses WHERE key = ? LIMIT 1", [key]), None)
        return mappers.analysis(row) if row else None

    def save_analysis(
        self,
        analysis: StoredAnalysis,
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
        forms: dict[tuple[str, str], int],
    ) -> None:
        """Replace a document's analysis, sentences and entities in one transaction."""
        doc_id = analysis.document_id
        with self.write():
            for table in ("sentences", "entities"):
                self.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])
            self.db["analyses"].upsert(
                {
                    "document_id": doc_id,
                    "key": analysis.key,
                    "model": analysis.model,
                    "turn_starts": json.dumps(list(analysis.turn_starts)),
                    "docs": analysis.docs,
                    "tokens": analysis.tokens,
                    "analysed_at": now(),
                },
                pk="document_id",
            )
            self.conn.executemany(
                "INSERT INTO sentences (document_id, turn_position, start_char, end_char, lemmas)"
                " VALUES (?, ?, ?, ?, ?)",
                [(doc_id, s.turn_position, s.start_char, s.end_char, s.lemmas) for s in sentences],
            )
            self.conn.executemany(
                "INSERT INTO entities (document_id, start_char, end_char, label, text)"
                " VALUES (?, ?, ?, ?, ?)",
                [(doc_id, e.start_char, e.end_char, e.label, e.text) for e in entities],
            )
            self.conn.executemany(
                "INSERT INTO lemma_forms (form, lemma, count) VALUES (?, ?, ?)"
                " ON CONFLICT (form, lemma) DO UPDATE SET count = count + excluded.count",
                [(form, lemma, n) for (form, lemma), n in forms.items()],
            )
            self.audit("analyse", None, document=doc_id, model=analysis.model)

    def sentences(self, document_id: str | None = None) -> list[Sentence]:
        """Analysed sentences of live documents, in text order."""
        where, params = "", []
        if document_id is not None:
            where, params = " AND s.document_id = ?", [document_id]
        rows = self.conn.execute(
            f"SELECT {mappers.select('s', mappers.SENTENCE_COLUMNS)}"
            " FROM sentences s JOIN documents d ON d.id = s.document_id AND d.deleted_at IS NULL"
            f" WHERE 1 = 1{where} ORDER BY s.document_id, s.start_char",
            params,
        ).fetchall()
        return [mappers.sentence(r) for r in rows]

    def entities(self, *, label: str | None = None, document_id: str | None = None) -> list[Entity]:
        """Named entities of live documents (label PER for persons), in text order."""
        where, params = ["d.deleted_at IS NULL"], []
        if label is not None:
            where.append("e.label = ?")
            params.append(label)
        if document_id is not None:
            where.append("e.document_id = ?")
            params.append(document_id)
        rows = self.conn.execute(
            f"SELECT {mappers.select('e', mappers.ENTITY_COLUMNS)}"
            " FROM entities e"
            f" JOIN documents d ON d.id = e.document_id WHERE {' AND '.join(where)}"
            " ORDER BY d.date IS NULL, d.date, d.title, e.start_char",
            params,
        ).fetchall()
        return [mappers.entity(r) for r in rows]

    # -- lemma forms (search) ----------------------------------------------------------------
    def lemmas_of_form(self, form: str) -> list[str]:
        rows = self.conn.execute("SELECT lemma FROM lemma_forms WHERE form = ?", [form]).fetchall()
        return [r[0] for r in rows]

    def forms_of_lemmas(self, lemmas: Sequence[str]) -> list[str]:
        if not lemmas:
            return []
        marks = ", ".join("?" for _ in lemmas)
        rows = self.conn.execute(
            f"SELECT DISTINCT form FROM lemma_forms WHERE lemma IN ({marks}) ORDER BY form",
            list(lemmas),
        ).fetchall()
        return [r[0] for r in rows]

    # -- suggestions -------------------------------------------------------------------------
    def replace_suggestions(self, document_id: str, suggestions: Sequence[Suggestion]) -> None:
        with self.write():
            self.conn.execute("DELETE FROM suggestions WHERE document_id = ?", [document_id])
            stamp = now()
            self.conn.executemany(
                "INSERT INTO suggestions (id, document_id, start_char, end_char, code_id, score,"
                " reasons, model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (s.id, document_id, s.start_char, s.end_char, s.code_id, s.score,
                     reasons_to_json(s.reasons), s.model_version, stamp)
                    for s in suggestions
                ],
            )  # fmt: skip

    def stored_suggestions(self, document_id: str | None = None) -> list[Suggestion]:
        """The latest computed suggestions (live documents), before filtering by coder."""
        where, params = "", []
        if document_id is not None:
            where, params = " AND s.document_id = ?", [document_id]
        rows = self.query(
            "SELECT s.*, substr(d.text, s.start_char + 1, s.end_char - s.start_char) AS text"
            " FROM suggestions s JOIN documents d ON d.id = s.document_id"
            f" AND d.deleted_at IS NULL WHERE 1 = 1{where}"
            " ORDER BY d.date IS NULL, d.date, d.title, s.start_char, s.code_id",
            params,
        )
        return [mappers.suggestion(r) for r in rows]

    # -- decisions ---------------------------------------------------------------------------
    def decide(
        self,
        suggestion: Suggestion,
        coder: str,
        decision: str,
        *,
        code_id: str | None = None,
        memo: str = "",
    ) -> Decision:
        """Record a coder's decision; accept/other also create the coding, in one transaction."""
        if decision not in DECISIONS:
            raise UnknownChoice("decision", decision, DECISIONS)
        if not coder.strip():
            raise MissingCoder()
        chosen = None
        if decision == "accept":
            chosen = suggestion.code_id
        elif decision == "other":
            if not code_id:  # suggest.accept_other says so to the coder
                raise ValueError("decision 'other' without the chosen code")
            chosen = code_id
        with self.write():
            coding_id = None
            if chosen is not None:
                coding = self.add_codings(
                    [
                        NewCoding(
                            suggestion.document_id, suggestion.start_char, suggestion.end_char,
                            chosen, coder, origin="suggestion", memo=memo,
                        )
                    ],
                    actor=coder,
                )[0]  # fmt: skip
                coding_id = coding.id
            row = {
                "id": new_id(),
                "document_id": suggestion.document_id,
                "start_char": suggestion.start_char,
                "end_char": suggestion.end_char,
                "code_id": suggestion.code_id,
                "coder": coder,
                "coder_id": self.ensure_coder(coder, actor=coder),
                "decision": decision,
                "chosen_code_id": chosen,
                "coding_id": coding_id,
                "score": suggestion.score,
                "model_version": suggestion.model_version,
                "decided_at": now(),
                "deleted_at": None,
            }
            self.db["suggestion_decisions"].insert(row)
            self.audit(
                "suggestion-" + decision, coder, document=suggestion.document_id,
                code=suggestion.code_id, chosen=chosen, model=suggestion.model_version,
            )  # fmt: skip
        return mappers.decision(row)

    def decisions(
        self, *, coder: str | None = None, document_id: str | None = None
    ) -> list[Decision]:
        where, params = ["x.deleted_at IS NULL", "d.deleted_at IS NULL"], []
        for column, value in (("coder", coder), ("document_id", document_id)):
            if value is not None:
                where.append(f"x.{column} = ?")
                params.append(value)
        rows = self.query(
            "SELECT x.* FROM suggestion_decisions x JOIN documents d ON d.id = x.document_id"
            f" WHERE {' AND '.join(where)} ORDER BY x.decided_at",
            params,
        )
        return [mappers.decision(r) for r in rows]

    # -- the learnt model --------------------------------------------------------------------
    def training_fingerprint(self) -> str:
        """Changes whenever a coding or a decision is added or removed, by anyone."""
        import hashlib  # here: OpenSSL's start-up is not needed to open the app

        parts = [
            self.conn.execute(
                f"SELECT count(*), max({stamp}), sum(deleted_at IS NOT NULL), max(deleted_at)"
                f" FROM {table}"
            ).fetchone()
            for table, stamp in (("codings", "created_at"), ("suggestion_decisions", "decided_at"))
        ]
        parts.append(self.get_meta("codebook_sha256"))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    def latest_model(self) -> TrainedModel | None:
        row = next(
            self.query("SELECT * FROM suggest_models ORDER BY trained_at DESC LIMIT 1"), None
        )
        return mappers.trained_model(row) if row else None

    def save_model(self, model: TrainedModel) -> None:
        with self.write():
            self.conn.execute("DELETE FROM suggest_models")
            self.db["suggest_models"].insert(
                {
                    "version": model.version,
                    "fingerprint": model.fingerprint,
                    "trained_at": model.trained_at,
                    "positives": model.positives,
                    "negatives": model.negatives,
                    "data": model.data,
                }
            )
