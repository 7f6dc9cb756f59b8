"""The one list of recits.db's migrations, applied in the order they are registered."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("recits")
