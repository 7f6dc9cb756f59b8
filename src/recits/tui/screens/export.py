"""Export: choose codes and filters, preview with the name gate's summary, write to exports/."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Header, Label, Select, SelectionList, Static

from recits.errors import app_message
from recits.exports import (
    ExportFilters,
    ExportPreview,
    ExportRefused,
    ExportResult,
    Leak,
    preview_export,
    write_export,
)
from recits.exports.typography import guillemets
from recits.participants import SCOPES
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.screens.publish_dialogs import FAILURES
from recits.tui.widgets.keybar import KeyBar

FORMAT_LABELS = {
    "md": "Markdown (.md)",
    "docx": "Word (.docx)",
    "odt": "LibreOffice (.odt)",
    "csv": "Tableau CSV (.csv)",
    "json": "Données JSON (.json)",
}
SAMPLE = 6  # excerpts shown as they will appear
SHOWN_LEAKS = 30


class ExportScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "write", "Écrire l'export", id="export-write"),
        Binding("ctrl+r", "preview", "Actualiser l'aperçu", id="export-refresh"),
        Binding("ctrl+e", "refi", "REFI-QDA", id="export-refi"),
        Binding("escape", "back", "Corpus", id="export-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview: ExportPreview | None = None
        self.writing = False
        self._request = 0  # the newest preview asked for; older answers are dropped

    def compose(self) -> ComposeResult:
        store = self.app.store
        kinds = sorted({d.kind for d in store.documents()})
        coders = [c for c, _n in store.status().codings_by_coder]
        yield Header()
        with Horizontal(id="export-filters"):
            yield SelectionList[str](*((c.label, c.id) for c in self.app.codes), id="export-codes")
            with Vertical():
                yield Select([(k, k) for k in kinds], prompt="Type : tous", id="export-kind")
                yield Select([(c, c) for c in coders], prompt="Codé par : tous", id="export-coder")
            with Vertical():
                yield Select(
                    [(f"Usage : {s}", s) for s in SCOPES],
                    value="articles",
                    allow_blank=False,
                    id="export-scope",
                )
                yield Select(
                    [(label, fmt) for fmt, label in FORMAT_LABELS.items()],
                    value="md",
                    allow_blank=False,
                    id="export-format",
                )
        yield Label("", id="export-state")
        with VerticalScroll(id="export-preview"):
            yield Static(id="export-summary")
            yield Static(id="export-sample")
        yield KeyBar()

    def on_resize(self, event: Resize) -> None:
        # Room for more codes when the terminal is tall; the preview keeps the rest.
        self.query_one(SelectionList).styles.height = 6 if event.size.height < 40 else 12

    def on_mount(self) -> None:
        self.title = "Export des extraits"
        self.query_one("#export-codes").border_title = "Codes"
        self.query_one(SelectionList).focus()
        self.action_preview()

    # -- filters and preview ---------------------------------------------------------------------
    def filters(self) -> tuple[str, ExportFilters]:
        def value(widget_id: str) -> str | None:
            selected = self.query_one(f"#{widget_id}", Select).value
            return None if selected in (Select.BLANK, Select.NULL) else str(selected)

        codes = tuple(self.query_one(SelectionList).selected)
        fmt = value("export-format") or "md"
        return fmt, ExportFilters(
            codes=codes,
            kind=value("export-kind"),
            coder=value("export-coder"),
            scope=value("export-scope") or "articles",
        )

    def action_preview(self) -> None:
        self._request += 1
        self._state("Aperçu en cours…")
        fmt, filters = self.filters()
        n = len(filters.codes)
        self.sub_title = f"{n} code(s) coché(s)" if n else "aucun code coché : tous les codes"
        self.build_preview(self._request, fmt, filters)

    @work(thread=True, exclusive=True, group="export-preview", exit_on_error=False)
    def build_preview(self, request: int, fmt: str, filters: ExportFilters) -> None:
        """Build the export in memory and run the gate; nothing is written."""
        try:
            with self.app.project.store() as store:
                # A fixed date: the preview never shows today's date, only the file does.
                built = preview_export(store, fmt, filters, generated_on="—")
        except FAILURES as err:
            self.app.call_from_thread(
                self._failed, request, f"aperçu impossible : {app_message(err)}"
            )
            return
        self.app.call_from_thread(self._show, request, built)

    def _failed(self, request: int, message: str) -> None:
        if request == self._request:
            self._state("")
            self.notify(message, title="Export", severity="error", timeout=12, markup=False)

    def _show(self, request: int, built: ExportPreview) -> None:
        if request != self._request:
            return
        self.preview = built
        self._state("" if not self.writing else "Écriture en cours…")
        self.query_one("#export-summary", Static).update(_summary(built))
        self.query_one("#export-sample", Static).update(_sample(built))

    def _state(self, message: str) -> None:
        self.query_one("#export-state", Label).update(message)
        self.query_one("#export-state").set_class(bool(message), "busy")

    def on_selection_list_selected_changed(self) -> None:
        self.action_preview()

    def on_select_changed(self) -> None:
        self.action_preview()

    def on_data_changed(self, event: DataChanged) -> None:
        self.action_preview()

    # -- writing ---------------------------------------------------------------------------------
    def action_write(self) -> None:
        if self.writing:
            self.notify("Écriture déjà en cours…", severity="warning")
            return
        self.writing = True
        self._state("Écriture en cours…")
        fmt, filters = self.filters()
        self.write_file(fmt, filters, self.app.coder or None)

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def write_file(self, fmt: str, filters: ExportFilters, actor: str | None) -> None:
        """The gate runs again inside the write: a refused export writes nothing."""
        project = self.app.project
        try:
            with project.store() as store:
                result = write_export(
                    store, fmt, filters, exports_dir=project.exports_dir, actor=actor
                )
        except ExportRefused as err:
            self.app.call_from_thread(self._refused, err.leaks)
            return
        except FAILURES as err:
            self.app.call_from_thread(self._write_failed, f"export impossible : {app_message(err)}")
            return
        self.app.call_from_thread(self._written, result)

    def _written(self, result: ExportResult) -> None:
        self.writing = False
        self.app.wrote()
        self._state("")
        held = result.preview.summary(in_app=True)[0]
        self.notify(
            f"Écrit : {result.path}\n{held} · sha256 {result.sha256[:16]}…",
            title="Export",
            timeout=20,
            markup=False,
        )

    def _refused(self, leaks: tuple[Leak, ...]) -> None:
        self.writing = False
        self._state("Export refusé : rien n'a été écrit.")
        self.query_one("#export-summary", Static).update(_refusal(leaks))
        self.query_one("#export-sample", Static).update("")
        self.notify(
            f"Export refusé, rien n'a été écrit : {len(leaks)} occurrence(s) de noms."
            " Rattachez ou écartez ces noms (F9), ou ajoutez des alias (F8).",
            title="Export",
            severity="error",
            timeout=20,
            markup=False,
        )

    def _write_failed(self, message: str) -> None:
        self.writing = False
        self._state("")
        self.notify(message, title="Export", severity="error", timeout=20, markup=False)

    def action_refi(self) -> None:
        """Export the project or the codebook as REFI-QDA, or import such a file."""
        from recits.tui.screens.refi import open_refi

        open_refi(self.app, "qdpx")  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.app.pop_screen()


def _leak_lines(leaks: tuple[Leak, ...]) -> Text:
    text = Text()
    for leak in leaks[:SHOWN_LEAKS]:
        text.append("  • ")
        text.append(f"« {leak.found} »", style="bold")
        text.append(f" ({leak.kind}) — {leak.where}\n    ", style="dim")
        line = Text(leak.context)
        line.highlight_words([leak.found], style="bold reverse")
        text.append_text(line)
        text.append("\n")
    if len(leaks) > SHOWN_LEAKS:
        text.append(f"  … et {len(leaks) - SHOWN_LEAKS} autre(s)\n", style="dim")
    return text


def _summary(built: ExportPreview) -> Text:
    text = Text()
    text.append("Aperçu — rien n'est écrit tant que vous n'appuyez pas sur ctrl+s", style="dim")
    for line in built.summary(in_app=True):
        style = "bold" if line.startswith("contrôle des noms") and built.leaks else ""
        text.append("\n" + line[:1].upper() + line[1:], style=style)
    if built.leaks:
        text.append("\nOccurrences à régler avant d'écrire :\n", style="bold")
        text.append_text(_leak_lines(built.leaks))
    return text


def _refusal(leaks: tuple[Leak, ...]) -> Text:
    text = Text()
    text.append("Export refusé, rien n'a été écrit.\n", style="bold")
    text.append(
        "Rattachez chaque nom à un·e participant·e (F9 Noms, ou un alias en F8) ou "
        "écartez-le (F9) : il n'y a pas d'autre moyen de passer ce contrôle.\n"
    )
    text.append_text(_leak_lines(leaks))
    return text


def _sample(built: ExportPreview) -> Text:
    """The first excerpts as an article export shows them (data formats hold the same text)."""
    text = Text()
    sections = built.selection.sections
    if not sections:
        return Text("Aucun extrait à exporter avec ces filtres.", style="dim")
    opening, closing = guillemets()
    shown = 0
    for section in sections:
        if shown >= SAMPLE:
            break
        text.append(f"\n{section.label} ({len(section.passages)})\n", style="bold underline")
        for excerpt in section.passages:
            if shown >= SAMPLE:
                break
            shown += 1
            for q in excerpt.quotations:
                text.append(opening)
                text.append(q.text, style="italic")
                text.append(closing + "\n")
                text.append(f"  {q.attribution}\n", style="dim")
    rest = built.selection.passage_count - shown
    if rest > 0:
        text.append(f"\n… et {rest} autre(s) extrait(s) dans le fichier.\n", style="dim")
    return text
