"""The coding view driven with the pilot: what the user does ends up in the store."""

from __future__ import annotations

import subprocess
import sys

from textual.widgets import Input, TextArea

from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen
from recits.tui.screens.dialogs import CodePicker, MemoDialog
from recits.tui.widgets.findbar import FindBar
from tests.conftest import run

SIZE = (120, 36)


async def open_document(pilot) -> CodingScreen:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen)
    return screen


def live(project, **filters):
    with project.store() as store:
        return store.codings(**filters)


async def test_digit_codes_the_selected_sentence_with_offsets_text_and_coder(tui_project):
    app = RecitsApp(tui_project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot)
        await pilot.press("down", "2")  # 2nd sentence; code n°2 of the codebook
        await pilot.pause()
        expected = "Au début les éducateurs me voyaient comme une usagère."
        assert screen.session.selected_text == expected
    [coding] = live(tui_project)
    text = tui_project.store().document_text(coding.document_id)
    assert (coding.code_id, coding.coder, coding.origin) == ("legitimite", "Samia", "manual")
    assert coding.text == expected == text[coding.start_char : coding.end_char]


async def test_turn_selection_word_resizing_remove_and_undo(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot)
        await pilot.press("down", "t", "1")
        await pilot.pause()
        [coding] = live(tui_project)
        assert coding.text.startswith("Au début") and coding.text.endswith("à part entière.")
        await pilot.press("x")
        await pilot.pause()
        assert live(tui_project) == []
        await pilot.press("u")  # undo the removal: the same coding is back
        await pilot.pause()
        assert [c.id for c in live(tui_project)] == [coding.id]
        await pilot.press("u")  # undo the coding itself
        await pilot.pause()
        assert live(tui_project) == []
        await pilot.press("s", "shift+left", "shift+left", "greater_than_sign", "shift+right", "4")
        await pilot.pause()
    [resized] = live(tui_project)
    assert resized.text == "début les éducateurs me voyaient comme une usagère"


async def test_memo_and_fuzzy_picker(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot)
        await pilot.press("]", "]", "]")  # Nadia's second turn
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"forma", "enter")
        await pilot.pause()
        [coding] = live(tui_project)
        assert coding.code_id == "formation" and coding.text == "J'ai fait le DU, c'était dur."
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"DU pair-aidance", "ctrl+s")
        await pilot.pause()
        assert live(tui_project)[0].memo == "DU pair-aidance"
        await pilot.press("u")
        await pilot.pause()
        assert live(tui_project)[0].memo == ""


async def test_next_uncoded_and_blind_coding(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot)
        await pilot.press("1")  # first sentence coded by Claire
        await pilot.pause()
        await pilot.press("home", "n")
        await pilot.pause()
        assert screen.session.cursor == 1
        doc = screen.session.document.id
        text = screen.session.text
        start = text.index("Maintenant")
        code = [sys.executable, "-m", "recits", "code", doc, str(start), str(start + 10),
                "formation", "--coder", "Samia", "--project", str(tui_project.root)]  # fmt: skip
        result = subprocess.run(code, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        await pilot.pause(2.2)  # another process's coding shows up within 2 s
        assert any(c.coder == "Samia" for c in screen.session.codings)
        assert screen.session.cursor == 1  # the cursor did not move
        await pilot.press("b")
        await pilot.pause()
        assert all(c.coder == "Claire" for c in screen.session.visible_codings())
        assert screen.transcript._line_codings  # Claire's own coding is still drawn
        await pilot.press("b")


async def test_errors_become_notifications_not_tracebacks(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot)
        await pilot.press("9", "x", "u")  # no 9th code, nothing to remove, nothing to undo
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("n'a que 4 codes" in m for m in messages)
        assert any("Aucun codage" in m for m in messages)
        assert any("rien à annuler" in m for m in messages)
    assert live(tui_project) == []


async def test_mouse_click_moves_the_cursor_and_drag_selects_words(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot)
        transcript = screen.transcript
        text = screen.session.text
        line = next(
            i
            for i, ln in enumerate(transcript.lines)
            if ln.kind == "text" and text[ln.start_char : ln.end_char].startswith("J'ai fait")
        )
        y = line - int(transcript.scroll_offset.y)
        await pilot.click(transcript, offset=(10, y))
        await pilot.pause()
        assert screen.session.selected_text == "J'ai fait le DU, c'était dur."
        # Drag from inside "fait" to inside "DU": whole words are selected.
        await pilot.mouse_down(transcript, offset=(4 + 6, y))
        await pilot.mouse_up(transcript, offset=(4 + 14, y))
        await pilot.pause()
        assert screen.session.selected_text == "fait le DU"
        await pilot.press("3")
        await pilot.pause()
    [coding] = live(tui_project)
    assert (coding.text, coding.code_id) == ("fait le DU", "reduction-des-risques")


def shown_count(screen: CodingScreen) -> str:
    return str(screen.query_one("#find-count").render())


async def test_slash_finds_in_the_document_ignoring_case_and_accents(tui_project):
    """`/` opens a find line: each key typed moves to the first occurrence after the cursor;
    Enter or ↓ the next, ↑ the previous (wrapping round), Esc closes and stays there."""
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(pilot)
        text = screen.session.text
        await pilot.press("slash", *"EDUCATEURS")
        await pilot.pause()
        assert screen.find_bar.display and shown_count(screen) == "1/1"
        assert "éducateurs" in screen.session.selected_text
        start = text.index("éducateurs")
        assert screen.transcript.matches == [(start, start + len("éducateurs"))]
        await pilot.press("escape")  # closes the find line, stays on the sentence
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen) and not screen.find_bar.display
        assert screen.transcript.matches == [] and screen.transcript.has_focus
        await pilot.press("1")
        await pilot.pause()
        assert live(tui_project)[0].text.startswith("Au début les éducateurs")
        await pilot.press("home", "slash", *"pair")  # what was looked for is replaced
        await pilot.pause()  # « pair-e aidante », then « pair·e·s »
        assert shown_count(screen) == "1/2" and "pair-e" in screen.session.selected_text
        await pilot.press("enter")
        await pilot.pause()
        assert shown_count(screen) == "2/2" and "pair·e·s" in screen.session.selected_text
        await pilot.press("enter")
        await pilot.pause()
        assert shown_count(screen) == "1/2 · reprise au début"
        await pilot.press("up")
        await pilot.pause()
        assert shown_count(screen) == "2/2 · reprise à la fin"
        await pilot.press("escape", "slash")
        screen.find_bar.query_one(Input).value = "j’ai fait"  # a curly apostrophe
        await pilot.pause()
        assert screen.session.selected_text == "J'ai fait le DU, c'était dur."
        cursor = screen.session.cursor
        await pilot.press(*"zz")
        await pilot.pause()
        assert shown_count(screen) == "aucune occurrence" and screen.session.cursor == cursor
        await pilot.press("escape", "escape")  # the find line, then the document
        await pilot.pause()
        assert not isinstance(app.screen, CodingScreen)


