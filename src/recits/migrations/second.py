"""The second wave's migrations, m007–m012: coders, identity, the consent ledger, clean-ups."""

from __future__ import annotations

from sqlite_utils import Database

from recits.masking import name_key
from recits.migrations.registry import migrations


@migrations()
def m007_coders(db: Database) -> None:
    # The people who code: a coder with a password may log in to `recits web` and codes there
    # under their name. Codings keep their plain `coder` name for now.
    db["coders"].create(
        {
            "id": str,  # UUID
            "name": str,
            "colour": str,  # #rrggbb
            "password_hash": str,  # argon2id, NULL: no login
            "created_at": str,
            "deleted_at": str,  # tombstone
        },
        pk="id",
        not_null={"name", "colour", "created_at"},
        if_not_exists=True,
    )
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS coders_live_name ON coders (name)"
        " WHERE deleted_at IS NULL"
    )


@migrations()
def m008_participant_identity(db: Database) -> None:
    # One person, one participant. `same_label_as`: the participant whose name this speaker's
    # label is, until the team says whether they are the same person (the gate quotes neither
    # meanwhile); `merged_into`: the participant a tombstone was merged into.
    for column in ("same_label_as", "merged_into"):
        if column not in db["participants"].columns_dict:
            db.execute(
                f"ALTER TABLE participants ADD COLUMN {column} TEXT REFERENCES participants(id)"
            )
    # Earlier imports linked a label seen in several documents to one participant without
    # asking: each such participant is to confirm once (flagged with its own id).
    db.execute(
        "UPDATE participants SET same_label_as = id WHERE deleted_at IS NULL AND id IN ("
        " SELECT participant_id FROM turns WHERE participant_id IS NOT NULL"
        " GROUP BY participant_id HAVING count(DISTINCT document_id) > 1)"
    )
    # They also told « Zoé » from « Zoe » by case only: the later of two pseudonyms with one
    # name key is flagged as sharing the earlier one's name, under a placeholder pseudonym (as
    # an import now does; its labels in the turns keep the name written).
    rows = db.execute(
        "SELECT id, pseudonym FROM participants WHERE deleted_at IS NULL"
        " ORDER BY created_at IS NULL, created_at, rowid"
    ).fetchall()
    first: dict[str, str] = {}
    taken = {name_key(pseudonym) for _id, pseudonym in rows}
    n = 2
    for participant_id, pseudonym in rows:
        key = name_key(pseudonym)
        if key not in first:
            first[key] = participant_id
            continue
        while name_key(f"Locuteur·rice {n}") in taken:
            n += 1
        taken.add(name_key(f"Locuteur·rice {n}"))
        db.execute(
            "UPDATE participants SET pseudonym = ?, same_label_as = ? WHERE id = ?",
            [f"Locuteur·rice {n}", first[key], participant_id],
        )


@migrations()
def m009_consent_ledger(db: Database) -> None:
    # Consent becomes a dated ledger: the status is the latest decision by effective date, not
    # the last one typed. From here on a row is the decision as entered (`refusé` / `retiré`
    # with a scope withdraw only those uses); older rows hold a status and replay as such.
    # participants.consent/consent_scope/consent_date stay, as a cache of the replayed ledger.
    from recits.store import upgrades

    upgrades.date_the_consent_ledger(db)
    # Each export's file and whom it quotes, so that a withdrawal can be followed up.
    db["exports"].create(
        {
            "id": str,  # UUID
            "file": str,  # absolute path when written
            "format": str,
            "sha256": str,  # of the bytes written
            "scope": str,  # articles | bd: the use consent was checked for
            "filters": str,  # JSON
            "excerpts": int,  # excerpts in the file
            "written_at": str,
            "written_by": str,
            "quoted_known": int,  # 0: written before this table, whom it quotes is unknown
        },
        pk="id",
        not_null={"file", "format", "sha256", "excerpts", "written_at", "quoted_known"},
        defaults={"quoted_known": 1},
    )
    db["exports"].create_index(["written_at"])
    db["export_participants"].create(
        {"export_id": str, "participant_id": str, "excerpts": int},
        pk=("export_id", "participant_id"),
        not_null={"excerpts"},
        foreign_keys=[("export_id", "exports", "id"), ("participant_id", "participants", "id")],
    )
    db["export_participants"].create_index(["participant_id"])
    upgrades.record_earlier_exports(db)


@migrations()
def m012_drop_unused_memos(db: Database) -> None:
    # m001 created a `memos` table that nothing ever wrote or read (a coding's memo lives on
    # the coding). Dropped while empty; a project that somehow holds rows keeps them.
    if "memos" in db.table_names() and db["memos"].count == 0:
        db["memos"].drop()
