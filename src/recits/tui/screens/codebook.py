"""The codebook: codes, definitions, rules, examples and counts; reload after editing the YAML."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from recits.models import Code
from recits.tui.widgets.keybar import KeyBar


class CodebookScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "reload", "Recharger le YAML", id="codebook-reload"),
        Binding("escape", "back", "Corpus", id="codebook-back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield OptionList(id="codebook-list")
            with VerticalScroll(id="codebook-detail"):
                yield Static(id="code-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Grille de codage"
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self) -> None:
        app = self.app
        self.sub_title = app.project.settings.codebook
        counts = app.store.code_counts(app.coder if app.blind else None)
        if app.blind:
            self.sub_title += " — codage à l'aveugle : vos codages seulement"
        options = self.query_one(OptionList)
        options.clear_options()
        for code in app.codes:
            indent = "  " if code.parent_id else ""
            label = Text.assemble(indent, ("▌", code.color or ""), code.label,
                                  (f" ({counts.get(code.id, 0)})", "dim"))  # fmt: skip
            options.add_option(Option(label, id=code.id))
        if options.option_count:
            options.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        code = next((c for c in self.app.codes if c.id == event.option.id), None)
        if code is not None:
            self.query_one("#code-detail", Static).update(_detail(code))

    def action_reload(self) -> None:
        if self.app.reload_codebook():
            self.notify("Grille rechargée.")
            self.app.wrote()
        self.fill()

    def action_back(self) -> None:
        self.app.pop_screen()


def _detail(code: Code) -> Text:
    text = Text()
    text.append(f"{code.label}\n", style=f"bold {code.color or ''}")
    text.append(f"{code.id}\n\n", style="dim")
    text.append(code.description + "\n")
    for title, items in (("Inclure", code.include), ("Exclure", code.exclude),
                         ("Exemples", code.examples), ("Motifs", code.patterns)):  # fmt: skip
        if items:
            text.append(f"\n{title}\n", style="bold")
            for item in items:
                text.append(f"  • {item}\n")
    return text
