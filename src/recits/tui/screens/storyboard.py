"""The storyboard from the app: scenes ticked, html or pdf, written to exports/ behind the gate."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, SelectionList, Static

from recits.errors import app_message
from recits.models.scenes import Scene
from recits.tui.messages import ReportsWorkerErrors
from recits.tui.screens.publish_dialogs import FAILURES

FORMATS = (("Page HTML à imprimer (.html)", "html"), ("PDF (.pdf)", "pdf"))


class StoryboardDialog(ReportsWorkerErrors, ModalScreen[Path | None]):
    """Tick the scenes (those validated or further on come ticked), choose the format; ctrl+s
    writes in a worker. A refusal (consent « bd », a name in the file) writes nothing and says
    why, in the words the command line uses; the dialog stays open to try again."""

    BINDINGS = [
        Binding("ctrl+s", "write", "Écrire le storyboard", id="storyboard-write"),
        Binding("escape", "cancel", "Fermer", id="storyboard-cancel"),
    ]

    def __init__(self, scenes: list[Scene], ready: set[str]) -> None:
        super().__init__()
        self.scenes, self.ready = scenes, ready
        self.writing = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="storyboard-dialog"):
            yield Label("Storyboard pour l'illustration", classes="dialog-title")
            yield SelectionList[str](
                *((f"{s.title} ({s.status})", s.id, s.id in self.ready) for s in self.scenes),
                id="storyboard-scenes",
            )
            yield Select(FORMATS, value="html", allow_blank=False, id="storyboard-format")
            yield Static("", id="storyboard-state", markup=False)
            yield Label(
                "[dim]espace : cocher une scène · ctrl+s : écrire dans exports/ · échap :"
                " fermer[/dim]"
            )

    def on_mount(self) -> None:
        self.query_one("#storyboard-scenes").border_title = "Scènes (une planche chacune)"
        self.query_one(SelectionList).focus()

    def action_write(self) -> None:
        if self.writing:
            self.notify("Écriture déjà en cours…", severity="warning")
            return
        chosen = tuple(self.query_one(SelectionList).selected)
        if not chosen:
            self.notify("Cochez au moins une scène (espace).", severity="warning")
            return
        fmt = str(self.query_one(Select).value)
        self.writing = True
        self._state("Écriture en cours…")
        self.write_file(fmt, chosen, self.app.coder or None)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="storyboard-write", exit_on_error=False)
    def write_file(self, fmt: str, scene_ids: tuple[str, ...], actor: str | None) -> None:
        """Its own connection; the gate runs inside the write, so a refusal writes nothing."""
        from recits.exports.storyboard import summary, write_storyboard

        project = self.app.project  # type: ignore[attr-defined]
        try:
            with project.store() as store:
                path, digest, board = write_storyboard(
                    store, fmt, scene_ids, exports_dir=project.exports_dir, actor=actor
                )
        except FAILURES as err:
            self.app.call_from_thread(self._refused, app_message(err))
            return
        self.app.call_from_thread(self._written, path, f"{summary(board)} · sha256 {digest[:16]}…")

    def _written(self, path: Path, said: str) -> None:
        self.writing = False
        self.app.wrote()  # type: ignore[attr-defined]
        self.notify(f"Écrit : {path}\n{said}", title="Storyboard", timeout=20, markup=False)
        self.dismiss(path)

    def _refused(self, message: str) -> None:
        self.writing = False
        self._state(message)
        self.notify(message, title="Storyboard", severity="error", timeout=20, markup=False)

    def _state(self, message: str) -> None:
        self.query_one("#storyboard-state", Static).update(message)

    def action_cancel(self) -> None:
        if not self.writing:
            self.dismiss(None)
