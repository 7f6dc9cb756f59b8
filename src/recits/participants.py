"""Participants: pseudonyms, aliases (real names kept only to mask them), roles and consent."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from recits.consent import ConsentOutcome, LedgerEntry, effective_date, ledger, outcome, timeline
from recits.errors import RecitsError
from recits.masking import NameFinder, distinct, name_key
from recits.models import ConsentEvent, Participant, ParticipantUsage, ValidationEvent
from recits.speakers import is_placeholder
from recits.store import Store

CONSENTS = ("inconnu", "accordé", "refusé", "retiré")
SCOPES = ("articles", "bd")
_CONSENT_INPUT = {
    "inconnu": "inconnu",
    "accorde": "accordé",
    "accordé": "accordé",
    "refuse": "refusé",
    "refusé": "refusé",
    "retire": "retiré",
    "retiré": "retiré",
}


@dataclass(frozen=True)
class ParticipantInfo:
    """A participant with where they speak; `labels` are the names written in the sources."""

    participant: Participant
    usage: ParticipantUsage | None

    @property
    def labels(self) -> tuple[str, ...]:
        return self.usage.labels if self.usage else ()

    @property
    def turns(self) -> int:
        return self.usage.turns if self.usage else 0

    @property
    def documents(self) -> int:
        return self.usage.documents if self.usage else 0


def may_quote(participant: Participant | None, scope: str) -> bool:
    """True only when the participant agreed (`accordé`) for this scope, and is not a speaker
    « à confirmer » (maybe someone else who shares their name)."""
    return (
        participant is not None
        and participant.consent == "accordé"
        and scope in participant.consent_scope
        and participant.same_label_as is None
    )


def consent_label(participant: Participant) -> str:
    if participant.consent == "accordé" and participant.consent_scope:
        return f"accordé ({', '.join(participant.consent_scope)})"
    return participant.consent


def list_participants(store: Store) -> list[ParticipantInfo]:
    usage = store.participant_usage()
    return [ParticipantInfo(p, usage.get(p.id)) for p in store.participants()]


def resolve(store: Store, ref: str) -> Participant:
    """A participant by pseudonym, alias or id (or id prefix of 4+ characters)."""
    key = name_key(ref)
    people = store.participants()
    found = [p for p in people if p.id == ref.strip()]
    found = found or [p for p in people if name_key(p.pseudonym) == key]
    found = found or [p for p in people if key in {name_key(a) for a in p.aliases}]
    if not found and len(ref.strip()) >= 4:
        found = [p for p in people if p.id.startswith(ref.strip())]
    if not found:
        raise RecitsError(
            f"participant·e inconnu·e : « {ref} » (« recits participants » liste les pseudonymes)",
            in_app=f"participant·e inconnu·e : « {ref} » (l'écran F8 liste les pseudonymes)",
        )
    if len(found) > 1:
        choices = ", ".join(f"{p.id[:8]} « {p.pseudonym} »" for p in found)
        raise RecitsError(f"« {ref} » désigne plusieurs participant·e·s : {choices}")
    return found[0]


def _clean(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name or not any(c.isalnum() for c in name):
        raise RecitsError(f"{what} vide ou sans lettre : « {name} »")
    if len(name) > 80:
        raise RecitsError(f"{what} trop long (80 caractères au plus) : « {name[:40]}… »")
    return name


def check_names(people: Sequence[Participant], changed: Collection[str] | None = None) -> None:
    """Refuse names that would make masking ambiguous or the export gate always fail.

    A pseudonym must not contain anyone's alias (the gate would find it in every export), and
    one alias cannot belong to two people (masking could not know whose pseudonym to use).
    With `changed` (ids), only conflicts involving those participants count: a change to one
    person is never refused for a conflict between two others.
    """

    def concerns(*ids: str) -> bool:
        return changed is None or any(i in changed for i in ids)

    pseudonyms: dict[str, Participant] = {}
    for p in people:
        other = pseudonyms.setdefault(name_key(p.pseudonym), p)
        if other.id != p.id and concerns(p.id, other.id):
            raise RecitsError(
                f"le pseudonyme « {p.pseudonym} » est déjà celui d'une autre personne"
            )
    owners: dict[str, Participant] = {}
    alias_owners: dict[str, set[str]] = {}
    for p in people:
        for alias in p.aliases:
            other = owners.setdefault(name_key(alias), p)
            alias_owners.setdefault(name_key(alias), set()).add(p.id)
            if other.id != p.id and concerns(p.id, other.id):
                raise RecitsError(
                    f"« {alias} » est déjà un alias de « {other.pseudonym} » : un même nom ne"
                    " peut pas masquer deux personnes (donnez une forme plus précise, ex. le"
                    " nom complet)"
                )
    finder = NameFinder(a for p in people for a in p.aliases)
    for p in people:
        for occurrence in finder.find(p.pseudonym):
            if concerns(p.id, *alias_owners.get(name_key(occurrence.name), ())):
                raise RecitsError(
                    f"le pseudonyme « {p.pseudonym} » contient le nom réel « {occurrence.name} » :"
                    " choisissez un pseudonyme sans ce nom"
                )


def _check_not_a_real_name(store: Store, pseudonym: str, own: Participant | None) -> None:
    """A pseudonym must not be someone's name in the corpus: it would hide that name from the
    gate (a pseudonym is allowed out) while the text still means the real person."""
    key = name_key(pseudonym)
    if own is not None and key in {name_key(n) for n in (own.pseudonym, *own.aliases)}:
        return
    if any(name_key(e.text) == key for e in store.entities(label="PER")):
        raise RecitsError(
            f"« {pseudonym} » est un nom de personne trouvé dans les transcriptions :"
            " choisissez un pseudonyme qui n'y figure pas"
        )


def _save(
    store: Store, before: Participant, after: Participant, actor: str | None, action: str
) -> Participant:
    people = [after if p.id == after.id else p for p in store.participants()]
    check_names(people, changed={after.id})
    store.update_participant(
        after.id,
        actor=actor,
        action=action,
        pseudonym=after.pseudonym if after.pseudonym != before.pseudonym else None,
        role=(after.role or "") if after.role != before.role else None,
        aliases=after.aliases if after.aliases != before.aliases else None,
    )
    return after


def add(
    store: Store,
    pseudonym: str,
    *,
    aliases: Sequence[str] = (),
    role: str | None = None,
    actor: str | None = None,
) -> Participant:
    """Add a person named in the transcripts (a colleague, a resident…) so that their real
    names are masked in exports; their consent stays "inconnu" until recorded."""
    pseudonym = _clean(pseudonym, "pseudonyme")
    clean = tuple(distinct([_clean(a, "alias") for a in aliases]))
    role = " ".join((role or "").split()) or None
    _check_not_a_real_name(store, pseudonym, None)
    draft = Participant("", pseudonym, role, clean, "inconnu", (), None)
    check_names([*store.participants(), draft], changed={draft.id})
    participant_id = store.add_participant(pseudonym, role=role, aliases=clean, actor=actor)
    return Participant(participant_id, pseudonym, role, clean, "inconnu", (), None)


def _with_aliases(p: Participant, extra: Iterable[str]) -> tuple[str, ...]:
    return tuple(distinct([*p.aliases, *extra]))


def rename(
    store: Store,
    ref: str,
    pseudonym: str,
    *,
    aliases: Sequence[str] = (),
    role: str | None = None,
    actor: str | None = None,
) -> Participant:
    """Give a participant a pseudonym; the former name (and any `aliases`) become aliases."""
    before = resolve(store, ref)
    pseudonym = _clean(pseudonym, "pseudonyme")
    _check_not_a_real_name(store, pseudonym, before)
    extra = [_clean(a, "alias") for a in aliases]
    if name_key(before.pseudonym) != name_key(pseudonym) and not is_placeholder(before.pseudonym):
        extra.insert(0, before.pseudonym)  # a real name, unless recits made it up
    new_aliases = tuple(
        a for a in _with_aliases(before, extra) if name_key(a) != name_key(pseudonym)
    )
    after = Participant(
        before.id, pseudonym, role if role is not None else before.role, new_aliases,
        before.consent, before.consent_scope, before.consent_date,
    )  # fmt: skip
    return _save(store, before, after, actor, "participant-rename")


def add_aliases(
    store: Store, ref: str, aliases: Sequence[str], *, actor: str | None = None
) -> Participant:
    before = resolve(store, ref)
    extra = [_clean(a, "alias") for a in aliases]
    for alias in extra:
        if name_key(alias) == name_key(before.pseudonym):
            raise RecitsError(f"« {alias} » est le pseudonyme lui-même, pas un alias")
    after = _replace_aliases(before, _with_aliases(before, extra))
    return _save(store, before, after, actor, "participant-alias")


def remove_aliases(
    store: Store, ref: str, aliases: Sequence[str], *, actor: str | None = None
) -> Participant:
    before = resolve(store, ref)
    keys = {name_key(a) for a in aliases}
    missing = [a for a in aliases if name_key(a) not in {name_key(x) for x in before.aliases}]
    if missing:
        raise RecitsError(
            f"« {before.pseudonym} » n'a pas d'alias « {missing[0]} »"
            f" (alias : {', '.join(before.aliases) or 'aucun'})"
        )
    after = _replace_aliases(before, tuple(a for a in before.aliases if name_key(a) not in keys))
    return _save(store, before, after, actor, "participant-alias")


def _replace_aliases(p: Participant, aliases: tuple[str, ...]) -> Participant:
    return Participant(
        p.id, p.pseudonym, p.role, aliases, p.consent, p.consent_scope, p.consent_date
    )


def set_role(store: Store, ref: str, role: str, *, actor: str | None = None) -> Participant:
    before = resolve(store, ref)
    role = " ".join(role.split())
    after = Participant(
        before.id, before.pseudonym, role or None, before.aliases, before.consent,
        before.consent_scope, before.consent_date,
    )  # fmt: skip
    return _save(store, before, after, actor, "participant-role")


def parse_consent(value: str) -> str:
    consent = _CONSENT_INPUT.get(value.strip().casefold())
    if consent is None:
        raise RecitsError(f"consentement inconnu : « {value} » ({', '.join(CONSENTS)})")
    return consent


def parse_scope(value: str | Sequence[str] | None) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value or ())
    scope: list[str] = []
    for item in (i.strip().casefold() for i in items):
        if not item:
            continue
        if item not in SCOPES:
            raise RecitsError(f"portée inconnue : « {item} » ({', '.join(SCOPES)})")
        if item not in scope:
            scope.append(item)
    return tuple(scope)


def set_consent(
    store: Store,
    ref: str,
    consent: str,
    *,
    scope: str | Sequence[str] | None = None,
    date: str | None = None,
    actor: str | None = None,
) -> ConsentOutcome:
    """Record a consent decision with its effective date (default: today; never later).

    `accordé` needs a scope (articles, bd). `refusé` / `retiré` without scope apply to
    everything; with a scope, only that use is withdrawn and the rest stays agreed. The status
    is the latest decision by date: one dated before the decision in force is kept in the
    ledger but does not override it (the outcome says so).
    """
    before = resolve(store, ref)
    consent = parse_consent(consent)
    wanted = parse_scope(scope)
    when = effective_date(date)
    check_agreement(consent, wanted)
    kept_scope = wanted if consent in ("accordé", "refusé", "retiré") else ()
    earlier = store.consent_history(before.id)
    decision = store.record_consent(before.id, consent, kept_scope, when, actor)
    return outcome(before, earlier, decision)


def check_agreement(consent: str, scope: tuple[str, ...]) -> None:
    """An agreement says what it allows: articles, bd or both."""
    if consent == "accordé" and not scope:
        raise RecitsError(
            "précisez la portée de l'accord avec --scope (articles, bd)",
            in_app="précisez la portée de l'accord : cochez « articles », « bd » ou les deux"
            " (Tab jusqu'à « Portée », espace pour cocher)",
        )


def consent_history(store: Store, ref: str) -> list[ConsentEvent]:
    return store.consent_history(resolve(store, ref).id)


def consent_ledger(store: Store, ref: str) -> list[LedgerEntry | ValidationEvent]:
    """A participant's consent ledger as the team reads it, by date: consent decisions with
    the status they add up to, and validations of scenes (which change no status)."""
    person = resolve(store, ref)
    return timeline(ledger(store.consent_history(person.id)), store.ledger_validations(person.id))
