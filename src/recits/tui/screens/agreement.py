"""Agreement: the figures between two coders per code and document; Enter compares a document."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Select

from recits.agreement import CONSENSUS, UNIT_NAMES, UNITS, AgreementRow
from recits.errors import RecitsError, app_message
from recits.exports.agreement import figure as table_figure
from recits.tui.cells import cell, middle_clip
from recits.tui.messages import ReportsWorkerErrors
from recits.tui.widgets.keybar import KeyBar

BLIND_MESSAGE = (
    "Codage à l'aveugle : l'accord montrerait les codages des autres. Il se consulte après"
    " (b dans la vue de codage quitte le mode aveugle)."
)


def figure(value: float | None, percent: bool = False) -> str:
    """A figure as the team reads it: French decimals, « % » after a percentage."""
    text = table_figure(value, percent).replace(".", ",")
    return f"{text} %" if percent and value is not None else text


class AgreementScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Corpus", id="agreement-back"),
        Binding("c", "compare", "Comparer le document", id="agreement-compare"),
        Binding("ctrl+r", "run", "Actualiser", id="agreement-run"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AgreementRow] = []
        self.room = 36

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agreement-choices"):
            yield Select([(UNIT_NAMES[u], u) for u in UNITS], value="character",
                         allow_blank=False, id="agreement-unit")  # fmt: skip
            yield Select([], prompt="Codeur·euse A", id="agreement-first")
            yield Select([], prompt="Codeur·euse B", id="agreement-second")
        yield Label("", id="agreement-summary")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Accord entre codeur·euse·s"
        wide = self.app.size.width >= 100  # at 80 columns α stays in sight
        self.room = 36 if wide else 18
        table = self.query_one(DataTable)
        for label, width in (("Code", 22 if wide else 14), ("Document", self.room),
                             ("Accord", 7), ("κ", 6), ("α", 6), ("Unités", 8)):  # fmt: skip
            table.add_column(label, width=width)
        if self.app.blind:
            self.query_one("#agreement-summary", Label).update(BLIND_MESSAGE)
            return
        coders = self.app.store.coders_with_codings()
        choices = [(c, c) for c in coders]
        first, second = (
            self.query_one("#agreement-first", Select),
            self.query_one("#agreement-second", Select),
        )
        first.set_options(choices)
        second.set_options(choices)
        usual = [c for c in coders if c.casefold() != CONSENSUS] + [CONSENSUS]
        usual = [c for c in usual if c in coders]
        with self.prevent(Select.Changed):
            if len(usual) >= 2:
                first.value, second.value = usual[0], usual[1]
        self.run()
        self.query_one(DataTable).focus()

    def choice(self) -> tuple[str, str, str] | None:
        values = [self.query_one(f"#agreement-{w}", Select).value
                  for w in ("unit", "first", "second")]  # fmt: skip
        if any(v in (Select.BLANK, Select.NULL) for v in values):
            return None
        unit, first, second = (str(v) for v in values)
        return unit, first, second

    def run(self) -> None:
        if self.app.blind:
            return
        choice = self.choice()
        if choice is None:
            self.query_one("#agreement-summary", Label).update(
                "Choisissez deux codeur·euse·s qui ont codé les mêmes documents."
            )
            return
        self.compute(*choice)

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def compute(self, unit: str, first: str, second: str) -> None:
        from recits.agreement import for_project

        try:
            with self.app.project.store() as store:
                rows = for_project(store, coders=[first, second], unit=unit)
        except RecitsError as err:
            self.app.call_from_thread(self._show, [], app_message(err))
            return
        self.app.call_from_thread(self._show, rows, "")

    def _show(self, rows: list[AgreementRow], problem: str) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        labels = {c.id: c.label for c in self.app.codes}
        titles = {d.id: d.title for d in self.app.store.documents()}
        summary = self.query_one("#agreement-summary", Label)
        if problem:
            summary.update(problem)
            return
        total = rows[-1]
        summary.update(
            f"{total.coders[0]} et {total.coders[1]}, unité : {UNIT_NAMES[total.unit]} — en tout :"
            f" accord {figure(total.percent_agreement, True)}, κ {figure(total.kappa)},"
            f" α {figure(total.alpha)} ; c ou Entrée compare un document"
        )
        for i, r in enumerate(rows):
            code = "tous les codes" if r.code is None else labels.get(r.code, r.code)
            code = code if len(code) <= self.room else code[: self.room - 1] + "…"
            document = "tous" if r.document is None else titles.get(r.document, "?")
            table.add_row(cell(code), cell(middle_clip(document, self.room)),
                          figure(r.percent_agreement, True), figure(r.kappa), figure(r.alpha),
                          str(r.units), key=str(i))  # fmt: skip

    def on_select_changed(self) -> None:
        self.run()

    def _compare(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if row.document is None:
            self.notify("Choisissez la ligne d'un document pour le comparer.", severity="warning")
            return
        self.app.open_comparison(row.document, row.coders[0], row.coders[1])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._compare(int(event.row_key.value or 0))

    def action_compare(self) -> None:
        self._compare(self.query_one(DataTable).cursor_row)

    def action_run(self) -> None:
        self.run()

    def action_back(self) -> None:
        self.app.pop_screen()
