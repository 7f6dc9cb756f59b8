"""Dialogs of the scenes: which scene a passage goes to (or a new one), a panel's text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from recits.errors import RecitsError, app_message
from recits.models.scenes import Scene

NEW = "new-scene"


class SceneChooser(ModalScreen[str | None]):
    """Choose an existing scene, or type a title for a new one; returns the scene's id."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="scene-chooser-cancel")]

    def __init__(self, scenes: list[Scene]) -> None:
        super().__init__()
        self.scenes = scenes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Ajouter le passage à une scène", classes="dialog-title")
            yield OptionList(
                Option("+ Nouvelle scène…", id=NEW),
                *(Option(f"{s.title}  [dim]({s.status})[/dim]", id=s.id) for s in self.scenes),
                id="scene-choices",
            )
            yield Input(placeholder="Titre de la nouvelle scène", id="scene-title")
            yield Label("[dim]Entrée : choisir · échap : annuler[/dim]")

    def on_mount(self) -> None:
        self.query_one("#scene-title").display = False
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW:
            title = self.query_one("#scene-title", Input)
            title.display = True
            title.focus()
        else:
            self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from recits import scenes

        app = self.app
        try:
            scene = scenes.create(app.store, event.value, actor=app.coder)  # type: ignore[attr-defined]
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.dismiss(scene.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PanelDialog(ModalScreen[tuple[str, str] | None]):
    """A panel's picture description and caption; Enter in the caption saves."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="panel-cancel")]

    def __init__(self, picture: str = "", caption: str = "") -> None:
        super().__init__()
        self.picture, self.caption = picture, caption

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Vignette", classes="dialog-title")
            yield Input(self.picture, placeholder="Image : ce que l'on voit", id="panel-picture")
            yield Input(self.caption, placeholder="Récitatif (narration)", id="panel-caption")
            yield Label("[dim]Entrée : enregistrer · échap : annuler[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "panel-picture":
            self.query_one("#panel-caption", Input).focus()
            return
        picture = self.query_one("#panel-picture", Input).value.strip()
        self.dismiss((picture, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def add_passage(screen, document_id: str, start: int, end: int, coding_id: str | None) -> None:
    """`S` in the coding view or the excerpts: the passage goes to a new or existing scene."""
    from recits import scenes

    app = screen.app

    def chosen(scene_id: str | None) -> None:
        if scene_id is None:
            return
        try:
            scene = app.store.scene(scene_id)
            scenes.add_source(
                app.store, scene, document_id, start, end, coding_id=coding_id, actor=app.coder
            )
        except RecitsError as err:
            screen.notify(app_message(err), severity="error")
            return
        app.wrote()
        screen.notify(f"Passage ajouté à la scène « {scene.title} » (F10 : les scènes).")

    app.push_screen(SceneChooser(app.store.scenes()), chosen)
