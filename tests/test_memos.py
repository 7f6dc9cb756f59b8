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
