"""Written documents in the app: say where one comes from (F2, e), see its pages and sections."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen
from recits.tui.screens.source_dialog import SourceDialog
from tests.exports.test_published_sources import SOURCE, add_report

SIZE = (120, 36)


async def test_the_corpus_screen_edits_a_documents_source_with_who_did_it(project):
    add_report(project, published=False, source=None)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SourceDialog)
        app.screen.query_one("#source-reference", Input).value = SOURCE
        await pilot.press("tab", "space")  # tick « Publié »
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SourceDialog)
    with project.store() as store:
        (document,) = store.documents()
        assert (document.source, document.published) == (SOURCE, True)
        at, actor, action, details = store.audit_log()[0]
        assert (actor, action, details["published"]) == ("Samia", "document-source", True)


async def test_published_without_a_reference_is_refused_in_the_dialog(project):
    add_report(project, published=False, source=None)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e", "tab", "space", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SourceDialog)  # stays open to correct it
        await pilot.press("escape")
    with project.store() as store:
        assert not store.documents()[0].published


async def test_the_coding_view_and_excerpts_show_page_and_section(project):
    add_report(project)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        transcript = screen.transcript
        headers = [
            transcript.render_line(i).text.strip()
            for i, line in enumerate(transcript.lines)
            if line.kind == "speaker" and i < transcript.size.height
        ]
        assert "p. 11 · 1. Le collectif" in headers and "p. 12 · 1. Le collectif" in headers
        statuses = []
        for _ in range(4):  # from the heading to the paragraphs under it
            await pilot.press("down")
            await pilot.pause()
            statuses.append(str(screen.query_one("#status", Static).render()))
        assert statuses[0].startswith("¶ p. 11 · ")
        assert any(s.startswith("¶ p. 11 · 1. Le collectif · phrase") for s in statuses)
        await pilot.press("f4")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [str(table.get_cell_at((row, 2))) for row in range(table.row_count)]
        assert "p. 11 · 1. Le collectif" in cells and "p. 12 · 1. Le collectif" in cells


async def test_the_corpus_screen_shows_the_source_of_the_document_under_the_cursor(project):
    add_report(project)  # published, with its reference
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.screen.query_one("#document-source", Static)
        assert str(line.render()) == f"Source publiée : {SOURCE}"[:78]
        assert line.region.height == 1 and line.region.y < 24  # on screen at 80×24
        await pilot.press("e", "tab", "space", "ctrl+s")  # untick « Publié »
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(line.render()).startswith("Source non publiée : Rapport d'activités")
        await pilot.press("slash")
        await pilot.press(*"AuRA")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1  # the filter reads sources too
