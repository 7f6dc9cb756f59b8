"""Editing the codebook together: the YAML keeps its comments and order, codings follow renames
and merges, each change is in the audit log, bad input changes nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from recits.codebook import load_codebook
from recits.codebook_edits import CodebookEditor
from recits.errors import RecitsError
from recits.models import NewCoding
from tests.conftest import add_doc, db_snapshot, parsed, run

# A codebook as a team writes it: a header, separators, comments above and beside codes,
# a code declaring its parent, long lines and quoted examples.
TEAM_YAML = """\
# Grille de l'équipe — ne pas trier les codes !
name: Grille test
codes:
  # --- premier thème ------------------------------------------------
  - id: charge
    label: Charge mentale
    color: "#d64541"   # rouge brique
    description: >-
      Le poids que porte la personne paire, au travail et en dehors, quand
      elle pense encore aux personnes accompagnées.
    examples:
      - "Le soir je pense encore à lui."
    patterns:
      - fatigue
    children:
      # sous-code ajouté en réunion de mars
      - id: epuisement
        label: Épuisement   # à revoir

  # --- deuxième thème ------------------------------------------------
  - id: legitimite
    label: Légitimité
    color: "#8e5bd6"   # violet
    include:
      - La personne parle de sa place dans l'équipe.
    examples:
      - "On me prend pas au sérieux."

  # --- troisième thème -----------------------------------------------
  - id: formation
    label: Formation
    patterns: [diplôme, former]

  # code rangé à part, déclaré par son parent
  - id: diplome
    label: Diplôme
    parent: formation
# fin de la grille
"""


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.fixture
def team(project):
    """The project with the team's codebook, a document and codings by two coders."""
    project.codebook_path.write_text(TEAM_YAML, encoding="utf-8")
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Nadia", "Je suis fatiguée le soir."),
                                    ("Karim", "On me prend pas au sérieux.")))  # fmt: skip
        store.add_codings(
            [
                NewCoding(doc.id, 0, 10, "legitimite", "Claire", memo="à discuter"),
                NewCoding(doc.id, 0, 10, "charge", "Claire"),
                NewCoding(doc.id, 0, 10, "legitimite", "Samia"),
                NewCoding(doc.id, 12, 20, "legitimite", "Samia"),
            ]
        )
    return project


def editor(project, store, actor: str = "Samia") -> CodebookEditor:
    return CodebookEditor(store, project.sync_codebook(store), actor)


def live(store, code_id: str) -> list[tuple[str, int, str]]:
    return sorted((c.coder, c.start_char, c.memo) for c in store.codings(code_id=code_id))


def test_a_file_edited_and_written_back_untouched_elsewhere(team):
    run(team, "codebook", "color", "legitimite", "#123456", "--by", "Samia")
    text = team.codebook_path.read_text(encoding="utf-8")
    assert text == TEAM_YAML.replace('"#8e5bd6"', '"#123456"')


@pytest.mark.parametrize(
    "args",
    [
        ("create", "surcharge", "--label", "Surcharge", "--parent", "charge"),
        ("create", "precarite", "--label", "Précarité", "--color", "#00aa00"),
        ("rename", "legitimite", "--id", "reconnaissance", "--label", "Reconnaissance"),
        ("color", "formation", "#abcdef"),
        ("define", "formation", "--description", "Les formations " * 12, "--example", "DU"),
        ("move", "diplome", "--parent", "legitimite"),
        ("move", "epuisement", "--top"),
        ("merge", "legitimite", "charge"),
        ("split", "charge", "debordement", "--label", "Débordement"),
        ("split", "formation", "cursus", "--label", "Cursus", "--under"),
        ("remove", "diplome"),
    ],
)
def test_every_edit_keeps_the_comments_and_the_order(team, args):
    result = run(team, "codebook", *args, "--by", "Samia")
    assert result.exit_code == 0, result.output
    text = team.codebook_path.read_text(encoding="utf-8")
    gone = ["# violet"] if args[0] == "merge" else []  # the merged code's own line comment
    kept = [c for c in comments(TEAM_YAML) if c not in gone]
    if args[0] == "move":  # a moved code takes the lines above it along
        assert sorted(comments(text)) == sorted(kept)
    else:
        assert comments(text) == kept
    # Codes not edited keep their place in the file.
    ids = re.findall(r"- id: ([a-z-]+)", text)
    untouched = [i for i in ("charge", "legitimite", "formation") if i in ids]
    assert untouched == sorted(untouched, key=["charge", "legitimite", "formation"].index)
    assert load_codebook(team.codebook_path)  # still valid


