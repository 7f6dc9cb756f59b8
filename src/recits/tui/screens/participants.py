"""Participants: pseudonyms, roles, aliases (real names, masked in exports) and consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from recits import identity
from recits import participants as people
from recits.consent import LedgerEntry, decision_label, validation_label
from recits.errors import app_message
from recits.exports.history import EarlierExport, earlier_exports, follow_up
from recits.models import Participant, ValidationEvent
from recits.participants import ParticipantInfo, consent_label
from recits.tui.messages import DataChanged, ReportsWorkerErrors
from recits.tui.screens.participant_identity import IDENTITY_BINDINGS, IdentityActions
from recits.tui.screens.publish_dialogs import (
    FAILURES,
    ConsentChoice,
    ConsentDialog,
    Picker,
    TextPrompt,
)
from recits.tui.widgets.keybar import KeyBar

COLUMNS = ("Pseudonyme", "Rôle", "Alias (noms réels)", "Consentement", "Date", "Tours")
NARROW = 110  # below this width the date column goes (it is in the history) and cells shrink
T = TypeVar("T")
NOBODY = (
    "Personne dans la liste : les participant·e·s viennent des transcriptions importées (F2, i)."
)


class ParticipantsScreen(IdentityActions, ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("c", "consent", "Consentement", id="participant-consent"),
        Binding("p", "rename", "Pseudonyme", id="participant-rename"),
        Binding("a", "add_alias", "Ajouter alias", id="participant-alias-add"),
        Binding("d", "remove_alias", "Retirer alias", id="participant-alias-remove"),
        Binding("r", "role", "Rôle", id="participant-role"),
        Binding("n", "new", "Nouvelle personne", show=False, id="participant-new"),
        *IDENTITY_BINDINGS,
        Binding("escape", "back", "Corpus", id="participants-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.infos: list[ParticipantInfo] = []
        self.narrow: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="participants", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="participant-detail"):
            yield Static(id="participant-history")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Participant·e·s"
        self.sub_title = "chargement…"
        self.query_one(DataTable).focus()
        self.load()

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            if self.infos:  # otherwise the first load lays the columns out
                self._show(self.infos)

    @work(thread=True, exclusive=True, group="participants", exit_on_error=False)
    def load(self) -> None:
        try:
            with self.app.project.store() as store:
                infos = people.list_participants(store)
        except FAILURES as err:
            self.app.call_from_thread(
                self.notify,
                f"lecture impossible : {app_message(err)}",
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(self._show, infos)

    def _show(self, infos: list[ParticipantInfo]) -> None:
        table = self.query_one(DataTable)
        current = self.current
        self.infos = infos
        table.clear(columns=True)
        narrow = bool(self.narrow)
        table.add_columns(*(c for c in COLUMNS if not (narrow and c == "Date")))
        width = 12 if narrow else 30
        to_confirm = 0
        for info in infos:
            p = info.participant
            to_confirm += p.same_label_as is not None
            # Escaped: names are never read as markup (and Text cells get cropped in place).
            cells = [
                f"[b]{escape(_cut(p.pseudonym, 14 if narrow else 30))}[/b]",
                escape(_cut(p.role or "—", width)),
                escape(_cut(", ".join(p.aliases) or "—", width)),
                f"[b]{consent_label(p)}[/b]" if p.consent == "accordé" else consent_label(p),
            ]
            if p.same_label_as is not None:  # the gate quotes nobody « à confirmer »
                cells[3] = f"[reverse]à confirmer[/reverse] {cells[3]}"
            if not narrow:
                cells.append(p.consent_date or "—")
            table.add_row(*cells, info.turns, key=p.id)
        if current is not None and any(i.participant.id == current.id for i in infos):
            table.move_cursor(row=table.get_row_index(current.id))
        agreed = sum(1 for i in infos if i.participant.consent == "accordé")
        self.sub_title = f"{len(infos)} personne(s), {agreed} consentement(s) accordé(s)"
        if to_confirm:
            self.sub_title += f", {to_confirm} à confirmer (v)"
        self._show_detail()

    @property
    def current(self) -> Participant | None:
        table = self.query_one(DataTable)
        if not table.row_count or not self.infos:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return next((i.participant for i in self.infos if i.participant.id == key), None)

    def chosen(self) -> Participant | None:
        """The highlighted person; with nobody listed, the key says why it does nothing."""
        p = self.current
        if p is None:
            self.notify(NOBODY, severity="warning")
        return p

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        panel = self.query_one("#participant-history", Static)
        p = self.current
        if p is None:
            panel.update("Aucun·e participant·e : ils et elles apparaissent à l'import.")
            return
        info = next(i for i in self.infos if i.participant.id == p.id)
        text = Text()
        text.append(p.pseudonym, style="bold")
        text.append(
            f" — {p.role or 'rôle à préciser'} — {info.turns} tour(s) dans "
            f"{info.documents} document(s)\n"
        )
        text.append("Noms dans les transcriptions : ", style="dim")
        text.append(", ".join(info.labels) or "—")
        text.append(" · alias : ", style="dim")
        text.append(", ".join(p.aliases) or "aucun")
        flag = identity.flag(p, {i.participant.id: i.participant for i in self.infos})
        if flag:
            text.append(f"\n{flag}", style="bold reverse")
            text.append(" — v : confirmer (même personne ou non) · s : séparer un document")
        text.append("\nRegistre du consentement", style="bold")
        text.append(" (par date d'effet)\n", style="dim")
        try:
            entries = people.consent_ledger(self.app.store, p.id)
            earlier = earlier_exports(self.app.store, p.id)
        except FAILURES as err:
            entries, earlier = [], []
            text.append(f"  {app_message(err)}\n")
        _show_ledger(text, entries)
        text.append("Exports qui contiennent ses propos\n", style="bold")
        _show_exports(text, earlier)
        panel.update(text)

    # -- changes ---------------------------------------------------------------------------------
    def _apply(self, change: Callable[[], T], done: Callable[[T], str]) -> None:
        """Run one core change on the app's connection; the core refuses before writing."""
        try:
            p = change()
        except FAILURES as err:
            self.notify(
                app_message(err),
                title="Participant·e·s",
                severity="error",
                timeout=12,
                markup=False,
            )
            return
        self.app.wrote()
        self.notify(done(p), markup=False)
        self.load()

    def _ask(self, prompt: TextPrompt, then: Callable[[str], None]) -> None:
        self.app.push_screen(prompt, lambda value: None if value is None else then(value))

    def _edit(
        self,
        prompt: Callable[[Participant], TextPrompt],
        change: Callable[[Participant, str, str | None], Participant],
        done: Callable[[Participant], str],
    ) -> None:
        """Ask for one value about the highlighted participant, then apply one core change."""
        p = self.chosen()
        if p is None:
            return
        actor = self.app.coder or None

        self._ask(prompt(p), lambda value: self._apply(lambda: change(p, value, actor), done))

    def action_rename(self) -> None:
        self._edit(
            lambda p: TextPrompt(
                f"Nouveau pseudonyme pour « {p.pseudonym} »",
                placeholder="Pseudonyme",
                hint="l'ancien nom devient un alias, masqué dans les exports",
            ),
            lambda p, new, actor: people.rename(self.app.store, p.id, new, actor=actor),
            _with_aliases,
        )

    def action_role(self) -> None:
        self._edit(
            lambda p: TextPrompt(
                f"Rôle de « {p.pseudonym} »",
                p.role or "",
                allow_empty=True,
                placeholder="travailleuse paire, cadre, éducateur…",
                hint="utilisé dans les attributions ; vide : effacer",
            ),
            lambda p, role, actor: people.set_role(self.app.store, p.id, role, actor=actor),
            lambda q: f"« {q.pseudonym} » : {q.role or 'rôle effacé'}",
        )

    def action_add_alias(self) -> None:
        self._edit(
            lambda p: TextPrompt(
                f"Alias de « {p.pseudonym} » (nom réel, surnom, « M. … »)",
                placeholder="Nom, autre forme…",
                hint="plusieurs : séparez par des virgules",
            ),
            lambda p, value, actor: people.add_aliases(
                self.app.store, p.id, _split(value), actor=actor
            ),
            _with_aliases,
        )

    def action_remove_alias(self) -> None:
        p = self.chosen()
        if p is None:
            return
        if not p.aliases:
            self.notify(f"« {p.pseudonym} » n'a pas d'alias.", severity="warning", markup=False)
            return
        actor = self.app.coder or None

        def remove(alias: str | None) -> None:
            if alias is not None:
                self._apply(
                    lambda: people.remove_aliases(self.app.store, p.id, [alias], actor=actor),
                    _with_aliases,
                )

        choices = [(alias, alias) for alias in p.aliases]
        self.app.push_screen(Picker(f"Retirer un alias de « {p.pseudonym} »", choices), remove)

    def action_consent(self) -> None:
        p = self.chosen()
        if p is None:
            return
        actor = self.app.coder or None

        def record(choice: ConsentChoice | None) -> None:
            if choice is not None:
                self._decide(p, choice, actor)

        # Nothing ticked that the person did not agree to: the first space ticks a box.
        self.app.push_screen(ConsentDialog(p.pseudonym, p.consent, p.consent_scope), record)

    def _decide(self, p: Participant, choice: ConsentChoice, actor: str | None) -> None:
        """Record a consent decision; say when it is only history (dated before the decision
        in force) and, after a withdrawal, which earlier exports hold the person's words."""
        store = self.app.store
        try:
            result = people.set_consent(
                store, p.id, choice.consent, scope=choice.scope, date=choice.date, actor=actor
            )
        except FAILURES as err:
            self.notify(
                app_message(err), title="Consentement", severity="error", timeout=12, markup=False
            )
            return
        self.app.wrote()
        try:
            after = follow_up(store, result, in_app=True)
        except FAILURES as err:
            after = f"exports antérieurs illisibles : {app_message(err)}"
        message = result.describe() + (f"\n{after}" if after else "")
        severity = "information" if result.in_force and not after else "warning"
        self.notify(message, title="Consentement", severity=severity, timeout=20, markup=False)
        self.load()

    def action_new(self) -> None:
        actor = self.app.coder or None

        def with_alias(pseudonym: str, aliases: str) -> None:
            self._apply(
                lambda: people.add(self.app.store, pseudonym, aliases=_split(aliases), actor=actor),
                lambda q: f"« {q.pseudonym} » ajouté·e ; alias : {', '.join(q.aliases) or 'aucun'}",
            )

        self._ask(
            TextPrompt(
                "Nouvelle personne citée (collègue, résident·e…) : pseudonyme",
                placeholder="Pseudonyme",
            ),
            lambda pseudonym: self._ask(
                TextPrompt(
                    f"Noms réels de « {pseudonym} », masqués dans les exports",
                    allow_empty=True,
                    hint="séparés par des virgules",
                ),
                lambda aliases: with_alias(pseudonym, aliases),
            ),
        )

    def on_data_changed(self, event: DataChanged) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _with_aliases(p: Participant) -> str:
    return f"« {p.pseudonym} » ; alias : {', '.join(p.aliases) or 'aucun'}"


