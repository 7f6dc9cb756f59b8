"""Excerpts as Markdown: headings per code, testimony in italics between « », attributions."""

from __future__ import annotations

import re

from recits.exports.document import ExportHeader
from recits.exports.selection import Selection
from recits.exports.typography import guillemets, plural

_SPECIAL = re.compile(r"([\\`*_<>#|])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def render(selection: Selection, header: ExportHeader) -> bytes:
    lines = [f"# {escape(header.title)}", ""]
    lines += [escape(line) for line in header.lines] + [""]
    if selection.sections:
        lines += ["| Code | Extraits |", "|---|---|"]
        lines += [f"| {escape(s.label)} | {len(s.passages)} |" for s in selection.sections]
        lines.append("")
    opening, closing = guillemets()
    for section in selection.sections:
        lines += [f"## {escape(section.label)} ({plural(len(section.passages), 'extrait')})", ""]
        if section.description:
            lines += [escape(section.description), ""]
        for excerpt in section.passages:
            for quotation in excerpt.quotations:
                lines += [f"{opening}*{escape(quotation.text)}*{closing}", ""]
                lines += [escape(quotation.attribution), ""]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
