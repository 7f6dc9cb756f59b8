"""The store's shape: one mapper per table, mixins that say what they build on."""

from __future__ import annotations

import ast
import inspect
import re

import pytest

from recits import models, suggest
from recits.errors import RecitsError
from recits.models import NewCoding
from recits.store import Store
from recits.store.base import StoreBase
from tests.conftest import REPO, add_doc, db_snapshot, parsed

STORE = REPO / "src" / "recits" / "store"
# What the tables hold: built from a row only in store/mappers.py.
ROW_CLASSES = {
    "Document", "Turn", "Code", "Coding", "Participant", "ConsentEvent", "NameDecision", "Coder",
    "ExportRecord", "StoredAnalysis", "Sentence", "Entity", "Suggestion", "Decision",
    "TrainedModel", "Reason", "Scene", "SceneSource", "Character", "DialogueLine", "Panel",
    "StatusChange", "SceneComment", "SceneValidation", "ValidationEvent",
}  # fmt: skip


def test_rows_become_dataclasses_only_in_the_mappers():
    built = []
    for path in sorted(STORE.glob("*.py")):
        if path.name in ("mappers.py", "upgrades.py"):  # migrations' code is frozen once shipped
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ROW_CLASSES:
                    built.append(f"{path.name}:{node.lineno} {name}")
    assert built == []


def test_a_mixin_inherits_the_mixins_whose_methods_it_calls():
    assert "type: ignore[attr-defined]" not in "".join(
        p.read_text(encoding="utf-8") for p in STORE.glob("*.py")
    )
    missing = []
    for cls in Store.__mro__[1:]:
        if cls in (StoreBase, object):
            continue
        source = inspect.getsource(inspect.getmodule(cls))
        for name in set(re.findall(r"self\.(\w+)\(", source)):
            if not any(name in vars(k) for k in cls.__mro__):
                missing.append(f"{cls.__name__}.{name}")
    assert sorted(missing) == []


INTERVIEW = parsed(
    ("Intervieweuse", "Comment ça se passe avec l'équipe ?"),
    ("Nadia", "Au début les éducateurs me voyaient comme une usagère. Maintenant ça va mieux."),
)


@pytest.fixture
def store(project):
    with project.store() as s:
        yield s


def test_exports_read_the_same_documents_and_turns_as_the_app(store):
    doc = add_doc(store, INTERVIEW, "Entretien Nadia")
    start = store.document_text(doc.id).index("Au début")
    coding = store.add_coding(NewCoding(doc.id, start, start + 20, "formation", "Claire"))
    (source,) = store.coded_sources()
    assert source.document == store.document(doc.id)
    assert source.coding == coding
    turns = store.turns(doc.id)
    assert source.turns == (turns[1],)
    assert store.turns_near(doc.id, 0, 1) == turns
    assert store.turn_candidates("usagère") == [(turns[1], "Entretien Nadia")]


def test_accepting_with_another_code_needs_the_code_and_changes_nothing(project, store):
    doc = add_doc(store, INTERVIEW, "Entretien Nadia")
    suggestion = models.Suggestion("s1", doc.id, 0, 10, "Intervieweu", "formation", 0.9, (), "v1")
    before = db_snapshot(project.db_path)
    with pytest.raises(RecitsError, match="demande le code choisi"):
        suggest.accept_other(store, suggestion, "Claire", "")
    assert db_snapshot(project.db_path) == before
