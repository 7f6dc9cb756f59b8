"""Help: every key binding, generated from the bindings themselves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from recits.tui.widgets.keybar import KeyBar

INTRO = (
    "recits — coder des récits de pair·e·s. Les codages sont enregistrés tout de suite, avec "
    "votre nom. ctrl+p ouvre la palette de commandes."
)


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        keys = binding.key_display or binding.key
        keys = ", ".join(k.replace("_", " ") for k in keys.split(","))
        rows.append((keys, binding.description))
    return rows


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,question_mark", "close", "Fermer l'aide", id="help-close")]

    def __init__(self, behind: Screen) -> None:
        super().__init__()
        self.behind = behind

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Static(Text(INTRO + "\n"))
            sections = [(self.behind.title or "Cet écran", list(self.behind.BINDINGS))]
            sections += getattr(self.behind, "HELP_SECTIONS", ())  # keys of a part of the screen
            sections.append(("Partout", list(self.app.BINDINGS)))
            for title, bindings in sections:
                text = Text(f"{title}\n", style="bold underline")
                for keys, description in binding_rows(bindings):
                    text.append(f"  {keys:<28}", style="bold")
                    text.append(f"{description}\n")
                yield Static(text)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Aide"

    def action_close(self) -> None:
        self.app.pop_screen()
