"""`recits bundle` / `recits merge`: work done apart brought together, by UUID."""

from __future__ import annotations

import json
import shutil
import sqlite3
from hashlib import sha256

from recits.models import NewCoding
from recits.project import Project
from tests.conftest import add_doc, db_snapshot, parsed, run

MERGE_CONFLICTS = 3


def base_project(tmp_path, name="base"):
    project = Project.init(tmp_path / name, coder="Claire")
    with project.store() as store:
        project.sync_codebook(store)
        doc = parsed(
            ("Nadia", "On se forme entre pairs, la formation compte."),
            ("Karim", "La légitimité vient avec le temps."),
            ("Nadia", "Et la charge mentale est lourde."),
        )
        add_doc(store, doc, "Réunion", text_sha256=sha256(doc.text.encode()).hexdigest())
    return project


def copy_of(project, tmp_path, name):
    shutil.copytree(project.root, tmp_path / name)
    return Project.open(tmp_path / name)


def state(project):
    """What a merge must make equal: the work and its people, not the local caches and logs."""
    conn = sqlite3.connect(project.db_path)
    queries = {
        "coders": "SELECT id, name, colour, created_at, deleted_at, merged_into FROM coders",
        "participants": "SELECT id, pseudonym, role, aliases, consent, consent_scope,"
        " consent_date, same_label_as, merged_into, deleted_at FROM participants",
        "documents": "SELECT id, text_sha256, title, kind, date, deleted_at FROM documents",
        "turns": "SELECT document_id, position, participant_id, speaker, start_char, end_char"
        " FROM turns",
        "consent": "SELECT id, participant_id, consent, consent_scope, consent_date"
        " FROM consent_events",
        "codings": "SELECT id, document_id, start_char, end_char, text, code_id, coder,"
        " coder_id, origin, memo, created_at, deleted_at, deleted_by FROM codings",
        "decisions": "SELECT id, coder, coder_id, decision, deleted_at FROM suggestion_decisions",
        "conflicts": "SELECT id, kind, values_json, kept FROM merge_conflicts",
    }
    try:
        return {k: sorted(map(repr, conn.execute(q).fetchall())) for k, q in queries.items()}
    finally:
        conn.close()


def coded(project, coder, start, end, code, memo=""):
    with project.store() as store:
        doc = store.documents()[0]
        return store.add_coding(NewCoding(doc.id, start, end, code, coder, memo=memo))


def bundle(project, tmp_path, name):
    path = tmp_path / f"{name}.recits"
    result = run(project, "bundle", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_two_coders_apart_then_merged_both_ways(tmp_path):
    base = base_project(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    mine = coded(a, "Samia", 8, 30, "formation", memo="entre pairs")
    theirs = coded(b, "Jo", 52, 62, "legitimite")
    same_a = coded(a, "Claire", 0, 5, "formation")
    same_b = coded(b, "Claire", 0, 5, "formation")  # the same coding made twice, apart
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")

    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == 0, result.output
    assert "extrait(s) codé(s) : 2 ajouté(s)" in result.output
    assert run(b, "merge", str(bundle_a)).exit_code == 0
    assert state(a) == state(b)
    with a.store() as store:
        live = {(c.coder, c.code_id, c.text) for c in store.codings()}
        ids = {c.id for c in store.codings()}
        team = sorted(c.name for c in store.coders())
    assert ("Samia", "formation", "forme entre pairs, la f") in live or mine.id in ids
    assert {mine.id, theirs.id, min(same_a.id, same_b.id)} <= ids
    assert max(same_a.id, same_b.id) not in ids  # one coding, not two, for one same gesture
    assert team == ["Claire", "Jo", "Samia"]

    before = db_snapshot(a.db_path)
    again = run(a, "merge", str(bundle_b))
    assert again.exit_code == 0 and "Rien de nouveau" in again.output
    assert db_snapshot(a.db_path) == before


def test_merge_from_a_project_folder_and_tombstones_win(tmp_path):
    base = base_project(tmp_path)
    first = coded(base, "Claire", 8, 30, "formation")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with a.store() as store:
        store.remove_coding(first.id, "Claire")
    result = run(b, "merge", str(a.root))
    assert result.exit_code == 0, result.output
    with b.store() as store:
        assert store.codings() == []
    assert run(a, "merge", str(b.root)).exit_code == 0
    assert state(a) == state(b)
    assert "ce projet-ci" in run(a, "merge", str(a.root)).output


def test_conflicts_are_listed_kept_and_exit_3(tmp_path):
    base = base_project(tmp_path)
    coding = coded(base, "Claire", 8, 30, "formation")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    for project, pseudonym, memo, consent in (
        (a, "Nadia", "entre pairs", "accordé"),
        (b, "Nadège", "la formation", "refusé"),
    ):
        with project.store() as store:
            store.set_coding_memo(coding.id, memo, "Claire")
        done = run(project, "participants", "consent", "Nadia", consent, "--scope", "articles",
                   "--date", "2024-03-01")  # fmt: skip
        assert done.exit_code == 0, done.output
        if pseudonym != "Nadia":
            renamed = run(project, "participants", "rename", "Nadia", "--pseudonym", pseudonym)
            assert renamed.exit_code == 0, renamed.output
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")
    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "3 conflit(s) à trancher" in result.output
    assert "deux pseudonymes : « Nadia » et « Nadège »" in result.output
    assert "deux décisions de consentement le 2024-03-01" in result.output
    assert "deux mémos" in result.output
    assert run(b, "merge", str(bundle_a)).exit_code == MERGE_CONFLICTS
    assert state(a) == state(b)  # a deterministic stand-in meanwhile, the same both ways
    again = run(a, "merge", str(bundle_b), "--json")
    assert again.exit_code == MERGE_CONFLICTS  # still open, until the team settles them
    shown = json.loads(again.output)
    assert len(shown["open"]) == 3 and shown["added"] == {}
    listed = run(a, "merge")
    assert (
        listed.exit_code == MERGE_CONFLICTS and "3 conflit(s) toujours à trancher" in listed.output
    )
    for conflict in shown["open"]:
        assert run(a, "merge", "--settle", conflict["id"][:8]).exit_code == 0
    assert run(a, "merge").exit_code == 0 and "Aucun conflit" in run(a, "merge").output
