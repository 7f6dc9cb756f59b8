"""The coding view's find line (`/`): what to look for, and which occurrence is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class FindBar(Horizontal):
    """Hidden until `/`; posts what is typed and the steps asked for, the screen moves."""

    BINDINGS = [
        Binding("escape", "close", "Fermer la recherche", id="find-close"),
        Binding("down", "step(1)", "Occurrence suivante (ou Entrée)", id="find-next"),
        Binding("up", "step(-1)", "Occurrence précédente", id="find-previous"),
    ]

    class Changed(Message):
        """The words looked for changed (at each key typed)."""

        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    class Step(Message):
        """Show the next (1) or the previous (-1) occurrence."""

        def __init__(self, delta: int) -> None:
            self.delta = delta
            super().__init__()

    class Closed(Message):
        """The find line was closed (Esc)."""

    def compose(self) -> ComposeResult:
        yield Label("Chercher :", id="find-label")
        yield Input(placeholder="mots du document (sans accents)", id="find-input")
        yield Label("", id="find-count")

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        self.display = True
        field = self.query_one(Input)
        # At once, not after the queued events: what is typed just after `/` goes here.
        self.screen.set_focus(field)
        field.select_all()

    def show_count(self, text: str) -> None:
        self.query_one("#find-count", Label).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(1))

    def action_step(self, delta: int) -> None:
        self.post_message(self.Step(delta))

    def action_close(self) -> None:
        self.post_message(self.Closed())
