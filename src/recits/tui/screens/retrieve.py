"""Retrieve: every excerpt of one or several codes, filtered; Enter jumps to its place."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Select, SelectionList

from recits.errors import RecitsError, app_message
from recits.ingest import check_date
from recits.models import Excerpt
from recits.tui.cells import cell
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.widgets.keybar import KeyBar


class RetrieveScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Corpus", id="retrieve-back"),
        Binding("ctrl+r", "run", "Actualiser", id="retrieve-run"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.excerpts: list[Excerpt] = []

    def compose(self) -> ComposeResult:
        store = self.app.store
        documents = store.documents()
        kinds = sorted({d.kind for d in documents})
        speakers = sorted(p.pseudonym for p in store.participants())
        coders = [c for c, _n in store.status().codings_by_coder]
        yield Header()
        with Horizontal(id="retrieve-filters"):
            yield SelectionList[str](
                *((c.label, c.id) for c in self.app.codes), id="retrieve-codes"
            )
            with Vertical():
                yield Select([(k, k) for k in kinds], prompt="Type : tous", id="kind")
                yield Select([(s, s) for s in speakers], prompt="Qui parle : tout le monde",
                             id="speaker")  # fmt: skip
                yield Select([(c, c) for c in coders], prompt="Codé par : tous", id="coder")
            with Vertical():
                yield Input(placeholder="Du (AAAA-MM-JJ)", id="date-from")
                yield Input(placeholder="Au (AAAA-MM-JJ)", id="date-to")
                yield Label("", id="retrieve-count")
        yield DataTable(id="excerpts", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Extraits codés"
        self.query_one(DataTable).add_columns("Code", "Document", "Qui", "Codé par", "Extrait")
        self.run_query()

    def _filters(self) -> dict[str, object]:
        def value(widget_id: str) -> str | None:
            selected = self.query_one(f"#{widget_id}", Select).value
            return None if selected in (Select.BLANK, Select.NULL) else str(selected)

        return {
            "code_ids": tuple(self.query_one(SelectionList).selected),
            "kind": value("kind"),
            "speaker": value("speaker"),
            "coder": value("coder"),
            "date_from": check_date(self.query_one("#date-from", Input).value.strip() or None),
            "date_to": check_date(self.query_one("#date-to", Input).value.strip() or None),
        }

    def run_query(self) -> None:
        try:
            filters = self._filters()
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.query_excerpts(filters)

    @work(thread=True, exclusive=True, group="retrieve", exit_on_error=False)
    def query_excerpts(self, filters: dict[str, object]) -> None:
        with self.app.project.store() as store:
            excerpts = store.excerpts(**filters)  # type: ignore[arg-type]
        self.app.call_from_thread(self._show, excerpts)

    def _show(self, excerpts: list[Excerpt]) -> None:
        self.excerpts = excerpts
        labels = {c.id: c.label for c in self.app.codes}
        table = self.query_one(DataTable)
        table.clear()
        for i, e in enumerate(excerpts):
            context = Text.assemble(
                ("…" + e.before[-20:] if e.before else "", "dim"),
                (" ".join(e.coding.text.split()), "bold"),
                (e.after[:20] + "…" if e.after else "", "dim"),
            )
            table.add_row(cell(labels.get(e.coding.code_id, e.coding.code_id)),
                          cell(e.document_title[:30]), cell(e.speaker or "—"),
                          cell(e.coding.coder), context, key=str(i))  # fmt: skip
        self.query_one("#retrieve-count", Label).update(f"{len(excerpts)} extrait(s)")

    def on_selection_list_selected_changed(self) -> None:
        self.run_query()

    def on_select_changed(self) -> None:
        self.run_query()

    def on_input_submitted(self) -> None:
        self.run_query()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        excerpt = self.excerpts[int(event.row_key.value)]
        self.app.open_document(excerpt.coding.document_id, excerpt.coding.start_char)

    def action_run(self) -> None:
        self.run_query()

    def on_data_changed(self, event: DataChanged) -> None:
        self.run_query()

    def action_back(self) -> None:
        self.app.pop_screen()
