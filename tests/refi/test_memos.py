"""Notes on a source, a code or the project: memos in recits, and Notes again in a .qdpx."""

from __future__ import annotations

import shutil

from tests.publishing import build
from tests.refi.builders import qde, qdpx
from tests.refi.test_import import FIXTURE, imported

USER = "10000000-0000-0000-0000-00000000000b"
CODE = "20000000-0000-0000-0000-00000000000a"
SOURCE = "40000000-0000-0000-0000-000000000001"
TEXT = "Karim : Le DU pair-aidance m'a donné une légitimité.\n"


def note(guid: str, text: str, user: str | None = USER) -> str:
    who = f' creatingUser="{user}" creationDateTime="2024-03-05T10:00:00Z"' if user else ""
    content = f"<PlainTextContent>{text}</PlainTextContent>"
    return f'<Note guid="{guid}" name="mémo"{who}>{content}</Note>'


def notes_qdpx(tmp_path):  # type: ignore[no-untyped-def]
    words = "Le DU pair-aidance"
    start = TEXT.index(words)
    xml = qde(
        "Étude",
        [(USER, "Agnès")],
        [(CODE, "Légitimité par la formation", [])],
        [(SOURCE, "Entretien Karim", "a1.txt",
          [("50000000-0000-0000-0000-000000000000", words, start, start + len(words), CODE,
            USER)])],
    )  # fmt: skip
    xml = xml.replace(
        "</PlainTextSelection></TextSource>",
        "</PlainTextSelection><NoteRef"
        ' targetGUID="a0000000-0000-0000-0000-000000000001"/></TextSource>',
    )
    xml = xml.replace(
        'isCodable="true">',
        'isCodable="true"><NoteRef targetGUID="a0000000-0000-0000-0000-000000000002"/>',
    )
    notes = (
        note("a0000000-0000-0000-0000-000000000001", "Entretien fait au local.")
        + note("a0000000-0000-0000-0000-000000000002", "Code à scinder ?", None)
        + note("a0000000-0000-0000-0000-000000000003", "Projet commencé en mars.")
        + note("a0000000-0000-0000-0000-000000000004", "Note orpheline.")
    )
    xml = xml.replace(
        "</Sources></Project>",
        f"</Sources><Notes>{notes}</Notes>"
        '<NoteRef targetGUID="a0000000-0000-0000-0000-000000000003"/></Project>',
    )
    return qdpx(tmp_path / "notes.qdpx", {"project.qde": xml, "sources/a1.txt": TEXT})


def memos(project) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    with project.store() as store:
        titles = {d.id: d.title for d in store.documents()}
        return sorted(
            (m.target_type, titles.get(m.target_id or "", m.target_id or ""), m.author, m.text)
            for m in store.memos()
        )


def test_document_code_and_project_notes_become_memos(project, tmp_path):
    path = notes_qdpx(tmp_path)
    output = imported(project, path)
    assert memos(project) == [
        # A note without its user is the importing coder's.
        ("code", "legitimite-par-la-formation", "Claire", "Code à scinder ?"),
        ("document", "Entretien Karim", "Agnès", "Entretien fait au local."),
        ("project", "", "Agnès", "Projet commencé en mars."),
    ]
    assert "1 mémo(s) de document" in output
    assert "1 mémo(s) de code" in output
    assert "1 mémo(s) de projet" in output
    assert "1 note(s) rattachée(s) à rien que recits connaisse" in output
    with project.store() as store:
        dated = {m.text: m.created_at for m in store.memos()}
    assert dated["Projet commencé en mars."].startswith("2024-03-05T10:00:00")
    # Imported again: nothing doubles.
    imported(project, path)
    assert len(memos(project)) == 3


def test_hand_authored_fixture_project_note_becomes_a_project_memo(project, tmp_path):
    folder = tmp_path / "fixture"
    shutil.copytree(FIXTURE, folder)
    output = imported(project, folder / "project.qde")
    assert memos(project) == [
        ("project", "", "Claire", "Remember to follow up on diet-related comments.")
    ]
    assert "1 mémo(s) de projet" in output


