"""The suggestion queue's order and filters, and the coders' decisions on suggestions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recits.errors import RecitsError
from recits.models import Decision, Suggestion
from recits.spans import mostly_overlaps, touches

if TYPE_CHECKING:
    from recits.store import Store

CONFIDENT = 0.7  # the queue shows these first (by score), then the rest, most uncertain first


def queue_key(s: Suggestion, skipped: set[tuple[str, int, int, str]]) -> tuple[Any, ...]:
    was_skipped = (s.document_id, s.start_char, s.end_char, s.code_id) in skipped
    confident = s.score >= CONFIDENT
    order = -s.score if confident else abs(s.score - 0.5)
    return (was_skipped, not confident, order, s.document_id, s.start_char)


def visible(
    store: Store,
    found: Sequence[Suggestion],
    coder: str | None,
    document_id: str,
    code_id: str | None,
    min_score: float,
    *,
    blind: bool = False,
) -> list[Suggestion]:
    """What a coder still has to see: not already coded with that code (by anyone, or by
    them alone when `blind`), not refused by them.

    Already coded: a coding with the code covers half the suggested passage, or lies mostly
    inside it (the coder chose one sentence of the turn the suggestion covers whole)."""
    if blind:
        codings = store.codings(document_id=document_id, coder=coder) if coder else []
    else:
        codings = store.codings(document_id=document_id)
    refused = [
        d
        for d in (store.decisions(coder=coder, document_id=document_id) if coder else [])
        if d.decision in ("reject", "other")
    ]
    out = []
    for s in found:
        if s.score < min_score or (code_id and s.code_id != code_id):
            continue
        span = (s.start_char, s.end_char)
        if any(
            c.code_id == s.code_id and mostly_overlaps((c.start_char, c.end_char), span)
            for c in codings
        ):
            continue
        if any(
            d.code_id == s.code_id and touches((d.start_char, d.end_char), span) for d in refused
        ):
            continue
        out.append(s)
    return out


# -- decisions ---------------------------------------------------------------------------------
def accept(store: Store, suggestion: Suggestion, coder: str, memo: str = "") -> Decision:
    """Create the coding (origin `suggestion`) and record the decision with the model version."""
    return store.decide(suggestion, coder, "accept", memo=memo)


def accept_other(store: Store, suggestion: Suggestion, coder: str, code_id: str) -> Decision:
    """Code the passage with another code; the suggested code counts as rejected."""
    if not code_id:
        raise RecitsError("« accepter avec un autre code » demande le code choisi")
    return store.decide(suggestion, coder, "other", code_id=code_id)


def reject(store: Store, suggestion: Suggestion, coder: str) -> Decision:
    return store.decide(suggestion, coder, "reject")


def skip(store: Store, suggestion: Suggestion, coder: str) -> Decision:
    return store.decide(suggestion, coder, "skip")
