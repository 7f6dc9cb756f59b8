"""Scenes: their sources, characters, panels and lines, status history, comments, validations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recits import models
from recits.store import mappers
from recits.store.base import new_id, now
from recits.store.documents import DocumentsMixin

if TYPE_CHECKING:
    from recits.models.scenes import (
        Character,
        DialogueLine,
        Panel,
        Scene,
        SceneComment,
        SceneDetail,
        SceneSource,
        SceneValidation,
        StatusChange,
    )

LIVE = "deleted_at IS NULL"


class ScenesMixin(DocumentsMixin):
    """Reads documents: a source keeps the text of its passage."""

    # -- scenes --------------------------------------------------------------------------------
    def add_scene(
        self,
        title: str,
        *,
        status: str,
        synopsis: str = "",
        place: str = "",
        time: str = "",
        themes: Sequence[str] = (),
        actor: str | None = None,
    ) -> Scene:
        """A new scene, its first status in its history."""
        scene_id, at = new_id(), now()
        with self.write():
            self.db["scenes"].insert(
                {
                    "id": scene_id, "title": title, "synopsis": synopsis, "place": place,
                    "time": time, "themes": json.dumps(list(themes), ensure_ascii=False),
                    "status": status, "created_by": actor, "created_at": at, "updated_at": at,
                }
            )  # fmt: skip
            self._history(scene_id, status, None, actor, "")
            self.audit("scene-create", actor, scene=scene_id)
        scene = self.scene(scene_id)
        assert scene is not None
        return scene

    def scenes(self) -> list[Scene]:
        rows = self.query(f"SELECT * FROM scenes WHERE {LIVE} ORDER BY created_at, rowid")
        return [mappers.scene(r) for r in rows]

    def scene(self, scene_id: str) -> Scene | None:
        row = next(self.query(f"SELECT * FROM scenes WHERE id = ? AND {LIVE}", [scene_id]), None)
        return mappers.scene(row) if row else None

    def update_scene(self, scene_id: str, actor: str | None = None, **changes: Any) -> None:
        """Title, synopsis, place, time or themes."""
        if "themes" in changes:
            changes["themes"] = json.dumps(list(changes["themes"]), ensure_ascii=False)
        with self.write():
            self.db["scenes"].update(scene_id, {**changes, "updated_at": now()})
            self.audit("scene-edit", actor, scene=scene_id, fields=sorted(changes))

    def set_scene_status(
        self, scene_id: str, status: str, previous: str, actor: str | None, note: str = ""
    ) -> None:
        with self.write():
            self.db["scenes"].update(scene_id, {"status": status, "updated_at": now()})
            self._history(scene_id, status, previous, actor, note)
            self.audit("scene-status", actor, scene=scene_id, status=status, previous=previous)

    def _history(
        self, scene_id: str, status: str, previous: str | None, actor: str | None, note: str
    ) -> None:
        self.db["scene_status_history"].insert(
            {
                "id": new_id(), "scene_id": scene_id, "status": status, "previous": previous,
                "changed_by": actor, "changed_at": now(), "note": note,
            }
        )  # fmt: skip

    def _touch(self, scene_id: str) -> None:
        self.db["scenes"].update(scene_id, {"updated_at": now()})

    # -- sources and characters ----------------------------------------------------------------
    def add_scene_source(
        self,
        scene_id: str,
        document_id: str,
        start_char: int,
        end_char: int,
        *,
        coding_id: str | None = None,
        actor: str | None = None,
    ) -> SceneSource:
        text = self.document_text(document_id)[start_char:end_char]
        source_id = new_id()
        with self.write():
            self.db["scene_sources"].insert(
                {
                    "id": source_id, "scene_id": scene_id, "document_id": document_id,
                    "start_char": start_char, "end_char": end_char, "text": text,
                    "coding_id": coding_id, "added_by": actor, "added_at": now(),
                }
            )  # fmt: skip
            self._touch(scene_id)
            self.audit("scene-source", actor, scene=scene_id, document=document_id)
        return next(s for s in self.scene_sources(scene_id) if s.id == source_id)

    def scene_sources(self, scene_id: str | None = None) -> list[SceneSource]:
        where, params = ("AND scene_id = ?", [scene_id]) if scene_id else ("", [])
        rows = self.query(
            f"SELECT * FROM scene_sources WHERE {LIVE} {where} ORDER BY added_at, rowid", params
        )
        return [mappers.scene_source(r) for r in rows]

    def add_character(
        self,
        scene_id: str,
        name: str,
        *,
        participant_id: str | None = None,
        composite: bool = False,
        description: str = "",
    ) -> Character:
        character_id = new_id()
        with self.write():
            self.db["scene_characters"].insert(
                {
                    "id": character_id, "scene_id": scene_id, "name": name,
                    "participant_id": participant_id, "composite": int(composite),
                    "description": description, "created_at": now(),
                }
            )  # fmt: skip
            self._touch(scene_id)
        return next(c for c in self.scene_characters(scene_id) if c.id == character_id)

    def scene_characters(self, scene_id: str) -> list[Character]:
        rows = self.query(
            f"SELECT * FROM scene_characters WHERE scene_id = ? AND {LIVE}"
            " ORDER BY created_at, rowid",
            [scene_id],
        )
        return [mappers.scene_character(r) for r in rows]

    # -- panels and lines ----------------------------------------------------------------------
    def add_panel(
        self, scene_id: str, picture: str = "", caption: str = "", *, at: int | None = None
    ) -> Panel:
        """A panel at position `at` (default: last); the others shift down."""
        ids = [p.id for p in self.panels(scene_id)]
        panel_id = new_id()
        at = len(ids) if at is None else max(0, min(at, len(ids)))
        ids.insert(at, panel_id)
        with self.write():
            self.db["scene_panels"].insert(
                {
                    "id": panel_id, "scene_id": scene_id, "position": at, "picture": picture,
                    "caption": caption, "created_at": now(),
                }
            )  # fmt: skip
            self.set_panel_order(scene_id, ids)
        return next(p for p in self.panels(scene_id) if p.id == panel_id)

    def set_panel_order(self, scene_id: str, panel_ids: Sequence[str]) -> None:
        with self.write():
            self.conn.executemany(
                "UPDATE scene_panels SET position = ? WHERE id = ? AND scene_id = ?",
                [(i, pid, scene_id) for i, pid in enumerate(panel_ids)],
            )
            self._touch(scene_id)

    def update_panel(self, panel_id: str, **changes: str) -> None:
        """Picture or caption."""
        with self.write():
            self.db["scene_panels"].update(panel_id, changes)

    def remove_panel(self, scene_id: str, panel_id: str) -> None:
        """A tombstone; the panels after it move up."""
        with self.write():
            self.db["scene_panels"].update(panel_id, {"deleted_at": now()})
            self.set_panel_order(scene_id, [p.id for p in self.panels(scene_id)])

    def add_line(
        self,
        panel_id: str,
        text: str,
        *,
        character_id: str | None = None,
        source_id: str | None = None,
    ) -> DialogueLine:
        line_id = new_id()
        (count,) = self.conn.execute(
            f"SELECT count(*) FROM scene_lines WHERE panel_id = ? AND {LIVE}", [panel_id]
        ).fetchone()
        with self.write():
            self.db["scene_lines"].insert(
                {
                    "id": line_id, "panel_id": panel_id, "position": count,
                    "character_id": character_id, "text": text, "source_id": source_id,
                    "created_at": now(),
                }
            )  # fmt: skip
        row = next(self.query("SELECT * FROM scene_lines WHERE id = ?", [line_id]))
        return mappers.scene_line(row)

    def panels(self, scene_id: str) -> list[Panel]:
        """In reading order, each with its dialogue lines in order."""
        lines: dict[str, list[DialogueLine]] = {}
        for r in self.query(
            "SELECT l.* FROM scene_lines l JOIN scene_panels p ON p.id = l.panel_id"
            " WHERE p.scene_id = ? AND l.deleted_at IS NULL"
            " ORDER BY l.position, l.created_at, l.id",
            [scene_id],
        ):
            lines.setdefault(r["panel_id"], []).append(mappers.scene_line(r))
        rows = self.query(
            f"SELECT * FROM scene_panels WHERE scene_id = ? AND {LIVE}"
            " ORDER BY position, created_at, id",  # ties (after a merge): the same everywhere
            [scene_id],
        )
        return [mappers.scene_panel(r, lines.get(r["id"], ())) for r in rows]

    # -- history, comments, validations --------------------------------------------------------
    def scene_history(self, scene_id: str) -> list[StatusChange]:
        rows = self.query(
            f"SELECT * FROM scene_status_history WHERE scene_id = ? AND {LIVE}"
            " ORDER BY changed_at, rowid",
            [scene_id],
        )
        return [mappers.status_change(r) for r in rows]

    def add_scene_comment(self, scene_id: str, text: str, author: str | None) -> SceneComment:
        comment_id = new_id()
        with self.write():
            self.db["scene_comments"].insert(
                {
                    "id": comment_id, "scene_id": scene_id, "author": author, "text": text,
                    "created_at": now(),
                }
            )  # fmt: skip
        return next(c for c in self.scene_comments(scene_id) if c.id == comment_id)

    def scene_comments(self, scene_id: str) -> list[SceneComment]:
        rows = self.query(
            f"SELECT * FROM scene_comments WHERE scene_id = ? AND {LIVE}"
            " ORDER BY created_at, rowid",
            [scene_id],
        )
        return [mappers.scene_comment(r) for r in rows]

    def add_scene_validation(
        self, scene_id: str, participant_id: str, validated_on: str, actor: str | None
    ) -> SceneValidation:
        validation_id = new_id()
        with self.write():
            self.db["scene_validations"].insert(
                {
                    "id": validation_id, "scene_id": scene_id, "participant_id": participant_id,
                    "validated_on": validated_on, "recorded_by": actor, "recorded_at": now(),
                }
            )  # fmt: skip
            self.audit(
                "scene-validation", actor, scene=scene_id, participant=participant_id,
                date=validated_on,
            )  # fmt: skip
        return next(v for v in self.scene_validations(scene_id) if v.id == validation_id)

    def scene_validations(
        self, scene_id: str | None = None, participant_id: str | None = None
    ) -> list[SceneValidation]:
        where, params = [LIVE], []
        for column, value in (("scene_id", scene_id), ("participant_id", participant_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows = self.query(
            f"SELECT * FROM scene_validations WHERE {' AND '.join(where)}"
            " ORDER BY validated_on, recorded_at, rowid",
            params,
        )
        return [mappers.scene_validation(r) for r in rows]

    def scene_detail(self, scene_id: str) -> SceneDetail | None:
        scene = self.scene(scene_id)
        if scene is None:
            return None
        return models.SceneDetail(
            scene,
            tuple(self.scene_sources(scene_id)),
            tuple(self.scene_characters(scene_id)),
            tuple(self.panels(scene_id)),
            tuple(self.scene_history(scene_id)),
            tuple(self.scene_comments(scene_id)),
            tuple(self.scene_validations(scene_id)),
        )
