"""Blind coding (b): nothing on screen tells what the other coders did."""

from __future__ import annotations

from textual.widgets import OptionList

from recits.tui.app import RecitsApp
from recits.tui.screens.codebook import CodebookScreen
from recits.tui.screens.coding import CodingScreen
from tests.tui.test_screens import code

SIZE = (120, 36)


def prompts(screen, selector: str) -> str:
    options = screen.query_one(selector, OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_blind_counts_only_my_codings_everywhere_and_stays_on(tui_project):
    code(tui_project, "Au début", "legitimite", "Claire")
    code(tui_project, "Maintenant", "legitimite", "Claire")
    code(tui_project, "Je suis", "legitimite", "Samia")
    app = RecitsApp(tui_project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert "Légitimité (3)" in prompts(screen, "#codes")
        await pilot.press("b")
        await pilot.pause()
        assert "Légitimité (1)" in prompts(screen, "#codes")
        assert any("aveugle" in n.message for n in app._notifications)
        await pilot.press("f6")  # the codebook screen counts this coder's codings too
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert "Légitimité (1)" in prompts(app.screen, "#codebook-list")
        await pilot.press("f2", "enter")  # opening a document again: still blind
        await pilot.pause()
        assert app.screen is screen and screen.session.hide_others
        assert "Légitimité (1)" in prompts(screen, "#codes")
        assert {c.coder for c in screen.session.visible_codings()} == {"Samia"}
        await pilot.press("b")  # the others' work is shown again
        await pilot.pause()
        assert "Légitimité (3)" in prompts(screen, "#codes")
        await pilot.press("f6")
        await pilot.pause()
        assert "Légitimité (3)" in prompts(app.screen, "#codebook-list")


async def test_blind_excerpts_and_progress_are_only_mine(tui_project):
    """F4 lists no one else's excerpts, offers no one else as « codé par », and the corpus
    shows only my progress; b again and everyone's work is back."""
    from textual.widgets import DataTable, Select

    from recits.tui.screens.corpus import CorpusScreen
    from recits.tui.screens.retrieve import RetrieveScreen

    code(tui_project, "Au début", "legitimite", "Claire")
    code(tui_project, "Maintenant", "formation", "Claire")
    code(tui_project, "Je suis", "legitimite", "Samia")
    app = RecitsApp(tui_project, "Samia", preload_model=False)

    async def excerpts_shown() -> tuple[set[str], int, list[str]]:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        offered = [str(label) for label, _v in screen._offered["coder"]]
        return {e.coding.coder for e in screen.excerpts}, len(screen.excerpts), offered

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        coders, count, offered = await excerpts_shown()
        assert coders == {"Claire", "Samia"} and count == 3
        await pilot.press("f2", "enter")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        coders, count, offered = await excerpts_shown()
        assert (coders, count, offered) == ({"Samia"}, 1, ["Samia"])
        retrieve = app.screen
        assert "codage à l'aveugle" in str(retrieve.query_one("#retrieve-count").render())
        table = retrieve.query_one(DataTable)
        shown = " ".join(str(table.get_row_at(i)) for i in range(table.row_count))
        assert "Claire" not in shown and "Au début" not in shown
        assert retrieve.query_one("#coder", Select).value in (Select.BLANK, Select.NULL)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        corpus = app.screen
        assert isinstance(corpus, CorpusScreen)
        row = " ".join(str(c) for c in corpus.query_one(DataTable).get_row_at(0))
        assert "Samia" in row and "Claire" not in row
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("b")  # seeing everyone again
        await pilot.pause()
        coders, count, _offered = await excerpts_shown()
        assert coders == {"Claire", "Samia"} and count == 3
