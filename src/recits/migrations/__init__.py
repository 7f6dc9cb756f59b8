"""Schema of recits.db, created and evolved only by these migrations (never edit a shipped one).

They register in order: the first wave's module, then the second's, then the third's."""

from __future__ import annotations

from recits.migrations import first, second, third  # noqa: F401  (registering, in this order)
from recits.migrations.registry import migrations

__all__ = ["migrations"]
