"""Help: every key binding, generated from the bindings themselves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Header, Static

from recits.tui.widgets.keybar import KeyBar

KEYS_WIDTH = 20  # the key column, at most: the descriptions stay readable at 80 columns
INTRO = (
    "recits — coder des récits de pair·e·s. Les codages sont enregistrés tout de suite, avec "
    "votre nom. ctrl+p ouvre la palette de commandes."
)


# Keys as a French keyboard names them; arrows and characters as themselves.
KEY_NAMES = {
    "escape": "échap", "enter": "entrée", "tab": "tab", "space": "espace", "delete": "suppr",
    "backspace": "retour arrière", "insert": "inser", "home": "début", "end": "fin",
    "pageup": "pg préc", "pagedown": "pg suiv",
    "up": "↑", "down": "↓", "left": "←", "right": "→",
}  # fmt: skip
MODIFIERS = {"ctrl": "ctrl", "shift": "maj", "alt": "alt", "meta": "méta", "super": "super"}


def key_name(key: str) -> str:
    """One key of a binding, as the help shows it: « ctrl+↑ », « maj+→ », « [ », « F2 »."""
    *modifiers, last = key.strip().split("+")
    if last in KEY_NAMES:
        name = KEY_NAMES[last]
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        name = last.upper()
    else:
        name = key_to_character(last) or last.replace("_", " ")
    return "+".join([*(MODIFIERS.get(m, m) for m in modifiers), name])


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """Every key of each binding (not only the one the key bar shows), with its description."""
    return [
        (", ".join(key_name(k) for k in binding.key.split(",")), binding.description)
        for binding in bindings
    ]


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
            listed = [(title, binding_rows(bindings)) for title, bindings in sections]
            longest = max((len(keys) for _, rows in listed for keys, _ in rows), default=0)
            width = min(KEYS_WIDTH, longest)
            for title, rows in listed:
                text = Text(f"{title}\n", style="bold underline")
                for keys, description in rows:
                    # Two spaces at least: a long key list never runs into its description.
                    text.append(f"  {keys:<{width}}", style="bold")
                    text.append(f"  {description}\n")
                yield Static(text)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Aide"

    def action_close(self) -> None:
        self.app.pop_screen()
