"""Adjudication: two coders' codings of one document paired, their differences settled into
the « consensus » coder's codings, one decision at a time (no UI code here)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from recits.agreement import CONSENSUS, DocumentUnits, Span, measure
from recits.errors import RecitsError
from recits.models import Coding, NewCoding
from recits.spans import mostly_overlaps, touches
from recits.store import Store

CHOICES = ("first", "second", "both", "neither")


@dataclass(frozen=True)
class Item:
    """One code on one passage: each coder's coding (None: they did not code it)."""

    code_id: str
    first: Coding | None
    second: Coding | None

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.code_id, self.first and self.first.id, self.second and self.second.id)

    @property
    def span(self) -> tuple[int, int]:
        """From the first start to the last end of the two versions."""
        codings = [c for c in (self.first, self.second) if c is not None]
        return min(c.start_char for c in codings), max(c.end_char for c in codings)

    @property
    def pair(self) -> tuple[str | None, str | None]:
        """The two codings' UUIDs (None: not coded): how a stored « neither » finds it."""
        return (self.first and self.first.id, self.second and self.second.id)

    @property
    def agreed(self) -> bool:
        """Both coded exactly the same span."""
        a, b = self.first, self.second
        return a is not None and b is not None and (a.start_char, a.end_char) == (
            b.start_char, b.end_char)  # fmt: skip

    def version(self, choice: str) -> tuple[int, int] | None:
        """The span the consensus keeps for a choice (None: nothing)."""
        if choice == "first":
            return None if self.first is None else (self.first.start_char, self.first.end_char)
        if choice == "second":
            return None if self.second is None else (self.second.start_char, self.second.end_char)
        return self.span if choice == "both" else None


@dataclass(frozen=True)
class Figures:
    """Character agreement on this document, all codes: the two coders, and each with the
    consensus (None while undefined)."""

    percent: float | None
    kappa: float | None
    first_consensus: float | None
    second_consensus: float | None


def pair(first: Sequence[Coding], second: Sequence[Coding]) -> list[Item]:
    """Pair each coding of the first coder with the second coder's coding of the same code on
    the same passage (spans.mostly_overlaps, the largest overlap first); disagreements first,
    then in text order."""
    by_code: dict[str, list[Coding]] = {}
    for b in sorted(second, key=lambda c: (c.start_char, c.end_char)):
        by_code.setdefault(b.code_id, []).append(b)
    starts = {code: [b.start_char for b in bs] for code, bs in by_code.items()}
    longest = {code: max(b.end_char - b.start_char for b in bs) for code, bs in by_code.items()}
    items: list[Item] = []
    used: set[str] = set()
    for a in sorted(first, key=lambda c: (c.start_char, c.end_char)):
        others = by_code.get(a.code_id, [])
        if others:  # only those starting early enough to reach a, and before its end
            low = bisect.bisect_left(starts[a.code_id], a.start_char - longest[a.code_id])
            high = bisect.bisect_left(starts[a.code_id], a.end_char)
            others = others[low:high]
        candidates = [
            b for b in others if b.id not in used
            and mostly_overlaps((a.start_char, a.end_char), (b.start_char, b.end_char))
        ]  # fmt: skip
        best = max(candidates, key=lambda b: _shared(a, b), default=None)
        if best is not None:
            used.add(best.id)
        items.append(Item(a.code_id, a, best))
    items += [Item(b.code_id, None, b) for bs in by_code.values() for b in bs if b.id not in used]
    return sorted(items, key=lambda i: (i.agreed, i.span, i.code_id))


def _shared(a: Coding, b: Coding) -> int:
    return min(a.end_char, b.end_char) - max(a.start_char, b.start_char)


