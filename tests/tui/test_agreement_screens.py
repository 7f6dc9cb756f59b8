"""The agreement screen (F3) and the comparison screen: settle two coders' differences into
the « consensus » coder, driven by the pilot; what the store holds afterwards."""

from __future__ import annotations

from textual.widgets import DataTable, Label

from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.agreement import AgreementScreen
from recits.tui.screens.comparison import ComparisonScreen
from tests.tui.test_screens import code

SIZE = (140, 40)


def two_coders(project) -> None:
    code(project, "Au début", "legitimite", "Claire")
    code(project, "Au début", "legitimite", "Samia")
    code(project, "Maintenant ça va mieux", "formation", "Claire")
    code(project, "Je suis pair-e aidante", "legitimite", "Samia")
    with project.store() as store:
        doc = store.documents()[0]
        start = store.document_text(doc.id).index("Maintenant")
        store.add_coding(NewCoding(doc.id, start, start + 10, "formation", "Samia",
                                   memo="seulement le début"))  # fmt: skip


def label(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


async def test_agreement_then_adjudication_into_the_consensus(tui_project):
    two_coders(tui_project)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert screen.rows and screen.rows[0].coders == ("Claire", "Samia")
        assert "Claire et Samia" in label(screen, "#agreement-summary")
        assert screen.query_one(DataTable).row_count == len(screen.rows)
        await pilot.press("enter")  # the first row: a code in the document
        await pilot.pause()
        comparison = app.screen
        assert isinstance(comparison, ComparisonScreen)
        items = comparison.adjudication.items
        # Disagreements first: the two spans of « formation », Samia's « legitimite » alone;
        # the passage both coded alike last.
        assert [(i.code_id, i.agreed) for i in items] == [
            ("formation", False), ("legitimite", False), ("legitimite", True)]  # fmt: skip
        first = items[0]
        assert first.code_id == "formation" and first.first and first.second
        memo = str(comparison.query_one("#comparison-memo").render())
        assert "seulement le début" in memo and "Claire" in memo and "Samia" in memo
        before = label(comparison, "#comparison-figures")
        assert "2 désaccord(s) sur 3" in before and "B/consensus —" in before
        await pilot.press("b")  # Samia's shorter span of « formation »
        await pilot.press("n")  # Samia's « legitimite » alone: kept by nobody
        await pilot.press("d")  # both coded « Au début » alike
        await pilot.pause()
        after = label(comparison, "#comparison-figures")
        assert "B/consensus —" not in after and after != before
        table = comparison.query_one(DataTable)
        assert [table.get_cell(str(i), "consensus") for i in range(3)] == [
            "B", "aucune", "les deux"]  # fmt: skip
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    with tui_project.store() as store:
        consensus = store.codings(coder="consensus")
        text = store.document_text(consensus[0].document_id)
        assert sorted((text[c.start_char : c.end_char], c.code_id) for c in consensus) == [
            ("Au début", "legitimite"), ("Maintenant", "formation")]  # fmt: skip
        assert next(c for c in consensus if c.code_id == "formation").memo == "seulement le début"
        assert [c.name for c in store.coders()] == ["Claire", "Samia", "consensus"]
        assert any(action == "adjudicate" for _at, _by, action, _d in store.audit_log())


async def test_changing_ones_mind_replaces_the_consensus_version(tui_project):
    two_coders(tui_project)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with tui_project.store() as store:
            doc_id = store.documents()[0].id
        app.open_comparison(doc_id, "Claire", "Samia")
        await pilot.pause()
        await pilot.press("a")  # Claire's longer span
        await pilot.press("up", "b")  # no: Samia's
        await pilot.pause()
        assert app.screen.query_one(DataTable).get_cell("0", "consensus") == "B"
    with tui_project.store() as store:
        kept = store.codings(coder="consensus")
        assert [(c.code_id, c.end_char - c.start_char) for c in kept] == [("formation", 10)]


async def test_no_agreement_nor_comparison_while_blind(tui_project):
    two_coders(tui_project)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.blind = True
        await pilot.press("f3")
        await pilot.pause()
        assert "aveugle" in label(app.screen, "#agreement-summary")
        assert app.screen.query_one(DataTable).row_count == 0
        with tui_project.store() as store:
            doc_id = store.documents()[0].id
        app.open_comparison(doc_id, "Claire", "Samia")
        await pilot.pause()
        assert not isinstance(app.screen, ComparisonScreen)
        assert any("aveugle" in n.message for n in app._notifications)


async def test_keeping_neither_version_survives_reopening(tui_project):
    """« neither » leaves no consensus coding: it is stored, and shown when the screen opens
    again (another session, another day)."""
    two_coders(tui_project)
    with tui_project.store() as store:
        doc_id = store.documents()[0].id
    for opening in range(2):
        app = RecitsApp(tui_project, "Claire", preload_model=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.open_comparison(doc_id, "Claire", "Samia")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            if opening == 0:
                assert table.get_cell("1", "consensus") != "aucune"
                await pilot.press("down", "n")  # Samia's « legitimite » alone: nobody's
                await pilot.pause()
            assert table.get_cell("1", "consensus") == "aucune"
    with tui_project.store() as store:
        assert store.codings(coder="consensus") == []
        assert len(store.consensus_rejections(doc_id)) == 1
