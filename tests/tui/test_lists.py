"""Search hits, excerpts and the corpus: kept while a passage is read, titles told apart at
80 columns, an excerpt read whole."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, SelectionList

from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen
from recits.tui.screens.corpus import CorpusScreen
from recits.tui.screens.excerpt import ExcerptReader
from recits.tui.screens.retrieve import RetrieveScreen
from recits.tui.screens.search import SearchScreen
from tests.conftest import run

SMALL = (80, 24)
TITLE = "Réunion du collectif des travailleurs et travailleuses pairs de la région"
LONG = (
    "Moi ce qui m'a aidée, c'est le collectif, vraiment, parce qu'on parle entre nous de ce"
    " qu'on vit sur le terrain, des équipes qui nous voient encore comme des usagères, de la"
    " fatigue du soir, et on repart avec des idées pour le lendemain."
)


@pytest.fixture
def meetings(tui_project, tmp_path):
    """Two meetings whose titles differ only at the end, each with a coded passage."""
    for date, where, words in (("2021-03-16", "visio", "On parle du collectif."),
                               ("2021-05-18", "18 mai 2021", LONG)):  # fmt: skip
        path = tmp_path / f"{date}.txt"
        path.write_text(f"Fatou : {words}\nJo : Oui.\n", encoding="utf-8")
        title = f"{TITLE} ({where})"
        assert run(tui_project, "import", str(path), "--title", title, "--date", date,
                   "--kind", "réunion du collectif").exit_code == 0  # fmt: skip
    with tui_project.store() as store:
        for document in store.documents():
            if document.title.startswith("Réunion"):
                text = store.document_text(document.id)
                start = text.index(": ") + 2
                end = text.index("\n")
                store.add_coding(NewCoding(document.id, start, end, "formation", "Samia",
                                           memo="à relire ensemble"))  # fmt: skip
    return tui_project


def shown(table: DataTable) -> list[str]:
    """The lines the table paints, as the user sees them."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def painted(pilot, table: DataTable, needle: str) -> list[str]:
    """What the table paints once it has measured its columns (it does when idle, after the
    rows came): waits for `needle` to show, a bounded number of times."""
    for _ in range(20):
        if any(needle in line for line in shown(table)):
            break
        await pilot.pause()
    return shown(table)


def row_showing(table: DataTable, needle: str) -> str:
    return next(line for line in shown(table) if needle in line)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_search_query_and_hits_are_kept_after_reading_a_hit(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f5", *"educateurs", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("escape")  # back to the hits, as they were left
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "educateurs"
        assert any("éducateurs" in line for line in shown(app.screen.query_one(DataTable)))
        await pilot.press("f2", "f5")  # and from the corpus too
        await pilot.pause()
        assert app.screen.query_one(Input).value == "educateurs"
        assert app.screen.query_one(DataTable).row_count == 1


async def test_the_excerpt_filters_and_row_are_kept_after_reading_a_passage(meetings):
    app = RecitsApp(meetings, "Claire", preload_model=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrieveScreen) and len(screen.excerpts) == 2
        screen.query_one(SelectionList).select("formation")
        await settle(pilot)
        table = screen.query_one(DataTable)
        table.focus()
        await pilot.press("down", "enter")  # the second meeting's excerpt
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.session.document.title.endswith("(18 mai 2021)")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one(SelectionList).selected == ["formation"]
        assert table.cursor_row == 1 and table.has_focus
        assert any("2021-05-18" in line for line in await painted(pilot, table, "2021-05-18"))
        await pilot.press("f2", "f4")
        await settle(pilot)
        assert app.screen is screen and screen.query_one(SelectionList).selected == ["formation"]
        assert table.cursor_row == 1


async def test_what_was_coded_while_reading_shows_when_coming_back(meetings):
    app = RecitsApp(meetings, "Claire", preload_model=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        screen.query_one(DataTable).focus()
        await pilot.press("enter", "4")  # code the passage reached with the 4th code too
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.excerpts) == 3


async def test_the_two_meetings_are_told_apart_at_80_columns(meetings):
    app = RecitsApp(meetings, "Claire", preload_model=False)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        corpus = app.screen.query_one(DataTable)
        assert isinstance(app.screen, CorpusScreen)
        assert "2021-03-16" in row_showing(corpus, "(visio)")
        assert "2021-05-18" in row_showing(corpus, "(18 mai 2021)")
        await pilot.press("f4")
        await settle(pilot)
        excerpts = await painted(pilot, app.screen.query_one(DataTable), "(visio)")
        assert any("2021-03-16" in line and "(visio)" in line for line in excerpts)
        assert any("2021-05-18" in line and "mai 2021)" in line for line in excerpts)
        await pilot.press("f5", *"collectif", "enter")
        await pilot.pause()
        hits = await painted(pilot, app.screen.query_one(DataTable), "(visio)")
        assert any("2021-03-16" in line and "(visio)" in line for line in hits)


async def test_an_excerpt_is_read_whole_with_its_context_and_memo(meetings):
    app = RecitsApp(meetings, "Claire", preload_model=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        screen.query_one(DataTable).focus()
        await pilot.press("v")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ExcerptReader)
        body = str(reader.query_one("#excerpt-body").render())
        assert "On parle du collectif." in body and "(visio)" in body
        await pilot.press("down")  # the next excerpt, whole: the table cuts it at 80 columns
        await pilot.pause()
        body = str(reader.query_one("#excerpt-body").render())
        assert " ".join(LONG.split()) in " ".join(body.split())
        assert "Mémo : à relire ensemble" in body and "codé par Samia" in body
        assert "extrait 2/2" in str(reader.query_one("#excerpt-title").render())
        await pilot.press("escape")  # the list follows the reading
        await settle(pilot)
        assert app.screen is screen and screen.query_one(DataTable).cursor_row == 1
        await pilot.press("v", "enter")  # from the reader to the passage, then back
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.session.selected_text.startswith("Moi ce qui m'a aidée")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_a_renamed_coder_shows_by_the_new_name_in_f4_and_the_coding_view(meetings):
    from textual.widgets import OptionList

    renamed = run(meetings, "coders", "rename", "Samia", "Samira")
    assert renamed.exit_code == 0, renamed.output
    app = RecitsApp(meetings, "Claire", preload_model=False)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        assert {e.coding.coder for e in screen.excerpts} == {"Samira"}
        table = screen.query_one(DataTable)
        lines = await painted(pilot, table, "Samira")
        assert any("Samira" in line for line in lines)
        assert not any("Samia" in line for line in lines)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        options = app.screen.query_one("#passage-codings", OptionList)
        shown_codings = [str(options.get_option_at_index(i).prompt) for i in
                         range(options.option_count)]  # fmt: skip
        assert shown_codings and all("— Samira" in s for s in shown_codings)