def _show_ledger(text: Text, entries: list[LedgerEntry | ValidationEvent]) -> None:
    """Each decision in date order: effective date, decision and scope, who entered it, when;
    and the scenes the participant validated, on their date."""
    if not entries:
        text.append("  Aucun consentement enregistré.\n", style="dim")
    for e in entries:
        if not isinstance(e, LedgerEntry):
            text.append(f"  {e.validated_on}  {validation_label(e)}")
            text.append(f"  saisi par {e.recorded_by or '?'} le {e.recorded_at[:10]}\n", "dim")
            continue
        label = decision_label(e.event)
        text.append(f"  {e.event.consent_date or '—'}  ")
        text.append(label, style="bold" if e.in_force else "")
        if e.status.label() != label:
            text.append(f" → {e.status.label()}")
        text.append(
            f"  saisi par {e.event.recorded_by or '?'} le {e.event.recorded_at[:10]}",
            style="dim",
        )
        text.append("  ◀ en vigueur\n" if e.in_force else "\n", style="bold")


def _show_exports(text: Text, earlier: list[EarlierExport]) -> None:
    if not earlier:
        text.append("  Aucun export ne contient ses propos.\n", style="dim")
    for e in earlier:
        r = e.record
        held = (
            "extraits non enregistrés (export plus ancien, à vérifier)"
            if e.excerpts_of is None
            else f"{e.excerpts_of} extrait(s) sur {r.excerpts}"
        )
        text.append(f"  {e.written_on}  {r.format}  {r.scope or '?'}  {held}  ")
        text.append(
            "fichier présent" if e.on_disk else "fichier absent (supprimé ou déplacé)",
            style="" if e.on_disk else "bold",
        )
        text.append(f"\n    {r.file}\n", style="dim")
