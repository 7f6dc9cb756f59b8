"""Names review: person names detected in the transcripts, attached to someone or dismissed."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from recits import names as detection
from recits.errors import app_message
from recits.names import DetectedName
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.screens.publish_dialogs import FAILURES, Picker, TextPrompt
from recits.tui.widgets.keybar import KeyBar

COLUMNS = ("Nom", "Occurrences", "Documents", "Statut")


class NamesScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("a", "attach", "Rattacher à…", id="name-attach"),
        Binding("e", "dismiss_name", "Écarter", id="name-dismiss"),
        Binding("t", "toggle_reviewed", "Tous / à revoir", id="names-toggle"),
        Binding("escape", "back", "Corpus", id="names-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[DetectedName] = []
        self.include_reviewed = False
        self.unanalysed = 0
        self.loading_names = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="names", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="name-detail"):
            yield Static(id="name-contexts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Noms détectés"
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.query_one(DataTable).focus()
        self.load()

    def load(self) -> None:
        self.loading_names = True
        self.sub_title = "recherche des noms en cours…"
        self.detect(self.include_reviewed)

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def detect(self, include_reviewed: bool) -> None:
        """Detected names over the whole corpus, in a worker with its own connection."""
        try:
            with self.app.project.store() as store:
                found = detection.detected_names(store, include_reviewed=include_reviewed)
                unanalysed = len(store.documents()) - len(store.analysis_keys())
        except FAILURES as err:
            self.app.call_from_thread(
                self.notify,
                f"recherche des noms impossible : {app_message(err)}",
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(self._show, found, unanalysed, include_reviewed)

    def _show(self, found: list[DetectedName], unanalysed: int, include_reviewed: bool) -> None:
        if include_reviewed != self.include_reviewed:
            return  # a newer request is on its way
        table = self.query_one(DataTable)
        current = self.current
        self.found, self.unanalysed, self.loading_names = found, unanalysed, False
        table.clear()
        for n in found:
            # Escaped, not Text: names are never markup, and Text cells get cropped in place.
            table.add_row(escape(n.name), n.count, n.documents, escape(_status(n)), key=n.key)
        if current is not None and any(n.key == current.key for n in found):
            table.move_cursor(row=table.get_row_index(current.key))
        to_review = sum(1 for n in found if n.status == detection.TO_REVIEW)
        if self.include_reviewed:
            self.sub_title = f"{len(found)} nom(s), dont {to_review} à revoir"
        else:
            self.sub_title = f"{to_review} nom(s) à revoir — t : voir aussi les noms revus"
        self._show_detail()

    @property
    def current(self) -> DetectedName | None:
        table = self.query_one(DataTable)
        if not table.row_count or not self.found:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return next((n for n in self.found if n.key == key), None)

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        text = Text()
        if self.unanalysed:
            text.append(
                f"Attention : {self.unanalysed} document(s) sans analyse : leurs noms seront"
                " cherchés dès que le modèle de langue est chargé (analyse en arrière-plan).\n",
                style="bold",
            )
        n = self.current
        if n is None:
            text.append(
                "Aucun nom à revoir : rien ne bloque les exports de ce côté."
                if not self.loading_names
                else ""
            )
            self.query_one("#name-contexts", Static).update(text)
            return
        text.append(n.name, style="bold")
        text.append(f" — {n.count} fois dans {n.documents} document(s) — {_status(n)}\n")
        if n.why:
            text.append(f"Pris pour un nom : {n.why}.\n", style="dim")
        if n.status == detection.TO_REVIEW:
            text.append("Non revu : bloque tout export qui le contient.\n", style="dim")
        for m in n.mentions:
            text.append(f"{m.document_title} [{m.start_char}–{m.end_char}] ", style="dim")
            line = Text(m.context)
            line.highlight_words([n.name], style="bold reverse", case_sensitive=False)
            text.append_text(line)
            text.append("\n")
        self.query_one("#name-contexts", Static).update(text)

    # -- decisions -------------------------------------------------------------------------------
    def action_attach(self) -> None:
        n = self.current
        if n is None:
            self.notify("Aucun nom dans la liste (t montre aussi les noms déjà revus).",
                        severity="warning")  # fmt: skip
            return
        actor = self.app.coder or None
        try:
            people = {p.id: p.pseudonym for p in self.app.store.participants()}
            roles = {p.id: p.role for p in self.app.store.participants()}
        except FAILURES as err:
            self.notify(app_message(err), severity="error")
            return
        choices = [
            (f"{name} — {roles[pid]}" if roles[pid] else name, pid) for pid, name in people.items()
        ]
        if not choices:
            self.notify("Aucun·e participant·e à qui rattacher ce nom.", severity="warning")
            return

        def attach(participant_id: str | None) -> None:
            if participant_id is None:
                return
            try:
                detection.attach(self.app.store, n.name, participant_id, actor=actor)
            except FAILURES as err:
                self.notify(
                    app_message(err), title="Noms", severity="error", timeout=12, markup=False
                )
                return
            self.app.wrote()
            self.notify(
                f"« {n.name} » rattaché à « {people[participant_id]} » (masqué dans les exports)",
                markup=False,
            )
            self.load()

        self.app.push_screen(Picker(f"Rattacher « {n.name} » à…", choices), attach)

    def action_dismiss_name(self) -> None:
        n = self.current
        if n is None:
            self.notify("Aucun nom dans la liste (t montre aussi les noms déjà revus).",
                        severity="warning")  # fmt: skip
            return
        actor = self.app.coder or None

        def dismiss(reason: str | None) -> None:
            if reason is None:
                return
            try:
                detection.dismiss(self.app.store, n.name, reason=reason, actor=actor)
            except FAILURES as err:
                self.notify(
                    app_message(err), title="Noms", severity="error", timeout=12, markup=False
                )
                return
            self.app.wrote()
            self.notify(f"« {n.name} » écarté", markup=False)
            self.load()

        prompt = TextPrompt(
            f"Écarter « {n.name} » : pourquoi ?",
            allow_empty=True,
            placeholder="pas une personne, personnalité publique…",
            hint="il ne bloquera plus les exports",
        )
        self.app.push_screen(prompt, dismiss)

    def action_toggle_reviewed(self) -> None:
        self.include_reviewed = not self.include_reviewed
        self.load()

    def on_data_changed(self, event: DataChanged) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _status(n: DetectedName) -> str:
    if n.pseudonym:
        return f"{n.status} → {n.pseudonym}"
    return n.status + (f" ({n.reason})" if n.reason else "")
