"""The coding view: read a transcript turn by turn, select, apply codes, memo, undo."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from recits.errors import RecitsError, app_message
from recits.models import Code, Coding
from recits.session import CodingSession
from recits.sources import where
from recits.tui.messages import DataChanged, ModelReady
from recits.tui.screens.dialogs import CodePicker, MemoDialog
from recits.tui.screens.finding import FindInDocument
from recits.tui.screens.suggesting import SuggestionQueue
from recits.tui.widgets.findbar import FindBar
from recits.tui.widgets.keybar import KeyBar
from recits.tui.widgets.transcript import Transcript

DIGITS = [
    Binding(str(n), f"apply({n})", f"Code {n}", show=False, id=f"apply-{n}") for n in range(1, 10)
]


class CodingScreen(FindInDocument, SuggestionQueue, Screen[None]):
    BINDINGS = [
        Binding("down,j", "move(1)", "Phrase suivante", show=False, id="next-sentence"),
        Binding("up,k", "move(-1)", "Phrase précédente", show=False, id="previous-sentence"),
        Binding("right_square_bracket,ctrl+down", "turn(1)", "Tour suivant", id="next-turn",
                key_display="]"),
        Binding("left_square_bracket,ctrl+up", "turn(-1)", "Tour précédent", show=False,
                id="previous-turn"),
        Binding("pagedown", "page(1)", "Page suivante", show=False, id="page-down"),
        Binding("pageup", "page(-1)", "Page précédente", show=False, id="page-up"),
        Binding("home", "edge(0)", "Début", show=False, id="first"),
        Binding("end", "edge(1)", "Fin", show=False, id="last"),
        Binding("n", "next_matching(False)", "Non codé suivant", id="next-uncoded"),
        Binding("N", "next_matching(True)", "Codé suivant", show=False, id="next-coded"),
        Binding("s", "select_sentence", "Sélect. phrase", show=False, id="select-sentence"),
        Binding("t", "select_turn", "Sélect. tour", show=False, id="select-turn"),
        Binding("shift+right", "resize(1, 0)", "Étendre d'un mot", show=False, id="grow-end"),
        Binding("shift+left", "resize(-1, 0)", "Réduire d'un mot", show=False, id="shrink-end"),
        Binding("less_than_sign", "resize(0, 1)", "Étendre le début d'un mot", show=False,
                id="grow-start"),
        Binding("greater_than_sign", "resize(0, -1)", "Réduire le début d'un mot", show=False,
                id="shrink-start"),
        *DIGITS,
        Binding("c", "pick", "Coder…", id="pick-code"),
        Binding("x,delete", "remove", "Retirer", id="remove-coding"),
        Binding("m", "memo", "Mémo", id="memo"),
        Binding("u,ctrl+z", "undo", "Annuler", id="undo"),
        Binding("slash", "find", "Chercher", id="find", key_display="/"),
        Binding("b", "blind", "Masquer autres", show=False, id="blind"),
        Binding("g", "suggest", "Suggestions", id="suggest"),
        Binding("a", "decide('accept')", "Accepter", id="accept-suggestion"),
        Binding("r", "decide('reject')", "Refuser", id="reject-suggestion"),
        Binding("p", "decide('skip')", "Passer", show=False, id="skip-suggestion"),
        Binding("o", "accept_other", "Autre code", show=False, id="other-code"),
        Binding("S", "to_scene", "Vers une scène", id="to-scene"),
        Binding("escape", "back", "Retour", id="back"),
    ]  # fmt: skip
    HELP_SECTIONS = (("Chercher dans le document (/)", FindBar.BINDINGS),)

    def __init__(self) -> None:
        super().__init__()
        self.session: CodingSession | None = None  # type: ignore[assignment]
        self._passage_ids: list[str] | None = None

    def load(self, document_id: str, offset: int | None = None) -> None:
        """Open a document (this screen is kept and reused: opening is then much faster)."""
        app = self.app
        self.session = CodingSession(app.store, document_id, app.coder)
        self.session.hide_others = app.blind
        if offset is not None:
            self.session.goto_offset(offset)
        self._passage_ids = None
        if self.is_mounted:
            self.close_find()
            self.transcript.set_session(self.session)
            self._show_document()

    def compose(self) -> ComposeResult:
        codes = self.app.codes
        self.transcript = Transcript(
            self.session,
            colors={c.id: c.color or "" for c in codes},
            labels={c.id: c.label for c in codes},
            id="transcript",
        )
        yield Header()
        with Horizontal(id="coding-body"):
            yield self.transcript
            with Vertical(id="side"):
                yield Label("Grille de codage", classes="side-title")
                yield OptionList(id="codes")
                yield Static(id="definition")
                yield Static(id="suggestion")
                yield Label("Codages du passage", classes="side-title")
                yield OptionList(id="passage-codings")
        yield FindBar()
        yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_document()

    def on_resize(self, event: Resize) -> None:
        # At 80 columns the transcript needs the room more than the side panel does.
        self.query_one("#side").styles.width = 38 if event.size.width >= 110 else 28

    def _show_document(self) -> None:
        self.title = self.session.document.title
        self.refresh_codes()
        self.refresh_passage()
        # A new session has no queue: the previous document's suggestion and reasons go.
        self._show_reasons()
        self.refresh_bindings()
        self.transcript.focus()

    # -- side panels ------------------------------------------------------------------------------
    @property
    def codes(self) -> list[Code]:
        return self.app.codes

    def refresh_codes(self) -> None:
        """The codebook list with counts; only the prompts change when the codes are the same."""
        counts = self.app.store.code_counts(self.app.coder if self.session.hide_others else None)
        options = self.query_one("#codes", OptionList)
        prompts = []
        for n, code in enumerate(self.codes, start=1):
            key = str(n) if n <= 9 else " "
            prompts.append(Text.assemble(
                (f"{key} ", "bold"), ("▌", code.color or ""), f"{code.label} ",
                (f"({counts.get(code.id, 0)})", "dim"),
            ))  # fmt: skip
        ids = [c.id for c in self.codes]
        if [options.get_option_at_index(i).id for i in range(options.option_count)] == ids:
            for code_id, prompt in zip(ids, prompts, strict=True):
                options.replace_option_prompt(code_id, prompt)
            return
        options.clear_options()
        options.add_options(Option(p, id=i) for p, i in zip(prompts, ids, strict=True))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "codes":
            code = next((c for c in self.codes if c.id == event.option.id), None)
            text = code.description if code else ""
            self.query_one("#definition", Static).update(Text(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "codes" and event.option.id:
            self._apply(event.option.id)

    def refresh_passage(self) -> None:
        session = self.session
        over = session.codings_over(*session.selection)
        ids = [f"{c.id}{c.memo}" for c in over]
        if ids == self._passage_ids:  # most moves: nothing new to list
            self._update_status()
            return
        self._passage_ids = ids
        labels = {c.id: c for c in self.codes}
        options = self.query_one("#passage-codings", OptionList)
        options.clear_options()
        for coding in over:
            code = labels.get(coding.code_id)
            label = Text.assemble(
                ("▌", code.color if code and code.color else ""),
                code.label if code else coding.code_id, (f" — {coding.coder}", "dim"),
                (f"\n  {coding.memo}" if coding.memo else "", "italic"),
            )  # fmt: skip
            options.add_option(Option(label, id=coding.id))
        self._update_status()

    def _update_status(self) -> None:
        s = self.session
        passage = s.passage
        turn = s.turns[passage.turn] if passage else None
        speaker = turn.speaker if turn else None
        words = len(s.selected_text.split())
        place = where(turn.page, turn.section) if turn else ""
        parts = [
            f"{speaker or '¶'} {place}" if place else speaker or "¶",
            f"phrase {s.cursor + 1}/{len(s.passages)}",
            f"sélection : {words} mot{'s' if words > 1 else ''}",
            f"codeur·euse : {s.coder}",
        ]
        if s.hide_others:
            parts.append("autres codages masqués")
        self.query_one("#status", Static).update(" · ".join(parts), layout=False)

    def _moved(self) -> None:
        self.transcript.show_cursor()
        self.refresh_passage()

    def _changed(self) -> None:
        """After a write: repaint marks, counts and the passage panel."""
        self.app.wrote()
        self._passage_ids = None
        self.transcript.index_codings()
        self.refresh_codes()
        self.refresh_passage()

    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return False
        return True

    # -- moving and selecting ---------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.session.move(delta)
        self._moved()

    def action_turn(self, delta: int) -> None:
        self.session.move_turn(delta)
        self._moved()

    def action_page(self, direction: int) -> None:
        transcript = self.transcript
        height = max(1, transcript.size.height - 2)
        target = int(transcript.scroll_offset.y) + direction * height
        transcript.scroll_to(y=max(0, target), animate=False)
        line = min(max(0, target), len(transcript.lines) - 1)
        while line < len(transcript.lines) - 1 and transcript.lines[line].kind != "text":
            line += 1
        if transcript.lines:
            self.session.goto_offset(transcript.lines[line].start_char)
        self._moved()

    def action_edge(self, end: int) -> None:
        self.session.move_to(len(self.session.passages) - 1 if end else 0)
        self._moved()

    def action_next_matching(self, coded: bool) -> None:
        if not self.session.next_matching(coded):
            self.notify("Plus de passage codé plus bas." if coded else "Tout est codé plus bas.")
        self._moved()

    def action_select_sentence(self) -> None:
        self.session.select_sentence()
        self._moved()

    def action_select_turn(self) -> None:
        self.session.select_turn()
        self._moved()

    def action_resize(self, end_words: int, start_words: int) -> None:
        self.session.resize(end_words=end_words, start_words=start_words)
        self._moved()

    def on_transcript_clicked(self, event: Transcript.Clicked) -> None:
        if event.start == event.end:
            self.session.goto_offset(event.start)
        else:
            self.session.select_span(event.start, event.end)
        self._moved()

    # -- coding ---------------------------------------------------------------------------------
    def action_apply(self, n: int) -> None:
        if n > len(self.codes):
            self.notify(f"La grille n'a que {len(self.codes)} codes.", severity="warning")
            return
        self._apply(self.codes[n - 1].id)

    def _apply(self, code_id: str) -> None:
        if self._guard(lambda: self.session.apply(code_id)):
            self._changed()

    def action_pick(self) -> None:
        def picked(code_id: str | None) -> None:
            if code_id:
                self._apply(code_id)

        self.app.push_screen(CodePicker(self.codes), picked)

    def _target(self) -> Coding | None:
        options = self.query_one("#passage-codings", OptionList)
        if options.has_focus and options.highlighted is not None:
            wanted = options.get_option_at_index(options.highlighted).id
            return next((c for c in self.session.codings if c.id == wanted), None)
        return self.session.target_coding()

    def action_to_scene(self) -> None:
        """The selected passage goes to a new or existing comic-strip scene."""
        from recits.tui.screens.scene_dialogs import add_passage

        start, end = self.session.selection
        coding = self.session.target_coding()
        same = coding is not None and (coding.start_char, coding.end_char) == (start, end)
        add_passage(self, self.session.document.id, start, end, coding.id if same else None)

    def action_remove(self) -> None:
        coding = self._target()
        if coding is None:
            self.notify("Aucun codage sur ce passage.", severity="warning")
            return
        if self._guard(lambda: self.session.remove(coding)):
            self.notify(f"Codage « {self.session.label(coding.code_id)} » retiré (u pour annuler).")
            self._changed()

    def action_memo(self) -> None:
        coding = self._target()
        if coding is None:
            self.notify(
                "Codez d'abord le passage : le mémo porte sur un codage.", severity="warning"
            )
            return

        def saved(memo: str | None) -> None:
            if memo is not None and self._guard(lambda: self.session.set_memo(coding, memo)):
                self._changed()

        title = f"Mémo — {self.session.label(coding.code_id)} — « {coding.text[:60]} »"
        self.app.push_screen(MemoDialog(title, coding.memo), saved)

    def action_undo(self) -> None:
        messages: list[str] = []
        if self._guard(lambda: messages.append(self.session.undo())):
            self.notify(messages[0][:1].upper() + messages[0][1:])  # the label keeps its case
            self._changed()

    def action_blind(self) -> None:
        self.app.blind = self.session.hide_others = not self.session.hide_others
        if self.session.hide_others:
            self.hide_suggestions()
            self.notify("Codage à l'aveugle : seuls vos codages sont montrés et comptés"
                        " (b pour revoir ceux des autres).")  # fmt: skip
        else:
            self.notify("Les codages des autres sont de nouveau montrés.")
        self._passage_ids = None
        self.transcript.index_codings()
        self.refresh_codes()
        self.refresh_passage()

    def action_back(self) -> None:
        if self.finding:
            self.close_find()
            return
        self.app.pop_screen()

    def on_model_ready(self, event: ModelReady) -> None:
        self.refresh_bindings()

    def on_data_changed(self, event: DataChanged) -> None:
        self._passage_ids = None
        self.session.reload()
        self.transcript.index_codings()
        self.refresh_codes()
        self.refresh_passage()
