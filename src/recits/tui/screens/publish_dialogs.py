"""Small modal dialogs of the publishing screens: a text prompt, a picker, a consent form."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, RadioButton, RadioSet
from textual.widgets.option_list import Option

from recits.consent import effective_date
from recits.errors import RecitsError, app_message
from recits.participants import CONSENTS, SCOPES, check_agreement

# What a publishing action may fail with: shown as a French notification, never a traceback.
FAILURES = (RecitsError, OSError, sqlite3.Error)


class TextPrompt(ModalScreen[str | None]):
    """One line of text: Enter validates (an empty line too, when `allow_empty`)."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="prompt-cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        allow_empty: bool = False,
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.hint, self.allow_empty = hint, allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(
                f"[dim]{self.hint + ' · ' if self.hint else ''}"
                "entrée : valider · échap : annuler[/dim]"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() or self.allow_empty:
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Picker(ModalScreen[str | None]):
    """Choose one item among (label, id) pairs; typing filters them (fuzzy)."""

    BINDINGS = [Binding("escape", "cancel", "Annuler", id="choice-cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(placeholder="Filtrer…", id="choice-input")
            yield OptionList(*self._options(""), id="choice-options")

    def _options(self, query: str) -> list[Option]:
        ranked = self.choices
        if query.strip():
            found = process.extract(
                query,
                {key: label for label, key in self.choices},
                scorer=fuzz.WRatio,
                processor=str.casefold,
                limit=None,
            )
            labels = {key: label for label, key in self.choices}
            ranked = [(labels[key], key) for _t, score, key in found if score >= 50]
        return [Option(Text(label), id=key) for label, key in ranked]  # names are not markup

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        if options.option_count:
            options.highlighted = 0

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = 0

    def on_input_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: Key) -> None:  # arrows move in the list while typing
        if event.key in ("down", "up"):
            options = self.query_one(OptionList)
            (options.action_cursor_down if event.key == "down" else options.action_cursor_up)()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScopeBox(Checkbox):
    """A checkbox whose look says whether it is ticked: ✓ or empty. Textual's box shows an X
    either way, only its colour changes, so a ticked box looked like a highlighted one."""

    def __init__(self, label: str, value: bool, *, id: str) -> None:
        super().__init__(label, value, id=id)
        self._show_tick()

    def watch_value(self) -> None:
        self._show_tick()
        super().watch_value()

    def _show_tick(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "


@dataclass(frozen=True)
class ConsentChoice:
    consent: str
    scope: tuple[str, ...]
    date: str | None  # the effective date; None: today


class ConsentDialog(ModalScreen[ConsentChoice | None]):
    """Record a consent decision: status, scope (articles, bd) and the date it takes effect
    (empty: today; a decision dated before the one in force is history only)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="consent-save"),
        Binding("escape", "cancel", "Annuler", id="consent-cancel"),
    ]

    def __init__(self, pseudonym: str, consent: str, scope: tuple[str, ...]) -> None:
        super().__init__()
        self.pseudonym, self.consent, self.scope = pseudonym, consent, scope

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                f"Consentement de « {self.pseudonym} »", classes="dialog-title", markup=False
            )
            with RadioSet(id="consent-choice"):
                for consent in CONSENTS:
                    yield RadioButton(consent, value=consent == self.consent)
            yield Label("Portée (refusé ou retiré sans portée : tout)")
            with Horizontal(id="consent-scope"):
                for scope in SCOPES:
                    yield ScopeBox(scope, scope in self.scope, id=f"scope-{scope}")
            yield Label("Prend effet le (AAAA-MM-JJ ; vide : aujourd'hui)")
            yield Input(placeholder="AAAA-MM-JJ", id="consent-date")
            yield Label("[dim]ctrl+s ou entrée (date) : enregistrer · échap : annuler[/dim]")

    def on_mount(self) -> None:
        choice = self.query_one(RadioSet)
        if choice.pressed_index >= 0:  # the arrows start from the current status
            choice._selected = choice.pressed_index
        choice.focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        pressed = self.query_one(RadioSet).pressed_index
        if pressed < 0:
            self.notify("Choisissez un statut de consentement.", severity="warning")
            return
        date = self.query_one("#consent-date", Input).value.strip() or None
        scope = tuple(s for s in SCOPES if self.query_one(f"#scope-{s}", Checkbox).value)
        try:  # refused here, the dialog stays open to correct it
            effective_date(date)
            check_agreement(CONSENTS[pressed], scope)
        except RecitsError as err:
            self.notify(app_message(err), severity="error", markup=False)
            return
        self.dismiss(ConsentChoice(CONSENTS[pressed], scope, date))

    def action_cancel(self) -> None:
        self.dismiss(None)
