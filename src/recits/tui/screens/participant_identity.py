"""The participants screen's identity actions: confirm a shared name, merge, split."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from recits import identity
from recits.errors import app_message
from recits.models import Participant
from recits.tui.screens.publish_dialogs import FAILURES, Picker, TextPrompt

if TYPE_CHECKING:
    from recits.participants import ParticipantInfo

IDENTITY_BINDINGS = [
    Binding("v", "confirm", "Confirmer : même personne ou non", show=False,
            id="participant-confirm"),
    Binding("m", "merge", "Fusionner avec une autre fiche (même personne)", show=False,
            id="participant-merge"),
    Binding("s", "split", "Séparer : ses paroles dans un document sont d'une autre personne",
            show=False, id="participant-split"),
]  # fmt: skip


class IdentityActions:
    """Mixed into the participants screen, whose table, prompts and `_apply` it uses."""

    if TYPE_CHECKING:
        app: Any
        infos: list[ParticipantInfo]
        current: Participant | None

        def chosen(self) -> Participant | None: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def _apply(self, change: Callable[[], Any], done: Callable[[Any], str]) -> None: ...
        def _ask(self, prompt: TextPrompt, then: Callable[[str], None]) -> None: ...

    def action_confirm(self) -> None:
        p = self.chosen()
        if p is None:
            return
        if p.same_label_as is None:
            self.notify(f"« {p.pseudonym} » : rien à confirmer.", markup=False)
            return
        actor = self.app.coder or None
        if p.same_label_as == p.id:
            title = f"« {p.pseudonym} » : {identity.SEVERAL_DOCUMENTS}"
            choices = [("Une seule personne dans tous ses documents (sinon : s)", "same")]
        else:
            other = next(
                (i.participant for i in self.infos if i.participant.id == p.same_label_as), None
            )
            name = f"« {other.pseudonym} »" if other else "l'autre fiche"
            title = f"« {p.pseudonym} » porte le même nom que {name}"
            choices = [
                (f"Même personne que {name} : fusionner", "same"),
                ("Une autre personne, du même nom", "different"),
            ]

        def done(result: identity.Merged | Participant) -> str:
            if isinstance(result, identity.Merged):
                return _merged(result)
            if p.same_label_as == p.id:
                return f"« {result.pseudonym} » : une seule personne, confirmé"
            return f"« {result.pseudonym} » : une autre personne ; donnez-lui un pseudonyme (p)"

        def answer(choice: str | None) -> None:
            if choice is not None:
                self._apply(
                    lambda: identity.confirm(
                        self.app.store, p.id, same=choice == "same", actor=actor
                    ),
                    done,
                )

        self.app.push_screen(Picker(title, choices), answer)

    def action_merge(self) -> None:
        p = self.chosen()
        if p is None:
            return
        if len(self.infos) < 2:
            self.notify("Une seule fiche : rien avec quoi la fusionner.", severity="warning")
            return
        choices = [
            (i.participant.pseudonym, i.participant.id)
            for i in self.infos
            if i.participant.id != p.id
        ]
        actor = self.app.coder or None

        def merge(keep: str | None) -> None:
            if keep is not None:
                self._apply(
                    lambda: identity.merge(self.app.store, keep, p.id, actor=actor), _merged
                )

        title = f"« {p.pseudonym} » est la même personne que… (ses paroles la rejoignent)"
        self.app.push_screen(Picker(title, choices), merge)

    def action_split(self) -> None:
        p = self.chosen()
        if p is None:
            return
        try:
            spoken = self.app.store.speaking_documents(p.id)
            titles = {d.id: d.title for d in self.app.store.documents()}
        except FAILURES as err:
            self.notify(app_message(err), severity="error", markup=False)
            return
        if len(spoken) < 2:
            self.notify(
                f"« {p.pseudonym} » ne parle pas dans plusieurs documents : rien à séparer.",
                markup=False,
            )
            return
        actor = self.app.coder or None

        def split(document_id: str, pseudonym: str) -> None:
            self._apply(
                lambda: identity.split(self.app.store, p.id, document_id, pseudonym, actor=actor),
                lambda q: f"« {q.pseudonym} » séparé·e de « {p.pseudonym} » (consentement inconnu)",
            )

        def ask_pseudonym(document_id: str | None) -> None:
            if document_id is not None:
                self._ask(
                    TextPrompt(
                        f"Ses paroles dans « {titles.get(document_id, '?')} » sont celles de…",
                        placeholder="Pseudonyme de l'autre personne",
                        hint="une nouvelle fiche, au consentement inconnu",
                    ),
                    lambda pseudonym: split(document_id, pseudonym),
                )

        choices = [(titles.get(d, d), d) for d in spoken]
        title = f"Séparer les paroles de « {p.pseudonym} » dans le document…"
        self.app.push_screen(Picker(title, choices), ask_pseudonym)


def _merged(merged: identity.Merged) -> str:
    p = merged.participant
    text = f"« {merged.gone.pseudonym} » fusionné·e dans « {p.pseudonym} »"
    return text + (f" ; {merged.consent_note}" if merged.consent_note else "")
