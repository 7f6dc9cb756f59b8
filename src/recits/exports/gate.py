"""The name gate: no alias nor unreviewed name may leave in an export, in any part of the file.

Fail-closed: besides the names the team knows (aliases) and those the model found, every word
that may be a person's name (recits.candidates: through soft hyphens, zero-width characters,
look-alike letters, line-end hyphens, e-mail addresses, joined words) blocks the export until
someone has reviewed it (attached to a participant, or dismissed)."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from recits.candidates import find_candidates, identifiers
from recits.lexicon import lexicon
from recits.masking import NameFinder, context, name_key
from recits.names import NameIndex

ALIAS, DETECTED, UNREVIEWED = "nom réel (alias)", "nom détecté non revu", "nom possible non revu"
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r'=\s*"([^"]*)"')
_ESCAPE = re.compile(r"\\[nrtbf]")
_KEY = re.compile(r'"[a-z_]+"\s*:')
_BODIES = {"word/document.xml", "content.xml"}
_REFI_WORDS = {"name", "origin", "basePath"}
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
    kind: str  # ALIAS | DETECTED | UNREVIEWED
    where: str
    context: str
    why: str = ""  # UNREVIEWED: why the word may be a name

    def describe(self) -> str:
        kind = f"{self.kind} : {self.why}" if self.why else self.kind
        return f"« {self.found} » ({kind}) — {self.where} : {self.context}"


@dataclass(frozen=True)
class Template:
    """What a format writes by itself (an export holding no excerpt): its words may leave (a
    font, the program's name), and a part identical to the template's holds nothing of ours."""

    words: frozenset[str] = frozenset()
    parts: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, fmt: str, data: bytes) -> Template:
        texts = rendered_texts(fmt, data)
        words = frozenset(c.key for _part, text in texts for c in find_candidates(text))
        return cls(words, frozenset(texts))


class Guard:
    """The names to look for: every alias and source label, every unreviewed detected name,
    and any word that may be a name and that nobody reviewed."""

    def __init__(self, index: NameIndex, template: Template | None = None) -> None:
        self.index = index
        self._known = {name_key(n) for n in index.known}
        self.unattached = NameFinder(index.unattached)
        self.every = NameFinder([*index.known, *index.unattached])
        self.template = template or Template()
        self.allowed = index.allowed | self.template.words
        self.dismissed = NameFinder(n for n in index.dismissed if " " in n.strip())

    def kind(self, name: str) -> str:
        return ALIAS if name_key(name) in self._known else DETECTED

    def scan(self, text: str, where: str, finder: NameFinder | None = None) -> list[Leak]:
        occurrences = (self.every if finder is None else finder).find(text)
        if occurrences and (ids := identifiers(text)):
            # "…-1dace2…" in a UUID is not the alias "Dace": ids are random, names are not.
            occurrences = [o for o in occurrences if not any(s <= o.start < e for s, e in ids)]
        leaks = [
            Leak(o.name, o.found, self.kind(o.name), where, context(text, o.start, o.end))
            for o in occurrences
        ]
        if finder is None:
            # Inside a name reviewed whole ("Emmanuel Macron" dismissed), its words may leave.
            spans = [(o.start, o.end) for o in (*occurrences, *self.dismissed.find(text))]
            leaks += self.unreviewed(text, where, spans)
        return leaks

    def unreviewed(
        self, text: str, where: str, reported: Sequence[tuple[int, int]] = ()
    ) -> list[Leak]:
        """Words that may be a name and may not leave, outside the names already reported."""
        leaks = []
        for c in find_candidates(text, lexicon()):
            known = c.key in self._known
            if (c.key in self.allowed and not known) or any(
                s < c.end and c.start < e for s, e in reported
            ):
                continue
            kind, why = (ALIAS, "") if known else (UNREVIEWED, c.reason)
            leaks.append(Leak(c.text, c.text, kind, where, context(text, c.start, c.end), why))
        return leaks


@dataclass(frozen=True)
class Publishable:
    """What the gate checks before a file leaves, whatever the export (excerpts, codings,
    storyboard, REFI-QDA): the rendered file, the masked pieces it is made of (to say where a
    name is), the unmasked source texts behind it, and the consent scope it was selected for."""

    format: str  # how to read `data`: md, csv, json, jsonl, docx, odt…
    data: bytes
    fields: tuple[tuple[str, str], ...]  # (where, masked text)
    sources: tuple[tuple[str, str], ...] = ()  # (where, unmasked speech): never rendered
    scope: str = "articles"


def check(publishable: Publishable, guard: Guard) -> list[Leak]:
    """Every name the file would let out; empty: it may be written."""
    leaks = check_sources(publishable, guard)
    in_file = check_output(publishable.format, publishable.data, guard)
    if in_file:
        leaks = unique(leaks + locate(publishable, guard))
        reported = {name_key(leak.name) for leak in leaks}
        leaks += [x for x in in_file if name_key(x.name) not in reported]
    return leaks


def check_sources(publishable: Publishable, guard: Guard) -> list[Leak]:
    """Unreviewed names in the unmasked speech behind the file.

    Masking an alias inside a longer name ("Nadia Benali" with alias "Nadia") must not let the
    rest of that name through: the source is checked for every unreviewed name.
    """
    sources = publishable.sources
    if not guard.unattached or not guard.unattached.find("\n".join(t for _w, t in sources)):
        return []
    leaks: list[Leak] = []
    for where, text in sources:
        leaks += guard.scan(text, where, guard.unattached)
    return unique(leaks)


def locate(publishable: Publishable, guard: Guard) -> list[Leak]:
    """Names in what the file is made of, piece by piece, so the team knows where to look
    (only run when the rendered file holds a name)."""
    leaks: list[Leak] = []
    for where, text in publishable.fields:
        leaks += guard.scan(text, where)
    return unique(leaks)


def rendered_texts(fmt: str, data: bytes) -> list[tuple[str, str]]:
    """All the text a reader (or a program) can get from an export: (part, text) pairs.

    For .docx and .odt the text of every XML part is read (body, headers, styles, document
    properties); attribute values are markup (style ids, font names such as "Shruti").
    """
    if fmt == "md":
        return [("fichier", data.decode("utf-8-sig"))]
    if fmt == "csv":  # the header holds recits' own column names ("document_id")
        header, _newline, rows = data.decode("utf-8-sig").partition("\n")
        return [("en-tête", header), ("fichier", rows)]
    if fmt in ("json", "jsonl"):
        text = data.decode("utf-8")
        lines = text.splitlines() if fmt == "jsonl" else [text]
        values = [s for line in lines if line.strip() for s in _json_strings(json.loads(line))]
        # The file as written (a line break inside a value is "\n": not part of a word; the
        # keys are recits' own names), and the values decoded, in case a name hides behind an
        # escape (\u00e9).
        raw = _KEY.sub(":", _ESCAPE.sub(" ", text))
        return [("fichier", raw), ("valeurs JSON", "\n".join(values))]
    if fmt in ("qdc", "qdpx"):
        return _refi_texts(fmt, data)
    if fmt == "html":  # the text between tags, then every attribute value too
        text = data.decode("utf-8")
        return [("fichier", html.unescape(_TAG.sub("\n", text))),
                ("balises", html.unescape(" ".join(_ATTRIBUTE.findall(text))))]  # fmt: skip
    if fmt == "pdf":
        return _pdf_texts(data)
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


def _refi_texts(fmt: str, data: bytes) -> list[tuple[str, str]]:
    """REFI-QDA: every text of the XML and the attributes that hold words (names are
    attributes there; the others are GUIDs, numbers, booleans and colours), and each source's
    plain text."""
    if fmt == "qdc":
        return [("grille .qdc", _xml_values(data))]
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            raw = archive.read(member)
            text = _xml_values(raw) if member.endswith(".qde") else raw.decode("utf-8")
            parts.append((member, text))
    return parts


def _xml_values(data: bytes) -> str:
    import defusedxml.ElementTree

    root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    values = []
    for element in root.iter():
        values += [v for k, v in element.attrib.items() if k in _REFI_WORDS]
        values += [t for t in (element.text, element.tail) if t and t.strip()]
    return "\n".join(values)


def _pdf_texts(data: bytes) -> list[tuple[str, str]]:
    """Each page's text as a reader would copy it, and the document's properties."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts = [(f"page {n}", page.extract_text() or "") for n, page in enumerate(reader.pages, 1)]
    info = reader.metadata or {}
    parts.append(("propriétés", "\n".join(str(v) for k, v in info.items() if k != "/CreationDate"
                                          and k != "/ModDate")))  # fmt: skip
    return parts


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]  # keys: recits' names
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def check_output(fmt: str, data: bytes, guard: Guard) -> list[Leak]:
    """Names in the rendered file itself."""
    leaks: list[Leak] = []
    for part, text in rendered_texts(fmt, data):
        if (part, text) not in guard.template.parts:
            leaks += guard.scan(text, f"fichier exporté ({part})")
    return unique(leaks)


def unique(leaks: list[Leak]) -> list[Leak]:
    seen: dict[tuple[str, str, str], Leak] = {}
    for leak in leaks:
        seen.setdefault((name_key(leak.name), leak.where, leak.context), leak)
    return list(seen.values())