def test_comments_stay_in_place_where_the_code_is_not_touched(team):
    run(team, "codebook", "remove", "diplome", "--by", "Samia")
    text = team.codebook_path.read_text(encoding="utf-8")
    # The lines above the removed code stay, above what follows it.
    assert "  # code rangé à part, déclaré par son parent\n# fin de la grille" in text
    assert text.startswith(TEAM_YAML.split("  # code rangé")[0])


def test_rename_carries_codings_subcodes_and_is_audited(team):
    result = run(team, "codebook", "rename", "charge", "--id", "charge-mentale", "--by", "Samia")
    assert result.exit_code == 0, result.output
    assert "1 extrait(s) codé(s) le suivent" in result.output
    cb = load_codebook(team.codebook_path)
    assert cb.code("epuisement").parent_id == "charge-mentale"
    with team.store() as store:
        assert live(store, "charge-mentale") == [("Claire", 0, "")]
        assert "charge" not in store.code_ids()
        at, actor, action, details = next(
            e for e in store.audit_log() if e[2].startswith("codebook-")
        )
        assert (actor, action, details["code"], details["new_id"]) == (
            "Samia",
            "codebook-rename",
            "charge",
            "charge-mentale",
        )
    # The renamed code keeps working: one more coding with it.
    assert run(team, "code", "Doc", "0", "5", "charge-mentale", "--coder", "Claire").exit_code == 0


def test_rename_a_parent_declared_by_its_child(team):
    assert (
        run(team, "codebook", "rename", "formation", "--id", "formations", "--by", "S").exit_code
        == 0
    )
    cb = load_codebook(team.codebook_path)
    assert cb.code("diplome").parent_id == "formations"


def test_merge_moves_codings_and_collapses_duplicates(team):
    result = run(team, "codebook", "merge", "legitimite", "charge", "--by", "Samia")
    assert result.exit_code == 0, result.output
    assert "2 extrait(s) codé(s) déplacé(s), 1 doublon(s) réuni(s)" in result.output
    cb = load_codebook(team.codebook_path)
    assert cb.code("legitimite") is None
    charge = cb.code("charge")
    assert "On me prend pas au sérieux." in charge.examples
    assert "La personne parle de sa place dans l'équipe." in charge.include
    with team.store() as store:
        # Claire's twin collapsed into her coding, memo kept; Samia's two codings moved.
        assert live(store, "charge") == [("Claire", 0, "à discuter"), ("Samia", 0, ""),
                                         ("Samia", 12, "")]  # fmt: skip
        assert live(store, "legitimite") == []
        assert "legitimite" not in store.code_ids()
        assert any(e[2] == "codebook-merge" and e[1] == "Samia" for e in store.audit_log())


def test_merge_takes_the_subcodes(team):
    assert run(team, "codebook", "merge", "charge", "formation", "--by", "S").exit_code == 0
    cb = load_codebook(team.codebook_path)
    assert cb.code("epuisement").parent_id == "formation"


def test_split_leaves_the_codings_and_says_so(team):
    result = run(team, "codebook", "split", "legitimite", "statut", "--label", "Statut",
                 "--by", "Samia")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Les 3 extrait(s) codé(s) restent sur « Légitimité »" in result.output
    ids = [c.id for c in load_codebook(team.codebook_path).codes]
    assert ids.index("statut") == ids.index("legitimite") + 1
    with team.store() as store:
        assert len(live(store, "legitimite")) == 3 and live(store, "statut") == []


