"""Memos that are not on a coding: on a document, a code or the whole project."""

from __future__ import annotations

from dataclasses import dataclass

MEMO_TARGETS = ("project", "document", "code")


@dataclass(frozen=True)
class Memo:
    """A memo; a coding's own memo stays on the coding."""

    id: str  # UUID
    target_type: str  # project | document | code
    target_id: str | None  # the document's or the code's id; None for the project
    author: str
    text: str
    created_at: str
