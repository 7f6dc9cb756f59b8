"""One person, one participant: confirm a shared name, merge two participants, split one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date as Date

from recits.errors import RecitsError
from recits.masking import distinct, name_key
from recits.models import Participant
from recits.participants import _check_not_a_real_name, _clean, check_names, resolve
from recits.speakers import is_placeholder
from recits.store import Store

SAME_NAME = "même nom qu'un·e autre participant·e"
SEVERAL_DOCUMENTS = "plusieurs documents sous le même nom, importés avant toute vérification"
BLOCKING = ("refusé", "retiré")


def flag(p: Participant, people: Mapping[str, Participant]) -> str | None:
    """What is to confirm about a participant, in French, or None."""
    if p.same_label_as is None:
        return None
    if p.same_label_as == p.id:
        return f"{SEVERAL_DOCUMENTS} : à confirmer"
    other = people.get(p.same_label_as)
    return f"{SAME_NAME}{f' (« {other.pseudonym} »)' if other else ''} : à confirmer"


@dataclass(frozen=True)
class Merged:
    """The participant after a merge, and what became of the two consents."""

    participant: Participant
    gone: Participant
    consent_note: str | None  # set when the merged status differs from one of the two


def _merged_consent(a: Participant, b: Participant) -> tuple[str, tuple[str, ...]]:
    """The most restrictive of two recorded decisions ("inconnu" is no decision)."""
    decided = [p for p in (a, b) if p.consent != "inconnu"]
    if not decided:
        return "inconnu", ()
    blocking = [p for p in decided if p.consent in BLOCKING]
    if blocking:
        return blocking[0].consent, ()
    if len(decided) == 1:
        return decided[0].consent, decided[0].consent_scope
    scope = tuple(s for s in a.consent_scope if s in b.consent_scope)
    return ("accordé", scope) if scope else ("inconnu", ())


def merge(store: Store, keep: str, gone: str, *, actor: str | None = None) -> Merged:
    """`gone` is the same person as `keep`: its turns, aliases, consent ledger and name
    decisions become `keep`'s; `gone` stays as a tombstone. Until a decision is recorded
    again, the consent is the more restrictive of the two (the ledger of both is kept)."""
    a, b = resolve(store, keep), resolve(store, gone)
    if a.id == b.id:
        raise RecitsError(f"« {a.pseudonym} » et « {b.pseudonym} » sont la même fiche")
    # b's labels go with its turns; its pseudonym is a real name until renamed.
    names = [*a.aliases, *([] if is_placeholder(b.pseudonym) else [b.pseudonym]), *b.aliases]
    aliases = tuple(n for n in distinct(names) if name_key(n) != name_key(a.pseudonym))
    flagged = None if a.same_label_as == b.id else a.same_label_as
    after = Participant(
        a.id, a.pseudonym, a.role or b.role, aliases, a.consent, a.consent_scope,
        a.consent_date, flagged,
    )  # fmt: skip
    people = [after if p.id == a.id else p for p in store.participants() if p.id != b.id]
    check_names(people, changed={a.id})
    consent, scope = _merged_consent(a, b)
    ledgers = store.consent_history(a.id) + store.consent_history(b.id)
    moved = any(e.participant_id == b.id for e in ledgers)
    note = None
    with store.write():
        store.merge_participants(
            a.id, b.id, aliases=aliases, role=after.role, same_label_as=flagged, actor=actor
        )
        if moved or (consent, scope) != (a.consent, a.consent_scope):
            # Dated after every decision of both ledgers: the status until one is recorded.
            when = max([Date.today().isoformat(), *(e.consent_date or "" for e in ledgers)])
            store.record_consent(a.id, consent, scope, when, actor)
            after = Participant(
                a.id, a.pseudonym, after.role, aliases, consent, scope, when, flagged
            )
    if (a.consent, a.consent_scope) != (b.consent, b.consent_scope):
        note = (
            f"le consentement ({_label(after)}) vaut désormais pour toutes ses paroles"
            if "inconnu" in (a.consent, b.consent)
            else f"consentements différents ({_label(a)} / {_label(b)}) : le plus restrictif"
            f" s'applique ({_label(after)}) jusqu'à un nouvel enregistrement ;"
            " l'historique des deux est conservé"
        )
    return Merged(after, b, note)


def _label(p: Participant) -> str:
    scope = f" : {', '.join(p.consent_scope)}" if p.consent_scope else ""
    return p.consent + scope


def confirm(
    store: Store, ref: str, *, same: bool, actor: str | None = None
) -> Merged | Participant:
    """The team's answer about a flagged participant: the same person as the one whose name
    they share (merged into them), or a different person (the flag is cleared, returned)."""
    p = resolve(store, ref)
    if p.same_label_as is None:
        raise RecitsError(f"« {p.pseudonym} » n'a rien à confirmer")
    if p.same_label_as == p.id:
        if not same:
            raise RecitsError(
                f"« {p.pseudonym} » désigne plusieurs personnes : séparez-les document par"
                " document (« recits participants split », touche s de l'écran F8)",
                in_app=f"« {p.pseudonym} » désigne plusieurs personnes : séparez-les document"
                " par document (touche s de cet écran)",
            )
        store.set_same_label_as(p.id, None, actor=actor)
        return replace(p, same_label_as=None)
    if same:
        other = store.participant(p.same_label_as)
        if other is None:
            raise RecitsError(
                f"la personne au même nom que « {p.pseudonym} » n'existe plus :"
                " fusionnez avec « recits participants merge »",
                in_app=f"la personne au même nom que « {p.pseudonym} » n'existe plus :"
                " fusionnez avec la bonne fiche (touche m de cet écran)",
            )
        return merge(store, other.id, p.id, actor=actor)
    store.set_same_label_as(p.id, None, actor=actor)
    return replace(p, same_label_as=None)


def split(
    store: Store, ref: str, document: str, pseudonym: str, *, actor: str | None = None
) -> Participant:
    """The participant's turns in one document are someone else's: a new participant with
    `pseudonym`, whose consent is unknown (a consent is never copied to another person)."""
    p = resolve(store, ref)
    doc = store.resolve_document(document)
    documents = store.speaking_documents(p.id)
    if doc.id not in documents:
        raise RecitsError(f"« {p.pseudonym} » ne parle pas dans « {doc.title} »")
    if len(documents) == 1:
        raise RecitsError(
            f"« {p.pseudonym} » ne parle que dans « {doc.title} » : rien à séparer"
            " (donnez-lui plutôt un autre pseudonyme)"
        )
    pseudonym = _clean(pseudonym, "pseudonyme")
    _check_not_a_real_name(store, pseudonym, None)
    new = Participant(str(uuid.uuid4()), pseudonym, None, (), "inconnu", (), None)
    check_names([*store.participants(), new], changed={new.id})
    # A participant flagged for speaking in several documents is settled once in one.
    settled = p.same_label_as == p.id and len(documents) == 2
    store.split_participant(p.id, doc.id, new.id, pseudonym, clear_flag=settled, actor=actor)
    return new
