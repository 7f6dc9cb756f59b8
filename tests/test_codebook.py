"""The YAML codebook: the default one, validation errors with file and line, syncing."""

from __future__ import annotations

from pathlib import Path

import pytest

from recits.codebook import CodebookError, load_codebook
from recits.errors import RecitsError
from recits.models import NewCoding
from recits.project import default_codebook_path
from tests.conftest import REPO, add_doc, db_snapshot, parsed

REQUIRED = ("charge-mentale", "legitimite", "reduction-des-risques", "formation")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "grille.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_codebook_has_the_four_codes_fully_described():
    cb = load_codebook(default_codebook_path())
    ids = [c.id for c in cb.codes]
    assert ids[:4] == list(REQUIRED)
    for code in cb.codes[:4]:
        assert code.label and len(code.description) > 200
        assert code.include and code.exclude
        assert len(code.examples) >= 3 and len(code.patterns) >= 10
        assert code.color and code.color.startswith("#")
    assert cb.code("legitimite").label == "Légitimité"


def test_repo_codebooks_folder_holds_the_default():
    assert (
        load_codebook(REPO / "codebooks" / "travail-pair.yaml").sha256
        == load_codebook(default_codebook_path()).sha256
    )


def test_children_get_their_parent(tmp_path):
    cb = load_codebook(
        write(
            tmp_path,
            "codes:\n  - id: a\n    label: A\n    children:\n      - id: b\n        label: B\n"
            "  - id: c\n    label: C\n    parent: b\n",
        )
    )
    assert [(c.id, c.parent_id) for c in cb.codes] == [("a", None), ("b", "a"), ("c", "b")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("codes:\n  - id: a\n    label: [oops\n", "ligne 3 : erreur de syntaxe YAML"),
        (
            "codes:\n  - id: a\n    label: A\n  - id: a\n    label: B\n",
            "ligne 4 : clé « id » : identifiant « a » en double (déjà défini ligne 2)",
        ),
        ("codes:\n  - id: a\n    label: A\n    colour: red\n", "ligne 4 : clé inconnue « colour »"),
        ("codes:\n  - id: a\n    description: x\n", "ligne 2 : le code « a » n'a pas de « label »"),
        ("codes:\n  - id: a\n    label: A\n    color: rouge\n", "couleur invalide « rouge »"),
        ("codes:\n  - id: Réduction\n    label: A\n", "n'est pas un identifiant valide"),
        (
            "codes:\n  - id: a\n    label: A\n    parent: b\n  - id: b\n    label: B\n"
            "    parent: a\n",
            "cycle dans les parents",
        ),
        ("codes:\n  - id: a\n    label: A\n    parent: zz\n", "« zz », qui n'existe pas"),
        ("codes:\n  - id: a\n    label: A\n    examples: un seul\n", "doit être une liste"),
        ("name: vide\n", "la clé « codes » doit lister au moins un code"),
        ("", "grille de codage vide"),
        ("codes:\n  - id: a\n    label: A\n    label: B\n", "clé « label » en double"),
    ],
)
def test_invalid_codebooks_name_file_line_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_missing_and_non_utf8_codebooks(tmp_path):
    with pytest.raises(CodebookError, match="introuvable"):
        load_codebook(tmp_path / "absent.yaml")
    path = tmp_path / "cp1252.yaml"
    path.write_bytes("codes:\n  - id: a\n    label: Légitimité\n".encode("cp1252"))
    with pytest.raises(CodebookError, match="UTF-8"):
        load_codebook(path)


def test_sync_adds_renames_and_refuses_removing_used_codes(project):
    yaml_path = project.codebook_path
    original = yaml_path.read_text(encoding="utf-8")
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "J'ai fait le DU de pair-aidance.")), title="E1")
        store.add_coding(NewCoding(doc.id, 8, 20, "formation", "Claire"))
        store.add_coding(NewCoding(doc.id, 8, 30, "formation", "Samia"))

        yaml_path.write_text(
            original.replace("label: Légitimité", "label: Légitimité et reconnaissance")
            + "\n  - id: pair-aidance\n    label: Pair-aidance\n",
            encoding="utf-8",
        )
        cb = project.sync_codebook(store)
        assert store.code_ids()[-1] == "pair-aidance"
        assert cb.code("legitimite").label == "Légitimité et reconnaissance"
        label = store.db.execute("SELECT label FROM codes WHERE id='legitimite'").fetchone()[0]
        assert label == "Légitimité et reconnaissance"

        # Removing "formation", which has 2 codings in E1, is refused; nothing changes.
        start = original.index("  - id: formation")
        end = original.find("\n  - id:", start + 1)
        yaml_path.write_text(original[:start] + (original[end:] if end != -1 else ""), "utf-8")
        before = db_snapshot(project.db_path)
        with pytest.raises(RecitsError) as err:
            project.sync_codebook(store)
        assert "« formation » a 2 extrait(s) codé(s) : « E1 » (2)" in str(err.value)
        assert db_snapshot(project.db_path) == before

        # Removing the unused new code tombstones it.
        yaml_path.write_text(original, encoding="utf-8")
        project.sync_codebook(store)
        assert "pair-aidance" not in store.code_ids()
        assert store.codings(code_id="formation")
