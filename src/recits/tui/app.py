"""The recits Textual app: screens over one project, for one coder."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from recits.errors import RecitsError, app_message
from recits.project import Project
from recits.store import Store
from recits.tui.messages import DataChanged, ModelReady
from recits.tui.terminal import force_exit_later, hung_up, terminal_fd

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode

    from recits.codebook import Codebook
    from recits.models import Code, Document

POLL_SECONDS = 1.0  # other coders' work shows up within this (and a repaint)
WARM_UP_DELAY_SECONDS = 0.3
MODEL_DELAY_SECONDS = 1.0  # let the first screens paint before spaCy takes the CPU
RETRAIN_DELAY_SECONDS = 5.0  # after the last coding or decision, retrain in the background


def freeze_imported_objects() -> None:
    """Once per process, when the app starts: the modules, classes and functions imported by
    then live as long as the process, so the cycle collector stops walking them. Otherwise the
    first full collection falls in the first frame and walks them all (about 20 ms, a sixth of
    the start-up). A full collection at this point finds nothing to free."""
    if not gc.get_freeze_count():
        gc.freeze()


class RecitsApp(App[None]):
    CSS_PATH = Path(__file__).with_name("recits.tcss")
    TITLE = "recits"
    BINDINGS = [
        Binding("question_mark", "help", "Aide", id="help", key_display="?"),
        Binding("f2", "corpus", "Corpus", id="corpus"),
        Binding("f10", "scenes", "Scènes", id="scenes"),
        Binding("f4", "retrieve", "Extraits", id="retrieve"),
        Binding("f5", "search", "Recherche", id="search"),
        Binding("f6", "codebook", "Grille", id="codebook"),
        Binding("f7", "export", "Export", id="export"),
        Binding("f8", "participants", "Participant·e·s", id="participants"),
        Binding("f9", "names", "Noms", id="names"),
        Binding("f3", "agreement", "Accord", id="agreement"),
        Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True),
    ]

    def __init__(
        self, project: Project, coder: str | None = None, *, preload_model: bool = True
    ) -> None:
        freeze_imported_objects()
        super().__init__()
        self.preload_model = preload_model
        self.project = project
        self.coder = coder or project.settings.coder or ""
        self.store: Store = None  # type: ignore[assignment]  # opened on mount, in this thread
        self.codebook: Codebook = None  # type: ignore[assignment]
        self._data_version = 0
        self._terminal: int | None = None
        self.model_ready = False
        # Blind coding (b in the coding view): the others' codings are neither shown nor
        # counted, in every document opened and in the codebook, until b again.
        self.blind = False
        self._retrain_timer: Timer | None = None

    # -- start-up --------------------------------------------------------------------------------
    def on_load(self) -> None:
        # Before the first screen is built (in the app's thread): the corpus reads on mount.
        self.store = self.project.store()
        self.sub_title = self.project.settings.name

    def get_default_screen(self) -> Screen:
        """The corpus is the bottom of the stack: no blank default screen built, mounted and
        painted under it first (15 ms of the start-up)."""
        from recits.tui.screens.corpus import CorpusScreen

        return CorpusScreen()

    def on_mount(self) -> None:
        # The corpus shows no codes: the codebook file is read (and synced) once it is painted;
        # until then `codes` are the project's.
        self.call_after_refresh(self.reload_codebook)
        if not self.coder:
            from recits.tui.screens.dialogs import CoderPrompt

            self.push_screen(CoderPrompt(), self._set_coder)
        self._data_version = self.store.data_version()
        self._terminal = terminal_fd(self._driver)
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_timer(WARM_UP_DELAY_SECONDS, self.warm_up)
        # The language model loads after the first paint, in a worker; until it is ready the
        # suggestion actions are greyed out.
        if self.preload_model:
            self.set_timer(MODEL_DELAY_SECONDS, self.load_language_model)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """What the first coding needs, imported while the coder reads the corpus: the store
        writes through sqlite-utils, left out of the start-up."""
        from recits.store.lazy import import_sqlite_utils

        import_sqlite_utils()

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def load_language_model(self) -> None:
        from recits import nlp

        nlp.load_model()
        self.call_from_thread(self._model_ready)

    def _model_ready(self) -> None:
        self.model_ready = True
        self.screen.refresh_bindings()
        # Documents imported elsewhere (the CLI, another coder) and never analysed: suggestions
        # and lemma search need their analysis.
        self.analyse_in_background()
        self.screen.post_message(ModelReady())

    @work(thread=True, exclusive=True, group="analyse", exit_on_error=False)
    def analyse_in_background(self) -> None:
        """After an import: parse the new documents once, so suggestions and search can use it."""
        from recits import nlp

        with self.project.store() as store:
            pending = nlp.pending_documents(store)
            if not pending:
                return
            self.call_from_thread(
                self.notify, f"Analyse de {len(pending)} document(s) en cours…", timeout=4
            )
            report = nlp.analyse(store, pending)
        self.call_from_thread(
            self.notify, f"Analyse terminée : {report.analysed} document(s).", timeout=4
        )
        self.call_from_thread(self.warn_not_french, report.not_french)

    def warn_not_french(self, documents: Iterable[Document]) -> None:
        """After an analysis: the documents whose words do not look French."""
        from recits import nlp

        for document in documents:
            message = nlp.not_french_message(document) + "."
            self.notify(message, severity="warning", timeout=10)

    def reload_codebook(self) -> bool:
        """Sync the codebook file into the project; on error keep the codes the project has."""
        try:
            self.codebook = self.project.sync_codebook(self.store)
        except RecitsError as err:
            self.codebook = None  # type: ignore[assignment]
            self.notify(app_message(err), title="Grille de codage", severity="error", timeout=20)
            return False
        return True

    @property
    def codes(self) -> list[Code]:
        """Codes in codebook order, with full definitions when the codebook file is valid."""
        return list(self.codebook.codes) if self.codebook else self.store.codes()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that fails says so in French; the app keeps running (never a traceback).
        Screens forward their workers' failures here (ReportsWorkerErrors)."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = app_message(error) if isinstance(error, RecitsError) else f"{error!r}"
            self.notify(f"Échec : {message}", title="Erreur", severity="error", timeout=15)

    def _set_coder(self, coder: str | None) -> None:
        self.coder = (coder or "").strip() or "anonyme"
        self.notify(f"Vous codez en tant que {self.coder}.")

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    def _poll(self) -> None:
        if self._terminal is not None and hung_up(self._terminal):
            # The terminal went away (its window closed, tmux killed) without a SIGHUP reaching
            # us (`make run` keeps it): Textual's input thread would spin on end-of-file. Leave
            # the Textual way, or by force shortly after.
            self._terminal = None
            force_exit_later()
            self.exit()
            return
        version = self.store.data_version()
        if version != self._data_version:
            self._data_version = version
            self.screen.post_message(DataChanged())
            self._retrain_later()

    def wrote(self) -> None:
        """This app wrote: other screens refresh, but our own poll needn't fire."""
        self._data_version = self.store.data_version()
        self._retrain_later()

    # -- the suggestion model ------------------------------------------------------------------
    def _retrain_later(self) -> None:
        """Codings or decisions changed (here or in another process): once the coder pauses,
        retrain in the background, so that the next suggestions need not wait for it."""
        if not self.model_ready:
            return
        if self._retrain_timer is not None:
            self._retrain_timer.stop()
        self._retrain_timer = self.set_timer(RETRAIN_DELAY_SECONDS, self.retrain_in_background)

    @work(thread=True, exclusive=True, group="retrain", exit_on_error=False)
    def retrain_in_background(self) -> None:
        from recits import suggest

        with self.project.store() as store:
            try:
                codebook = self.project.codebook()
            except RecitsError:
                return  # a codebook being edited: its errors show in the codebook screen
            suggest.prepare(store, codebook)  # trains only if the codings or decisions changed

    # -- keys that cannot act ---------------------------------------------------------------------
    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """A greyed-out key says why it cannot act (the screen's `unavailable_reason`), instead
        of doing nothing silently."""
        if await super().run_action(action, default_namespace, namespaces):
            return True
        target, name, parameters = self._parse_action(
            action, self if default_namespace is None else default_namespace, namespaces
        )
        explain = getattr(target, "unavailable_reason", None)
        reason = explain(name, parameters) if explain is not None else None
        if not reason:
            return False
        self.notify(reason, severity="warning", timeout=4)
        return True

    # -- navigation ------------------------------------------------------------------------------
    def _to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_corpus(self) -> None:
        self._to_base()

    def _to_kept(self, name: str, make: Callable[[], Screen]) -> None:
        """Open a screen that keeps its state (a query, filters, the row reached) from one
        visit to the next: it is made once, then installed and reused."""
        self._to_base()
        if not self.is_screen_installed(name):
            self.install_screen(make(), name)
        self.push_screen(name)

    def action_retrieve(self) -> None:
        from recits.tui.screens.retrieve import RetrieveScreen

        self._to_kept("retrieve", RetrieveScreen)

    def action_search(self) -> None:
        from recits.tui.screens.search import SearchScreen

        self._to_kept("search", SearchScreen)

    def action_codebook(self) -> None:
        from recits.tui.screens.codebook import CodebookScreen

        self._to_base()
        self.push_screen(CodebookScreen())

    def action_export(self) -> None:
        from recits.tui.screens.export import ExportScreen

        self._to_base()
        self.push_screen(ExportScreen())

    def action_participants(self) -> None:
        from recits.tui.screens.participants import ParticipantsScreen

        self._to_base()
        self.push_screen(ParticipantsScreen())

    def action_scenes(self) -> None:
        from recits.tui.screens.scenes import ScenesScreen

        self._to_base()
        self.push_screen(ScenesScreen())

    def action_names(self) -> None:
        from recits.tui.screens.names import NamesScreen

        self._to_base()
        self.push_screen(NamesScreen())

    def action_agreement(self) -> None:
        from recits.tui.screens.agreement import AgreementScreen

        self._to_base()
        self.push_screen(AgreementScreen())

    def open_comparison(self, document_id: str, first: str, second: str) -> None:
        """Two coders' codings of one document side by side, to settle into the consensus;
        never while coding blind (it shows the others' codings)."""
        from recits.adjudication import Adjudication
        from recits.coders import find_coder
        from recits.tui.screens.agreement import BLIND_MESSAGE
        from recits.tui.screens.comparison import ComparisonScreen

        if self.blind:
            self.notify(BLIND_MESSAGE, severity="warning")
            return
        try:
            adjudication = Adjudication(self.store, document_id, first, second, self.coder)
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        colours = {}
        for name in (first, second):
            coder = find_coder(self.store, name)
            if coder is not None:
                colours[name] = coder.colour
        self.push_screen(ComparisonScreen(adjudication, colours))

    def action_help(self) -> None:
        from recits.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_document(self, document_id: str, offset: int | None = None) -> None:
        from recits.tui.screens.coding import CodingScreen

        # Opened from search hits or excerpts, Esc comes back to that list as it was left.
        while len(self.screen_stack) > 1 and not getattr(self.screen, "KEPT_UNDER_DOCUMENT", 0):
            self.pop_screen()
        if not self.is_screen_installed("coding"):
            self.install_screen(CodingScreen(), "coding")
        screen = self.get_screen("coding")
        try:
            screen.load(document_id, offset)
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.push_screen(screen)

    # -- in French, what Textual says in English -------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from recits.tui.palette import system_commands

        return system_commands(self, screen)

    def action_command_palette(self) -> None:
        from recits.tui.palette import PLACEHOLDER, FrenchCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(FrenchCommandPalette(placeholder=PLACEHOLDER, id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from recits.tui.palette import THEMES_PLACEHOLDER, FrenchCommandPalette

        self.push_screen(
            FrenchCommandPalette(providers=[ThemeProvider], placeholder=THEMES_PLACEHOLDER)
        )

    def action_help_quit(self) -> None:
        """ctrl+c, out of a text field, where Textual says in English how to quit."""
        self.notify("Pour quitter, appuyez sur ctrl+q (tout est déjà enregistré).",
                    title="Quitter ?")  # fmt: skip
