"""The YAML codebook: the default one, validation errors with file and line, syncing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
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


SELF_ALIAS = "name: x\ncodes:\n  - &a\n    id: a\n    label: A\n    children:\n      - *a\n"
SELF_ALIAS_LIST = "name: x\ncodes: &c\n  - id: a\n    label: A\n    children: *c\n"


def alias_bomb(levels: int = 9) -> str:
    """Nine aliases per level, nine levels: 9**9 codes from twelve lines."""
    lines = ["name: bombe", "codes:", "  - &l1 {id: a, label: A}"]
    for level in range(2, levels + 1):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"  - &l{level} {{id: c{level}, label: C, children: [{aliases}]}}")
    return "\n".join(lines) + "\n"


def recits_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process: a hang fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "recits", *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "alias"),
    [(SELF_ALIAS, 7, "*a"), (SELF_ALIAS_LIST, 5, "*c")],
    ids=["code", "list"],
)
def test_an_alias_inside_what_it_names_is_refused(tmp_path, text, line, alias):
    """It made an endless tree, and `recits codebook check` ended in a RecursionError."""
    path = write(tmp_path, text)
    result = recits_cli("codebook", "check", str(path))
    assert result.returncode == 1
    assert f"{path}, ligne {line} : l'alias YAML « {alias} »" in result.stderr
    assert "boucle sans fin" in result.stderr and "Traceback" not in result.stderr


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    path = write(tmp_path, alias_bomb())
    result = recits_cli("codebook", "check", str(path))
    assert result.returncode == 1
    assert f"{path}, ligne 8 : grille refusée" in result.stderr
    assert "bombe d'alias" in result.stderr and "Traceback" not in result.stderr


def test_a_plain_alias_still_works(tmp_path):
    text = (
        "codes:\n  - id: a\n    label: A\n    examples: &ex [un exemple, un autre]\n"
        "  - id: b\n    label: B\n    examples: *ex\n"
    )
    book = load_codebook(write(tmp_path, text))
    assert book.code("b").examples == ("un exemple", "un autre")


def test_a_bad_alias_in_the_project_codebook_at_open_and_app_start(project):
    """Commands that open the project, and the app, say what is wrong: no traceback."""
    from recits.tui.app import RecitsApp
    from tests.conftest import run

    project.codebook_path.write_text(SELF_ALIAS, encoding="utf-8")
    before = db_snapshot(project.db_path)
    result = run(project, "code", "x", "0", "5", "a", "--coder", "Claire")
    assert result.exit_code == 1
    assert f"{project.codebook_path}, ligne 7 : l'alias YAML « *a »" in result.stderr
    assert db_snapshot(project.db_path) == before

    async def start() -> list[str]:
        app = RecitsApp(project, "Claire", preload_model=False)
        async with app.run_test() as pilot:
            await pilot.pause()
            return [n.message for n in app._notifications]

    messages = asyncio.run(start())
    assert any(str(project.codebook_path) in m and "boucle sans fin" in m for m in messages)
    assert db_snapshot(project.db_path) == before


def test_an_alias_bomb_in_the_project_settings_is_refused(project):
    """A list as the project's name was written out whole: an alias bomb never ended."""
    settings = project.root / "recits.yaml"
    levels = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    for name in (f"[{', '.join(levels)}]", "&n [x, *n]"):
        settings.write_text(f"name: {name}\n", encoding="utf-8")
        result = recits_cli("status", "--project", str(project.root))
        assert result.returncode == 1
        assert f"{settings} : réglage « name » : un texte est attendu" in result.stderr
