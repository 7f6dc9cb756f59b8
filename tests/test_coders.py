"""`recits coders`: the team's coders, their colours and their web app passwords."""

from __future__ import annotations

import json
import shutil

import pytest

from recits.coders import add_coder, set_password, verify_login
from recits.errors import RecitsError
from recits.models import NewCoding
from recits.project import Project
from tests.conftest import add_doc, db_snapshot, parsed, run


def test_add_list_and_password_a_coder(project):
    added = run(project, "coders", "add", "Nadia", "--colour", "#3CB44B")
    assert added.exit_code == 0, added.output
    assert "« Nadia » ajouté·e (#3cb44b)" in added.output
    assert run(project, "coders", "add", "Karim").exit_code == 0
    changed = run(project, "coders", "password", "nadia", input="un mot de passe\n")
    assert changed.exit_code == 0, changed.output
    assert "Mot de passe de « Nadia » enregistré." in changed.output

    listed = json.loads(run(project, "coders", "list", "--json").output)
    assert [(c["name"], c["colour"], c["password"]) for c in listed] == [
        ("Nadia", "#3cb44b", True),
        ("Karim", listed[1]["colour"], False),
    ]
    assert listed[1]["colour"].startswith("#") and listed[1]["colour"] != "#3cb44b"
    text = run(project, "coders").output
    assert "Nadia" in text and "mot de passe : oui" in text and "mot de passe : non" in text


def test_a_password_is_stored_hashed_and_checked(project):
    with project.store() as store:
        add_coder(store, "Zoé")
        set_password(store, "zoe", "correct horse")
        row = store.conn.execute("SELECT password_hash FROM coders").fetchone()[0]
        assert row.startswith("$argon2id$") and "correct horse" not in row
        assert verify_login(store, "ZOÉ", "correct horse").name == "Zoé"
        assert verify_login(store, "Zoé", "wrong horse") is None
        assert verify_login(store, "Personne", "correct horse") is None
    # The audit log says a password changed, never what it is.
    log = project.db_path.read_bytes()
    assert b"correct horse" not in log


def test_password_confirmation_twice_on_stdin_and_removal(project):
    run(project, "coders", "add", "Nadia")
    assert run(project, "coders", "password", "Nadia", input="abcdefgh\nabcdefgh\n").exit_code == 0
    removed = run(project, "coders", "password", "Nadia", "--remove")
    assert removed.exit_code == 0 and "retiré" in removed.output
    with project.store() as store:
        assert not store.any_coder_password()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", ""), None, "nom de codeur·euse vide"),
        (("add", "   "), None, "nom de codeur·euse vide"),
        (("add", "x" * 61), None, "trop long"),
        (("add", "Na\u200bdia"), None, "caractère invisible"),
        (("add", "NADIA"), None, "« Nadia » existe déjà"),
        (("add", "Nâdia "), None, "« Nadia » existe déjà"),
        (("add", "Karim", "--colour", "rouge"), None, "couleur invalide « rouge »"),
        (("password", "Nadia"), "abcdefgh\nabcdefgX\n", "les deux mots de passe diffèrent"),
        (("password", "Nadia"), "court\n", "mot de passe trop court"),
        (("password", "Nadia"), "", "mot de passe vide"),
        (("password", "Nadia"), "        \n", "mot de passe vide"),
        (("password", "Inconnu"), "abcdefgh\n", "codeur·euse inconnu·e : « Inconnu »"),
        (("password", "Inconnu", "--remove"), None, "codeur·euse inconnu·e"),
    ],
)
def test_bad_input_for_coders_changes_nothing(project, args, stdin, message):
    run(project, "coders", "add", "Nadia")
    before = db_snapshot(project.db_path)
    result = run(project, "coders", *args, input=stdin)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert db_snapshot(project.db_path) == before


