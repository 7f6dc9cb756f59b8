"""Scenes in the app, driven with the pilot: S on a passage or an excerpt, the board (F10), the
editor (panels added, split from the source, reordered), statuses blocked without consent."""

from __future__ import annotations

from textual.widgets import OptionList

from recits import participants as people
from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen
from recits.tui.screens.scene_dialogs import PanelDialog, SceneChooser
from recits.tui.screens.scene_editor import SceneEditor
from recits.tui.screens.scenes import ScenesScreen

SIZE = (120, 36)
SENTENCE = "Au début les éducateurs me voyaient comme une usagère."


def scene_state(project):
    with project.store() as store:
        [scene] = store.scenes()
        return store.scene_detail(scene.id)


async def new_scene(pilot, title: str) -> None:
    assert isinstance(pilot.app.screen, SceneChooser)
    await pilot.press("enter")  # « + Nouvelle scène… »
    await pilot.press(*title)
    await pilot.press("enter")
    await pilot.pause()


async def test_S_in_the_coding_view_adds_the_passage_to_a_new_scene(tui_project):
    app = RecitsApp(tui_project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # open the interview
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("down", "S")
        await pilot.pause()
        await new_scene(pilot, "Le regard")
        assert isinstance(app.screen, CodingScreen)
    detail = scene_state(tui_project)
    assert detail.scene.title == "Le regard" and detail.scene.created_by == "Samia"
    [source] = detail.sources
    assert source.text == SENTENCE
    assert [c.name for c in detail.characters] == ["Nadia"]  # the speaker, by pseudonym


async def test_S_on_an_excerpt_adds_it_to_an_existing_scene(tui_project):
    with tui_project.store() as store:
        doc = store.documents()[0]
        start = store.document_text(doc.id).index(SENTENCE)
        store.add_codings([NewCoding(doc.id, start, start + len(SENTENCE), "legitimite", "Claire")])
        store.add_scene("Le regard", status="proposée")
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        from recits.tui.widgets.keybar import KeyBar

        assert "S Vers une scène" in str(app.screen.query_one(KeyBar).render())  # in sight
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, SceneChooser)
        await pilot.press("down", "enter")  # the existing scene
        await pilot.pause()
    [source] = scene_state(tui_project).sources
    assert source.coding_id is not None and source.text == SENTENCE


async def test_the_editor_adds_splits_and_reorders_panels(tui_project):
    with tui_project.store() as store:
        doc = store.documents()[0]
        text = store.document_text(doc.id)
        start = text.index(SENTENCE)
        end = text.index("à part entière.") + len("à part entière.")
        from recits import scenes

        scene = scenes.create(store, "Le regard", actor="Claire")
        scenes.add_source(store, scene, doc.id, start, end)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ScenesScreen)
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, SceneEditor)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PanelDialog)
        await pilot.press(*"Une salle d'équipe", "enter", *"Les premiers mois.", "enter")
        await pilot.pause()
        # A sentence of the source becomes a panel whose balloon is Nadia's.
        await pilot.press("tab")
        assert app.focused is editor.query_one("#source-sentences", OptionList)
        await pilot.press("enter")
        await pilot.pause()
        detail = scene_state(tui_project)
        assert [p.picture for p in detail.panels] == ["Une salle d'équipe", ""]
        assert detail.panels[0].caption == "Les premiers mois."
        [line] = detail.panels[1].lines
        assert line.text == SENTENCE
        assert [c.name for c in detail.characters if c.id == line.character_id] == ["Nadia"]
        # The second panel goes up, first in reading order.
        await pilot.press("tab", "shift+up")
        await pilot.pause()
        assert [p.picture for p in scene_state(tui_project).panels] == ["", "Une salle d'équipe"]
        await pilot.press("d")  # every sentence of the source, one panel each
        await pilot.pause()
        assert len(scene_state(tui_project).panels) == 2 + 3
        assert "Nadia : " + SENTENCE in str(
            editor.query_one("#source-sentences").get_option_at_index(0).prompt
        )


async def test_the_board_moves_a_scene_and_says_why_it_cannot_be_validated(tui_project):
    with tui_project.store() as store:
        doc = store.documents()[0]
        start = store.document_text(doc.id).index(SENTENCE)
        from recits import scenes

        scene = scenes.create(store, "Le regard", actor="Claire")
        scenes.add_source(store, scene, doc.id, start, start + len(SENTENCE))
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("plus", "plus", "plus")  # proposée → en écriture → à valider → refused
        await pilot.pause()
        assert scene_state(tui_project).scene.status == "à valider par les pair·e·s"
        assert any(
            "« Nadia » n'a pas donné son consentement pour la BD" in n.message
            for n in app._notifications
        )
        with tui_project.store() as store:
            people.set_consent(store, "Nadia", "accordé", scope=["bd"])
        await pilot.press("plus")
        await pilot.pause()
        assert scene_state(tui_project).scene.status == "validée"
        await pilot.press("minus")
        await pilot.pause()
        assert scene_state(tui_project).scene.status == "à valider par les pair·e·s"
    history = scene_state(tui_project).history
    assert [h.changed_by for h in history] == ["Claire"] * 5


async def test_the_scenes_are_in_the_command_palette(tui_project):
    from recits.tui.palette import system_commands

    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in system_commands(app, app.screen)]
        assert "Scènes de BD" in titles


async def test_the_board_writes_the_storyboard_and_says_why_when_it_refuses(tui_project):
    from textual.widgets import Select

    from recits.tui.screens.storyboard import StoryboardDialog

    with tui_project.store() as store:
        doc = store.documents()[0]
        start = store.document_text(doc.id).index(SENTENCE)
        from recits import scenes

        scene = scenes.create(store, "Le regard", actor="Claire")
        source = scenes.add_source(store, scene, doc.id, start, start + len(SENTENCE))
        scenes.split_source(store, scene, source)
    exports = tui_project.exports_dir
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10", "p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StoryboardDialog)
        # Nothing validated yet: the scene under the cursor comes ticked.
        assert dialog.query_one("#storyboard-scenes").selected == [scene.id]
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        refusal = str(dialog.query_one("#storyboard-state").render())
        assert "storyboard refusé" in refusal
        assert "« Nadia » n'a pas donné son consentement pour la BD" in refusal
        assert app.screen is dialog  # still open, to try again
        assert not list(exports.glob("storyboard-*"))
        # Her label is her real name: the storyboard shows a pseudonym only.
        with tui_project.store() as store:
            people.rename(store, "Nadia", "Aurore")
            people.set_consent(store, "Aurore", "accordé", scope=["bd"])
        dialog.query_one(Select).value = "pdf"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ScenesScreen)
        assert any("Écrit : " in n.message for n in app._notifications)
    [written] = exports.glob("storyboard-*.pdf")
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(str(written)).pages]
    assert "Planche 1 — Le regard" in pages[0] and "Aurore :" in pages[0]
    assert "Nadia" not in "".join(pages)
    with tui_project.store() as store:
        [record] = store.export_records()
    assert (record.format, record.scope, record.written_by) == ("storyboard-pdf", "bd", "Claire")
