"""The participants screen (F8) and its consent dialog with the dated ledger, driven with the
pilot: the effective date, a decision older than the one in force, the exports to follow up."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta

from textual.widgets import Input, RadioSet

from recits import participants as people
from recits.exports import ExportFilters, write_export
from recits.tui.app import RecitsApp
from recits.tui.screens.participants import ParticipantsScreen
from recits.tui.screens.publish_dialogs import ConsentDialog
from tests.conftest import db_snapshot
from tests.publishing import build
from tests.tui.test_publish_screens import SIZE, messages, open_screen, person, settle, shown


async def choose(pilot, consent: str, date: str, tick: tuple[str, ...] = ()) -> None:
    """In F8 on the highlighted person: `c`, pick a status, tick scopes, type the date,
    ctrl+s."""
    await pilot.press("c")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ConsentDialog)
    choices = dialog.query_one(RadioSet)
    wanted = [str(b.label) for b in choices.query("RadioButton")].index(consent)
    step = "right" if wanted > choices.pressed_index else "left"
    await pilot.press(*[step] * abs(wanted - choices.pressed_index), "enter")
    for scope in tick:
        dialog.query_one(f"#scope-{scope}").focus()
        await pilot.press("space")
    dialog.query_one(Input).value = date
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_an_older_decision_is_history_only_and_the_app_says_so(project):
    build(project)  # Aurore agreed for articles on 2021-03-01
    with project.store() as store:
        people.set_consent(store, "Aurore", "retiré", date="2021-06-10")
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        assert screen.current.pseudonym == "Aurore"
        await choose(pilot, "accordé", "2020-12-03", tick=("articles",))
        assert not isinstance(app.screen, ConsentDialog)
        assert any(
            "décision « accordé (articles) » du 2020-12-03 enregistrée dans l'historique, mais"
            " antérieure à la décision en vigueur (retiré le 2021-06-10) : le statut reste"
            " « retiré »" in m
            for m in messages(app)
        )
        panel = shown(screen, "#participant-history")
        lines = [line.strip() for line in panel.splitlines()]
        dated = [line[:10] for line in lines if line[:4].isdigit() and line[4] == "-"]
        assert dated == ["2020-12-03", "2021-03-01", "2021-06-10"]
        assert "2020-12-03  accordé (articles)  saisi par Samia le" in panel
        assert next(line for line in lines if "en vigueur" in line).startswith("2021-06-10  retiré")
    aurore = person(project, "Aurore")
    assert (aurore.consent, aurore.consent_date) == ("retiré", "2021-06-10")
    assert not people.may_quote(aurore, "articles")


async def test_bad_dates_are_refused_in_the_dialog_and_change_nothing(project):
    build(project)
    before = db_snapshot(project.db_path)
    tomorrow = (Date.today() + timedelta(days=1)).isoformat()
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f8", ParticipantsScreen)
        await choose(pilot, "retiré", tomorrow)
        assert isinstance(app.screen, ConsentDialog)  # still open, to correct the date
        assert any(f"date de la décision dans le futur : {tomorrow}" in m for m in messages(app))
        app.screen.query_one(Input).value = "2021-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("date invalide : « 2021-02-30 »" in m for m in messages(app))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ParticipantsScreen)
    assert db_snapshot(project.db_path) == before


async def test_the_screen_lists_the_exports_holding_their_words_and_a_withdrawal_points_there(
    project,
):
    build(project)
    with project.store() as store:
        written = write_export(store, "md", ExportFilters(), exports_dir=project.exports_dir)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        panel = shown(screen, "#participant-history")
        assert "Exports qui contiennent ses propos" in panel
        assert "md  articles  2 extrait(s) sur 2  fichier présent" in panel
        assert written.path.name in panel
        written.path.unlink()
        await choose(pilot, "retiré", "")
        said = next(m for m in messages(app) if "consentement retiré le" in m)
        assert (
            "Ses propos figurent dans 1 export antérieur (0 fichier encore présent) : la liste"
            " est dans le détail de cet écran (F8), pour les reprendre."
        ) in said
        assert "recits " not in said and "--" not in said  # keys and screens, not commands
        panel = shown(screen, "#participant-history")
        assert "fichier absent (supprimé ou déplacé)" in panel
        assert f"{Date.today().isoformat()}  retiré" in panel
    assert person(project, "Aurore").consent == "retiré"