def test_coding_makes_the_coder_a_person_of_the_team(project):
    """Whoever codes becomes a coder row (with a colour); a name differing only by case or
    accents is the same person."""
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "On se forme entre pairs.")))
        store.add_coding(NewCoding(doc.id, 8, 15, "formation", "nadia"))
        store.add_coding(NewCoding(doc.id, 8, 15, "formation", "Claire"))
        store.add_coding(NewCoding(doc.id, 0, 7, "formation", "Nadia"))
        with pytest.raises(RecitsError, match="existe déjà"):
            add_coder(store, "Nadia")
        ids = {c.coder: store.conn.execute(
            "SELECT coder_id FROM codings WHERE id = ?", [c.id]).fetchone()[0]
            for c in store.codings()}  # fmt: skip
    listed = json.loads(run(project, "coders", "--json").output)
    assert [(c["name"], c["codings"]) for c in listed] == [("nadia", 2), ("Claire", 1)]
    assert ids["nadia"] == ids["Nadia"] == listed[0]["id"] and ids["Claire"] == listed[1]["id"]
    assert listed[0]["colour"] != listed[1]["colour"]


def test_rename_a_coder_keeps_their_work_everywhere(project):
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "On se forme entre pairs.")))
        coding = store.add_coding(NewCoding(doc.id, 8, 15, "formation", "Samia"))
        store.add_coding(NewCoding(doc.id, 0, 7, "formation", "Claire"))
    result = run(project, "coders", "rename", "samia", "Samia B.")
    assert result.exit_code == 0, result.output
    assert "« Samia » renommé·e « Samia B. »" in result.output
    with project.store() as store:
        mine = store.codings(coder="Samia B.")
        assert [c.id for c in mine] == [coding.id]
        assert store.codings(coder="Samia") == []
        assert store.excerpts(coder="Samia B.")[0].coding.coder == "Samia B."
    listed = json.loads(run(project, "coders", "--json").output)
    assert ("Samia B.", 1) in [(c["name"], c["codings"]) for c in listed]
    exported = run(project, "codings", "export", "--real-text")
    assert "Samia B." in exported.output and '"Samia"' not in exported.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Personne", "Autre"), "codeur·euse inconnu·e : « Personne »"),
        (("Samia", "claire"), "« Claire » existe déjà"),
        (("Samia", "  "), "nom de codeur·euse vide"),
    ],
)
def test_bad_coder_renames_change_nothing(project, args, message):
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "On se forme entre pairs.")))
        store.add_coding(NewCoding(doc.id, 8, 15, "formation", "Samia"))
        store.add_coding(NewCoding(doc.id, 0, 7, "formation", "Claire"))
    before = db_snapshot(project.db_path)
    result = run(project, "coders", "rename", *args)
    assert result.exit_code == 1 and message in result.output
    assert db_snapshot(project.db_path) == before


def test_no_coder_yet_says_how_to_add_one(project):
    assert "recits coders add NOM" in run(project, "coders").output


def test_migration_makes_people_of_the_names_already_coding(project):
    """A project from before m014: each distinct name on codings becomes one coder (the
    same key, one person), and the codings, decisions and audit point to them."""
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "On se forme entre pairs.")))
        store.add_coding(NewCoding(doc.id, 8, 15, "formation", "Zoé"))
        store.add_coding(NewCoding(doc.id, 0, 7, "formation", "zoe"))
        store.add_coding(NewCoding(doc.id, 0, 7, "formation", "Karim"))
        with store.write():
            store.conn.execute("UPDATE codings SET coder_id = NULL")
            store.conn.execute("UPDATE audit SET actor_id = NULL")
            store.conn.execute("DELETE FROM coders")
            store.conn.execute(
                "DELETE FROM _sqlite_migrations WHERE name IN"
                " ('m014_coder_ids', 'm019_merge_conflicts', 'm020_consensus_rejections',"
                " 'm021_italics', 'm022_consent_ledger', 'm023_memos')"
            )
    laptop = Project.open(shutil.copytree(project.root, project.root.parent / "portable"))
    with project.store() as store:
        team = {c.name: c.id for c in store.coders()}
        assert sorted(team) == ["Karim", "Zoé"]  # the first name in order stands for both
        rows = store.conn.execute("SELECT coder, coder_id FROM codings ORDER BY coder").fetchall()
        assert rows == [("Karim", team["Karim"]), ("Zoé", team["Zoé"]), ("zoe", team["Zoé"])]
        actors = store.conn.execute(
            "SELECT DISTINCT actor_id FROM audit WHERE actor = 'Karim'"
        ).fetchall()
        assert actors == [(team["Karim"],)]
    # A copy migrated apart (on a laptop) finds the same people: a merge sees one team.
    with laptop.store() as store:
        assert {c.name: c.id for c in store.coders()} == team
