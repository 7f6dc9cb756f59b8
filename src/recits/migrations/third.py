"""The third wave's migrations, m013 on: written material, coders as people, scenes, merges,
memos."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlite_utils import Database

from recits.masking import name_key
from recits.migrations.registry import migrations


@migrations()
def m013_pages_and_published_sources(db: Database) -> None:
    # Written documents (reports, articles, minutes): each paragraph knows its page and the
    # section it sits in, and whether it is a heading or a footnote (NULL: ordinary text or a
    # speaker turn). A document may be a published source: cited by its reference, no consent.
    turns = db["turns"].columns_dict
    for column, kind in (("page", "INTEGER"), ("section", "TEXT"), ("kind", "TEXT")):
        if column not in turns:
            db.execute(f"ALTER TABLE turns ADD COLUMN {column} {kind}")
    documents = db["documents"].columns_dict
    if "source" not in documents:
        db.execute("ALTER TABLE documents ADD COLUMN source TEXT")
    if "published" not in documents:
        db.execute("ALTER TABLE documents ADD COLUMN published INTEGER NOT NULL DEFAULT 0")
    # The documents' list stays read from its index alone (see m005), now with the new columns.
    db.execute("DROP INDEX IF EXISTS documents_listing")
    db.execute(
        "CREATE INDEX documents_listing ON documents (deleted_at, date, title, id, kind, format,"
        " source_name, sha256, word_count, version, previous_id, imported_at, source, published)"
    )


@migrations()
def m014_coder_ids(db: Database) -> None:
    # Coders are people: every coding, suggestion decision and audit entry points to a coder
    # row. The plain `coder` / `actor` names stay (read everywhere) and follow a rename.
    from recits.coders import PALETTE

    for table, column in (
        ("codings", "coder_id"),
        ("suggestion_decisions", "coder_id"),
        ("audit", "actor_id"),
        ("coders", "merged_into"),  # a coder found twice by a merge: the one it became
    ):
        if column not in db[table].columns_dict:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT REFERENCES coders(id)")
    live = db.execute(
        "SELECT id, name, colour FROM coders WHERE deleted_at IS NULL ORDER BY created_at, rowid"
    ).fetchall()
    by_key = {name_key(name): coder_id for coder_id, name, _colour in live}
    colours = [colour for _id, _name, colour in live]
    names = db.execute(
        "SELECT coder FROM codings UNION SELECT coder FROM suggestion_decisions ORDER BY 1"
    ).fetchall()
    for (name,) in names:
        key = name_key(name)
        if key not in by_key:
            free = [c for c in PALETTE if c not in colours]
            colour = free[0] if free else PALETTE[len(colours) % len(PALETTE)]
            colours.append(colour)
            # The same on every copy of a project migrated apart (two laptops), so that merging
            # them later finds one person, not two: an id and a date from what the copies share.
            by_key[key] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"recits:coder:{key}"))
            first = db.execute(
                "SELECT min(created_at) FROM (SELECT created_at FROM codings WHERE coder = ?"
                " UNION ALL SELECT decided_at FROM suggestion_decisions WHERE coder = ?)",
                [name, name],
            ).fetchone()[0]
            created = first or datetime.now(UTC).isoformat(timespec="milliseconds")
            db.execute(
                "INSERT INTO coders (id, name, colour, created_at) VALUES (?, ?, ?, ?)",
                [by_key[key], name, colour, created],
            )
        for table in ("codings", "suggestion_decisions"):
            db.execute(f"UPDATE {table} SET coder_id = ? WHERE coder = ?", [by_key[key], name])
    actors = db.execute("SELECT DISTINCT actor FROM audit WHERE actor IS NOT NULL").fetchall()
    for (actor,) in actors:
        if name_key(actor) in by_key:
            db.execute(
                "UPDATE audit SET actor_id = ? WHERE actor = ?", [by_key[name_key(actor)], actor]
            )
    db.execute("CREATE INDEX IF NOT EXISTS codings_coder_id ON codings (coder_id)")


@migrations()
def m017_scenes(db: Database) -> None:
    # Comic-strip scenes. Every row has a UUID and a tombstone (deleted_at) so that a later
    # merge can carry them; sources point to codings and documents by UUID.
    def table(name: str, columns: dict, not_null: set, fks: list) -> None:
        db[name].create(
            {"id": str, **columns, "deleted_at": str},
            pk="id",
            not_null=not_null,
            foreign_keys=fks,
            if_not_exists=True,
        )

    table(
        "scenes",
        {
            "title": str, "synopsis": str, "place": str, "time": str,
            "themes": str,  # JSON list of code ids
            "status": str, "created_by": str, "created_at": str, "updated_at": str,
        },
        {"title", "status", "created_at", "updated_at"},
        [],
    )  # fmt: skip
    table(
        "scene_sources",
        {
            "scene_id": str, "document_id": str, "start_char": int, "end_char": int,
            "text": str, "coding_id": str, "added_by": str, "added_at": str,
        },
        {"scene_id", "document_id", "start_char", "end_char", "text", "added_at"},
        [("scene_id", "scenes", "id"), ("document_id", "documents", "id"),
         ("coding_id", "codings", "id")],
    )  # fmt: skip
    table(
        "scene_characters",
        {
            "scene_id": str, "name": str, "participant_id": str, "composite": int,
            "description": str, "created_at": str,
        },
        {"scene_id", "name", "composite", "created_at"},
        [("scene_id", "scenes", "id"), ("participant_id", "participants", "id")],
    )  # fmt: skip
    table(
        "scene_panels",
        {
            "scene_id": str, "position": int, "picture": str, "caption": str,
            "created_at": str,
        },
        {"scene_id", "position", "created_at"},
        [("scene_id", "scenes", "id")],
    )  # fmt: skip
    table(
        "scene_lines",
        {
            "panel_id": str, "position": int, "character_id": str, "text": str,
            "source_id": str, "created_at": str,
        },
        {"panel_id", "position", "text", "created_at"},
        [("panel_id", "scene_panels", "id"), ("character_id", "scene_characters", "id"),
         ("source_id", "scene_sources", "id")],
    )  # fmt: skip
    table(
        "scene_status_history",
        {
            "scene_id": str, "status": str, "previous": str, "changed_by": str,
            "changed_at": str, "note": str,
        },
        {"scene_id", "status", "changed_at"},
        [("scene_id", "scenes", "id")],
    )  # fmt: skip
    table(
        "scene_comments",
        {"scene_id": str, "author": str, "text": str, "created_at": str},
        {"scene_id", "text", "created_at"},
        [("scene_id", "scenes", "id")],
    )
    # Peers validate the scene that uses their words: dated, like a consent decision.
    table(
        "scene_validations",
        {
            "scene_id": str, "participant_id": str, "validated_on": str,
            "recorded_by": str, "recorded_at": str,
        },
        {"scene_id", "participant_id", "validated_on", "recorded_at"},
        [("scene_id", "scenes", "id"), ("participant_id", "participants", "id")],
    )  # fmt: skip
    for name, column in (
        ("scene_sources", "scene_id"), ("scene_characters", "scene_id"),
        ("scene_panels", "scene_id"), ("scene_lines", "panel_id"),
        ("scene_status_history", "scene_id"), ("scene_comments", "scene_id"),
        ("scene_validations", "scene_id"),
    ):  # fmt: skip
        db[name].create_index([column], if_not_exists=True)


@migrations()
def m019_merge_conflicts(db: Database) -> None:
    # What `recits merge` found and would not settle alone: kept until the team settles it.
    # `id` is a hash of what conflicts, so meeting the same conflict again adds nothing.
    db["merge_conflicts"].create(
        {
            "id": str,
            "kind": str,  # pseudonym, consent, coding, coder, participant, document
            "table_name": str,
            "row_id": str,
            "field": str,
            "values_json": str,  # JSON list of the values met, sorted
            "kept": str,  # the value kept meanwhile (deterministic)
            "message": str,  # in French
            "detected_at": str,
            "settled_at": str,
        },
        pk="id",
        not_null={"kind", "table_name", "row_id", "field", "values_json", "message"},
        if_not_exists=True,
    )


@migrations()
def m020_consensus_rejections(db: Database) -> None:
    # The adjudication's « neither »: the consensus keeps neither coder's version of a pair of
    # codings. Keeping a version leaves a consensus coding; keeping neither leaves nothing, so
    # it is recorded here (by the codings' UUIDs) to survive reopening and to travel in
    # bundles. Choosing again tombstones the row.
    db["consensus_rejections"].create(
        {
            "id": str,  # UUID
            "document_id": str,
            "first_coding_id": str,  # NULL: the first coder had not coded it
            "second_coding_id": str,
            "decided_by": str,
            "decided_at": str,
            "deleted_at": str,  # tombstone
        },
        pk="id",
        not_null={"document_id", "decided_at"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("first_coding_id", "codings", "id"),
            ("second_coding_id", "codings", "id"),
        ],
        if_not_exists=True,
    )
    db["consensus_rejections"].create_index(["document_id"], if_not_exists=True)


@migrations()
def m021_italics(db: Database) -> None:
    # Phrases a written document sets in italics (a testimony a report quotes without « »),
    # as offsets into its text: read by the exports to attribute them as testimonies.
    db["italics"].create(
        {"document_id": str, "start_char": int, "end_char": int},
        foreign_keys=[("document_id", "documents", "id")],
        not_null={"document_id", "start_char", "end_char"},
        if_not_exists=True,
    )
    db.execute("CREATE INDEX IF NOT EXISTS italics_document ON italics (document_id)")


@migrations()
def m022_consent_ledger(db: Database) -> None:
    # The consent ledger as the team reads it: each consent decision and each peer's validation
    # of a scene, with its date. Consent status is still replayed from consent_events alone: a
    # validation is dated in the ledger but grants or withdraws nothing.
    db.create_view(
        "consent_ledger",
        """
        SELECT e.id, e.participant_id, 'consentement' AS kind, e.consent, e.consent_scope,
               e.consent_date AS date, NULL AS scene_id, NULL AS scene_title,
               e.recorded_by, e.recorded_at
          FROM consent_events e
        UNION ALL
        SELECT v.id, v.participant_id, 'validation' AS kind, NULL, '[]',
               v.validated_on AS date, v.scene_id, s.title AS scene_title,
               v.recorded_by, v.recorded_at
          FROM scene_validations v JOIN scenes s ON s.id = v.scene_id
         WHERE v.deleted_at IS NULL AND s.deleted_at IS NULL
        """,
        ignore=True,
    )


@migrations()
def m023_memos(db: Database) -> None:
    # Memos that are not on a coding: on a document, a code or the whole project (a REFI-QDA
    # Note with a NoteRef on a source, a code or the project). target_id is the document's id,
    # the code's id, or NULL for the project; deleted_at is the tombstone. m001's table of that
    # name, kept by m012 only if it held rows, has these columns (and updated_at): it is kept,
    # completed with any column it lacks.
    if "memos" in db.table_names():
        present = db["memos"].columns_dict
        for column in ("target_id", "author", "created_at", "deleted_at"):
            if column not in present:
                db["memos"].add_column(column, str)
    db["memos"].create(
        {
            "id": str,  # UUID
            "target_type": str,  # project | document | code
            "target_id": str,
            "author": str,
            "text": str,
            "created_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"target_type", "text", "created_at"},
        if_not_exists=True,
    )
    db["memos"].create_index(["target_type", "target_id"], if_not_exists=True)
