"""The first wave's migrations, m001–m006: documents, codings, analysis, publishing."""

from __future__ import annotations

from sqlite_utils import Database

from recits.migrations.registry import migrations


@migrations()
def m001_initial_schema(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["documents"].create(
        {
            "id": str,  # UUID
            "title": str,
            "kind": str,
            "date": str,  # YYYY-MM-DD or NULL
            "format": str,
            "source_name": str,  # file name as imported
            "source_path": str,
            "sha256": str,  # of the source file's bytes
            "text_sha256": str,  # of the normalised text
            "text": str,
            "word_count": int,
            "version": int,
            "previous_id": str,  # the document this one is a new version of
            "imported_at": str,
            "imported_by": str,
            "deleted_at": str,  # tombstone
        },
        pk="id",
        not_null={"title", "kind", "format", "sha256", "text", "word_count", "version"},
        defaults={"version": 1},
        foreign_keys=[("previous_id", "documents", "id")],
    )
    db["documents"].create_index(["sha256"])
    db["documents"].create_index(["source_name"])
    db["participants"].create(
        {
            "id": str,  # UUID
            "pseudonym": str,  # the only name ever shown outside the database
            "role": str,
            "aliases": str,  # JSON list of real names and other forms, to detect and mask
            "consent": str,  # inconnu | accordé | refusé | retiré
            "consent_scope": str,  # JSON list: articles, bd
            "consent_date": str,
            "created_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"pseudonym", "aliases", "consent", "consent_scope"},
        defaults={"aliases": "[]", "consent": "inconnu", "consent_scope": "[]"},
    )
    db["turns"].create(
        {
            "id": int,
            "document_id": str,
            "position": int,
            "participant_id": str,
            "speaker": str,  # the label as found in the source
            "start_char": int,
            "end_char": int,
            "timestamp": str,
            "text": str,  # document.text[start_char:end_char], indexed by turns_fts
        },
        pk="id",
        not_null={"document_id", "position", "start_char", "end_char", "text"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("participant_id", "participants", "id"),
        ],
    )
    db["turns"].create_index(["document_id", "start_char"])
    db["codes"].create(
        {
            "id": str,  # slug from the codebook YAML
            "uuid": str,
            "label": str,
            "description": str,
            "color": str,
            "parent_id": str,
            "position": int,
            "deleted_at": str,
        },
        pk="id",
        not_null={"uuid", "label", "position"},
        foreign_keys=[("parent_id", "codes", "id")],
    )
    db["codings"].create(
        {
            "id": str,  # UUID
            "document_id": str,
            "start_char": int,
            "end_char": int,
            "text": str,  # document.text[start_char:end_char]
            "code_id": str,
            "coder": str,
            "origin": str,  # manual | suggestion
            "memo": str,
            "created_at": str,
            "deleted_at": str,
            "deleted_by": str,
        },
        pk="id",
        not_null={"document_id", "start_char", "end_char", "text", "code_id", "coder", "origin"},
        defaults={"origin": "manual", "memo": ""},
        foreign_keys=[("document_id", "documents", "id"), ("code_id", "codes", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX codings_live_unique ON codings"
        " (document_id, start_char, end_char, code_id, coder) WHERE deleted_at IS NULL"
    )
    db["codings"].create_index(["code_id"])
    db["memos"].create(
        {
            "id": str,  # UUID
            "target_type": str,  # project | document | code | coding
            "target_id": str,
            "author": str,
            "text": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"target_type", "text"},
    )
    db["audit"].create(
        {"id": int, "at": str, "actor": str, "action": str, "details": str},
        pk="id",
        not_null={"at", "action"},
    )
    # Full-text search over speech, accent-insensitive. The store indexes a document's turns in
    # one INSERT ... SELECT right after inserting them (far faster than a per-row trigger);
    # a trigger keeps deletions in sync.
    db.execute(
        "CREATE VIRTUAL TABLE turns_fts USING fts5(text, content='turns', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE TRIGGER turns_ad AFTER DELETE ON turns BEGIN"
        " INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )


@migrations()
def m002_analysis(db: Database) -> None:
    # One spaCy analysis per document (DocBin of its turns), reused for an identical text.
    db["analyses"].create(
        {
            "document_id": str,
            "key": str,  # sha256 of the text, the turn offsets and the pipeline version
            "model": str,  # e.g. fr_core_news_sm-3.8.0+recits-1
            "turn_starts": str,  # JSON list: start_char of each analysed turn, in DocBin order
            "docs": bytes,  # spaCy DocBin, one Doc per turn
            "tokens": int,
            "analysed_at": str,
        },
        pk="document_id",
        not_null={"key", "model", "turn_starts", "docs", "tokens", "analysed_at"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["analyses"].create_index(["key"])
    db["sentences"].create(
        {
            "id": int,
            "document_id": str,
            "turn_position": int,
            "start_char": int,
            "end_char": int,
            "lemmas": str,  # content lemmas, lowercase, space-separated
        },
        pk="id",
        not_null={"document_id", "turn_position", "start_char", "end_char", "lemmas"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["sentences"].create_index(["document_id", "start_char"])
    db["entities"].create(
        {
            "id": int,
            "document_id": str,
            "start_char": int,
            "end_char": int,
            "label": str,  # PER, LOC, ORG, MISC
            "text": str,
        },
        pk="id",
        not_null={"document_id", "start_char", "end_char", "label", "text"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["entities"].create_index(["document_id", "start_char"])
    db["entities"].create_index(["label"])
    # Word forms seen in the corpus and their lemmas (folded like the FTS index), for search.
    db["lemma_forms"].create(
        {"form": str, "lemma": str, "count": int},
        pk=("form", "lemma"),
        not_null={"count"},
        defaults={"count": 0},
    )
    db["lemma_forms"].create_index(["lemma"])
    # The latest suggestions computed for each document (a cache: decisions are what travels).
    db["suggestions"].create(
        {
            "id": str,  # UUID
            "document_id": str,
            "start_char": int,
            "end_char": int,
            "code_id": str,
            "score": float,
            "reasons": str,  # JSON list of reasons
            "model_version": str,
            "created_at": str,
        },
        pk="id",
        not_null={"document_id", "start_char", "end_char", "code_id", "score", "reasons"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["suggestions"].create_index(["document_id", "start_char"])
    db["suggestion_decisions"].create(
        {
            "id": str,  # UUID
            "document_id": str,
            "start_char": int,
            "end_char": int,
            "code_id": str,  # the suggested code
            "coder": str,
            "decision": str,  # accept | reject | skip | other
            "chosen_code_id": str,  # accept / other: the code actually applied
            "coding_id": str,  # the coding created by accept / other
            "score": float,
            "model_version": str,
            "decided_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"document_id", "start_char", "end_char", "code_id", "coder", "decision"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["suggestion_decisions"].create_index(["document_id", "coder"])
    # The model learnt from the team's codings and decisions; only the latest is kept.
    db["suggest_models"].create(
        {
            "version": str,
            "fingerprint": str,  # of the codings, decisions and codebook it was trained on
            "trained_at": str,
            "positives": int,
            "negatives": int,
            "data": bytes,
        },
        pk="version",
        not_null={"fingerprint", "trained_at", "data"},
    )


@migrations()
def m003_publishing(db: Database) -> None:
    # Every consent change, kept: who recorded which status, scope and date for a participant.
    db["consent_events"].create(
        {
            "id": str,  # UUID
            "participant_id": str,
            "consent": str,  # inconnu | accordé | refusé | retiré
            "consent_scope": str,  # JSON list: articles, bd
            "consent_date": str,
            "recorded_by": str,
            "recorded_at": str,
        },
        pk="id",
        not_null={"participant_id", "consent", "consent_scope", "recorded_at"},
        foreign_keys=[("participant_id", "participants", "id")],
    )
    db["consent_events"].create_index(["participant_id"])
    # Detected person names the team reviewed: attached to a participant (as an alias) or
    # dismissed (not a person, a public figure); `name_key` is the folded name.
    db["name_decisions"].create(
        {
            "id": str,  # UUID
            "name": str,
            "name_key": str,
            "decision": str,  # attached | dismissed
            "participant_id": str,
            "reason": str,
            "decided_by": str,
            "decided_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"name", "name_key", "decision", "decided_at"},
        foreign_keys=[("participant_id", "participants", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX name_decisions_live ON name_decisions (name_key)"
        " WHERE deleted_at IS NULL"
    )
    # Who speaks under which label: read by every export and quote check.
    db["turns"].create_index(["participant_id", "speaker"])


@migrations()
def m004_speakers_index(db: Database) -> None:
    # Who speaks in each document, for the corpus screen at start-up: read from the index
    # alone, without the turns' text.
    db.execute(
        "CREATE INDEX IF NOT EXISTS turns_document_speakers"
        " ON turns (document_id, participant_id, position)"
    )


@migrations()
def m005_documents_listing_index(db: Database) -> None:
    # The documents' list, for the corpus screen at start-up: read from the index alone. The
    # columns stored after the text sit past its overflow pages (1 ms for 1,000,000 words).
    db.execute(
        "CREATE INDEX IF NOT EXISTS documents_listing ON documents (deleted_at, date, title, id,"
        " kind, format, source_name, sha256, word_count, version, previous_id, imported_at)"
    )


@migrations()
def m006_document_speakers(db: Database) -> None:
    # Who speaks in each document, written once at import (a few rows per document) and read
    # by the corpus screen at start-up. Replaces m004's index over every turn, which slowed
    # the import by a seventh (0.52 -> 0.45 of the reference's throughput) for that one read.
    db.execute("DROP INDEX IF EXISTS turns_document_speakers")
    db.execute(
        "CREATE TABLE IF NOT EXISTS document_speakers ("
        " document_id TEXT NOT NULL REFERENCES documents(id),"
        " first_position INTEGER NOT NULL,"  # the speaker's first turn in the document
        " participant_id TEXT NOT NULL REFERENCES participants(id),"
        " PRIMARY KEY (document_id, first_position)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT OR IGNORE INTO document_speakers (document_id, first_position, participant_id)"
        " SELECT document_id, min(position), participant_id FROM turns"
        " WHERE participant_id IS NOT NULL GROUP BY document_id, participant_id"
    )
