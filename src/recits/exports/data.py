"""Excerpts as data (CSV, JSON): one row per excerpt, for analysis in other tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from recits.exports.selection import ExportedExcerpt, Selection

FIELDS = (
    "coding_id", "document_id", "document_title", "document_kind", "document_date",
    "start_char", "end_char", "code", "code_label", "coder", "origin", "created_at",
    "participant_id", "pseudonym", "role", "text", "attribution", "source", "page", "section",
)  # fmt: skip
WRITTEN = ("source", "page", "section")
SEPARATOR = " | "  # between the speakers of an excerpt that spans several turns


def row(excerpt: ExportedExcerpt) -> dict[str, Any]:
    quotations = excerpt.quotations
    return {
        "coding_id": excerpt.coding_id,
        "document_id": excerpt.document_id,
        "document_title": excerpt.document_title,
        "document_kind": excerpt.document_kind,
        "document_date": excerpt.document_date,
        "start_char": excerpt.start_char,
        "end_char": excerpt.end_char,
        "code": excerpt.code_id,
        "code_label": excerpt.code_label,
        "coder": excerpt.coder,
        "origin": excerpt.origin,
        "created_at": excerpt.created_at,
        "participant_id": SEPARATOR.join(q.participant_id or "" for q in quotations),
        "pseudonym": SEPARATOR.join(q.pseudonym for q in quotations),
        "role": SEPARATOR.join(q.role or "" for q in quotations),
        "text": SEPARATOR.join(q.text for q in quotations),
        "attribution": SEPARATOR.join(q.attribution for q in quotations),
        "source": excerpt.source,  # a published source's reference
        "page": excerpt.page,
        "section": excerpt.section,
    }


def render_csv(selection: Selection) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row(e) for e in selection.excerpts)
    return buffer.getvalue().encode("utf-8")


def render_json(selection: Selection) -> bytes:
    # The place of a passage in a written document, only where there is one (no "null"s).
    rows = [
        {k: v for k, v in row(e).items() if v is not None or k not in WRITTEN}
        for e in selection.excerpts
    ]
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
