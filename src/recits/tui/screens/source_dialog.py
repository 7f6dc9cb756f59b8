"""Where a written document comes from: its reference, published or not, its author."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label

from recits.errors import RecitsError, app_message
from recits.sources import SourceChange, check_published, check_source
from recits.tui.screens.publish_dialogs import ScopeBox


class SourceDialog(ModalScreen[SourceChange | None]):
    """Edit a document's source reference, whether it is a publication, and who wrote it."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="source-save"),
        Binding("escape", "cancel", "Annuler", id="source-cancel"),
    ]

    def __init__(self, title: str, source: str | None, published: bool, author: str | None):
        super().__init__()
        self.document_title = title
        self.values = (source or "", published, author or "")

    def compose(self) -> ComposeResult:
        source, published, author = self.values
        with Vertical(classes="dialog"):
            yield Label(f"D'où vient « {self.document_title} »", classes="dialog-title",
                        markup=False)  # fmt: skip
            yield Label("Source : la référence telle qu'elle sera citée")
            yield Input(source, placeholder="Rapport d'activités 2020-2021, plateforme …",
                        id="source-reference")  # fmt: skip
            yield ScopeBox(
                "Publié : cité par sa référence et sa page, sans consentement à demander",
                published,
                id="source-published",
            )
            yield Label("Auteur·rice (document non publié sans locuteur·rice) : pseudonyme")
            yield Input(author, placeholder="vide : personne", id="source-author")
            yield Label("[dim]ctrl+s ou entrée : enregistrer · échap : annuler[/dim]")

    def on_mount(self) -> None:
        self.query_one("#source-reference", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        source = self.query_one("#source-reference", Input).value
        published = self.query_one("#source-published", Checkbox).value
        author = self.query_one("#source-author", Input).value.strip()
        try:  # refused here, the dialog stays open to correct it
            check_published(check_source(source), published)
        except RecitsError as err:
            self.notify(app_message(err), severity="error", markup=False)
            return
        self.dismiss(SourceChange(source=source.strip(), published=published, author=author))

    def action_cancel(self) -> None:
        self.dismiss(None)
