"""Importing REFI-QDA files as other tools write them: every selection on its words."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, run
from tests.publishing import build
from tests.refi.builders import qde, qdpx, utf16
from tests.refi.test_export import export

FIXTURE = REPO / "tests" / "fixtures" / "refi"


def codings(project) -> list[tuple[str, str, str, str]]:
    with project.store() as store:
        return sorted((c.code_id, c.coder, c.text, c.memo) for c in store.codings())


def imported(project, path: Path) -> str:
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def test_hand_authored_fixture_imported_in_full(project, tmp_path):
    folder = tmp_path / "fixture"
    shutil.copytree(FIXTURE, folder)
    output = imported(project, folder / "project.qde")
    assert codings(project) == [
        ("diet", "Researcher A", "health are clo", ""),
        ("health", "Researcher A", "Diet and health",
         "Remember to follow up on diet-related comments."),
    ]  # fmt: skip
    codebook = project.codebook()
    health = codebook.code("health")
    assert health.parent_id == "topics" and health.color == "#33cc33"
    assert health.description == "Anything about physical or mental health"
    assert codebook.code("diet").parent_id == "health"
    assert codebook.code("charge-mentale") is not None  # the project's codes are kept
    assert "codes ajoutés à la grille (4) : Topics, Health, Diet, Wellbeing" in output
    assert "1 sélection(s) dont le texte diffère de leur nom" in output
    for skipped in ("photo.jpg", "interview.m4a", "clip.mp4"):
        assert f"non importé : « {skipped} »" in output
    # The PDF would go through recits' PDF importer, but the fixture has no PDF file.
    assert "non placé : « doc.pdf » : fichier absent de l'archive" in output
    # The codebook keeps its comments: the codes were appended.
    assert project.codebook_path.read_text(encoding="utf-8").startswith("# Grille de codage")


NVIVO_TEXT = (
    "Intervieweuse : Comment ça se passe 😀 au travail ?\r\n"
    "Karim : Franchement 🚀🚀 c'est dur, la charge mentale est énorme.\r\n"
    "Intervieweuse : Et la formation ?\r\n"
    "Karim : Le DU pair-aidance 🎓 m'a donné une légitimité.\r\n"
)


def test_nvivo_habits_utf16_offsets_over_crlf_with_emoji(project, tmp_path):
    wanted = ["la charge mentale est énorme", "Le DU pair-aidance 🎓 m'a donné une légitimité"]
    selections = []
    for n, words in enumerate(wanted):
        i = NVIVO_TEXT.index(words)
        start, end = utf16(NVIVO_TEXT, i), utf16(NVIVO_TEXT, i + len(words))
        selections.append((f"5000000{n}-0000-0000-0000-000000000000", words, start, end,
                           "20000000-0000-0000-0000-00000000000a",
                           "10000000-0000-0000-0000-00000000000b"))  # fmt: skip
    xml = qde(
        "Étude NVivo",
        [("10000000-0000-0000-0000-00000000000b", "Agnès")],
        [("20000000-0000-0000-0000-00000000000a", "Thèmes NVivo",
          [("20000000-0000-0000-0000-00000000000c", "Vécu", [])])],
        [("40000000-0000-0000-0000-000000000001", "Entretien Karim",
          "9f1c0000-0000-0000-0000-000000000001.txt", selections)],
    )  # fmt: skip
    path = qdpx(
        tmp_path / "nvivo.qdpx",
        {"project.qde": xml, "Sources/9f1c0000-0000-0000-0000-000000000001.txt":
         NVIVO_TEXT.encode("utf-8")},
    )  # fmt: skip
    output = imported(project, path)
    assert [c[2] for c in codings(project)] == sorted(wanted)
    assert {c[1] for c in codings(project)} == {"Agnès"}
    assert "positions de « Entretien Karim » : unités UTF-16 (comme NVivo)" in output
    assert "dossier « Sources/ » lu comme sources/" in output


def test_atlas_habits_qde_named_after_project_upper_case_guids(project, tmp_path):
    text = "Nadia : On m'a dit que sans diplôme je n'étais pas légitime.\nC'est fini, ça."
    words = "sans diplôme je n'étais pas légitime"
    start = text.index(words)
    code = "{B2A4C6E8-0000-4000-8000-00000000ABCD}"
    xml = qde(
        "Projet ATLAS",
        [("A1B2C3D4-0000-4000-8000-0000000000FF", "Léa")],
        [(code, "Légitimité", [])],
        [("C0FFEE00-0000-4000-8000-000000000001", "Réunion.txt",
          "C0FFEE00-0000-4000-8000-000000000002.txt",
          [("D0D0D0D0-0000-4000-8000-000000000001", words, start, start + len(words), code,
            "A1B2C3D4-0000-4000-8000-0000000000FF")])],
    )  # fmt: skip
    path = qdpx(
        tmp_path / "atlas.qdpx",
        {"Projet ATLAS.qde": xml, "sources/C0FFEE00-0000-4000-8000-000000000002.txt": text,
         "Projet ATLAS.root": "x"},
    )  # fmt: skip
    output = imported(project, path)
    # "Légitimité" is the project's own code: matched by its label, not added again.
    assert codings(project) == [("legitimite", "Léa", words, "")]
    assert "grille : aucun code ajouté" in output
    assert "projet lu dans « Projet ATLAS.qde »" in output
    assert "points de code (norme REFI-QDA)" in output


def test_missing_source_imports_the_rest_and_says_what_was_not_placed(project, tmp_path):
    text = "Samia : La réduction des risques, c'est la base."
    sel = (
        "50000000-0000-0000-0000-000000000001",
        "réduction des risques",
        11,
        32,
        "20000000-0000-0000-0000-000000000001",
        "10000000-0000-0000-0000-000000000001",
    )
    xml = qde(
        "Deux sources",
        [("10000000-0000-0000-0000-000000000001", "Léa")],
        [("20000000-0000-0000-0000-000000000001", "Réduction des risques", [])],
        [("40000000-0000-0000-0000-000000000001", "Présente", "aaaa.txt", [sel]),
         ("40000000-0000-0000-0000-000000000002", "Absente", "bbbb.txt", [sel])],
    )  # fmt: skip
    path = qdpx(tmp_path / "deux.qdpx", {"project.qde": xml, "sources/aaaa.txt": text})
    output = imported(project, path)
    assert codings(project) == [("reduction-des-risques", "Léa", "réduction des risques", "")]
    assert "non placé : « Absente » : fichier absent de l'archive" in output


def test_round_trip_recits_qdpx_fresh_project(project, tmp_path):
    from recits.project import Project

    build(project)
    with project.store() as store:
        coding = next(c for c in store.codings() if c.coder == "Samia" and c.code_id == "formation")
        store.set_coding_memo(coding.id, "À relire avec Nadia.", "Samia")
    path = export(project, "qdpx")
    fresh = Project.init(tmp_path / "neuf", coder="Zoé")
    output = imported(fresh, path)
    assert "2 document(s) importé(s)" in output and "aucun code ajouté" in output
    from tests.refi.test_export import read_qdpx

    _root, texts = read_qdpx(path)
    with fresh.store() as store:
        assert sorted(store.document_text(d.id) for d in store.documents()) == sorted(
            t.rstrip() for t in texts.values()
        )
        titles = sorted(d.title for d in store.documents())
    assert titles == ["Entretien", "Réunion"]
    got = codings(fresh)
    assert [(c[0], c[1]) for c in got] == [
        ("charge-mentale", "Claire"), ("formation", "Claire"), ("formation", "Samia"),
    ]  # fmt: skip
    assert got[0][2].startswith("Moi je suis arrivée au CAARUD en 2018 ; Yanis m'a aidée.")
    assert got[2][2:] == ("La formation, on me", "À relire avec Aurore.")
    assert [c.id for c in fresh.codebook().codes] == [c.id for c in project.codebook().codes]
    # Imported again: nothing doubles.
    again = imported(fresh, path)
    assert "0 document(s) importé(s), 2 déjà présent(s)" in again
    assert len(codings(fresh)) == 3


def test_qdc_into_a_project_adds_new_codes_and_keeps_the_others(project, tmp_path):
    qdc = tmp_path / "grille.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '<Codes><Code guid="20000000-0000-0000-0000-000000000001" name="Formation"'
        ' isCodable="true"/><Code guid="20000000-0000-0000-0000-000000000002" name="Pair-aidance"'
        ' isCodable="true" color="#123456"><Description>Aider entre pairs.</Description>'
        '<Code guid="20000000-0000-0000-0000-000000000003" name="Supervision" isCodable="true"/>'
        "</Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    before = [c.id for c in project.codebook().codes]
    output = imported(project, qdc)
    assert "codes ajoutés à la grille (2) : Pair-aidance, Supervision" in output
    codebook = project.codebook()
    assert [c.id for c in codebook.codes][: len(before)] == before
    assert codebook.code("pair-aidance").color == "#123456"
    assert codebook.code("supervision").parent_id == "pair-aidance"
    with project.store() as store:
        assert "supervision" in store.code_ids()
