"""Corpus, search, retrieve, codebook, help and the coder prompt, driven with the pilot."""

from __future__ import annotations

import subprocess
import sys

from textual.widgets import DataTable, Input, Select, SelectionList

from recits.models import NewCoding
from recits.tui.app import RecitsApp
from recits.tui.screens.codebook import CodebookScreen
from recits.tui.screens.coding import CodingScreen
from recits.tui.screens.corpus import CorpusScreen
from recits.tui.screens.dialogs import CoderPrompt
from recits.tui.screens.help import HelpScreen
from recits.tui.screens.importing import ImportDialog
from recits.tui.screens.retrieve import RetrieveScreen
from recits.tui.screens.search import SearchScreen
from tests.conftest import run

SIZE = (120, 36)


def code(project, needle: str, code_id: str, coder: str) -> None:
    with project.store() as store:
        doc = store.documents()[0]
        text = store.document_text(doc.id)
        start = text.index(needle)
        store.add_coding(NewCoding(doc.id, start, start + len(needle), code_id, coder))


async def test_the_corpus_is_the_bottom_screen_and_f2_comes_back_to_it(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        corpus = app.screen
        assert isinstance(corpus, CorpusScreen) and app.screen_stack == [corpus]
        assert app.screen.focused is corpus.query_one(DataTable)
        await pilot.press("f4", "f5", "f2")
        await pilot.pause()
        assert app.screen_stack == [corpus]


async def test_search_then_jump_to_the_hit(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"educateurs", "enter")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.session.passage.start_char <= screen.session.text.index("éducateurs")
        assert "éducateurs" in screen.session.selected_text


async def test_retrieve_filters_by_code_and_coder_and_jumps(tui_project):
    code(tui_project, "J'ai fait le DU, c'était dur.", "formation", "Claire")
    code(tui_project, "Le soir je pensais encore aux personnes accompagnées.", "charge-mentale",
         "Samia")  # fmt: skip
    code(tui_project, "Au début les éducateurs me voyaient comme une usagère.", "legitimite",
         "Samia")  # fmt: skip
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetrieveScreen)
        await pilot.pause(0.3)
        assert len(screen.excerpts) == 3
        screen.query_one(SelectionList).select("charge-mentale")
        await pilot.pause(0.3)
        assert [e.coding.code_id for e in screen.excerpts] == ["charge-mentale"]
        assert screen.excerpts[0].speaker == "Nadia"
        screen.query_one(SelectionList).deselect_all()
        screen.query_one("#coder", Select).value = "Samia"
        await pilot.pause(0.3)
        assert sorted(e.coding.code_id for e in screen.excerpts) == ["charge-mentale", "legitimite"]
        table = screen.query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.session.selected_text.startswith("Au début")


async def test_corpus_filter_and_import_in_a_worker(tui_project, tmp_path):
    folder = tmp_path / "nouveaux"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Karim : On parle de réduction des risques.\nJo : Oui.\n", "utf-8"
    )
    (folder / "vide.txt").write_text("", "utf-8")
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        report = str(app.screen.query_one("#import-report").render())
        assert "1 refusé(s)" in report and "vide.txt" in report
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert screen.query_one(DataTable).row_count == 2
        screen.query_one("#filter", Input).value = "karim"
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 1


async def test_codebook_screen_reload_reports_yaml_errors(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        detail = str(app.screen.query_one("#code-detail").render())
        assert "Charge mentale" in detail and "Exemples" in detail
        path = tui_project.codebook_path
        original = path.read_text(encoding="utf-8")
        path.write_text(original + "\n  - id: formation\n    label: Doublon\n", "utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert any("en double" in n.message for n in app._notifications)
        assert len(app.codes) == 4  # the project's codes are kept
        path.write_text(original + "\n  - id: pair-aidance\n    label: Pair-aidance\n", "utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert [c.id for c in app.codes][-1] == "pair-aidance"


async def test_help_lists_every_binding_in_french(tui_project):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for binding in CodingScreen.BINDINGS + RecitsApp.BINDINGS:
            assert binding.description in shown
            assert binding.id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)


async def test_asks_who_codes_when_nobody_is_set(tui_project):
    tui_project.settings = type(tui_project.settings)(
        name="p", codebook=tui_project.settings.codebook
    )
    app = RecitsApp(tui_project, None, preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CoderPrompt)
        await pilot.press(*"Léa", "enter")
        await pilot.pause()
        assert app.coder == "Léa"
        await pilot.press("enter", "1")
        await pilot.pause()
    with tui_project.store() as store:
        assert [c.coder for c in store.codings()] == ["Léa"]


async def test_a_failing_worker_is_a_notification_not_a_crash(tui_project, monkeypatch):
    from recits.store import Store

    def broken(self, **filters):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Store, "excerpts", broken)
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RetrieveScreen)
        assert any("disque plein" in n.message for n in app._notifications)


