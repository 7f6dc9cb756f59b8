"""Export, participants and names screens, driven with the pilot: what reaches the store and
exports/ (and what never does)."""

from __future__ import annotations

from docx import Document as DocxDocument
from textual.widgets import DataTable, Input, Select

from recits import participants as people
from recits.names import detected_names
from recits.tui.app import RecitsApp
from recits.tui.messages import DataChanged
from recits.tui.screens.export import ExportScreen
from recits.tui.screens.names import NamesScreen
from recits.tui.screens.participants import ParticipantsScreen
from recits.tui.screens.publish_dialogs import ConsentDialog, Picker, TextPrompt
from tests.conftest import db_snapshot
from tests.publishing import build, entities

SIZE = (120, 36)
REAL_NAMES = ("Nadia", "Nadou", "Karim", "Bruno")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_screen(pilot, key: str, kind: type):
    await pilot.pause()
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, kind)
    return pilot.app.screen


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def person(project, pseudonym: str):
    with project.store() as store:
        return next(p for p in store.participants() if p.pseudonym == pseudonym)


# -- export ------------------------------------------------------------------------------------
async def test_export_preview_shows_the_gate_summary_and_writes_nothing(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = db_snapshot(project.db_path)
        screen = await open_screen(pilot, "f7", ExportScreen)
        summary = shown(screen, "#export-summary")
        assert "2 extraits retenus (Charge mentale 1, Formation 1)" in summary
        assert "3 extraits codés" in summary
        assert "2 extraits écartés faute de consentement" in summary and "Yanis (2)" in summary
        assert "aucun trouvé" in summary
        sample = shown(screen, "#export-sample")
        assert "Yanis m'a aidée" in sample and "travailleuse paire" in sample
        assert not any(name in sample for name in REAL_NAMES)
        screen.query_one("#export-scope", Select).value = "bd"  # Aurore agreed for articles only
        await settle(pilot)
        assert "aucun extrait" in shown(screen, "#export-sample").lower()
        assert "Aurore" in shown(screen, "#export-summary")
        assert db_snapshot(project.db_path) == before
        with project.store() as store:  # another coder withdraws Aurore's consent
            people.set_consent(store, "Aurore", "retiré", date="2021-06-01")
        screen.query_one("#export-scope", Select).value = "articles"
        screen.post_message(DataChanged())
        await settle(pilot)
        assert "0 extrait retenu" in shown(screen, "#export-summary")
    assert list(project.exports_dir.iterdir()) == []


def test_every_binding_has_a_french_description_and_an_id():
    screens = (ExportScreen, ParticipantsScreen, NamesScreen, ConsentDialog, Picker, TextPrompt)
    for binding in [b for screen in screens for b in screen.BINDINGS] + RecitsApp.BINDINGS:
        assert binding.id and binding.description


async def test_export_writes_a_new_docx_without_any_real_name(project):
    build(project)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f7", ExportScreen)
        screen.query_one("#export-format", Select).value = "docx"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [path] = project.exports_dir.iterdir()
        assert path.suffix == ".docx"
        assert any(f"Écrit : {path}" in m for m in messages(app))
        await pilot.press("ctrl+s")  # again: a second file, the first one is kept
        await settle(pilot)
    assert len(list(project.exports_dir.glob("*.docx"))) == 2
    text = "\n".join(p.text for p in DocxDocument(str(path)).paragraphs)
    assert "Yanis m'a aidée" in text and "— travailleuse paire, réunion du collectif" in text
    assert not any(name in text for name in REAL_NAMES)
    with project.store() as store:
        audit = [
            (actor, d) for _at, actor, action, d in store.audit_log() if action == "export-excerpts"
        ]
    assert len(audit) == 2 and audit[0][0] == "Samia" and audit[0][1]["format"] == "docx"


async def test_export_of_one_code_as_markdown(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f7", ExportScreen)
        await pilot.press("enter")  # the highlighted code: charge-mentale
        await settle(pilot)
        assert "1 extrait retenu" in shown(screen, "#export-summary")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [path] = project.exports_dir.iterdir()
    assert path.name.startswith("extraits-charge-mentale-") and path.suffix == ".md"
    text = path.read_text(encoding="utf-8")
    assert "Charge mentale" in text and "Formation" not in text
    assert not any(name in text for name in REAL_NAMES)


async def test_a_refused_gate_writes_nothing_and_lists_the_names(project):
    build(project, review_names=False)  # "Bruno", quoted by Aurore, was never reviewed
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f7", ExportScreen)
        summary = shown(screen, "#export-summary")
        assert "l'export sera refusé" in summary and "« Bruno »" in summary
        before = db_snapshot(project.db_path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        refusal = shown(screen, "#export-summary")
        assert "rien n'a été écrit" in refusal and "croisé Bruno au comptoir" in refusal
        assert any("Export refusé" in m for m in messages(app))
        assert db_snapshot(project.db_path) == before
    assert list(project.exports_dir.iterdir()) == []


# -- participants ------------------------------------------------------------------------------
async def test_rename_and_consent_through_the_participants_screen(project):
    build(project)
    claire = person(project, "Claire")
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 4  # Aurore, Claire, Léon, Yanis
        table.move_cursor(row=table.get_row_index(claire.id))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Maëlle", "enter")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConsentDialog)
        await pilot.press("right", "enter")  # inconnu → accordé
        await pilot.press("tab", "space", "tab", "space")  # nothing ticked: tick both
        app.screen.query_one(Input).value = "2021-05-03"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.current.pseudonym == "Maëlle"
        history = shown(screen, "#participant-history")
        assert "2021-05-03  accordé (articles, bd)  saisi par Samia" in history
    after = person(project, "Maëlle")
    assert after.id == claire.id and "Claire" in after.aliases
    assert (after.consent, after.consent_scope, after.consent_date) == (
        "accordé",
        ("articles", "bd"),
        "2021-05-03",
    )
    assert people.may_quote(after, "bd")


async def test_aliases_role_and_a_refused_change_leaving_the_store_as_it_was(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f8", ParticipantsScreen)
        assert screen.current.pseudonym == "Aurore"
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "Mme Benali, Nad"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"nadou", "enter")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "pair-aidante"
        await pilot.press("enter")
        await settle(pilot)
        before = db_snapshot(project.db_path)
        await pilot.press("p", *"Yanis", "enter")  # someone else's pseudonym
        await settle(pilot)
        assert any("déjà celui d'une autre personne" in m for m in messages(app))
        assert db_snapshot(project.db_path) == before
    aurore = person(project, "Aurore")
    assert set(aurore.aliases) == {"Nadia", "Mme Benali", "Nad"}
    assert aurore.role == "pair-aidante"


# -- names -------------------------------------------------------------------------------------
async def test_a_person_only_mentioned_is_added_with_their_real_names(project):
    build(project)
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f8", ParticipantsScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Gaston"
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = "Julien, M. Roux"
        await pilot.press("enter")
        await settle(pilot)
    assert set(person(project, "Gaston").aliases) == {"Julien", "M. Roux"}


async def test_attach_and_dismiss_through_the_names_screen(project):
    build(project, review_names=False)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f9", NamesScreen)
        assert [n.name for n in screen.found] == ["Bruno", "Rachid"]
        assert "croisé Bruno au comptoir" in shown(screen, "#name-contexts")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"auro", "enter")
        await settle(pilot)
        assert [n.name for n in screen.found] == ["Rachid"]
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "personnalité publique"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.found == []
        await pilot.press("t")  # the reviewed names too
        await settle(pilot)
        assert {n.name: n.status for n in screen.found} == {
            "Bruno": "participant",
            "Rachid": "écarté",
            "Karim": "participant",  # the speakers' names written in the transcript
            "Nadia": "participant",
        }
    with project.store() as store:
        assert detected_names(store) == []
        decisions = {d.name: d for d in store.name_decisions()}
    assert "Bruno" in person(project, "Aurore").aliases
    assert decisions["Rachid"].reason == "personnalité publique"


async def test_a_participants_name_cannot_be_dismissed_and_cancel_changes_nothing(project):
    corpus = build(project, review_names=False)
    with project.store() as store:  # the analysis also found "Nadia", Aurore's real name
        entities(store, corpus.meeting, ["Rachid", "Nadia"])
    app = RecitsApp(project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "f9", NamesScreen)
        assert "nadia" not in [n.key for n in screen.found]  # known: nothing to review
        await pilot.press("t")
        await settle(pilot)
        keys = [n.key for n in screen.found]
        nadia = screen.found[keys.index("nadia")]
        assert (nadia.status, nadia.pseudonym) == ("participant", "Aurore")
        screen.query_one(DataTable).move_cursor(row=keys.index("nadia"))
        before = db_snapshot(project.db_path)
        await pilot.press("e", "enter")
        await settle(pilot)
        assert any("reste masqué" in m for m in messages(app))
        await pilot.press("a", "escape")  # cancelled
        await settle(pilot)
        assert db_snapshot(project.db_path) == before


# -- snapshots (deterministic: no tmp paths, no date of today on screen) -----------------------
async def _wait(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_export_screen_snapshot(project, snap_compare):
    build(project)

    async def open_export(pilot) -> None:
        await pilot.press("f7")
        await _wait(pilot)

    app = RecitsApp(project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_export)


def test_participants_screen_at_80_by_24(tui_project, snap_compare):
    with tui_project.store() as store:
        people.rename(store, "Nadia", "Aurore", role="travailleuse paire")
        people.set_consent(store, "Aurore", "accordé", scope="articles", date="2021-03-01")
        with store.write():  # the day it was typed in is on screen: not today's date
            store.conn.execute("UPDATE consent_events SET recorded_at = '2021-03-02T09:00:00'")

    async def open_participants(pilot) -> None:
        await pilot.press("f8")
        await _wait(pilot)

    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_participants)


def test_consent_dialog_at_80_by_24(tui_project, snap_compare):
    async def open_dialog(pilot) -> None:
        await pilot.press("f8")
        await _wait(pilot)
        await pilot.press("c")
        await _wait(pilot)

    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_dialog)


def test_names_screen_at_160_by_50(project, snap_compare):
    build(project, review_names=False)

    async def open_names(pilot) -> None:
        await pilot.press("f9")
        await _wait(pilot)

    app = RecitsApp(project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(160, 50), run_before=open_names)
