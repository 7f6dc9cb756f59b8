"""Full-text search over the whole project; Enter jumps to the hit in its transcript."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input

from recits.errors import RecitsError, app_message
from recits.models import SearchHit
from recits.tui.cells import cell, document_label
from recits.tui.widgets.keybar import KeyBar


class SearchScreen(Screen[None]):
    """Kept from one visit to the next: the query and its hits stay as they were."""

    KEPT_UNDER_DOCUMENT = True  # Esc in the transcript comes back here
    BINDINGS = [
        Binding("escape", "back", "Corpus", id="search-back"),
        Binding("slash", "focus_input", "Nouvelle recherche", id="search-focus", key_display="/"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder='Rechercher (sans accents ; "expression exacte" ; début*)',
            id="search-input",
        )
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Recherche"
        table = self.query_one(DataTable)
        table.add_columns("Document", "Qui", "Extrait")
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        try:
            self.hits = self.app.store.search(query, limit=500)
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        texts: dict[str, str] = {}
        dates = {d.id: d.date for d in self.app.store.documents()}
        for i, hit in enumerate(self.hits):
            if hit.document_id not in texts:
                texts[hit.document_id] = self.app.store.document_text(hit.document_id)
            match = texts[hit.document_id][hit.start_char : hit.end_char]
            table.add_row(
                cell(document_label(hit.document_title, dates.get(hit.document_id), 40)),
                cell(hit.speaker or "—"),
                _marked(hit.snippet, match),
                key=str(i),
            )
        self.sub_title = f"{len(self.hits)} résultat(s) pour « {query} »"
        if self.hits:
            table.focus()
        else:
            self.notify(f"Aucun résultat pour « {query} ».")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key.value)]
        self.app.open_document(hit.document_id, hit.start_char)

    def action_focus_input(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()


def _marked(snippet: str, match: str) -> Text:
    """The snippet with the matched words in bold."""
    text = Text(snippet)
    text.highlight_words([" ".join(match.split())], style="bold reverse")
    return text
