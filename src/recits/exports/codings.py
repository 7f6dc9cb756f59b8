"""Codings as data (JSON lines, CSV): masked, consented and gated like every export by default;
the real text only when asked for, for the team's own use."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from recits.exports.excerpts import ExportRefused
from recits.exports.gate import Guard, Publishable, check
from recits.exports.selection import ExportFilters, select
from recits.names import name_index
from recits.store import Store

FIELDS = (
    "id", "document", "document_title", "start_char", "end_char", "text", "code", "coder",
    "origin", "memo", "created_at",
)  # fmt: skip
# Masked, the text is not the document's any more: a file read back by `codings import`
# must not be checked against it.
MASKED_FIELDS = tuple("masked_text" if f == "text" else f for f in FIELDS)
REAL_TEXT_WARNING = (
    "Attention : ce fichier contient le texte réel (noms réels, mémos, citations sans"
    " consentement) : il est réservé à l'équipe et ne doit pas quitter le projet."
)


@dataclass(frozen=True)
class CodingsExport:
    """The rows, the file's content, and how many codings were left out for lack of consent."""

    rows: tuple[dict[str, Any], ...]
    data: str
    left_out: int
    real_text: bool


def _render(fmt: str, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
    return buffer.getvalue()


def export_codings(
    store: Store,
    fmt: str,
    *,
    document_id: str | None = None,
    code_id: str | None = None,
    coder: str | None = None,
    scope: str = "articles",
    real_text: bool = False,
) -> CodingsExport:
    """One row per coding. Masked (the default): only codings whose speakers consented for
    `scope`, every text field masked, and the name gate run on the result (ExportRefused)."""
    codings = store.codings(document_id=document_id, code_id=code_id, coder=coder)
    titles = {d.id: d.title for d in store.documents()}
    if real_text:
        rows = [_row(c, titles.get(c.document_id, ""), c.text, lambda s: s) for c in codings]
        return CodingsExport(tuple(rows), _render(fmt, rows, FIELDS), 0, True)
    index = name_index(store)
    masker = index.masker()
    filters = ExportFilters(
        codes=(code_id,) if code_id else (),
        documents=(document_id,) if document_id else (),
        coder=coder,
        scope=scope,
    )
    publishable = {e.coding_id for e in select(store, filters, masker).excerpts}
    rows = [
        _row(c, masker.mask(titles.get(c.document_id, "")), masker.mask(c.text), masker.mask)
        for c in codings
        if c.id in publishable
    ]
    for row in rows:
        row["masked_text"] = row.pop("text")
    data = _render(fmt, rows, MASKED_FIELDS)
    fields = tuple(
        (f"extrait {r['id'][:8]}", "\n".join(str(r[k]) for k in ("document_title", "masked_text",
         "coder", "memo"))) for r in rows
    )  # fmt: skip
    sources = tuple((f"extrait {c.id[:8]}", c.text) for c in codings if c.id in publishable)
    kind = "csv" if fmt == "csv" else "jsonl"
    leaks = check(Publishable(kind, data.encode(), fields, sources, scope), Guard(index))
    if leaks:
        raise ExportRefused(leaks)
    return CodingsExport(tuple(rows), data, len(codings) - len(rows), False)


def _row(coding: Any, title: str, text: str, mask: Any) -> dict[str, Any]:
    return {
        "id": coding.id,
        "document": coding.document_id,
        "document_title": title,
        "start_char": coding.start_char,
        "end_char": coding.end_char,
        "text": text,
        "code": coding.code_id,
        "coder": mask(coding.coder),
        "origin": coding.origin,
        "memo": mask(coding.memo),
        "created_at": coding.created_at,
    }
