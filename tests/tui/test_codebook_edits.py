"""Editing the codebook in the app (F6), driven with the pilot: the YAML and the store after."""

from __future__ import annotations

from textual.widgets import Input

from recits.codebook import load_codebook
from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.codebook import CodebookScreen
from tests.conftest import run

SIZE = (120, 40)


def coded(project) -> None:
    with project.store() as store:
        doc = store.documents()[0]
        store.add_codings(
            [
                NewCoding(doc.id, 60, 80, "legitimite", "Claire"),
                NewCoding(doc.id, 60, 80, "charge-mentale", "Claire"),
                NewCoding(doc.id, 90, 99, "legitimite", "Samia"),
            ]
        )


async def open_codebook(app, pilot, code_id: str) -> CodebookScreen:
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodebookScreen)
    screen.fill(code_id)
    await pilot.pause()
    return screen


async def fill_in(app, pilot, **values: str) -> None:
    for key, value in values.items():
        app.screen.query_one(f"#field-{key}", Input).value = value
    for _ in values:
        await pilot.press("enter")
    await pilot.pause()


def messages(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_rename_in_the_app_writes_the_yaml_and_the_audit(tui_project):
    coded(tui_project)
    path = tui_project.codebook_path
    comments_before = [line for line in path.read_text("utf-8").splitlines() if "#" in line]
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "legitimite")
        await pilot.press("e")
        await pilot.pause()
        await fill_in(app, pilot, label="Reconnaissance", id="reconnaissance")
        assert "2 extrait(s) codé(s) le suivent" in messages(app)
        assert [c.id for c in app.codes][1] == "reconnaissance"
    cb = load_codebook(path)
    assert cb.code("reconnaissance").label == "Reconnaissance"
    text = path.read_text("utf-8")
    # Every comment line is still there (the separators, the colour names).
    assert all(line in text for line in comments_before if "legitimite" not in line)
    with tui_project.store() as store:
        assert len(store.codings(code_id="reconnaissance")) == 2
        entry = next(e for e in store.audit_log() if e[2] == "codebook-rename")
        assert entry[1] == "Claire"


async def test_merge_in_the_app_moves_the_codings(tui_project):
    coded(tui_project)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "legitimite")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"charge", "enter")
        await pilot.pause()
        assert "1 doublon(s) réuni(s)" in messages(app)
    assert load_codebook(tui_project.codebook_path).code("legitimite") is None
    with tui_project.store() as store:
        assert sorted(c.coder for c in store.codings(code_id="charge-mentale")) == [
            "Claire",
            "Samia",
        ]


async def test_create_move_and_split_in_the_app(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "formation")
        await pilot.press("n")
        await pilot.pause()
        await fill_in(app, pilot, id="pair-aidance", label="Pair-aidance")
        await pilot.press("m")  # the new code is selected: under « Formation »
        await pilot.pause()
        await pilot.press(*"formation", "enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await fill_in(app, pilot, id="du", label="DU pair-aidance")
        assert "restent sur « Pair-aidance »" in messages(app)
    cb = load_codebook(tui_project.codebook_path)
    assert cb.code("pair-aidance").parent_id == "formation"
    assert cb.code("du").parent_id == "formation"


async def test_edits_refused_in_the_app_change_nothing(tui_project):
    coded(tui_project)
    path = tui_project.codebook_path
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "legitimite")
        await pilot.press("delete")  # codings: refused, says how many and where
        await pilot.pause()
        assert "a 2 extrait(s) codé(s)" in messages(app)
        await pilot.press("c")
        await pilot.pause()
        await fill_in(app, pilot, color="violet")
        assert "couleur invalide « violet »" in messages(app)
        # Someone else edits the file meanwhile: the app does not overwrite it.
        edited = path.read_text("utf-8") + "# ajouté par Samia\n"
        path.write_text(edited, "utf-8")
        await pilot.press("c")
        await pilot.pause()
        await fill_in(app, pilot, color="#000000")
        assert "a changé sur le disque" in messages(app)
        assert "Rechargez-la (r)" in messages(app)
        assert path.read_text("utf-8") == edited
        await pilot.press("r")  # reloaded, the same edit goes through
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await fill_in(app, pilot, color="#000000")
    text = path.read_text("utf-8")
    assert "# ajouté par Samia" in text
    assert load_codebook(path).code("legitimite").color == "#000000"


async def test_the_codebook_screen_shows_the_teams_memos_on_a_code(tui_project):
    from recits.tui.screens.codebook import Static

    assert run(tui_project, "memos", "add", "Trop large ? à discuter", "--code", "formation",
               "--by", "Samia").exit_code == 0  # fmt: skip
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(app, pilot, "formation")
        detail = str(screen.query_one("#code-detail", Static).render())
        assert "Mémos de l'équipe" in detail and "Trop large ? à discuter" in detail
        screen.fill("legitimite")
        await pilot.pause()
        assert "Trop large" not in str(screen.query_one("#code-detail", Static).render())
