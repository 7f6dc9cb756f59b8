"""Coders of the team: names, colours and password hashes for the web app's logins."""

from __future__ import annotations

from collections.abc import Callable

from recits.failures import NotFound
from recits.models import Coder
from recits.store import mappers
from recits.store.base import StoreBase, new_id, now


class CodersMixin(StoreBase):
    def coders(self) -> list[Coder]:
        """Live coders, in the order they were added."""
        rows = self.query(
            "SELECT id, name, colour, password_hash, created_at FROM coders"
            " WHERE deleted_at IS NULL ORDER BY created_at, rowid"
        )
        return [mappers.coder(r) for r in rows]

    def any_coder_password(self) -> bool:
        """Whether someone may log in to the web app (so everyone must)."""
        row = self.conn.execute(
            "SELECT 1 FROM coders WHERE deleted_at IS NULL AND password_hash IS NOT NULL LIMIT 1"
        ).fetchone()
        return row is not None

    def coder_password_hash(self, coder_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT password_hash FROM coders WHERE id = ? AND deleted_at IS NULL", [coder_id]
        ).fetchone()
        return row[0] if row else None

    def add_coder(
        self, name: str, colour: str, key: Callable[[str], str], actor: str | None = None
    ) -> tuple[Coder, bool]:
        """Add a coder unless a live one has the same key (checked inside the write
        transaction, so two concurrent adds cannot both win): (the coder holding the name,
        whether it was added now)."""
        with self.write() as db:
            for coder in self.coders():
                if key(coder.name) == key(name):
                    return coder, False
            row = {
                "id": new_id(),
                "name": name,
                "colour": colour,
                "password_hash": None,
                "created_at": now(),
                "deleted_at": None,
            }
            db["coders"].insert(row)
            self.audit("coder.add", actor, coder_id=row["id"], name=name, colour=colour)
        return mappers.coder(row), True

    def set_coder_password(
        self, coder_id: str, password_hash: str | None, actor: str | None = None
    ) -> None:
        """Set (or remove, with None) a coder's password hash; the audit log says which, never
        the hash."""
        with self.write():
            self.conn.execute(
                "UPDATE coders SET password_hash = ? WHERE id = ?", [password_hash, coder_id]
            )
            action = "coder.password" if password_hash else "coder.password-removed"
            self.audit(action, actor, coder_id=coder_id)

    def ensure_coder(self, name: str, actor: str | None = None) -> str:
        """The id of the live coder called `name` (whatever its case or accents), added with
        the palette's next colour if nobody is: every coding points to a person."""
        row = self.conn.execute(
            "SELECT id FROM coders WHERE name = ? AND deleted_at IS NULL", [name]
        ).fetchone()
        if row:
            return row[0]
        from recits.coders import clean_colour  # the palette, with the name rule
        from recits.masking import name_key

        team = self.coders()
        for coder in team:
            if name_key(coder.name) == name_key(name):
                return coder.id
        coder_id = new_id()
        colour = clean_colour(None, [c.colour for c in team])
        with self.write() as db:
            db["coders"].insert(
                {"id": coder_id, "name": name, "colour": colour, "created_at": now()}
            )
            self.audit("coder.add", actor, coder_id=coder_id, name=name, colour=colour)
        return coder_id

    def rename_coder(self, coder_id: str, new_name: str, actor: str | None = None) -> None:
        """Rename a coder and, in the same transaction, the name on their codings and
        decisions: their work stays theirs."""
        with self.write():
            row = self.conn.execute(
                "SELECT name FROM coders WHERE id = ? AND deleted_at IS NULL", [coder_id]
            ).fetchone()
            if row is None:
                raise NotFound("coder", coder_id)
            self.conn.execute("UPDATE coders SET name = ? WHERE id = ?", [new_name, coder_id])
            for table in ("codings", "suggestion_decisions"):
                self.conn.execute(
                    f"UPDATE {table} SET coder = ? WHERE coder_id = ?", [new_name, coder_id]
                )
            self.audit("coder.rename", actor, coder_id=coder_id, old=row[0], new=new_name)
