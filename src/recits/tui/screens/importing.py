"""The import dialog: a file or folder, imported in a worker with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar

from recits.errors import RecitsError, app_message
from recits.tui.messages import ReportsWorkerErrors

if TYPE_CHECKING:
    from recits.ingest import Outcome


class ImportDialog(ReportsWorkerErrors, ModalScreen[None]):
    """A path (file or folder), then the import runs in a worker with a progress bar."""

    BINDINGS = [Binding("escape", "close", "Fermer", id="import-close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Importer transcriptions et rapports (.txt .md .docx .odt .vtt .srt"
                        " .pdf)", classes="dialog-title")  # fmt: skip
            yield Input(placeholder="Chemin d'un fichier ou d'un dossier", id="import-path",
                        value=str(self.app.project.root / "corpus"))  # fmt: skip
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Label("", id="import-report")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from recits.ingest import collect_files  # the importers load when first needed

        path = Path(event.value.strip()).expanduser()
        try:
            files = collect_files([path])
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        if not files:
            self.notify(f"{path} : aucun fichier importable", severity="warning")
            return
        self.query_one(ProgressBar).update(total=len(files), progress=0)
        event.input.disabled = True
        self.run_import(files)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, files: list[Path]) -> None:
        from recits.ingest import ImportOptions, import_paths

        bar = self.query_one(ProgressBar)
        coder = self.app.coder or None
        with self.app.project.store() as store:
            flagged = {p.id for p in store.participants() if p.same_label_as}
            outcomes = import_paths(
                store, files, ImportOptions(coder=coder),
                progress=lambda _path: self.app.call_from_thread(bar.advance, 1),
            )  # fmt: skip
            to_confirm = sum(
                1 for p in store.participants() if p.same_label_as and p.id not in flagged
            )
        self.app.call_from_thread(self._report, outcomes, to_confirm)

    def _report(self, outcomes: list[Outcome], to_confirm: int = 0) -> None:
        failed = [o for o in outcomes if o.failed]
        done = len(outcomes) - len(failed)
        summary = f"{done} fichier(s) traité(s), {len(failed)} refusé(s)."
        report = Text(summary)
        for outcome in failed[:8]:
            report.append(f"\n{outcome.path.name} : {outcome.message}", style="bold")
        if to_confirm:  # a name already known: not the same person until the team says so
            report.append(
                f"\n{to_confirm} participant·e(s) à confirmer (même nom qu'un·e autre"
                " participant·e) : écran F8, touche v"
            )
        self.query_one("#import-report", Label).update(report)
        self.notify(summary, severity="error" if failed else "information")
        if done > len([o for o in outcomes if o.status == "unchanged"]):
            self.app.analyse_in_background()

    def action_close(self) -> None:
        self.dismiss(None)
