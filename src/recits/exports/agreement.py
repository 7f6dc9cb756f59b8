"""The agreement table for a methods section (CSV, Markdown): codes by label, documents by kind
and date (a title may hold a real name), coders by number; through the name gate."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from recits.agreement import UNIT_NAMES, AgreementRow
from recits.exports.excerpts import ExportRefused
from recits.exports.gate import Guard, Publishable, Template, check
from recits.names import name_index
from recits.store import Store

FORMATS = ("csv", "md")
HEADERS = (
    "Code", "Document", "Unité", "Codeur·euse·s", "Accord (%)", "κ de Cohen",
    "α de Krippendorff", "Unités comparées", "Unités en accord",
)  # fmt: skip
ALL_CODES, ALL_DOCUMENTS = "tous les codes", "tous les documents"


def document_labels(store: Store) -> dict[str, str]:
    """Each document as its kind and date (« entretien, 2021-04-12 »), numbered when two
    documents share both; never its title."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for d in store.documents():
        base = f"{d.kind}, {d.date or 'sans date'}"
        seen[base] = seen.get(base, 0) + 1
        labels[d.id] = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return labels


def figure(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    value = value if abs(value) >= 0.0005 else 0.0  # never « -0.000 »
    return f"{100 * value:.1f}" if percent else f"{value:.3f}"


def table_rows(store: Store, rows: Sequence[AgreementRow]) -> list[list[str]]:
    labels = {c.id: c.label for c in store.codes()}
    documents = document_labels(store)
    out = []
    for r in rows:
        coders = " · ".join(f"codeur·euse {i}" for i in range(1, len(r.coders) + 1))
        out.append([
            ALL_CODES if r.code is None else labels.get(r.code, r.code),
            ALL_DOCUMENTS if r.document is None else documents.get(r.document, "document"),
            UNIT_NAMES[r.unit], coders, figure(r.percent_agreement, percent=True),
            figure(r.kappa), figure(r.alpha), str(r.units), str(r.agreements),
        ])  # fmt: skip
    return out


def render(fmt: str, cells: list[list[str]]) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(cells)
        return buffer.getvalue()
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    # For an article in French: decimal commas (the csv keeps points, for spreadsheets' import).
    french = [[*row[:4], *(c.replace(".", ",") for c in row[4:7]), *row[7:]] for row in cells]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in french]
    return "\n".join(lines) + "\n"


def agreement_table(store: Store, rows: Sequence[AgreementRow], fmt: str) -> str:
    """The file's content; ExportRefused when the gate finds a name (a code label, a kind)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    cells = table_rows(store, rows)
    data = render(fmt, cells)
    fields = tuple((f"ligne {i}", " · ".join(row[:3])) for i, row in enumerate(cells, start=1))
    # The headers are ours (« κ de Cohen », « α de Krippendorff »): the table without rows.
    template = Template.of(fmt, render(fmt, []).encode())
    leaks = check(Publishable(fmt, data.encode(), fields), Guard(name_index(store), template))
    if leaks:
        raise ExportRefused(leaks)
    return data
