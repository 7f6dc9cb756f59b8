"""The participants screen (F8) shows who is « à confirmer » and confirms, merges and splits,
driven with the pilot: what the store holds afterwards."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from recits.tui.app import RecitsApp
from recits.tui.screens.help import HelpScreen
from recits.tui.screens.importing import ImportDialog
from recits.tui.screens.participants import ParticipantsScreen
from recits.tui.screens.publish_dialogs import Picker, TextPrompt
from tests.conftest import add_doc, db_snapshot, parsed
from tests.tui.test_publish_screens import messages, open_screen, settle, shown

SIZE = (120, 36)


def two_karims(project, *, linked: bool = False) -> None:
    """Two interviews with a « Karim »; linked: the team said they are the same man."""
    with project.store() as store:
        add_doc(store, parsed(("Claire", "On publie ?"), ("Karim", "Oui.")), "Un")
        add_doc(
            store,
            parsed(("Samia", "On publie ?"), ("Karim", "Non.")),
            "Deux",
            same=("Karim",) if linked else (),
        )


def people(project) -> dict[str, object]:
    with project.store() as store:
        return {p.pseudonym: p for p in store.participants()}


async def highlight(pilot, screen, pseudonym: str) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(people(pilot.app.project)[pseudonym].id))
    await pilot.pause()


async def test_the_flag_shows_and_confirming_the_same_person_merges(project):
    two_karims(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        assert "1 à confirmer (v)" in screen.sub_title
        await highlight(pilot, screen, "Locuteur·rice 2")
        detail = shown(screen, "#participant-history")
        assert "même nom qu'un·e autre participant·e (« Karim ») : à confirmer" in detail
        row = screen.query_one(DataTable).get_row(people(project)["Locuteur·rice 2"].id)
        assert "à confirmer" in str(row[3])
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press("enter")  # « Même personne que « Karim » : fusionner »
        await settle(pilot)
        assert any("fusionné·e dans « Karim »" in m for m in messages(app))
        assert screen.query_one(DataTable).row_count == 3
    after = people(project)
    assert "Locuteur·rice 2" not in after and not any(p.same_label_as for p in after.values())
    with project.store() as store:
        assert len(store.speaking_documents(after["Karim"].id)) == 2


async def test_a_different_person_keeps_their_own_record(project):
    two_karims(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        await highlight(pilot, screen, "Locuteur·rice 2")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")  # « Une autre personne, du même nom »
        await settle(pilot)
        assert "à confirmer" not in screen.sub_title
        await pilot.press("v")  # nothing left to confirm: said, nothing changes
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        assert any("rien à confirmer" in m for m in messages(app))
    assert people(project)["Locuteur·rice 2"].same_label_as is None


async def test_merge_with_a_chosen_participant(project):
    two_karims(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        await highlight(pilot, screen, "Samia")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"Claire", "enter")
        await settle(pilot)
    after = people(project)
    assert "Samia" not in after and after["Claire"].aliases == ("Samia",)


async def test_split_one_document_off_to_a_new_person(project):
    two_karims(project, linked=True)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        await highlight(pilot, screen, "Karim")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"Deux", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Samir"
        await pilot.press("enter")
        await settle(pilot)
        assert any("« Samir » séparé·e de « Karim »" in m for m in messages(app))
        # Claire speaks in one document only: nothing to split, and the screen says so.
        await highlight(pilot, screen, "Claire")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        assert any("rien à séparer" in m for m in messages(app))
    after = people(project)
    assert after["Samir"].consent == "inconnu"
    with project.store() as store:
        assert len(store.speaking_documents(after["Karim"].id)) == 1
        assert len(store.speaking_documents(after["Samir"].id)) == 1


async def test_a_refused_merge_changes_nothing(project):
    two_karims(project, linked=True)
    with project.store() as store:
        from recits import participants as core

        core.rename(store, "Samia", "Claire Dubois")
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        before = db_snapshot(project.db_path)
        await highlight(pilot, screen, "Claire")  # « Claire » would mask into « Claire Dubois »
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Claire Dubois", "enter")
        await settle(pilot)
        assert any("contient le nom réel" in m for m in messages(app))
        assert db_snapshot(project.db_path) == before


async def test_the_help_lists_the_identity_keys_in_french(project):
    two_karims(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f8", ParticipantsScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for line in ("Confirmer : même personne ou non", "Fusionner avec une autre fiche",
                     "Séparer : ses paroles dans un document"):  # fmt: skip
            assert line in text


async def test_importing_a_known_name_in_the_app_says_who_is_to_confirm(tui_project, tmp_path):
    path = tmp_path / "deux.txt"  # the interview's « Nadia » speaks again: maybe another Nadia
    path.write_text("Nadia : Encore moi.\nJo : Oui.\n", encoding="utf-8")
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        report = str(app.screen.query_one("#import-report").render())
        assert "1 participant·e(s) à confirmer (même nom qu'un·e autre participant·e)" in report
    flagged = [p for p in people(tui_project).values() if p.same_label_as]
    assert [p.pseudonym for p in flagged] == ["Locuteur·rice 2"]
