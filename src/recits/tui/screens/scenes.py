"""The scenes board: scenes by status, and the passages that may tell a scene."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from recits.errors import RecitsError, app_message
from recits.models.scenes import Scene, SceneCandidate
from recits.tui.cells import cell, middle_clip
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.widgets.keybar import KeyBar


class ScenesScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Corpus", id="scenes-back"),
        Binding("n", "new", "Nouvelle scène", id="scenes-new"),
        Binding("plus", "move(1)", "Statut suivant", id="scenes-next", key_display="+"),
        Binding("minus", "move(-1)", "Statut précédent", id="scenes-previous", key_display="-"),
        Binding("k", "candidates", "Scènes possibles", id="scenes-candidates"),
        Binding("p", "storyboard", "Storyboard", id="scenes-storyboard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scenes: list[Scene] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="scenes-count")
        yield DataTable(id="scenes", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Scènes de BD"
        table = self.query_one(DataTable)
        table.add_columns("Statut", "Titre", "Vignettes", "Sources")
        self.refresh_scenes()

    def refresh_scenes(self, keep: str | None = None) -> None:
        from recits.scenes import STATUSES

        store = self.app.store
        self.scenes = sorted(store.scenes(), key=lambda s: (STATUSES.index(s.status), s.created_at))
        table = self.query_one(DataTable)
        table.clear()
        for s in self.scenes:
            table.add_row(
                cell(s.status), cell(s.title), str(len(store.panels(s.id))),
                str(len(store.scene_sources(s.id))), key=s.id,
            )  # fmt: skip
        if keep is not None and keep in {s.id for s in self.scenes}:
            table.move_cursor(row=[s.id for s in self.scenes].index(keep))
        self.query_one("#scenes-count", Label).update(
            f"{len(self.scenes)} scène(s) · Entrée : écrire la scène · S dans un document ou"
            " sur un extrait (F4) y ajoute un passage"
        )

    def _current(self) -> Scene | None:
        table = self.query_one(DataTable)
        if not self.scenes or table.cursor_row < 0:
            return None
        return self.scenes[min(table.cursor_row, len(self.scenes) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from recits.tui.screens.scene_editor import SceneEditor

        self.app.push_screen(SceneEditor(str(event.row_key.value)))

    def action_new(self) -> None:
        from recits.tui.screens.scene_dialogs import SceneChooser

        def made(scene_id: str | None) -> None:
            if scene_id:
                self.app.wrote()
                self.refresh_scenes(scene_id)

        self.app.push_screen(SceneChooser([]), made)

    def action_move(self, step: int) -> None:
        from recits import scenes

        scene = self._current()
        if scene is None:
            self.notify("Aucune scène : n en crée une.", severity="warning")
            return
        here = scenes.STATUSES.index(scene.status) + step
        if not 0 <= here < len(scenes.STATUSES):
            self.notify(f"« {scene.title} » est déjà « {scene.status} ».", severity="warning")
            return
        try:
            moved = scenes.move(
                self.app.store, scene.id, scenes.STATUSES[here], actor=self.app.coder
            )
        except RecitsError as err:
            self.notify(app_message(err), severity="error", timeout=10)
            return
        self.app.wrote()
        self.notify(f"« {moved.title} » : {moved.status}")
        self.refresh_scenes(scene.id)

    def action_storyboard(self) -> None:
        """The storyboard of the ticked scenes (those validated or further on, or the one under
        the cursor when none is), written to exports/."""
        from recits.scenes import STATUSES, VALIDATED
        from recits.tui.screens.storyboard import StoryboardDialog

        if not self.scenes:
            self.notify("Aucune scène : n en crée une.", severity="warning")
            return
        far = STATUSES.index(VALIDATED)
        ready = {s.id for s in self.scenes if STATUSES.index(s.status) >= far}
        current = self._current()
        if not ready and current is not None:
            ready = {current.id}
        self.app.push_screen(StoryboardDialog(self.scenes, ready))

    def action_candidates(self) -> None:
        self.app.push_screen(CandidatesScreen())

    def on_screen_resume(self) -> None:
        current = self._current()
        self.refresh_scenes(current.id if current else None)

    def on_data_changed(self, event: DataChanged) -> None:
        current = self._current()
        self.refresh_scenes(current.id if current else None)

    def action_back(self) -> None:
        self.app.pop_screen()


class CandidatesScreen(ReportsWorkerErrors, Screen[None]):
    """Passages that may tell a lived scene, best first, with their reasons."""

    BINDINGS = [
        Binding("escape", "back", "Scènes", id="candidates-back"),
        Binding("S", "to_scene", "Vers une scène", id="candidates-to-scene"),
    ]
    KEPT_UNDER_DOCUMENT = True

    def __init__(self) -> None:
        super().__init__()
        self.found: list[SceneCandidate] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
        yield Static(id="candidate-reasons")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Scènes possibles"
        self.query_one(DataTable).add_columns("Score", "Document", "Passage")
        self.find()

    @work(thread=True, exclusive=True, group="candidates", exit_on_error=False)
    def find(self) -> None:
        from recits.scene_candidates import find_candidates

        with self.app.project.store() as store:
            found = find_candidates(store, limit=200)
            titles = {d.id: d.title for d in store.documents()}
        self.app.call_from_thread(self._show, found, titles)

    def _show(self, found: list[SceneCandidate], titles: dict[str, str]) -> None:
        self.found = found
        table = self.query_one(DataTable)
        table.clear()
        room = 36 if self.app.size.width >= 120 else 20
        for i, c in enumerate(found):
            text = " ".join(c.text.split())
            # The passage is what the team reads here: titles clipped in their middle.
            title = middle_clip(titles.get(c.document_id, ""), room)
            table.add_row(f"{c.score:g}".replace(".", ","), cell(title), cell(text[:120]),
                          key=str(i))  # fmt: skip
        if not found:
            self.query_one("#candidate-reasons", Static).update(
                "Aucun passage ne ressemble à une scène racontée."
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and self.found:
            c = self.found[int(event.row_key.value)]
            self.query_one("#candidate-reasons", Static).update("\n".join(c.reasons))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        c = self.found[int(event.row_key.value)]
        self.app.open_document(c.document_id, c.start_char)

    def action_to_scene(self) -> None:
        from recits.tui.screens.scene_dialogs import add_passage

        table = self.query_one(DataTable)
        if not self.found:
            self.notify("Aucun passage à ajouter.", severity="warning")
            return
        c = self.found[min(max(table.cursor_row, 0), len(self.found) - 1)]
        add_passage(self, c.document_id, c.start_char, c.end_char, None)

    def action_back(self) -> None:
        self.app.pop_screen()
