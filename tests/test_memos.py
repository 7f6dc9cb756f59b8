"""Memos on a document, a code or the project, in the store."""

from __future__ import annotations

import pytest

from recits.failures import UnknownChoice
from recits.models.memos import Memo
from tests.conftest import add_doc, db_snapshot, parsed


def test_memos_are_kept_by_target_and_tombstoned(project):
    with project.store() as store:
        doc = add_doc(store, parsed(("Karim", "On se forme entre pairs.")))
        added = store.add_memos(
            [
                Memo("", "document", doc.id, "Claire", "Entretien fait au local.", ""),
                Memo("", "project", "ignoré", "Claire", "Projet commencé en mars.", ""),
            ],
            actor="Claire",
        )
        assert [m.text for m in store.memos("document", doc.id)] == ["Entretien fait au local."]
        assert [m.target_id for m in store.memos("project")] == [None]
        store.delete_memo(added[0].id, actor="Claire")
        assert [m.text for m in store.memos()] == ["Projet commencé en mars."]


def test_a_memo_on_an_unknown_kind_of_target_is_refused_and_nothing_written(project):
    with project.store() as store:
        store.status()
    before = db_snapshot(project.db_path)
    with project.store() as store, pytest.raises(UnknownChoice) as caught:
        store.add_memos([Memo("", "scène", "x", "Claire", "texte", "")])
    assert "cible de mémo inconnue : « scène »" in str(caught.value)
    assert db_snapshot(project.db_path) == before


def test_memos_written_listed_and_removed_on_the_command_line(project):
    from tests.conftest import run

    with project.store() as store:
        doc = add_doc(store, parsed(("Karim", "On se forme entre pairs.")), title="Réunion")
    for args in (("--document", "Réunion"), ("--code", "formation"), ("--project-memo",)):
        result = run(project, "memos", "add", f"note {args[0]}", *args, "--by", "Samia")
        assert result.exit_code == 0, result.stderr
    listed = run(project, "memos").output
    assert "(document « Réunion »)" in listed and "(code « formation »)" in listed
    assert "(projet)" in listed and "3 mémo(s)" in listed and "Samia" in listed
    import json

    only = json.loads(run(project, "memos", "--document", doc.id[:8], "--json").output)
    assert [m["text"] for m in only] == ["note --document"]
    removed = run(project, "memos", "remove", only[0]["id"][:8])
    assert removed.exit_code == 0 and "retiré" in removed.output
    assert "2 mémo(s)" in run(project, "memos").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "texte"), "dites sur quoi porte le mémo"),
        (("add", "  ", "--project-memo"), "mémo vide"),
        (("add", "texte", "--code", "inconnu"), "code inconnu : « inconnu »"),
        (("add", "texte", "--document", "Nulle part"), "document introuvable"),
        (("add", "texte", "--code", "formation", "--project-memo"), "une seule option"),
        (("add", "x" * 20_001, "--project-memo"), "mémo trop long"),
        (("remove", "abcd"), "mémo introuvable : « abcd »"),
    ],
)
def test_bad_memo_commands_are_refused_and_change_nothing(project, args, message):
    from tests.conftest import run

    with project.store() as store:
        project.sync_codebook(store)
    before = db_snapshot(project.db_path)
    result = run(project, "memos", *args)
    assert result.exit_code != 0 and message in result.stderr, result.stderr
    assert db_snapshot(project.db_path) == before
