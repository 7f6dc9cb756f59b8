"""No English in the app: the command palette, the help, Textual's own messages."""

from __future__ import annotations

import re

from textual.command import CommandInput, CommandList, CommandPalette

from recits.tui.app import RecitsApp
from recits.tui.screens.help import HelpScreen
from tests.tui.test_coding import open_document

ENGLISH = ("Search", "Keys", "Maximize", "Minimize", "Quit", "Theme", "Screenshot", "No matches",
           "square bracket", "less than", "greater than", "sign", "Press", "pagedown")  # fmt: skip


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]


async def palette_lines(pilot) -> str:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    commands = pilot.app.screen.query_one(CommandList)
    return "\n".join(
        str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
    )


async def test_the_command_palette_is_french(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_document(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder == "Chercher une commande…"
        shown = await palette_lines(pilot)
        for command in ("Corpus", "Extraits", "Aide", "Agrandir", "Thème", "Quitter"):
            assert command in shown
        assert english_in(shown) == [], shown
        await pilot.press(*"zzqxw")
        shown = await palette_lines(pilot)
        await pilot.pause(0.7)  # Textual says « nothing matches » after half a second
        shown = await palette_lines(pilot)
        assert "Aucune commande ne correspond" in shown and english_in(shown) == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"Thème", "enter")  # the theme picker, in French too
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder.startswith("Chercher un thème")


async def test_help_names_keys_in_french_with_room_before_each_description(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_document(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert english_in(shown) == [], english_in(shown)
        lines = {line.split("  ")[-1].strip(): line for line in shown.splitlines()}
        assert lines["Tour précédent"].split() == ["[,", "ctrl+↑", "Tour", "précédent"]
        assert lines["Tour suivant"].split()[:2] == ["],", "ctrl+↓"]  # both keys, not only ]
        assert lines["Étendre le début d'un mot"].split()[0] == "<"
        assert lines["Étendre d'un mot"].split()[0] == "maj+→"
        assert lines["Page suivante"].split()[:2] == ["pg", "suiv"]
        assert lines["Retirer"].split()[:2] == ["x,", "suppr"]
        for line in shown.splitlines():
            if line.startswith("  ") and line.strip():
                assert "  " in line.strip(), f"no room between key and description: {line!r}"


async def test_ctrl_c_says_how_to_quit_in_french(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [f"{n.title} {n.message}" for n in app._notifications]
        assert any("ctrl+q" in m for m in said) and english_in(" ".join(said)) == []


async def test_toasts_and_the_memo_dialog_name_codes_by_their_label(tui_project):
    from recits.tui.screens.dialogs import MemoDialog

    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_document(pilot)
        await pilot.press("down", "2", "m")  # code n°2 is « Légitimité » (id legitimite)
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        title = str(app.screen.query_one(".dialog-title").render())
        assert title.startswith("Mémo — Légitimité — « Au début")
        await pilot.press("escape", "x", "u", "u")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "Codage « Légitimité » retiré (u pour annuler)." in said
        assert "Suppression de « Légitimité » annulée" in said
        assert "Codage « Légitimité » annulé" in said
        assert not [m for m in said if "legitimite" in m]