def test_move_and_create_under_a_parent(team):
    assert (
        run(team, "codebook", "move", "formation", "--parent", "charge", "--by", "S").exit_code == 0
    )
    assert run(team, "codebook", "create", "cpf", "--label", "CPF", "--parent", "formation",
               "--by", "S").exit_code == 0  # fmt: skip
    cb = load_codebook(team.codebook_path)
    assert cb.code("formation").parent_id == "charge"
    assert cb.code("cpf").parent_id == "formation"
    assert cb.code("diplome").parent_id == "formation"
    with team.store() as store:
        assert {c.id: c.parent_id for c in store.codes()}["formation"] == "charge"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rename", "inconnu", "--label", "X"), "code inconnu : « inconnu »"),
        (("move", "charge", "--parent", "epuisement"), "cela ferait une boucle"),
        (("move", "charge", "--parent", "charge"), "son propre parent"),
        (("create", "formation", "--label", "Autre"), "l'identifiant « formation » existe déjà"),
        (("rename", "charge", "--id", "legitimite"), "l'identifiant « legitimite » existe déjà"),
        (("create", "Mauvais Id", "--label", "X"), "n'est pas un identifiant valide"),
        (("create", "nouveau", "--label", "  "), "libellé d'un code ne peut pas être vide"),
        (("rename", "charge", "--label", ""), "libellé d'un code ne peut pas être vide"),
        (("color", "charge", "rouge"), "couleur invalide « rouge »"),
        (("merge", "charge", "charge"), "avec lui-même"),
        (("merge", "charge", "epuisement"), "sous-code de « charge »"),
        (("remove", "legitimite"), "le code « legitimite » a 3 extrait(s) codé(s) : « Doc » (3)"),
        (("remove", "formation"), "a des sous-codes"),
        (("define", "charge"), "rien à changer"),
        (("move", "charge"), "soit --parent CODE, soit --top"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(team, args, message):
    before = team.codebook_path.read_bytes()
    snapshot = db_snapshot(team.db_path)
    result = run(team, "codebook", *args, "--by", "Samia")
    assert result.exit_code != 0
    assert message in result.output
    assert result.output.startswith("Erreur : ")
    assert team.codebook_path.read_bytes() == before
    assert db_snapshot(team.db_path) == snapshot


def test_who_edits_must_be_known(tmp_path):
    from recits.project import Project

    project = Project.init(tmp_path / "p")  # no default coder
    before = project.codebook_path.read_bytes()
    result = run(project, "codebook", "color", "formation", "#000000")
    assert result.exit_code == 1 and "--by NOM" in result.output
    assert project.codebook_path.read_bytes() == before


def test_a_codebook_changed_on_disk_since_read_is_not_overwritten(team):
    with team.store() as store:
        stale = editor(team, store)
        edited = TEAM_YAML.replace("# fin de la grille", "# fin de la grille (modifiée)")
        team.codebook_path.write_text(edited, encoding="utf-8")
        snapshot = db_snapshot(team.db_path)
        with pytest.raises(RecitsError, match="a changé sur le disque depuis sa lecture"):
            stale.recolour("charge", "#000000")
    assert team.codebook_path.read_text(encoding="utf-8") == edited
    assert db_snapshot(team.db_path) == snapshot


def test_a_failure_while_writing_the_file_rolls_the_database_back(team, monkeypatch):
    snapshot = db_snapshot(team.db_path)

    def broken_replace(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", broken_replace)
    with team.store() as store, pytest.raises(OSError):
        editor(team, store).merge("legitimite", "charge")
    assert team.codebook_path.read_text(encoding="utf-8") == TEAM_YAML
    assert db_snapshot(team.db_path) == snapshot
    assert not [p for p in team.codebook_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_commit_puts_the_file_back(team, monkeypatch):
    """The file is replaced last inside the transaction; if the commit then fails, the old
    file comes back and the database is as before."""
    snapshot = db_snapshot(team.db_path)
    with team.store() as store:
        ed = editor(team, store)
        real_write = store.write

        from contextlib import contextmanager

        @contextmanager
        def failing_commit():
            with real_write() as db:
                yield db
                raise RecitsError("échec de l'écriture en base (simulé)")

        monkeypatch.setattr(store, "write", failing_commit)
        with pytest.raises(RecitsError, match="simulé"):
            ed.rename("legitimite", new_id="reconnaissance")
    assert team.codebook_path.read_text(encoding="utf-8") == TEAM_YAML
    assert db_snapshot(team.db_path) == snapshot


def test_the_file_keeps_a_bom_and_windows_line_ends(project):
    raw = ("\ufeff" + TEAM_YAML.replace("\n", "\r\n")).encode("utf-8")
    project.codebook_path.write_bytes(raw)
    assert run(project, "codebook", "color", "charge", "#000000", "--by", "S").exit_code == 0
    assert project.codebook_path.read_bytes() == raw.replace(b"#d64541", b"#000000")


def test_the_default_codebook_round_trips_byte_for_byte(project):
    from recits.codebook_yaml import CodebookDocument

    text = Path(project.codebook_path).read_text(encoding="utf-8")
    assert CodebookDocument(text).text() == text


def test_a_codes_memos_follow_its_renames_and_merges(team):
    from recits.models.memos import Memo

    with team.store() as store:
        store.add_memos([Memo("", "code", "charge", "Samia", "à revoir", "2021-01-01")])
    assert (
        run(team, "codebook", "rename", "charge", "--id", "charge-mentale", "--by", "S").exit_code
        == 0
    )
    assert (
        run(team, "codebook", "merge", "charge-mentale", "legitimite", "--by", "S").exit_code == 0
    )
    with team.store() as store:
        assert [m.text for m in store.memos("code", "legitimite")] == ["à revoir"]
        assert store.memos("code", "charge") == store.memos("code", "charge-mentale") == []
