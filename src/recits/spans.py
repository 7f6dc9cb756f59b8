"""Character spans (start, end): how much two overlap, and when they are one passage."""

from __future__ import annotations

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    """Characters the two spans share (0 when they are apart or only touch)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def touches(a: Span, b: Span) -> bool:
    """The two spans share at least one character."""
    return overlap(a, b) > 0


def mostly_overlaps(a: Span, b: Span) -> bool:
    """The one « same passage » rule: the spans share at least half of the shorter one."""
    shared = overlap(a, b)
    return shared > 0 and 2 * shared >= min(a[1] - a[0], b[1] - b[0])
