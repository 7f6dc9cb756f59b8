"""The app's import dialog offers PDFs and imports them; a scan is refused, saying why."""

from __future__ import annotations

from textual.widgets import Input, Label

from recits.tui.app import RecitsApp
from recits.tui.screens.importing import ImportDialog
from tests.importers.test_pdf import scanned
from tests.pdf_report import TUNED, write_pdf


async def test_a_pdf_report_imports_from_the_dialog(tui_project, tmp_path):
    folder = tmp_path / "rapports"
    folder.mkdir()
    write_pdf(folder / "rapport.pdf", TUNED, paragraphs=8, seed=3)
    scanned(folder / "scan.pdf")
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        assert ".pdf" in str(dialog.query_one(".dialog-title", Label).render())
        dialog.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(dialog.query_one("#import-report", Label).render())
        assert "1 refusé(s)" in report and "scan.pdf" in report
        assert "ne contient pas de texte" in report
    with tui_project.store() as store:
        document = next(d for d in store.documents() if d.title == "rapport")
        turns = store.turns(document.id)
    assert turns[0].kind == "heading" and turns[1].section == turns[0].text
    assert all(t.page for t in turns)
