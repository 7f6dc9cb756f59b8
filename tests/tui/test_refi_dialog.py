"""REFI-QDA in the app, driven with the pilot: from the command palette and the export screen,
the file written (valid against the schemas, no real name), what an import puts in the store,
and bad files refused in French with the project unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from textual.widgets import Input, ProgressBar, Select

from recits.exports.refi.schema import schema
from recits.masking import fold
from recits.project import Project
from recits.tui.app import RecitsApp
from recits.tui.screens.export import ExportScreen
from recits.tui.screens.refi import RefiDialog
from tests.conftest import db_snapshot, run
from tests.publishing import build
from tests.refi.test_export import NS, read_qdpx
from tests.tui.test_publish_screens import SIZE, messages, open_screen, settle, shown

REAL_NAMES = ("Nadia", "Karim", "Bruno", "Nadou")
QDC = (
    '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
    '<Codes><Code guid="20000000-0000-0000-0000-000000000002" name="Pair-aidance"'
    ' isCodable="true" color="#123456"><Description>Aider entre pairs.</Description></Code>'
    "</Codes></CodeBook>"
)


async def from_palette(pilot, command: str) -> RefiDialog:
    await pilot.pause()
    await pilot.press("ctrl+p", *command)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, RefiDialog)
    return dialog


async def submit(pilot, dialog: RefiDialog, path: str | None = None) -> None:
    field = dialog.query_one("#refi-path", Input)
    if path is not None:
        field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_palette_export_writes_a_valid_masked_qdpx_in_exports(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await from_palette(pilot, "Export REFI")
        proposed = dialog.query_one("#refi-path", Input).value
        assert proposed.startswith(str(project.exports_dir)) and proposed.endswith(".qdpx")
        await submit(pilot, dialog)
        assert "Écrit" in shown(dialog, "#refi-report")
        assert "[passage retiré]" in shown(dialog, "#refi-report")
        assert dialog.query_one(ProgressBar).percentage == 1
    [path] = project.exports_dir.iterdir()
    assert str(path) == proposed
    root, texts = read_qdpx(path)
    assert schema("project").validate(root), schema("project").error_log
    everything = etree.tostring(root, encoding="unicode") + "\n".join(texts.values())
    assert all(fold(name) not in fold(everything) for name in REAL_NAMES)
    assert [c.get("name") for c in root.findall(".//q:Case", NS)] == ["Aurore"]
    with project.store() as store:
        assert [r.format for r in store.export_records()] == ["qdpx"]


async def test_export_screen_ctrl_e_writes_the_codebook_as_qdc(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f7", ExportScreen)
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RefiDialog)
        dialog.query_one("#refi-action", Select).value = "qdc"
        await settle(pilot)
        path = dialog.query_one("#refi-path", Input).value
        assert path.endswith(".qdc") and not dialog.query_one("#refi-scope").display
        await submit(pilot, dialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
    root = etree.fromstring(Path(path).read_bytes())
    assert schema("codebook").validate(root), schema("codebook").error_log
    assert root.find(".//c:Code", NS).get("name") == "Charge mentale"


async def test_an_unreviewed_name_refuses_the_export_in_french_and_writes_nothing(project):
    build(project, review_names=False)
    before = db_snapshot(project.db_path)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await from_palette(pilot, "Export REFI")
        await submit(pilot, dialog)
        assert "« Bruno »" in shown(dialog, "#refi-report")
        assert dialog.query_one(ProgressBar).percentage == 0
        assert any("Export refusé, rien n'a été écrit" in m for m in messages(app))
    assert list(project.exports_dir.iterdir()) == []
    assert db_snapshot(project.db_path) == before


async def test_palette_import_puts_documents_codings_and_codes_in_the_store(project, tmp_path):
    build(project)
    assert run(project, "export", "qdpx", "--out", str(tmp_path / "a.qdpx")).exit_code == 0
    fresh = Project.init(tmp_path / "neuf", coder="Zoé")
    (tmp_path / "grille.qdc").write_text(QDC, encoding="utf-8")
    app = RecitsApp(fresh, "Zoé", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await from_palette(pilot, "Importer REFI")
        await submit(pilot, dialog, str(tmp_path / "a.qdpx"))
        assert "2 document(s) importé(s)" in shown(dialog, "#refi-report")
        await submit(pilot, dialog, str(tmp_path / "grille.qdc"))
        assert "Pair-aidance" in shown(dialog, "#refi-report")
        assert "pair-aidance" in [c.id for c in app.codes]  # the app's codebook reloaded
    with fresh.store() as store:
        assert sorted(d.title for d in store.documents()) == ["Entretien", "Réunion"]
        got = sorted((c.code_id, c.coder) for c in store.codings())
    assert got == [("charge-mentale", "Claire"), ("formation", "Claire"), ("formation", "Samia")]


async def test_a_bad_file_is_refused_in_french_and_the_project_is_unchanged(project, tmp_path):
    bomb = tmp_path / "piege.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "x">]><p/>')
    before = db_snapshot(project.db_path)
    codebook = project.codebook_path.read_bytes()
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await from_palette(pilot, "Importer REFI")
        for bad in (bomb, tmp_path / "absent.qdpx", tmp_path / "notes.txt"):
            await submit(pilot, dialog, str(bad))
            assert "import impossible" in shown(dialog, "#refi-report")
            assert str(bad.name) in shown(dialog, "#refi-report")
        assert sum("import impossible" in m for m in messages(app)) == 3
    assert db_snapshot(project.db_path) == before
    assert project.codebook_path.read_bytes() == codebook
