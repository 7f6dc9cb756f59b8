"""Documents, their turns and the participants who speak in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recits.failures import AmbiguousDocument, DocumentNotFound, NotFound
from recits.models import Document, Participant, Turn
from recits.store import mappers
from recits.store.base import StoreBase, new_id, now

if TYPE_CHECKING:
    from recits.models import ParsedDocument, SpeakerPlan

_DOC_COLUMNS = (
    "id, title, kind, date, format, source_name, sha256, word_count, version,"
    " previous_id, imported_at, source, published"
)


class DocumentsMixin(StoreBase):
    # -- documents ---------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.query(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE deleted_at IS NULL"
            " ORDER BY date IS NULL, date, title"
        )
        return [mappers.document(r) for r in rows]

    def document(self, document_id: str, *, with_text: bool = False) -> Document | None:
        cols = _DOC_COLUMNS + (", text" if with_text else "")
        row = next(
            self.query(
                f"SELECT {cols} FROM documents WHERE id = ? AND deleted_at IS NULL",
                [document_id],
            ),
            None,
        )
        return mappers.document(row, row.get("text")) if row else None

    def document_text(self, document_id: str) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            raise NotFound("document", document_id)
        return row[0]

    def resolve_document(self, ref: str) -> Document:
        """A document by id, unique id prefix or exact title; DocumentNotFound or
        AmbiguousDocument otherwise."""
        ref = ref.strip()
        rows = list(
            self.query(
                f"SELECT {_DOC_COLUMNS} FROM documents WHERE deleted_at IS NULL"
                " AND (id = :ref OR title = :ref OR (length(:ref) >= 4 AND id LIKE :prefix))",
                {"ref": ref, "prefix": ref.replace("%", "").replace("_", "") + "%"},
            )
        )
        exact = [r for r in rows if r["id"] == ref] or [r for r in rows if r["title"] == ref]
        rows = exact or rows
        if not rows:
            raise DocumentNotFound(ref)
        if len(rows) > 1:
            raise AmbiguousDocument(ref, [(r["id"], r["title"]) for r in rows])
        return mappers.document(rows[0])

    def document_by_sha256(self, sha256: str) -> Document | None:
        row = next(
            self.query(
                f"SELECT {_DOC_COLUMNS} FROM documents WHERE sha256 = ? AND deleted_at IS NULL",
                [sha256],
            ),
            None,
        )
        return mappers.document(row) if row else None

    def latest_version(self, source_name: str) -> Document | None:
        row = next(
            self.query(
                f"SELECT {_DOC_COLUMNS} FROM documents WHERE source_name = ?"
                " AND deleted_at IS NULL ORDER BY version DESC LIMIT 1",
                [source_name],
            ),
            None,
        )
        return mappers.document(row) if row else None

    def title_taken(self, title: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM documents WHERE title = ? AND deleted_at IS NULL", [title]
        ).fetchone()
        return row is not None

    def add_document(
        self,
        parsed: ParsedDocument,
        *,
        title: str,
        kind: str,
        date: str | None,
        source_name: str,
        source_path: str,
        sha256: str,
        text_sha256: str,
        word_count: int,
        imported_by: str | None,
        previous: Document | None = None,
        speakers: SpeakerPlan,
        source: str | None = None,
        published: bool = False,
    ) -> Document:
        """Insert a document, its turns and new participants in one transaction; `speakers`
        says which participant each label is (decided above the store)."""
        doc_id = new_id()
        row = {
            "id": doc_id,
            "title": title,
            "kind": kind,
            "date": date,
            "format": parsed.format,
            "source_name": source_name,
            "source_path": source_path,
            "sha256": sha256,
            "text_sha256": text_sha256,
            "text": parsed.text,
            "word_count": word_count,
            "version": previous.version + 1 if previous else 1,
            "previous_id": previous.id if previous else None,
            "imported_at": now(),
            "imported_by": imported_by,
            "source": source,
            "published": int(published),
        }
        with self.write():
            ids = self._add_speakers(speakers)
            self.db["documents"].insert(row)
            # Plain executemany then one bulk FTS insert: this is the import hot path.
            self.conn.executemany(
                "INSERT INTO turns (document_id, position, participant_id, speaker, start_char,"
                " end_char, timestamp, text, page, section, kind)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        doc_id,
                        i,
                        ids.get(t.speaker) if t.speaker else None,
                        t.speaker,
                        t.start_char,
                        t.end_char,
                        t.timestamp,
                        parsed.text[t.start_char : t.end_char],
                        t.page,
                        t.section,
                        t.kind,
                    )
                    for i, t in enumerate(parsed.turns)
                ),
            )
            first: dict[str, int] = {}
            for i, t in enumerate(parsed.turns):
                speaker = ids.get(t.speaker) if t.speaker else None
                if speaker is not None:
                    first.setdefault(speaker, i)
            self.conn.executemany(
                "INSERT INTO document_speakers (document_id, first_position, participant_id)"
                " VALUES (?, ?, ?)",
                [(doc_id, i, speaker) for speaker, i in first.items()],
            )
            self.conn.executemany(
                "INSERT INTO italics (document_id, start_char, end_char) VALUES (?, ?, ?)",
                [(doc_id, start, end) for start, end in parsed.italics],
            )
            self.conn.execute(
                "INSERT INTO turns_fts (rowid, text)"
                " SELECT id, text FROM turns WHERE document_id = ?",
                [doc_id],
            )
            self.audit(
                "import", imported_by, document=doc_id, title=title, source=source_name,
                sha256=sha256, turns=len(parsed.turns), words=word_count,
            )  # fmt: skip
        return mappers.document(row)

    def set_document_source(
        self, document_id: str, *, source: str | None, published: bool, actor: str | None
    ) -> None:
        """Where a written document comes from, and whether it is itself a publication."""
        with self.write():
            self.conn.execute(
                "UPDATE documents SET source = ?, published = ? WHERE id = ?",
                [source, int(published), document_id],
            )
            self.audit(
                "document-source", actor, document=document_id, source=source,
                published=published,
            )  # fmt: skip

    def document_author(self, document_id: str) -> str | None:
        """The participant who wrote a document without speakers (their paragraphs' speaker)."""
        row = self.conn.execute(
            "SELECT participant_id FROM turns WHERE document_id = ? AND speaker IS NULL"
            " AND participant_id IS NOT NULL LIMIT 1",
            [document_id],
        ).fetchone()
        return row[0] if row else None

    def has_speakers(self, document_id: str) -> bool:
        """Whether the document has speaker turns (labels found in the source)."""
        row = self.conn.execute(
            "SELECT 1 FROM turns WHERE document_id = ? AND speaker IS NOT NULL LIMIT 1",
            [document_id],
        ).fetchone()
        return row is not None

    def set_document_author(
        self, document_id: str, participant_id: str | None, *, actor: str | None
    ) -> None:
        """The paragraphs of a document without speakers become the author's words (their
        consent applies to them), or nobody's again (None)."""
        with self.write():
            self.conn.execute(
                "UPDATE turns SET participant_id = ? WHERE document_id = ? AND speaker IS NULL",
                [participant_id, document_id],
            )
            self.conn.execute("DELETE FROM document_speakers WHERE document_id = ?", [document_id])
            if participant_id is not None:
                self.conn.execute(
                    "INSERT INTO document_speakers (document_id, first_position,"
                    " participant_id) VALUES (?, 0, ?)",
                    [document_id, participant_id],
                )
            self.audit("document-author", actor, document=document_id, author=participant_id)

    # -- turns -------------------------------------------------------------------------------
    def turns(self, document_id: str) -> list[Turn]:
        rows = self.query(
            "SELECT t.id, t.document_id, t.position, t.start_char, t.end_char, t.participant_id,"
            " t.timestamp, t.text, t.page, t.section, t.kind, p.pseudonym FROM turns t"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE t.document_id = ? ORDER BY t.position",
            [document_id],
        )
        return [mappers.turn(r) for r in rows]

    def italics(self, document_id: str) -> list[tuple[int, int]]:
        """The phrases a written document sets in italics, as (start_char, end_char)."""
        return [
            (start, end)
            for start, end in self.conn.execute(
                "SELECT start_char, end_char FROM italics WHERE document_id = ?"
                " ORDER BY start_char",
                [document_id],
            )
        ]

    def turn_speakers(self, document_id: str) -> dict[int, str | None]:
        """Turn position -> participant id, without reading the turns' text."""
        return dict(
            self.conn.execute(
                "SELECT position, participant_id FROM turns WHERE document_id = ?", [document_id]
            )
        )

    def document_speakers(self) -> dict[str, list[str]]:
        """Per document, the pseudonyms of those who speak in it, in order of appearance."""
        rows = self.conn.execute(
            "SELECT s.document_id, p.pseudonym FROM document_speakers s"
            " JOIN participants p ON p.id = s.participant_id"
            " ORDER BY s.document_id, s.first_position"
        ).fetchall()
        speakers: dict[str, list[str]] = {}
        for document_id, pseudonym in rows:
            speakers.setdefault(document_id, []).append(pseudonym)
        return speakers

    # -- participants ------------------------------------------------------------------------
    def participants(self) -> list[Participant]:
        rows = self.query("SELECT * FROM participants WHERE deleted_at IS NULL ORDER BY pseudonym")
        return [mappers.participant(r) for r in rows]

    def _add_speakers(self, plan: SpeakerPlan) -> dict[str, str]:
        """Create the plan's new participants; each label as written -> participant id."""
        stamp = now()
        self.conn.executemany(  # plain executemany: this is the import hot path
            "INSERT INTO participants (id, pseudonym, same_label_as, created_at)"
            " VALUES (?, ?, ?, ?)",
            [(new.id, new.pseudonym, new.same_label_as, stamp) for new in plan.new],
        )
        return dict(plan.ids)
