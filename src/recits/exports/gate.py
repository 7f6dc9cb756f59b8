"""The name gate: no alias nor unreviewed name may leave in an export, in any part of the file."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass

from recits.exports.selection import ExportedExcerpt, Selection
from recits.names import NameFinder, NameIndex, context, name_key

ALIAS, DETECTED = "nom réel (alias)", "nom détecté non revu"
_TAG = re.compile(r"<[^>]*>")
_BODIES = {"word/document.xml", "content.xml"}
# Paragraph ends, line breaks, tabs and spaces of Word and OpenDocument text.
_BREAK = re.compile(
    r"</(?:w:p|text:p|text:h)>"
    r"|<(?:w:br|w:tab|w:cr|text:s|text:tab|text:line-break)\b[^>]*>"
)


@dataclass(frozen=True)
class Leak:
    """A name found where it must not be: the name, as written, where, with some context."""

    name: str
    found: str
    kind: str  # ALIAS | DETECTED
    where: str
    context: str

    def describe(self) -> str:
        return f"« {self.found} » ({self.kind}) — {self.where} : {self.context}"


class Guard:
    """The names to look for: every alias and source label, every unreviewed detected name."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._known = {name_key(n) for n in index.known}
        self.unattached = NameFinder(index.unattached)
        self.every = NameFinder([*index.known, *index.unattached])

    def kind(self, name: str) -> str:
        return ALIAS if name_key(name) in self._known else DETECTED

    def scan(self, text: str, where: str, finder: NameFinder | None = None) -> list[Leak]:
        return [
            Leak(o.name, o.found, self.kind(o.name), where, context(text, o.start, o.end))
            for o in (self.every if finder is None else finder).find(text)
        ]


def _where(ex: ExportedExcerpt) -> str:
    return (
        f"extrait {ex.coding_id[:8]} (« {ex.document_title} », caractères"
        f" {ex.start_char}–{ex.end_char})"
    )


def check_sources(selection: Selection, guard: Guard) -> list[Leak]:
    """Unreviewed names in the unmasked speech of the excerpts.

    Masking an alias inside a longer name ("Nadia Benali" with alias "Nadia") must not let the
    rest of that name through: the source is checked for every unreviewed name.
    """
    excerpts = selection.excerpts
    if not guard.unattached or not guard.unattached.find(
        "\n".join(t for ex in excerpts for t in ex.source_texts)
    ):
        return []
    leaks: list[Leak] = []
    for ex in excerpts:
        leaks += guard.scan("\n".join(ex.source_texts), _where(ex), guard.unattached)
    return unique(leaks)


def locate(selection: Selection, guard: Guard) -> list[Leak]:
    """Names in what an export is made of, excerpt by excerpt, so the team knows where to look
    (only run when the rendered file holds a name)."""
    leaks: list[Leak] = []
    for section in selection.sections:
        where = f"code « {section.code_id} »"
        leaks += guard.scan(f"{section.label}\n{section.description}", where)
        for ex in section.excerpts:
            fields = [ex.document_title, ex.document_kind, ex.coder, ex.code_label]
            for q in ex.quotations:
                fields += [q.text, q.attribution, q.pseudonym, q.role or ""]
            leaks += guard.scan("\n".join(fields), _where(ex))
    return unique(leaks)


def rendered_texts(fmt: str, data: bytes) -> list[tuple[str, str]]:
    """All the text a reader (or a program) can get from an export: (part, text) pairs.

    For .docx and .odt the text of every XML part is read (body, headers, styles, document
    properties); attribute values are markup (style ids, font names such as "Shruti").
    """
    if fmt in ("md", "csv"):
        return [("fichier", data.decode("utf-8-sig"))]
    if fmt == "json":
        text = data.decode("utf-8")
        # The values too, decoded, in case a name hides behind a JSON escape (\u00e9).
        return [("fichier", text), ("valeurs JSON", "\n".join(_json_strings(json.loads(text))))]
    parts: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if not member.endswith((".xml", ".rdf")):
                continue
            xml = archive.read(member).decode("utf-8")
            # Runs joined as written (a name split over two runs is found), then every element
            # apart (two properties side by side are not glued into one word).
            parts.append((member, html.unescape(_TAG.sub("", _BREAK.sub("\n", xml)))))
            if member not in _BODIES:  # in the body, paragraphs and breaks separate words
                parts.append((member, html.unescape(_TAG.sub(" ", xml))))
    return parts


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_json_strings(k), *_json_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def check_output(fmt: str, data: bytes, guard: Guard) -> list[Leak]:
    """Names in the rendered file itself."""
    leaks: list[Leak] = []
    for part, text in rendered_texts(fmt, data):
        leaks += guard.scan(text, f"fichier exporté ({part})")
    return unique(leaks)


def unique(leaks: list[Leak]) -> list[Leak]:
    seen: dict[tuple[str, str, str], Leak] = {}
    for leak in leaks:
        seen.setdefault((name_key(leak.name), leak.where, leak.context), leak)
    return list(seen.values())