async def test_help_lists_the_keys_of_the_find_line(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for binding in FindBar.BINDINGS:
            assert binding.description in shown and binding.id
        assert "Chercher" in shown


async def test_a_selection_extends_across_turns_like_recits_code(tui_project):
    """Shift+→ past the end of a turn goes on into the next one (the speaker's label comes
    with it, as with `recits code`); < past the start of a turn, into the previous one."""
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot)
        await pilot.press("down", "down", "down")  # the last sentence of Nadia's first turn
        await pilot.pause()
        assert screen.session.selected_text == "Je suis pair-e aidante à part entière."
        await pilot.press("shift+right", "shift+right", "1")
        await pilot.pause()
        [coding] = live(tui_project)
        assert coding.text == "Je suis pair-e aidante à part entière.\nIntervieweuse : Et la"
        await pilot.press("shift+left", "shift+left")  # back to the end of the turn
        await pilot.pause()
        assert screen.session.selected_text == "Je suis pair-e aidante à part entière"
        await pilot.press("down", "less_than_sign")  # « Et la formation ? » grows backwards
        await pilot.pause()
        assert screen.session.selected_text == "entière.\nIntervieweuse : Et la formation ?"


async def test_a_mouse_drag_selects_across_turns(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot)
        transcript, text = screen.transcript, screen.session.text

        def place(word: str) -> tuple[int, int]:
            offset = text.index(word) + 1
            y = transcript.line_of(offset) - int(transcript.scroll_offset.y)
            x = 4 + offset - transcript.lines[transcript.line_of(offset)].start_char
            return x, y

        await pilot.mouse_down(transcript, offset=place("entière"))
        await pilot.mouse_up(transcript, offset=place("formation"))
        await pilot.pause()
        assert screen.session.selected_text == "entière.\nIntervieweuse : Et la formation"


async def test_word_steps_skip_guillemets_and_ellipses(tui_project, tmp_path):
    """> and shift+← step over « … » and a lone ellipsis: they are not words."""
    path = tmp_path / "verra.txt"
    path.write_text("Karim : Il m'a dit « on verra … » et voilà.\nJo : Ah.\n", encoding="utf-8")
    assert run(tui_project, "import", str(path), "--title", "On verra").exit_code == 0
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"verra", "enter")  # the corpus filter
        screen = await open_document(pilot)
        assert screen.session.selected_text == "Il m'a dit « on verra … » et voilà."
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert screen.session.selected_text == "on verra … » et voilà."
        await pilot.press("shift+left", "shift+left", "shift+left")
        await pilot.pause()
        assert screen.session.selected_text == "on verra"
        await pilot.press("shift+right")
        await pilot.pause()
        assert screen.session.selected_text == "on verra … » et"


async def test_undo_says_what_it_undid_to_a_memo(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot)
        await pilot.press("1", "m", *"note", "ctrl+s")
        await pilot.pause()
        await pilot.press("m", "end", *" bis", "ctrl+s")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(TextArea).text = ""  # the memo cleared
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("m", "ctrl+s")  # saved unchanged: nothing to undo
        await pilot.pause()
        app.clear_notifications()
        assert live(tui_project)[0].memo == ""
        await pilot.press("u")
        await pilot.pause()
        assert live(tui_project)[0].memo == "note bis"
        await pilot.press("u")
        await pilot.pause()
        assert live(tui_project)[0].memo == "note"
        await pilot.press("u")
        await pilot.pause()
        assert live(tui_project)[0].memo == ""
        messages = [n.message for n in app._notifications]
        assert messages == [
            "Effacement du mémo annulé : le mémo est rétabli",
            "Modification du mémo annulée : le texte d'avant est rétabli",
            "Mémo annulé : le codage n'a plus de mémo",
        ]
