"""The suggestion queue of the coding view: compute in a worker, show reasons, decide."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static

from recits.errors import RecitsError, app_message
from recits.models import Suggestion
from recits.tui.messages import ReportsWorkerErrors
from recits.tui.screens.dialogs import CodePicker

# Suggestions come from everyone's codings (the learnt model, the nearest coded passage, what
# is already coded): shown to a coder who hides the others' codings, they would show those.
BLIND = (
    "Codage à l'aveugle : pas de suggestions, elles s'appuient aussi sur les codages des autres"
    " (b pour réafficher les autres codages)."
)


class SuggestionQueue(ReportsWorkerErrors):
    """Mixed into CodingScreen: keys g (compute), a, r, p, o (decide)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Suggestion keys are greyed out until the language model is loaded (and, for the
        decisions, while no suggestion is waiting)."""
        if action == "suggest" and not self.app.model_ready:
            return None
        if action in ("decide", "accept_other") and (
            self.session is None or self.session.suggestion is None
        ):
            return None
        return True

    def unavailable_reason(self, action: str, parameters: tuple[object, ...]) -> str | None:
        """Why a greyed-out suggestion key cannot act: said when it is pressed (RecitsApp)."""
        if action == "suggest" and not self.app.model_ready:
            return "Le modèle de langue se charge encore : g sera disponible dans un instant."
        if action in ("decide", "accept_other") and (
            self.session is None or self.session.suggestion is None
        ):
            return "Aucune suggestion en attente : g pour en demander."
        return None

    def action_suggest(self) -> None:
        if self.session.hide_others:
            self.notify(BLIND, severity="warning")
            return
        self.query_one("#suggestion", Static).update(Text("Calcul des suggestions…", "italic"))
        self.compute_suggestions(self.session.document.id)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def compute_suggestions(self, document_id: str) -> None:
        """Analyse if needed, retrain if codings changed, then the queue: all in a worker."""
        from recits import nlp, suggest

        app = self.app
        try:
            with app.project.store() as store:
                document = store.document(document_id)
                report = nlp.analyse(store, [document] if document else [])
                suggester = suggest.prepare(store, app.project.codebook())
                queue = suggester.queue(store, app.coder, document_id=document_id, refresh=True)
        except RecitsError as err:
            app.call_from_thread(self.notify, app_message(err), severity="error")
            return
        app.call_from_thread(app.warn_not_french, report.not_french)
        app.call_from_thread(self._show_suggestions, document_id, queue)

    def _show_suggestions(self, document_id: str, queue: list[Suggestion]) -> None:
        if document_id != self.session.document.id or self.session.hide_others:
            return  # the coder opened another document, or went blind, meanwhile
        self.session.set_suggestions(queue)
        self.notify(f"{len(queue)} suggestion(s) pour ce document." if queue
                    else "Aucune suggestion pour ce document.")  # fmt: skip
        self._after_decision()

    def hide_suggestions(self) -> None:
        """Blind coding: the queue, its marks and its reasons (or "Calcul…") go."""
        self.session.set_suggestions([])
        self._after_decision()

    def _after_decision(self) -> None:
        self.transcript.index_codings()
        self.refresh_bindings()
        self._passage_ids = None
        self._moved()
        self._show_reasons()

    def _show_reasons(self) -> None:
        panel = self.query_one("#suggestion", Static)
        current = self.session.suggestion
        if current is None:
            panel.update("")
            return
        code = next((c for c in self.codes if c.id == current.code_id), None)
        text = Text.assemble(
            ("Suggestion : ", "bold"), (code.label if code else current.code_id, "bold"),
            f" ({current.score:.2f}".replace(".", ",") + f") · {len(self.session.suggestions)}"
            " en attente\n",
        )  # fmt: skip
        for reason in current.reasons:
            text.append(f"• {reason.detail}\n", style="dim")
        text.append("a accepter · r refuser · p passer · o autre code", style="italic")
        panel.update(text)

    def action_decide(self, decision: str) -> None:
        messages: list[str] = []
        if self._guard(lambda: messages.append(self.session.decide(decision))):
            self.app.wrote()
            self.notify(messages[0], timeout=2)
            if decision == "accept":
                self.refresh_codes()
            self._after_decision()

    def action_accept_other(self) -> None:
        def picked(code_id: str | None) -> None:
            if code_id and self._guard(lambda: self.session.decide("other", code_id)):
                self.app.wrote()
                self.refresh_codes()
                self._after_decision()

        self.app.push_screen(CodePicker(self.codes), picked)
