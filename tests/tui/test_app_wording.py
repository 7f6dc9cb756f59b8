"""What the app says speaks of its keys and screens, never of command-line flags; the consent
dialog ticks what the coder ticks."""

from __future__ import annotations

from recits import participants as people
from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.export import ExportScreen
from recits.tui.screens.names import NamesScreen
from recits.tui.screens.participants import ParticipantsScreen
from recits.tui.screens.publish_dialogs import ConsentDialog
from tests.conftest import db_snapshot
from tests.tui.test_publish_screens import SIZE, messages, open_screen, person, settle, shown

COMMAND_LINE = ("--", "recits ")


def speaks_of_the_app(text: str) -> bool:
    return not any(word in text for word in COMMAND_LINE)


async def consent_for(pilot, pseudonym: str) -> ConsentDialog:
    screen = await open_screen(pilot, "f8", ParticipantsScreen)
    while screen.current.pseudonym != pseudonym:
        await pilot.press("down")
        await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ConsentDialog)
    await pilot.press("right", "enter")  # from « inconnu » to « accordé »
    return dialog


async def test_the_first_space_on_scope_ticks_it_and_the_agreement_is_saved(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await consent_for(pilot, "Nadia")
        articles = dialog.query_one("#scope-articles")
        assert not articles.value and "✓" not in str(articles.render())  # nothing agreed yet
        await pilot.press("tab", "space")  # to « Portée », then tick « articles »
        await pilot.pause()
        assert articles.value and "✓" in str(articles.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConsentDialog)
    nadia = person(tui_project, "Nadia")
    assert (nadia.consent, nadia.consent_scope) == ("accordé", ("articles",))


async def test_an_agreement_without_scope_says_which_keys_fix_it(tui_project):
    before = db_snapshot(tui_project.db_path)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await consent_for(pilot, "Nadia")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsentDialog)  # still open, to tick a scope
        said = [m for m in messages(app) if "portée" in m]
        assert said and all(speaks_of_the_app(m) for m in said), said
        assert "espace pour cocher" in said[0]
        await pilot.press("escape")
        await settle(pilot)
    assert db_snapshot(tui_project.db_path) == before
    # The command line keeps its own wording.
    with tui_project.store() as store:
        try:
            people.set_consent(store, "Nadia", "accordé")
        except people.RecitsError as err:
            assert "--scope" in str(err)
        else:
            raise AssertionError("an agreement without scope was recorded")


async def test_export_warnings_and_the_names_screen_point_to_the_app(tui_project):
    """Nadia agreed, keeps her real name as pseudonym, and nothing is analysed yet: two warnings
    that the command line words with commands, the app with screens and keys."""
    with tui_project.store() as store:
        people.set_consent(store, "Nadia", "accordé", scope=("articles",))
        document = store.documents()[0]
        text = store.document_text(document.id)
        start = text.index("Au début")
        store.add_coding(NewCoding(document.id, start, start + 40, "legitimite", "Claire"))
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f7", ExportScreen)
        await settle(pilot)
        summary = shown(screen, "#export-summary")
        assert "Attention : les noms de 1 document exporté n'ont pas été détectés" in summary
        assert "pseudonyme encore identique" in summary and "(écran F8, touche p)" in summary
        assert speaks_of_the_app(summary), summary
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, NamesScreen)
        detail = shown(app.screen, "#name-contexts")
        assert "sans analyse" in detail and speaks_of_the_app(detail), detail
