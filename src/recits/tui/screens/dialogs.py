"""Small modal dialogs: who codes, the fuzzy code picker, a memo."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from recits.models import Code


class CoderPrompt(ModalScreen[str]):
    """Asks who codes, when neither --coder nor the project's settings say."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Qui code ? (votre prénom, enregistré avec chaque codage)",
                        classes="dialog-title")  # fmt: skip
            yield Input(placeholder="Prénom", id="coder-name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


class CodePicker(ModalScreen[str | None]):
    """Type a few letters: codes ranked by fuzzy match on id, label and definition."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="picker-cancel")]

    def __init__(self, codes: list[Code]) -> None:
        super().__init__()
        self.codes = codes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Appliquer un code", classes="dialog-title")
            yield Input(placeholder="Chercher un code…", id="picker-input")
            yield OptionList(*self._options(""), id="picker-options")

    def _options(self, query: str) -> list[Option]:
        if not query.strip():
            ranked = self.codes
        else:
            choices = {c.id: f"{c.id} {c.label} {c.description}" for c in self.codes}
            matches = process.extract(
                query, choices, scorer=fuzz.WRatio, processor=str.casefold, limit=None
            )
            by_id = {c.id: c for c in self.codes}
            ranked = [by_id[key] for _text, score, key in matches if score >= 40]
        return [Option(f"{c.label}  [dim]({c.id})[/dim]", id=c.id) for c in ranked]

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:  # arrows move in the list while typing
        if event.key in ("down", "up"):
            options = self.query_one(OptionList)
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoDialog(ModalScreen[str | None]):
    """Write or edit the memo of a coding; ctrl+s saves, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="memo-save"),
        Binding("escape", "cancel", "Annuler", id="memo-cancel"),
    ]

    def __init__(self, title: str, memo: str) -> None:
        super().__init__()
        self.title_text = title
        self.memo = memo

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield TextArea(self.memo, id="memo-text")
            yield Label("[dim]ctrl+s : enregistrer · échap : annuler[/dim]")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
