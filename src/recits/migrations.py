"""Schema of recits.db, created and evolved only by these migrations (never edit a shipped one)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("recits")


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
    # Full-text search over speech, accent-insensitive; kept in sync by triggers.
    db.execute(
        "CREATE VIRTUAL TABLE turns_fts USING fts5(text, content='turns', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE TRIGGER turns_ai AFTER INSERT ON turns BEGIN"
        " INSERT INTO turns_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    db.execute(
        "CREATE TRIGGER turns_ad AFTER DELETE ON turns BEGIN"
        " INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