async def test_titles_with_brackets_are_shown_as_written(tui_project, tmp_path):
    """A title is never read as Rich markup: « [mars] » keeps its brackets, « [/] » breaks
    nothing, in the corpus and in search results."""
    path = tmp_path / "reunion.txt"
    path.write_text("Nadia : Réunion sur la formation des pairs.\n", encoding="utf-8")
    assert run(tui_project, "import", str(path), "--title", "Réunion [mars] [/]").exit_code == 0
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Réunion [mars] [/]" in _shown(app.screen.query_one(DataTable))
        await pilot.press("f5", *"réunion", "enter")
        await pilot.pause()
        assert "Réunion [mars] [/]" in _shown(app.screen.query_one(DataTable))


def _shown(table: DataTable) -> str:
    """The text the table paints."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_a_long_corpus_is_listed_whole_and_sorted(tui_project, tmp_path):
    """Rows beyond the first screenful arrive just after the first paint, in order."""
    folder = tmp_path / "beaucoup"
    folder.mkdir()
    for n in range(75):
        (folder / f"note-{n:02}.txt").write_text(f"Nadia : note numéro {n}.\n", encoding="utf-8")
    assert run(tui_project, "import", str(folder)).exit_code == 0
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 76
        await pilot.press("o")  # date → title
        await pilot.pause()
        titles = [str(table.get_cell_at((row, 1))) for row in range(table.row_count)]
        assert len(titles) == 76 and titles == sorted(titles)


def in_a_new_python(project, code: str) -> None:
    """Run `code` in a fresh interpreter (nothing imported yet), the project's root in argv[1],
    with sys, Project and RecitsApp imported; it must succeed."""
    header = (
        "import sys\nfrom recits.project import Project\nfrom recits.tui.app import RecitsApp\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", header + code, str(project.root)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_starting_the_app_freezes_what_was_imported(tui_project):
    """The cycle collector stops walking the imported modules: a full collection over them
    fell in the first frame."""
    in_a_new_python(
        tui_project,
        "import gc\n"
        "assert not gc.get_freeze_count()\n"
        "RecitsApp(Project.open(sys.argv[1]))\n"
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()\n",
    )


# The lazy seams that matter (100 ms to seconds each); the rest of the start-up is measured
# by bench/tui.py (cold start against a minimal Textual app), not listed here.
NOT_AT_FIRST_PAINT = ("spacy", "sklearn", "sqlite_utils", "docx", "odf")


def test_an_edited_codebook_is_synced_just_after_the_first_paint(tui_project):
    """The corpus shows no codes: it paints without reading the codebook, nor importing
    sqlite-utils to write the changed codes, nor other modules it does not need."""
    path = tui_project.codebook_path
    path.write_text(path.read_text(encoding="utf-8") + "\n# modifiée\n", encoding="utf-8")
    in_a_new_python(
        tui_project,
        "class Probe(RecitsApp):\n"
        "    def on_mount(self):\n"
        "        self.call_after_refresh(self.painted)\n"
        "    def painted(self):\n"
        f"        loaded = [m for m in {NOT_AT_FIRST_PAINT!r} if m in sys.modules]\n"
        "        self.at_paint = (self.codebook is None, loaded)\n"
        "        self.call_after_refresh(self.exit)\n"
        "app = Probe(Project.open(sys.argv[1]), 'Claire', preload_model=False)\n"
        "app.run(headless=True)\n"
        "assert app.at_paint == (True, []), app.at_paint\n"
        "assert app.codebook is not None\n",
    )
    with tui_project.store() as store:
        assert store.get_meta("codebook_sha256") == tui_project.codebook().sha256