def add_memos(project) -> None:  # type: ignore[no-untyped-def]
    from recits.models.memos import Memo

    with project.store() as store:
        docs = {d.title: d.id for d in store.documents()}
        store.add_memos(
            [
                Memo("", "document", docs["Entretien"], "Samia", "Revoir avec Nadia.", ""),
                Memo("", "code", "formation", "Claire", "Code central.", ""),
                Memo("", "project", None, "Samia", "Projet de l'équipe.", ""),
            ]
        )


def test_memos_leave_as_masked_notes_on_their_source_code_and_project(project):
    from lxml import etree

    from recits.exports.refi.schema import guid, schema
    from recits.masking import fold
    from tests.refi.test_export import NS, REAL_NAMES, export, read_qdpx

    build(project)
    add_memos(project)
    root, _texts = read_qdpx(export(project, "qdpx"))
    assert schema("project").validate(root), schema("project").error_log
    everything = etree.tostring(root, encoding="unicode")
    for name in REAL_NAMES:
        assert fold(name) not in fold(everything)
    notes = {n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
             for n in root.findall(".//q:Note", NS)}  # fmt: skip
    with project.store() as store:
        wanted = {m.text: guid(m.id) for m in store.memos()}
        entretien = next(d.id for d in store.documents() if d.title == "Entretien")
        formation = store.code_uuids()["formation"]
    assert notes[wanted["Revoir avec Nadia."]] == "Revoir avec Aurore."  # masked
    source = root.find(f".//q:TextSource[@guid='{guid(entretien)}']", NS)
    assert [r.get("targetGUID") for r in source.findall("q:NoteRef", NS)] == [
        wanted["Revoir avec Nadia."]
    ]
    code = root.find(f".//q:Code[@guid='{guid(formation)}']", NS)
    assert [r.get("targetGUID") for r in code.findall("q:NoteRef", NS)] == [wanted["Code central."]]
    assert [r.get("targetGUID") for r in root.findall("q:NoteRef", NS)] == [
        wanted["Projet de l'équipe."]
    ]


def test_round_trip_keeps_the_memos(project, tmp_path):
    from recits.project import Project
    from tests.refi.test_export import export

    build(project)
    add_memos(project)
    path = export(project, "qdpx")
    fresh = Project.init(tmp_path / "neuf", coder="Zoé")
    imported(fresh, path)
    assert memos(fresh) == [
        ("code", "formation", "Claire", "Code central."),
        ("document", "Entretien", "Samia", "Revoir avec Aurore."),
        ("project", "", "Samia", "Projet de l'équipe."),
    ]


def test_an_unreviewed_name_in_a_project_memo_refuses_the_export(project, tmp_path):
    from recits.models.memos import Memo
    from tests.conftest import db_snapshot, run

    build(project)
    with project.store() as store:
        store.add_memos([Memo("", "project", None, "Samia", "Appeler Bérengère lundi.", "")])
    before = db_snapshot(project.db_path)
    out = tmp_path / "projet.qdpx"
    result = run(project, "export", "qdpx", "--out", str(out))
    assert result.exit_code != 0
    assert "Bérengère" in result.stderr and "export refusé" in result.stderr
    assert not out.exists()
    assert db_snapshot(project.db_path) == before


def test_show_prints_a_documents_memos_and_json_has_them(project, tmp_path):
    import json

    from tests.conftest import run

    imported(project, notes_qdpx(tmp_path))
    result = run(project, "show", "Entretien Karim")
    assert result.exit_code == 0, result.output
    shown = "Mémos du document (1) :\n  Agnès, 2024-03-05 : Entretien fait au local."
    assert shown in result.output
    data = json.loads(run(project, "show", "Entretien Karim", "--json").output)
    assert [(m["author"], m["text"]) for m in data["memos"]] == [
        ("Agnès", "Entretien fait au local.")
    ]
