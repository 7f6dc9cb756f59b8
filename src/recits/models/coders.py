"""The people of the team who code: name, colour, whether they log in to the web app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coder:
    """A coder of the team; the password hash never leaves the store."""

    id: str  # UUID
    name: str  # what codings record as their coder
    colour: str  # #rrggbb
    has_password: bool  # may log in to `recits web`
    created_at: str
