"""REFI-QDA in the app: export the project (.qdpx) or the codebook (.qdc), or import a file,
in a worker with a progress bar; the public export only (the internal copy is the CLI's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Select, Static

from recits.errors import app_message
from recits.participants import SCOPES
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.screens.publish_dialogs import FAILURES

if TYPE_CHECKING:
    from recits.exports.gate import Leak
    from recits.exports.refi import RefiExport
    from recits.importers.refi import RefiImport
    from recits.tui.app import RecitsApp

QDPX, QDC, IMPORT = "qdpx", "qdc", "import"
ACTIONS = (
    ("Export du projet .qdpx", QDPX),
    ("Export de la grille .qdc", QDC),
    ("Import d'un fichier", IMPORT),
)
HINTS = {
    QDPX: "Comme tout export : pseudonymes, seulement les propos consentis pour l'usage choisi"
    " (les autres : « [passage retiré] »), refusé si un nom non revu passerait. Entrée : écrire.",
    QDC: "Les codes, leur hiérarchie, leurs couleurs et leurs définitions. Entrée : écrire.",
    IMPORT: "Un fichier .qdpx, .qde ou .qdc : sources, extraits codés, codeur·euse·s, mémos et"
    " codes nouveaux ajoutés au projet ; un fichier refusé ne change rien. Entrée : importer.",
}
SHOWN_LEAKS = 8


class RefiDialog(ReportsWorkerErrors, ModalScreen[bool]):
    """What to do (export the project or the codebook, or import), the file, then a worker."""

    BINDINGS = [Binding("escape", "close", "Fermer", id="refi-close")]
    DEFAULT_CSS = """
    #refi-choices { height: auto; }
    #refi-action { width: 1fr; }
    #refi-scope { width: 26; }
    #refi-hint { color: $text-muted; }
    #refi-scroll { height: auto; max-height: 8; }
    """

    def __init__(self, action: str = QDPX) -> None:
        super().__init__()
        self.action = action
        self.busy = False
        self.changed = False  # something was imported
        self._default = ""  # the path proposed, replaced when the action changes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("REFI-QDA (NVivo, ATLAS.ti, MAXQDA, QualCoder)", classes="dialog-title")
            with Horizontal(id="refi-choices"):
                yield Select([(label, value) for label, value in ACTIONS], value=self.action,
                             allow_blank=False, id="refi-action")  # fmt: skip
                yield Select([(f"Usage : {s}", s) for s in SCOPES], value="articles",
                             allow_blank=False, id="refi-scope")  # fmt: skip
            yield Input(placeholder="Chemin du fichier", id="refi-path")
            yield Static("", id="refi-hint")
            yield ProgressBar(id="refi-progress", show_eta=False)
            with VerticalScroll(id="refi-scroll"):
                yield Static("", id="refi-report")

    def on_mount(self) -> None:
        self._show_action()
        self.query_one("#refi-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "refi-action" and event.value != self.action:
            self.action = str(event.value)
            self._show_action()

    def _show_action(self) -> None:
        from recits.exports.refi.files import default_path

        path = self.query_one("#refi-path", Input)
        proposed = ""
        if self.action != IMPORT:
            proposed = str(default_path(self.app.project.exports_dir, self.action))
        if path.value in ("", self._default):  # never replace what the coder typed
            path.value = proposed
        self._default = proposed
        self.query_one("#refi-scope").display = self.action == QDPX
        self.query_one("#refi-hint", Static).update(HINTS[self.action])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.busy:
            self.notify("Déjà en cours…", severity="warning")
            return
        text = event.value.strip()
        if not text:
            self.notify("Donnez le chemin du fichier.", severity="warning")
            return
        path = Path(text).expanduser()
        self.busy = True
        self.query_one("#refi-report", Static).update("")
        self.query_one(ProgressBar).update(total=None, progress=0)
        if self.action == IMPORT:
            self.run_import(path, self.app.coder or None)
        else:
            scope = str(self.query_one("#refi-scope", Select).value)
            self.run_export(self.action, path, scope, self.app.coder or None)

    def _progress(self, done: int, total: int) -> None:
        """From the worker: the bar moves in the app's thread."""
        self.app.call_from_thread(self._advance, done, total)

    def _advance(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    # -- export ----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="refi", exit_on_error=False)
    def run_export(self, fmt: str, path: Path, scope: str, actor: str | None) -> None:
        """Built, checked by the schema and the gate, then written as a new file (never over
        another); a refused export writes nothing."""
        from recits.exports.excerpts import ExportRefused
        from recits.exports.refi import build_qdc, build_qdpx
        from recits.exports.refi.files import write_refi

        project = self.app.project
        try:
            with project.store() as store:
                project.sync_codebook(store)
                if fmt == QDC:
                    result = build_qdc(store)
                else:
                    name = project.settings.name
                    result = build_qdpx(store, name, scope=scope, progress=self._progress)
                written = write_refi(
                    store, result, exports_dir=project.exports_dir, out=path, scope=scope,
                    actor=actor,
                )  # fmt: skip
        except ExportRefused as err:
            self.app.call_from_thread(self._refused, err.leaks)
            return
        except FAILURES as err:
            self.app.call_from_thread(self._failed, f"export impossible : {app_message(err)}")
            return
        self.app.call_from_thread(self._exported, result, written)

    def _exported(self, result: RefiExport, path: Path) -> None:
        self._done()
        self.app.wrote()  # type: ignore[attr-defined]
        report = Text(f"Écrit : {path}", style="bold")
        for line in result.summary():
            report.append(f"\n{line}")
        self.query_one("#refi-report", Static).update(report)
        self.notify(f"Écrit : {path}", title="REFI-QDA", timeout=20, markup=False)

    def _refused(self, leaks: tuple[Leak, ...]) -> None:
        self._done(failed=True)
        report = Text("Export refusé, rien n'a été écrit.\n", style="bold")
        for leak in leaks[:SHOWN_LEAKS]:
            report.append(f"  • « {leak.found} » ({leak.kind}) — {leak.where}\n")
        if len(leaks) > SHOWN_LEAKS:
            report.append(f"  … et {len(leaks) - SHOWN_LEAKS} autre(s)\n", style="dim")
        self.query_one("#refi-report", Static).update(report)
        self.notify(
            f"Export refusé, rien n'a été écrit : {len(leaks)} occurrence(s) de noms."
            " Rattachez ou écartez ces noms (F9), ou ajoutez des alias (F8).",
            title="REFI-QDA", severity="error", timeout=20, markup=False,
        )  # fmt: skip

    # -- import ----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="refi", exit_on_error=False)
    def run_import(self, path: Path, coder: str | None) -> None:
        """All or nothing: a file refused leaves the project as it was."""
        from recits.importers.refi import import_refi

        project = self.app.project
        try:
            with project.store() as store:
                report = import_refi(project, store, path, coder=coder, progress=self._progress)
        except FAILURES as err:
            self.app.call_from_thread(self._failed, f"import impossible : {app_message(err)}")
            return
        self.app.call_from_thread(self._imported, report)

    def _imported(self, report: RefiImport) -> None:
        self._done()
        self.changed = True
        lines = report.lines()
        self.query_one("#refi-report", Static).update(Text("\n".join(lines)))
        self.notify(lines[0], title="REFI-QDA", timeout=20, markup=False)
        if report.codes_added:
            self.app.reload_codebook()  # type: ignore[attr-defined]
        if report.documents:
            self.app.analyse_in_background()  # type: ignore[attr-defined]

    # -- either ----------------------------------------------------------------------------------
    def _failed(self, message: str) -> None:
        self._done(failed=True)
        self.query_one("#refi-report", Static).update(Text(message, style="bold"))
        self.notify(message, title="REFI-QDA", severity="error", timeout=20, markup=False)

    def _done(self, failed: bool = False) -> None:
        self.busy = False
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=0 if failed else 1)

    def action_close(self) -> None:
        self.dismiss(self.changed)


def open_refi(app: RecitsApp, action: str) -> None:
    """The dialog, from the command palette or the export screen; after an import, the screen
    below shows what came in."""

    def closed(changed: bool | None) -> None:
        if changed:
            app.screen.post_message(DataChanged())

    app.push_screen(RefiDialog(action), closed)