class Adjudication:
    """Two coders' work on one document, and the consensus being built from it."""

    def __init__(self, store: Store, document_id: str, first: str, second: str, by: str) -> None:
        if first == second:
            raise RecitsError("choisissez deux codeur·euse·s différent·e·s à comparer")
        self.store = store
        self.document_id = document_id
        self.first, self.second, self.by = first, second, by
        self.length = len(store.document_text(document_id))
        self.items: list[Item] = []
        self.rejected: set[tuple[str | None, str | None]] = set()  # « neither », stored
        self.consensus: list[Coding] = []
        self.reload()

    def reload(self) -> None:
        codings = self.store.codings(document_id=self.document_id)
        self.items = pair(
            [c for c in codings if c.coder == self.first],
            [c for c in codings if c.coder == self.second],
        )
        self.consensus = [c for c in codings if c.coder == CONSENSUS]
        self.rejected = self.store.consensus_rejections(self.document_id)

    def consensus_of(self, item: Item) -> list[Coding]:
        """The consensus codings that settle this item: same code, touching either version."""
        versions = [(c.start_char, c.end_char) for c in (item.first, item.second) if c]
        return [
            c for c in self.consensus if c.code_id == item.code_id
            and any(touches((c.start_char, c.end_char), v) for v in versions)
        ]  # fmt: skip

    def decision(self, index: int) -> str | None:
        """What the consensus holds for this item: a choice, or None (not settled yet)."""
        item = self.items[index]
        spans = {(c.start_char, c.end_char) for c in self.consensus_of(item)}
        if not spans:  # « neither » leaves no consensus coding: a row of its own says it
            pair = item.pair
            return "neither" if {pair, pair[::-1]} & self.rejected else None
        for choice in ("both", "first", "second") if item.agreed else CHOICES[:3]:
            if spans == {item.version(choice)}:
                return choice
        return "other"

    def decide(self, index: int, choice: str) -> None:
        """Keep the first coder's version, the second's, both (their union) or neither into
        the consensus coder's codings; the consensus's former codings for this item go."""
        if choice not in CHOICES:
            raise ValueError(choice)
        item = self.items[index]
        ensure_consensus_coder(self.store, self.by)
        span = item.version(choice)
        memo = "\n".join(c.memo for c in (item.first, item.second) if c and c.memo)
        with self.store.write():
            for old in self.consensus_of(item):
                if span is None or (old.start_char, old.end_char) != span:
                    self.store.remove_coding(old.id, self.by)
            if span is not None:
                self.store.add_codings(
                    [NewCoding(self.document_id, *span, item.code_id, CONSENSUS, memo=memo)],
                    actor=self.by,
                )
            self.store.reject_in_consensus(
                self.document_id, item.pair, choice == "neither", self.by
            )
            self.store.audit(
                "adjudicate", self.by, document=self.document_id, code=item.code_id,
                choice=choice, coders=[self.first, self.second],
            )  # fmt: skip
        self.reload()

    def figures(self) -> Figures:
        spans = [
            Span(self.document_id, c.start_char, c.end_char, c.code_id, c.coder)
            for item in self.items for c in (item.first, item.second) if c is not None
        ] + [Span(self.document_id, c.start_char, c.end_char, c.code_id, c.coder)
             for c in self.consensus]  # fmt: skip
        codes = sorted({s.code_id for s in spans})
        doc = [DocumentUnits(self.document_id, self.length)]

        def overall(a: str, b: str) -> tuple[float | None, float | None]:
            rows = measure(doc, spans, [a, b], codes, "character")
            row = rows[-1]
            return row.percent_agreement, row.kappa

        percent, kappa = overall(self.first, self.second)
        with_first = overall(self.first, CONSENSUS)[1] if self.consensus else None
        with_second = overall(self.second, CONSENSUS)[1] if self.consensus else None
        return Figures(percent, kappa, with_first, with_second)


def ensure_consensus_coder(store: Store, by: str) -> None:
    """The « consensus » coder of the team, added the first time someone adjudicates."""
    from recits.coders import add_coder, find_coder

    if find_coder(store, CONSENSUS) is None:
        add_coder(store, CONSENSUS, actor=by)
