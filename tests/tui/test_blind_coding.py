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
