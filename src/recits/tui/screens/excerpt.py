"""One coded excerpt read whole, with its context and memo; ↓/↑ to the next or previous one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from recits.models import Excerpt


class ExcerptReader(ModalScreen[tuple[bool, int]]):
    """Returns (go to the passage?, the excerpt reached) so the list follows the reading."""

    BINDINGS = [
        Binding("escape", "close", "Fermer", id="excerpt-close"),
        Binding("enter", "open", "Aller au passage", id="excerpt-open"),
        Binding("down,j", "step(1)", "Extrait suivant", id="excerpt-next"),
        Binding("up,k", "step(-1)", "Extrait précédent", id="excerpt-previous"),
        Binding("pagedown", "scroll(1)", "Descendre dans le texte", show=False,
                id="excerpt-page-down"),
        Binding("pageup", "scroll(-1)", "Remonter dans le texte", show=False,
                id="excerpt-page-up"),
    ]  # fmt: skip

    def __init__(self, excerpts: list[Excerpt], index: int, labels: dict[str, str]) -> None:
        super().__init__()
        self.excerpts = excerpts
        self.index = index
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="excerpt-dialog"):
            yield Label("", classes="dialog-title", id="excerpt-title")
            with VerticalScroll(id="excerpt-scroll", can_focus=False):
                yield Static(id="excerpt-body")
            yield Static("↓ ↑ autre extrait · Entrée aller au passage · Échap fermer",
                         id="excerpt-keys")  # fmt: skip

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        excerpt = self.excerpts[self.index]
        coding = excerpt.coding
        label = self.labels.get(coding.code_id, coding.code_id)
        self.query_one("#excerpt-title", Label).update(
            Text(f"{label} — extrait {self.index + 1}/{len(self.excerpts)}")
        )
        where = " · ".join(part for part in (excerpt.document_date, excerpt.document_kind) if part)
        body = Text.assemble(
            (excerpt.document_title, "bold"), f"\n{where}\n" if where else "\n",
            f"Qui parle : {excerpt.speaker or '—'} · codé par {coding.coder}\n\n",
            ("…" + excerpt.before.lstrip() if excerpt.before else "", "dim"),
            (coding.text, "bold"),
            (excerpt.after.rstrip() + "…" if excerpt.after else "", "dim"),
        )  # fmt: skip
        if coding.memo:
            body.append(f"\n\nMémo : {coding.memo}", style="italic")
        self.query_one("#excerpt-body", Static).update(body)
        self.query_one("#excerpt-scroll", VerticalScroll).scroll_home(animate=False)

    def action_step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.excerpts):
            self.index = target
            self._show()

    def action_scroll(self, direction: int) -> None:
        scroll = self.query_one("#excerpt-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_open(self) -> None:
        self.dismiss((True, self.index))

    def action_close(self) -> None:
        self.dismiss((False, self.index))
