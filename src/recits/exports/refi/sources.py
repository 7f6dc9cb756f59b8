"""A document's text as a REFI-QDA export writes it: withheld turns replaced, names masked, and
the offsets of the stored text moved onto the text actually written."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from recits.masking import apply_edits
from recits.models import Coding, Participant, Turn
from recits.participants import may_quote

WITHHELD = "[passage retiré]"

Edit = tuple[int, int, str]  # (start, end, replacement) over the stored text


@dataclass(frozen=True)
class WrittenText:
    """The text written for one document, and how positions of the stored text move."""

    text: str
    edits: tuple[Edit, ...]
    kept: tuple[Turn, ...]  # the turns written as they were (masked)
    withheld: int  # turns replaced by WITHHELD

    def position(self, offset: int, *, end: bool = False) -> int:
        """Where a stored offset lands in the written text; inside a changed part, a start
        goes to the start of its replacement and an end to its end."""
        starts, shifts = self._index
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        s, e, r = self.edits[i]
        delta = shifts[i]  # what the edits before this one added or removed
        if offset >= e:
            return offset + delta + len(r) - (e - s)
        if offset == s:
            return s + delta
        return s + delta + (len(r) if end else 0)

    @cached_property
    def _index(self) -> tuple[list[int], list[int]]:
        starts, shifts, delta = [], [], 0
        for s, e, r in self.edits:
            starts.append(s)
            shifts.append(delta)
            delta += len(r) - (e - s)
        return starts, shifts


def publishable_turn(turn: Turn, people: dict[str, Participant], scope: str) -> bool:
    """A turn may leave when its speaker is known, confirmed, and agreed for `scope`."""
    return turn.participant_id is not None and may_quote(people.get(turn.participant_id), scope)


def kept_codings(
    codings: Sequence[Coding], text: str, turns: Sequence[Turn], keep: Callable[[Turn], bool]
) -> list[Coding]:
    """The codings of one document that may leave: the excerpts export's rule (selection.py),
    without building their quotations: some speech in the span, every turn it touches kept."""
    ordered = sorted(turns, key=lambda t: t.start_char)
    ends = [t.end_char for t in ordered]
    out = []
    for coding in codings:
        touched = []
        i = bisect_right(ends, coding.start_char)
        while i < len(ordered) and ordered[i].start_char < coding.end_char:
            turn = ordered[i]
            start = max(coding.start_char, turn.start_char)
            if text[start : min(coding.end_char, turn.end_char)].strip():
                touched.append(turn)
            i += 1
        if touched and all(keep(t) for t in touched):
            out.append(coding)
    return out


def written_text(
    text: str,
    turns: Sequence[Turn],
    keep: Callable[[Turn], bool],
    mask: Callable[[str], list[Edit]] | None,
) -> WrittenText:
    """Replace the turns not kept, mask the rest (between and around turns too)."""
    edits: list[Edit] = []
    kept: list[Turn] = []
    position = 0
    withheld = 0

    def masked(start: int, stop: int) -> None:
        if mask is not None and start < stop:
            edits.extend((start + s, start + e, r) for s, e, r in mask(text[start:stop]))

    for turn in sorted(turns, key=lambda t: t.start_char):
        if keep(turn):
            kept.append(turn)
            continue
        masked(position, turn.start_char)
        edits.append((turn.start_char, turn.end_char, WITHHELD))
        withheld += 1
        position = turn.end_char
    masked(position, len(text))
    return WrittenText(apply_edits(text, edits), tuple(edits), tuple(kept), withheld)
