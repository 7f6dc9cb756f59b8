"""The corpus: documents with their coding progress; open one, import more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from recits.errors import RecitsError, app_message
from recits.models import Document
from recits.sources import SourceChange, edit_document
from recits.tui.cells import cell, middle_clip
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from recits.store import Store

# The date comes first and long titles lose their middle: two meetings with the same long
# title stay apart at 80 columns. Who speaks comes last: a meeting's list of names is long,
# and the terminal cuts the last column.
COLUMNS = (("date", "Date"), ("title", "Titre"), ("kind", "Type"), ("words", "Mots"),
           ("progress", "Codé (tours)"), ("participants", "Participant·e·s"))  # fmt: skip
TITLE, WORDS = 1, 3  # sorted by the whole title; as numbers
OTHER_COLUMNS_WIDTH = 38  # what the title leaves to the date and the type at least


class CorpusScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Ouvrir", id="open-document"),
        Binding("i", "import", "Importer", id="import"),
        Binding("slash", "filter", "Filtrer", id="filter", key_display="/"),
        Binding("o", "sort", "Trier", id="sort"),
        Binding("r", "reload", "Actualiser", show=False, id="reload"),
        Binding("e", "edit_source", "Source", id="edit-source"),
    ]
    # The table has the focus from the start: focusing it on mount moved the focus off the
    # filter (the first focusable widget) and painted the table a second time.
    AUTO_FOCUS = "#documents"

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[Document] = []
        self.sort_column = 0  # by date
        self.speakers: dict[str, str] = {}
        self.progress: dict[str, dict[str, float]] = {}
        self._fresh = False
        self._generation = 0
        self._shown_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filtrer par titre, type, date ou participant·e…", id="filter")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static("", id="document-source", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Corpus"
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            # Text, not markup: parsing markup loads Rich's emoji table (2 ms at start-up).
            table.add_column(Text(label), key=key)
        # The first paint shows the documents at once: three indexed queries, about 10 ms on a
        # 1,000,000-word project. Later reloads run in a worker (on_screen_resume, DataChanged).
        self._show(*_read(self.app.store))
        self._fresh = True

    @work(thread=True, exclusive=True, group="corpus", exit_on_error=False)
    def load(self) -> None:
        """The documents, who speaks and the coding progress, read in a worker with its own
        connection, then shown at once."""
        with self.app.project.store() as store:
            found = _read(store)
        self.app.call_from_thread(self._show, *found)

    def _show(
        self,
        documents: list[Document],
        progress: dict[str, dict[str, float]],
        speakers: dict[str, str],
    ) -> None:
        self.documents, self.progress, self.speakers = documents, progress, speakers
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        current = table.cursor_row
        needle = self.query_one("#filter", Input).value.casefold().strip()
        table.clear()
        rows, width = [], self._title_width()
        for d in self.documents:
            people = self.speakers.get(d.id, "")
            searched = f"{d.title} {d.kind} {d.date} {people} {d.source or ''}"
            if needle and needle not in searched.casefold():
                continue
            done = self.progress.get(d.id, {})
            if self.app.blind:  # coding blind: the others' progress is theirs
                done = {c: share for c, share in done.items() if c == self.app.coder}
            progress = " · ".join(f"{coder} {share:.0%}" for coder, share in sorted(done.items()))
            title = middle_clip(d.title, width)
            rows.append((d, (d.date or "—", title, d.kind, d.word_count, progress or "—", people)))
        rows.sort(key=self._sort_key)
        self._generation += 1
        self._shown_width = width
        # A screenful first, the rest just after it is painted: filling a table costs about
        # 0.1 ms a row, and a corpus may hold hundreds of documents. As many rows as the
        # terminal has lines is more than the table shows.
        first = max(self.app.size.height, 1)
        self._add_rows(rows[:first], current)
        if rows[first:]:
            self.call_after_refresh(self._add_rows, rows[first:], current, self._generation)
        self.sub_title = f"{len(rows)} document(s) — F4 extraits · F5 recherche · ? aide"

    def _add_rows(
        self, rows: list[tuple[Document, tuple]], cursor: int, generation: int | None = None
    ) -> None:
        if generation is not None and generation != self._generation:
            return  # filled again meanwhile (a filter typed, a sort)
        table = self.query_one(DataTable)
        for d, values in rows:
            table.add_row(*(v if isinstance(v, int) else cell(v) for v in values), key=d.id)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_source()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_source()

    def _show_source(self) -> None:
        """Where the document under the cursor comes from, on the line under the table."""
        table = self.query_one(DataTable)
        line = self.query_one("#document-source", Static)
        if not table.row_count:
            line.update("")
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        document = next((d for d in self.documents if d.id == key), None)
        line.update(source_line(document) if document else "")

    def _sort_key(self, row: tuple[Document, tuple]) -> str:
        document, values = row
        if self.sort_column == WORDS:
            return f"{values[WORDS]:09}"
        return document.title if self.sort_column == TITLE else str(values[self.sort_column])

    def _title_width(self) -> int:
        return max(24, self.app.size.width - OTHER_COLUMNS_WIDTH)

    def on_resize(self) -> None:
        if self.documents and self._shown_width != self._title_width():
            self._fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_document(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.app.open_document(
                table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            )

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.notify(f"Tri par {COLUMNS[self.sort_column][1].lower()}")
        self._fill()

    def action_edit_source(self) -> None:
        """Say where the document under the cursor comes from (written documents)."""
        from recits.tui.screens.source_dialog import SourceDialog

        table = self.query_one(DataTable)
        if not table.row_count:
            return
        document_id = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        store = self.app.store
        document = store.document(document_id)
        if document is None:
            return
        author_id = store.document_author(document.id)
        author = next((p.pseudonym for p in store.participants() if p.id == author_id), None)

        def save(change: SourceChange | None) -> None:
            if change is None:
                return
            try:
                edit_document(store, document, change, actor=self.app.coder or None)
            except RecitsError as err:
                self.notify(app_message(err), severity="error", markup=False)
                return
            self.notify(f"« {document.title} » : source enregistrée")
            self.load()

        self.app.push_screen(
            SourceDialog(document.title, document.source, document.published, author), save
        )

    def action_reload(self) -> None:
        self.load()

    def action_import(self) -> None:
        from recits.tui.screens.importing import ImportDialog

        self.app.push_screen(ImportDialog(), lambda _: self.load())

    def on_data_changed(self, event: DataChanged) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self._fresh:  # just read on mount
            self._fresh = False
            return
        self.load()


def source_line(document: Document) -> str:
    """ "Source publiée : Rapport d'activités 2020-2021…" for the line under the table."""
    if document.source is None:
        return "Source : aucune (e pour la donner)"
    published = "publiée" if document.published else "non publiée"
    return f"Source {published} : {' '.join(document.source.split())}"


def _read(store: Store) -> tuple[list[Document], dict[str, dict[str, float]], dict[str, str]]:
    """What the table shows: documents, coding progress per coder, who speaks."""
    speakers = {k: ", ".join(v) for k, v in store.document_speakers().items()}
    return store.documents(), store.coding_progress(), speakers
