"""The dated consent ledger: decisions with their effective date, and the status they add up to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import TYPE_CHECKING

from recits.errors import RecitsError
from recits.models import Participant

if TYPE_CHECKING:
    from recits.models import ConsentEvent, ValidationEvent

WITHDRAWALS = ("refusé", "retiré")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ConsentStatus:
    """What a ledger adds up to: the status, its scope and the date of the decision that set it."""

    consent: str = "inconnu"
    scope: tuple[str, ...] = ()
    date: str | None = None

    def may_quote(self, scope: str) -> bool:
        return self.consent == "accordé" and scope in self.scope

    def label(self) -> str:
        """« accordé (articles, bd) », « retiré », « inconnu »."""
        if self.consent == "accordé" and self.scope:
            return f"accordé ({', '.join(self.scope)})"
        return self.consent


@dataclass(frozen=True)
class LedgerEntry:
    """A decision read in date order: the status right after it, and whether it is in force."""

    event: ConsentEvent
    status: ConsentStatus
    in_force: bool  # the latest decision by effective date


def is_partial(event: ConsentEvent) -> bool:
    """A refusal or withdrawal of some uses only (« retiré pour bd »)."""
    return event.consent in WITHDRAWALS and bool(event.consent_scope)


def decision_label(event: ConsentEvent) -> str:
    """The decision as entered: « accordé (articles) », « retiré pour bd », « refusé »."""
    if event.consent == "accordé":
        return f"accordé ({', '.join(event.consent_scope)})"
    if is_partial(event):
        return f"{event.consent} pour {', '.join(event.consent_scope)}"
    return event.consent


def apply(status: ConsentStatus, event: ConsentEvent) -> ConsentStatus:
    """The status after one more decision. A partial withdrawal takes those uses out of an
    agreement (and ends it when none is left); any other decision replaces the status."""
    if event.consent == "accordé":
        return ConsentStatus("accordé", tuple(event.consent_scope), event.consent_date)
    if is_partial(event) and status.consent == "accordé":
        remaining = tuple(s for s in status.scope if s not in event.consent_scope)
        if remaining:
            return ConsentStatus("accordé", remaining, event.consent_date)
    return ConsentStatus(event.consent, (), event.consent_date)


def in_date_order(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    """By effective date; on the same date the later entry wins (comes last). `events` come in
    entry order, as the store gives them, and the sort keeps that order for exact ties."""
    return sorted(events, key=lambda e: (e.consent_date or "", e.recorded_at))


def replay(events: Iterable[ConsentEvent]) -> ConsentStatus:
    """The status a ledger adds up to, whatever order its decisions were typed in."""
    status = ConsentStatus()
    for event in in_date_order(events):
        status = apply(status, event)
    return status


def ledger(events: Iterable[ConsentEvent]) -> list[LedgerEntry]:
    """Each decision in date order, with the status right after it; the last is in force."""
    ordered = in_date_order(events)
    entries, status = [], ConsentStatus()
    for i, event in enumerate(ordered):
        status = apply(status, event)
        entries.append(LedgerEntry(event, status, i == len(ordered) - 1))
    return entries


def timeline(
    entries: Sequence[LedgerEntry], validations: Iterable[ValidationEvent]
) -> list[LedgerEntry | ValidationEvent]:
    """The ledger as the team reads it: consent decisions (with the status they add up to) and
    peers' validations of scenes, by date; a validation changes no status."""
    dated: list[tuple[str, str, LedgerEntry | ValidationEvent]] = [
        (e.event.consent_date or "", e.event.recorded_at, e) for e in entries
    ]
    dated += [(v.validated_on, v.recorded_at, v) for v in validations]
    return [item for *_key, item in sorted(dated, key=lambda d: (d[0], d[1]))]


def validation_label(v: ValidationEvent) -> str:
    return f"a validé la scène « {v.scene_title} » (bd)"


def effective_date(value: str | None, today: Date | None = None) -> str:
    """The date a decision takes effect: YYYY-MM-DD, not in the future; empty means today."""
    today = today or Date.today()
    text = (value or "").strip()
    if not text:
        return today.isoformat()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        when = Date.fromisoformat(text)
    except ValueError:
        raise RecitsError(
            f"date invalide : « {value} » (date de la décision attendue sous la forme"
            " AAAA-MM-JJ, ex. 2021-06-10)"
        ) from None
    if when > today:
        raise RecitsError(
            f"date de la décision dans le futur : {when.isoformat()} (aujourd'hui :"
            f" {today.isoformat()}) ; une décision s'enregistre une fois prise"
        )
    return when.isoformat()


@dataclass(frozen=True)
class ConsentOutcome:
    """What recording one decision did: the status before and after, and whether the decision
    is now the one in force or only history (dated before the decision in force)."""

    participant: Participant  # with the status after the decision
    decision: ConsentEvent
    before: ConsentStatus
    after: ConsentStatus
    previous: ConsentEvent | None  # the decision in force before this one

    @property
    def in_force(self) -> bool:
        # The decision is the latest entry, so it wins a tie on the date.
        previous = self.previous
        return previous is None or (self.decision.consent_date or "") >= (
            previous.consent_date or ""
        )

    @property
    def is_withdrawal(self) -> bool:
        return self.decision.consent in WITHDRAWALS

    def describe(self) -> str:
        """One French sentence for the CLI and the app."""
        who, when = f"« {self.participant.pseudonym} »", self.decision.consent_date
        if self.in_force:
            return f"{who} : consentement {self.after.label()} le {when}"
        assert self.previous is not None
        current = f"{decision_label(self.previous)} le {self.previous.consent_date}"
        told = (
            f"{who} : décision « {decision_label(self.decision)} » du {when} enregistrée dans"
            f" l'historique, mais antérieure à la décision en vigueur ({current})"
        )
        if self.after.label() == self.before.label():
            return f"{told} : le statut reste « {self.after.label()} »"
        return (
            f"{told} ; relu dans l'ordre des dates, le statut passe de « {self.before.label()} »"
            f" à « {self.after.label()} »"
        )


def outcome(
    participant: Participant, earlier: Sequence[ConsentEvent], decision: ConsentEvent
) -> ConsentOutcome:
    """What adding `decision` to a ledger holding `earlier` (in entry order) changed."""
    ordered = in_date_order(earlier)
    after = replay([*earlier, decision])
    p = participant
    return ConsentOutcome(
        participant=Participant(
            p.id, p.pseudonym, p.role, p.aliases, after.consent, after.scope, after.date
        ),
        decision=decision,
        before=replay(earlier),
        after=after,
        previous=ordered[-1] if ordered else None,
    )
