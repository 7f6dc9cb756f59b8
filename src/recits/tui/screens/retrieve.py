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
from recits.sources import where
from recits.tui.cells import cell, document_label
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.widgets.keybar import KeyBar

DOCUMENT_WIDTH = 32  # date and title: enough to tell two meetings apart at 80 columns


class RetrieveScreen(ReportsWorkerErrors, Screen[None]):
    """Kept from one visit to the next: the filters and the row reached stay as they were."""

    BINDINGS = [
        Binding("escape", "back", "Corpus", id="retrieve-back"),
        Binding("v", "read", "Lire l'extrait", id="retrieve-read"),
        Binding("ctrl+r", "run", "Actualiser", id="retrieve-run"),
        Binding("S", "to_scene", "Vers une scène", id="retrieve-to-scene"),
    ]
    KEPT_UNDER_DOCUMENT = True  # Esc in the transcript comes back here

    def __init__(self) -> None:
        super().__init__()
        self.excerpts: list[Excerpt] = []
        self._offered: dict[str, list[tuple[str, str]]] = {}
        self._fresh = False

    def _choices(self) -> dict[str, list[tuple[str, str]]]:
        """What each filter offers: the codes, kinds, speakers and coders of the project."""
        store = self.app.store
        kinds = sorted({d.kind for d in store.documents()})
        return {
            "retrieve-codes": [(c.label, c.id) for c in self.app.codes],
            "kind": [(k, k) for k in kinds],
            "speaker": [(p, p) for p in sorted(p.pseudonym for p in store.participants())],
            "coder": [(c, c) for c in self._coders()],
        }

    def _coders(self) -> list[str]:
        """Who coded; coding blind, only oneself: the others' excerpts are not shown."""
        if self.app.blind:
            return [self.app.coder]
        return [c for c, _n in self.app.store.status().codings_by_coder]

    def compose(self) -> ComposeResult:
        self._offered = choices = self._choices()
        yield Header()
        with Horizontal(id="retrieve-filters"):
            yield SelectionList[str](*choices["retrieve-codes"], id="retrieve-codes")
            with Vertical():
                yield Select(choices["kind"], prompt="Type : tous", id="kind")
                yield Select(choices["speaker"], prompt="Qui parle : tout le monde",
                             id="speaker")  # fmt: skip
                yield Select(choices["coder"], prompt="Codé par : tous", id="coder")
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
        self._fresh = True

    def _refresh_choices(self) -> None:
        """New codes, kinds, speakers or coders since the last visit are offered; what was
        chosen stays chosen."""
        choices = self._choices()
        for widget_id, offered in choices.items():
            if offered == self._offered.get(widget_id):
                continue
            widget = self.query_one(f"#{widget_id}")
            legal = {v for _label, v in offered}
            if isinstance(widget, SelectionList):
                kept = set(widget.selected) & legal
                widget.clear_options()
                widget.add_options([(label, v, v in kept) for label, v in offered])
            elif isinstance(widget, Select):
                value = widget.value
                widget.set_options(offered)
                if value in legal:
                    widget.value = value
        self._offered = choices

    def _filters(self) -> dict[str, object]:
        def value(widget_id: str) -> str | None:
            selected = self.query_one(f"#{widget_id}", Select).value
            return None if selected in (Select.BLANK, Select.NULL) else str(selected)

        return {
            "code_ids": tuple(self.query_one(SelectionList).selected),
            "kind": value("kind"),
            "speaker": value("speaker"),
            "coder": self.app.coder if self.app.blind else value("coder"),
            "date_from": check_date(self.query_one("#date-from", Input).value.strip() or None),
            "date_to": check_date(self.query_one("#date-to", Input).value.strip() or None),
        }

    def run_query(self, *, keep_row: bool = False) -> None:
        """Read the excerpts again; keep_row: the same excerpt stays highlighted (the list
        is read again), otherwise the first is (other filters, another list)."""
        try:
            filters = self._filters()
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.query_excerpts(filters, keep_row)

    @work(thread=True, exclusive=True, group="retrieve", exit_on_error=False)
    def query_excerpts(self, filters: dict[str, object], keep_row: bool) -> None:
        with self.app.project.store() as store:
            excerpts = store.excerpts(**filters)  # type: ignore[arg-type]
        self.app.call_from_thread(self._show, excerpts, keep_row)

    def _show(self, excerpts: list[Excerpt], keep_row: bool = False) -> None:
        if self.app.blind:  # also a query that started before the coder went blind
            excerpts = [e for e in excerpts if e.coding.coder == self.app.coder]
        table = self.query_one(DataTable)
        row = 0
        if keep_row and 0 <= table.cursor_row < len(self.excerpts):
            # The same excerpt, or failing that the same place.
            reached = self.excerpts[table.cursor_row].coding.id
            row = next(
                (i for i, e in enumerate(excerpts) if e.coding.id == reached), table.cursor_row
            )
        self.excerpts = excerpts
        labels = {c.id: c.label for c in self.app.codes}
        table.clear()
        for i, e in enumerate(excerpts):
            context = Text.assemble(
                ("…" + e.before[-20:] if e.before else "", "dim"),
                (" ".join(e.coding.text.split()), "bold"),
                (e.after[:20] + "…" if e.after else "", "dim"),
            )
            document = document_label(e.document_title, e.document_date, DOCUMENT_WIDTH)
            table.add_row(cell(labels.get(e.coding.code_id, e.coding.code_id)), cell(document),
                          cell(e.speaker or where(e.page, e.section) or "—"),
                          cell(e.coding.coder), context,
                          key=str(i))  # fmt: skip
        if excerpts and row:
            table.move_cursor(row=min(row, len(excerpts) - 1), scroll=True)
        blind = " (les vôtres : codage à l'aveugle)" if self.app.blind else ""
        self.query_one("#retrieve-count", Label).update(f"{len(excerpts)} extrait(s){blind}")

    def on_selection_list_selected_changed(self) -> None:
        self.run_query()

    def on_select_changed(self) -> None:
        self.run_query()

    def on_input_submitted(self) -> None:
        self.run_query()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        excerpt = self.excerpts[int(event.row_key.value)]
        self.app.open_document(excerpt.coding.document_id, excerpt.coding.start_char)

    def action_read(self) -> None:
        """The highlighted excerpt whole, with its context: the table cuts it."""
        from recits.tui.screens.excerpt import ExcerptReader

        table = self.query_one(DataTable)
        if not self.excerpts:
            self.notify("Aucun extrait à lire avec ces filtres.", severity="warning")
            return

        def read(result: tuple[bool, int] | None) -> None:
            if result is None:
                return
            go, index = result
            table.move_cursor(row=index, scroll=True)
            if go:
                excerpt = self.excerpts[index]
                self.app.open_document(excerpt.coding.document_id, excerpt.coding.start_char)

        labels = {c.id: c.label for c in self.app.codes}
        index = min(max(0, table.cursor_row), len(self.excerpts) - 1)
        self.app.push_screen(ExcerptReader(self.excerpts, index, labels), read)

    def action_to_scene(self) -> None:
        """The highlighted excerpt goes to a new or existing comic-strip scene."""
        from recits.tui.screens.scene_dialogs import add_passage

        if not self.excerpts:
            self.notify("Aucun extrait avec ces filtres.", severity="warning")
            return
        row = min(max(0, self.query_one(DataTable).cursor_row), len(self.excerpts) - 1)
        c = self.excerpts[row].coding
        add_passage(self, c.document_id, c.start_char, c.end_char, c.id)

    def action_run(self) -> None:
        self.run_query(keep_row=True)

    def on_screen_resume(self) -> None:
        # Shown again (Esc in the transcript, F4): what was coded meanwhile shows, the filters
        # and the row reached stay.
        if self._fresh:  # just read on mount
            self._fresh = False
            return
        self._refresh_choices()
        self.run_query(keep_row=True)

    def on_data_changed(self, event: DataChanged) -> None:
        self.run_query(keep_row=True)

    def action_back(self) -> None:
        self.app.pop_screen()
