"""Dialogs of the codebook screen: a few fields to fill in, a code to choose, a definition."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from recits.tui.screens.dialogs import CodePicker

TOP_LEVEL = "(premier niveau)"  # the picker option for « no parent » (never a code id)


class FieldsDialog(ModalScreen[dict[str, str] | None]):
    """One line per field; enter on the last one validates, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="fields-cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields  # (key, prompt, value)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for key, prompt, value in self.fields:
                yield Label(prompt, markup=False)
                yield Input(value, id=f"field-{key}")
            yield Label("[dim]entrée : valider · échap : annuler[/dim]")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
            return
        self.dismiss({key: self.query_one(f"#field-{key}", Input).value for key, *_ in self.fields})

    def action_cancel(self) -> None:
        self.dismiss(None)


class DefinitionDialog(ModalScreen[str | None]):
    """A code's description; ctrl+s saves, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="definition-save"),
        Binding("escape", "cancel", "Annuler", id="definition-cancel"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield TextArea(self.text, id="definition-text")
            yield Label("[dim]ctrl+s : enregistrer · échap : annuler[/dim]")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class TargetPicker(CodePicker):
    """The code picker with its own title (« Fusionner dans… », « Déplacer sous… »)."""

    def __init__(self, title: str, codes: list, *, top_level: bool = False) -> None:
        from recits.models import Code

        extra = [Code(id=TOP_LEVEL, label="(premier niveau, sans parent)")] if top_level else []
        super().__init__(extra + list(codes))
        self.title_text = title

    def on_mount(self) -> None:
        self.query_one(".dialog-title", Label).update(self.title_text)
