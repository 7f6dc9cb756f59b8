"""The suggestion panel belongs to one document; a key that cannot act says why."""

from __future__ import annotations

from textual.widgets import Static

from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen
from tests.tui.test_suggestions import SIZE, TEXT


def two_documents(tmp_path):
    from recits.project import Project
    from tests.conftest import run

    project = Project.init(tmp_path / "p", coder="Claire")
    for name, date in (("a", "2021-01-01"), ("b", "2021-02-01")):
        path = tmp_path / f"{name}.txt"
        header = f"---\ntitle: Entretien {name.upper()}\ndate: {date}\n---\n"
        path.write_text(header + TEXT, encoding="utf-8")
        assert run(project, "import", str(path)).exit_code == 0
    return project


def panel(screen) -> str:
    return str(screen.query_one("#suggestion", Static).render())


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def suggest_in_first_document(app, pilot) -> CodingScreen:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    app.load_language_model()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("g")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session.suggestions
    assert "Suggestion" in panel(screen)
    return screen


async def test_opening_another_document_from_the_corpus_clears_the_suggestion(tmp_path, nlp):
    project = two_documents(tmp_path)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await suggest_in_first_document(app, pilot)
        first = screen.session.document.id
        await pilot.press("f2", "down", "enter")  # F2, then open the other document
        await pilot.pause()
        assert app.screen is screen and screen.session.document.id != first
        assert panel(screen) == ""
        await pilot.press("a")  # nothing to accept: the app says so, and writes nothing
        await pilot.pause()
        assert any("Aucune suggestion en attente" in m for m in toasts(app))
        with project.store() as store:
            assert store.codings() == [] and store.decisions(coder="Samia") == []


async def test_jumping_to_an_excerpt_of_another_document_clears_the_suggestion(tmp_path, nlp):
    project = two_documents(tmp_path)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await suggest_in_first_document(app, pilot)
        other = next(d for d in app.store.documents() if d.id != screen.session.document.id)
        app.open_document(other.id, 10)  # what Enter on an excerpt (F4) or a hit (F5) does
        await pilot.pause()
        assert screen.session.document.id == other.id and panel(screen) == ""
        for key in ("a", "r", "o"):
            await pilot.press(key)
            await pilot.pause()
        assert sum("Aucune suggestion en attente" in m for m in toasts(app)) == 3
        assert app.screen is screen  # « o » opened no code picker


async def test_suggest_before_the_model_is_loaded_says_it_is_loading(tui_project):
    app = RecitsApp(tui_project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not app.model_ready
        await pilot.press("g")
        await pilot.pause()
        assert any("modèle de langue" in m for m in toasts(app))


async def test_keys_on_an_empty_list_say_why_they_do_nothing(project):
    """A new project: nobody in F8, no name in F9; every key there says why."""
    from recits.tui.screens.names import NamesScreen
    from recits.tui.screens.participants import ParticipantsScreen
    from tests.tui.test_publish_screens import open_screen

    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f8", ParticipantsScreen)
        for key in ("c", "p", "a", "d", "r", "v", "m", "s"):
            before = len(app._notifications)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ParticipantsScreen), key  # no dialog opened
            assert any("Personne dans la liste" in m for m in toasts(app)[before:]), key
        await open_screen(pilot, "f9", NamesScreen)
        for key in ("a", "e"):
            before = len(app._notifications)
            await pilot.press(key)
            await pilot.pause()
            assert any("Aucun nom dans la liste" in m for m in toasts(app)[before:]), key
