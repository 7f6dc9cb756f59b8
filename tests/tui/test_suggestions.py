"""The suggestion queue in the coding view, with the real French model."""

from __future__ import annotations

from textual.widgets import Static

from recits.tui.app import RecitsApp
from recits.tui.screens.coding import CodingScreen

SIZE = (140, 40)
TEXT = """Intervieweuse : Et la réduction des risques au CHRS ?
Nadia : On distribue du matériel stérile, des pipes à crack, et on parle de consommation \
sans juger. L'alcool est toléré dans les chambres maintenant, c'est de la réduction des risques.
Intervieweuse : Et la formation ?
Nadia : J'ai fait le DU de pair-aidance, une formation diplômante à l'université.
"""


def imported(tmp_path):
    """A project with TEXT imported from the command line."""
    from recits.project import Project
    from tests.conftest import run

    project = Project.init(tmp_path / "p", coder="Claire")
    path = tmp_path / "e.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    return project


async def test_queue_accept_reject_and_greyed_out_until_ready(tmp_path, nlp):
    project = imported(tmp_path)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        app.model_ready = False
        assert screen.check_action("suggest", ()) is None  # greyed out while loading
        app.load_language_model()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model_ready and screen.check_action("suggest", ()) is True
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        queue = list(screen.session.suggestions)
        assert queue, "the codebook patterns should suggest something here"
        first = queue[0]
        assert screen.session.selection == (first.start_char, first.end_char)
        reasons = str(screen.query_one("#suggestion", Static).render())
        assert "Suggestion" in reasons and first.reasons[0].detail[:20] in reasons
        await pilot.press("a")
        await pilot.pause()
        with project.store() as store:
            [coding] = store.codings()
            decisions = store.decisions(coder="Samia")
        assert (coding.origin, coding.coder, coding.code_id) == (
            "suggestion",
            "Samia",
            first.code_id,
        )
        assert (coding.start_char, coding.end_char) == (first.start_char, first.end_char)
        assert decisions[0].decision == "accept" and decisions[0].model_version
        label = project.codebook().code(first.code_id).label  # the coder reads labels, not ids
        assert f"Suggestion acceptée : {label}" in [n.message for n in app._notifications]
        await pilot.press("u")  # the accepted suggestion's coding can be undone
        await pilot.pause()
        with project.store() as store:
            assert store.codings() == []
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        if screen.session.suggestion is not None:
            rejected = screen.session.suggestion
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("g")  # recomputed: the rejected one does not come back
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert all(
                (s.start_char, s.end_char, s.code_id)
                != (rejected.start_char, rejected.end_char, rejected.code_id)
                for s in screen.session.suggestions
            )


async def open_first_document_with_the_model(app, pilot) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    app.load_language_model()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_new_coding_retrains_the_model_in_the_background(tmp_path, nlp, monkeypatch):
    from recits import suggest
    from recits.tui import app as app_module
    from tests.conftest import run

    monkeypatch.setattr(app_module, "RETRAIN_DELAY_SECONDS", 0.05)
    project = imported(tmp_path)
    assert run(project, "analyse").exit_code == 0
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_document_with_the_model(app, pilot)
        assert app.model_ready
        await pilot.press("1")  # codes the current sentence: the model is now out of date
        await pilot.pause(0.3)
        assert not [n for n in app._notifications if n.severity == "error"]
        await app.workers.wait_for_complete()
        with project.store() as store:
            assert len(store.codings()) == 1
            assert not suggest.needs_training(store, project.codebook())
            assert store.latest_model().version.startswith("appris-")


async def test_suggestions_on_a_project_imported_and_coded_but_never_analysed(tmp_path, nlp):
    """As `make run` leaves the demo: documents and codings from the CLI, no analysis yet."""
    from recits.project import Project
    from tests.conftest import run

    project = Project.init(tmp_path / "p", coder="Claire")
    for name in ("a", "b"):
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT + f"Karim : Et à {name}, on en parle aussi.\n", encoding="utf-8")
        assert run(project, "import", str(path)).exit_code == 0
    with project.store() as store:
        for document in store.documents():  # both documents coded, neither analysed
            assert run(project, "code", document.id, "0", "10", "formation", "--coder",
                       "Claire").exit_code == 0  # fmt: skip
        assert len(store.documents()) == 2 and store.analysis_keys() == {}
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_document_with_the_model(app, pilot)
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not [n.message for n in app._notifications if n.severity == "error"]
        assert app.screen.session.suggestions
    with project.store() as store:  # the other document was analysed in the background
        assert len(store.analysis_keys()) == 2


async def test_no_suggestions_while_coding_blind(tmp_path, nlp):
    """They come from everyone's codings: a coder hiding the others' would see them anyway."""
    project = imported(tmp_path)
    app = RecitsApp(project, "Samia", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_document_with_the_model(app, pilot)
        screen = app.screen
        await pilot.press("g", "b")  # blind while the queue is computed: it is not shown
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.suggestions == []
        assert str(screen.query_one("#suggestion", Static).render()) == ""
        await pilot.press("b", "g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.suggestions
        await pilot.press("b")  # blind: the queue, its marks and its reasons go
        await pilot.pause()
        assert screen.session.suggestions == [] and screen.session.suggestion is None
        assert str(screen.query_one("#suggestion", Static).render()) == ""
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.suggestions == []
        assert any("Codage à l'aveugle" in n.message for n in app._notifications)
        await pilot.press("b", "g")  # the others' codings shown again: suggestions are back
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.suggestions
