"""What every article export opens with: a title and a few lines on what it holds."""

from __future__ import annotations

from dataclasses import dataclass

from recits.exports.selection import Selection
from recits.exports.typography import french_spacing, plural

TITLE = "Extraits codés"
CREATOR = "recits"


@dataclass(frozen=True)
class ExportHeader:
    title: str
    lines: tuple[str, ...]


def header(selection: Selection, generated_on: str) -> ExportHeader:
    """Title and summary lines; no names: only counts, scope, codes and filters."""
    filters = selection.filters
    lines = [
        f"Export du {generated_on} — {plural(selection.passage_count, 'extrait')},"
        f" consentement « accordé » pour « {filters.scope} ».",
        "Citations verbatim, pseudonymisées ; attribution par rôle et situation.",
    ]
    details = []
    if filters.kind:
        details.append(f"type de document « {filters.kind} »")
    if filters.documents:
        details.append(plural(len(filters.documents), "document"))
    if filters.coder:
        details.append("un·e seul·e codeur·euse")
    if details:
        lines.append("Filtres : " + ", ".join(details) + ".")
    return ExportHeader(TITLE, tuple(french_spacing(line) for line in lines))
