"""Comparison and adjudication: two coders' codings of one document, disagreements first; one
key keeps A's version, B's, both or neither into the « consensus » coder."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from recits.adjudication import Adjudication, Item
from recits.errors import RecitsError, app_message
from recits.models import Coding
from recits.tui.cells import middle_clip
from recits.tui.screens.agreement import figure
from recits.tui.widgets.keybar import KeyBar

DECISIONS = {"first": "A", "second": "B", "both": "les deux", "neither": "aucune",
             "other": "autre", None: "—"}  # fmt: skip
EXCERPT_WIDTH = 34
CODE_WIDTH = 22


class ComparisonScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Retour", id="comparison-back"),
        Binding("a", "keep('first')", "Garder A", id="comparison-first"),
        Binding("b", "keep('second')", "Garder B", id="comparison-second"),
        Binding("d", "keep('both')", "Les deux", id="comparison-both"),
        Binding("n", "keep('neither')", "Aucune", id="comparison-neither"),
    ]

    def __init__(self, adjudication: Adjudication, colours: dict[str, str]) -> None:
        super().__init__()
        self.adjudication = adjudication
        self.colours = colours

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="comparison-figures")
        with Horizontal(id="comparison-body"):
            yield DataTable(id="comparison-items", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="comparison-detail"):
                yield Static(id="comparison-memo")
        yield KeyBar()

    def on_mount(self) -> None:
        adj = self.adjudication
        document = self.app.store.document(adj.document_id)
        self.title = "Comparaison et arbitrage"
        self.sub_title = document.title if document else ""
        table = self.query_one(DataTable)
        # Fixed widths: the table need not measure every cell of a long document's codings.
        table.add_column("", key="mark", width=1)
        table.add_column("Code", key="code", width=CODE_WIDTH)
        table.add_column(Text(f"A : {adj.first}", style=self._colour(adj.first)), key="first",
                         width=EXCERPT_WIDTH)  # fmt: skip
        table.add_column(Text(f"B : {adj.second}", style=self._colour(adj.second)),
                         key="second", width=EXCERPT_WIDTH)  # fmt: skip
        table.add_column("Consensus", key="consensus", width=9)
        labels = {c.id: c.label for c in self.app.codes}
        for i, item in enumerate(adj.items):
            table.add_row(
                "=" if item.agreed else "≠", labels.get(item.code_id, item.code_id)[:CODE_WIDTH],
                self._excerpt(item.first, adj.first), self._excerpt(item.second, adj.second),
                DECISIONS[adj.decision(i)], key=str(i),
            )  # fmt: skip
        self._figures()
        table.focus()
        if not adj.items:
            self.query_one("#comparison-memo", Static).update(
                "Aucun codage de ces deux codeur·euse·s dans ce document."
            )

    def _colour(self, coder: str) -> str:
        return f"bold {self.colours[coder]}" if coder in self.colours else "bold"

    def _excerpt(self, coding: Coding | None, coder: str) -> Text:
        if coding is None:
            return Text("—", style="dim")
        words = " ".join(coding.text.split())
        return Text(middle_clip(words, EXCERPT_WIDTH), style=self.colours.get(coder, ""))

    def _figures(self) -> None:
        f = self.adjudication.figures()
        disagreements = sum(not i.agreed for i in self.adjudication.items)
        text = (
            f"{disagreements} désaccord(s) sur {len(self.adjudication.items)} — accord A/B"
            f" {figure(f.percent, True)}, κ {figure(f.kappa)} ; κ A/consensus"
            f" {figure(f.first_consensus)}, B/consensus {figure(f.second_consensus)}"
        )
        self.query_one("#comparison-figures", Label).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is None:
            return
        item = self.adjudication.items[int(event.row_key.value)]
        self.query_one("#comparison-memo", Static).update(self._detail(item))

    def _detail(self, item: Item) -> Text:
        adj = self.adjudication
        text = Text()
        for name, coding in (("A", item.first), ("B", item.second)):
            coder = adj.first if name == "A" else adj.second
            text.append(f"{name} : {coder}\n", style=self._colour(coder))
            if coding is None:
                text.append("n'a pas codé ce passage avec ce code\n\n", style="dim")
                continue
            text.append(f"[{coding.start_char}–{coding.end_char}] {coding.text}\n")
            text.append("Mémo : ", style="bold")
            text.append((coding.memo or "—") + "\n\n")
        return text

    def action_keep(self, choice: str) -> None:
        table = self.query_one(DataTable)
        index = table.cursor_row
        adj = self.adjudication
        if not 0 <= index < len(adj.items):
            return
        item = adj.items[index]
        if item.version(choice) is None and choice != "neither":
            side = "A" if choice == "first" else "B"
            self.notify(f"{side} n'a pas codé ce passage : n pour n'en garder aucune version.",
                        severity="warning")  # fmt: skip
            return
        try:
            adj.decide(index, choice)
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.app.wrote()
        table.update_cell(str(index), "consensus", DECISIONS[adj.decision(index)])
        self._figures()
        if index + 1 < len(adj.items):
            table.move_cursor(row=index + 1)

    def action_back(self) -> None:
        self.app.pop_screen()
