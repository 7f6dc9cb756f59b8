"""LibreOffice (.odt) transcripts: safe opening, headings and paragraphs, meta.xml."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from odf.element import Node
from odf.namespaces import FONS, OFFICENS, STYLENS, SVGNS, TEXTNS
from odf.opendocument import load
from odf.style import Style

from recits.errors import InputFileError
from recits.importers.archive import (
    TextPart,
    check_xml_members,
    open_archive,
    parse_xml,
    read_member,
    unreadable,
)
from recits.importers.normalize import iso_date
from recits.importers.turns import detect_turns
from recits.models import ParsedDocument
from recits.models.parsed import TextBlock

_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
# Not part of the spoken text: comments, footnotes, deleted text kept for change tracking.
_SKIPPED = {
    (OFFICENS, "annotation"),
    (TEXTNS, "note"),
    (TEXTNS, "tracked-changes"),
    (SVGNS, "title"),
    (SVGNS, "desc"),
}
_MAX_SPACES = 1000  # <text:s text:c="…"/> could ask for billions of spaces
# Headings and paragraphs, counted against the size rule while the archive is checked.
ODT_TEXT = TextPart("content.xml", frozenset({f"{TEXTNS} p", f"{TEXTNS} h"}))


def parse_odt(path: Path) -> ParsedDocument:
    """Read an .odt transcript."""
    with open_archive(path, "odt") as archive:
        names = check_xml_members(archive, path, "odt", ODT_TEXT)
        if "content.xml" not in names:
            raise unreadable(path, "odt", " (content.xml manquant)")
        meta = (
            parse_xml(read_member(archive, "meta.xml", path, "odt"), "meta.xml", path, "odt")
            if "meta.xml" in names
            else None
        )
    try:
        document = load(str(path))
        paragraphs = [
            unicodedata.normalize("NFC", _extract_text(element))
            for element in _walk_paragraphs(document.text)
        ]
    except InputFileError:
        raise
    except Exception:  # odfpy raises many kinds of errors on a broken package
        raise unreadable(path, "odt") from None

    keep = [index for index, paragraph in enumerate(paragraphs) if paragraph.strip()]
    if not keep:
        raise InputFileError(path, "fichier vide (aucun texte dans le document)")
    kept = paragraphs[keep[0] : keep[-1] + 1]
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in kept:
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 1
    text = "\n".join(kept)
    return ParsedDocument(
        text=text,
        turns=detect_turns(text, blocks=spans, paragraphs="block"),
        format="odt",
        title=_meta_text(meta, f"{_DC}title"),
        kind=_meta_text(meta, f"{_DC}subject"),
        date=iso_date(_meta_text(meta, f"{_META}creation-date") or _meta_text(meta, f"{_DC}date")),
    )


def _walk_paragraphs(element: Node) -> Iterator[Node]:
    """Headings and paragraphs in document order, inside lists, sections and tables too."""
    for child in element.childNodes:
        if child.nodeType != Node.ELEMENT_NODE or child.qname in _SKIPPED:
            continue
        if child.qname in _PARAGRAPHS:
            yield child
        else:
            yield from _walk_paragraphs(child)


def _extract_text(element: Node) -> str:
    """Like odf.teletype.extractText, but bounded and without comments nor footnotes."""
    parts: list[str] = []
    _extract(element, parts)
    return "".join(parts)


def _extract(
    element: Node,
    parts: list[str],
    italic_styles: frozenset[str] = frozenset(),
    italic: bool = False,
    italics: list[tuple[int, int]] | None = None,
) -> None:
    """Append the text of `element` to `parts`; with `italics`, also the spans of the text
    whose span style is one of `italic_styles` (offsets into the joined parts)."""
    for child in element.childNodes:
        if child.nodeType == Node.TEXT_NODE:
            if italic and italics is not None and child.data:
                start = sum(map(len, parts))
                italics.append((start, start + len(child.data)))
            parts.append(child.data)
        elif child.nodeType != Node.ELEMENT_NODE or child.qname in _SKIPPED:
            continue
        elif child.qname == (TEXTNS, "line-break"):
            parts.append("\n")
        elif child.qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif child.qname == (TEXTNS, "s"):
            count = child.getAttrNS(TEXTNS, "c")
            parts.append(" " * min(int(count) if count and count.isdigit() else 1, _MAX_SPACES))
        elif italics is not None and child.qname == (TEXTNS, "span"):
            styled = child.getAttrNS(TEXTNS, "style-name") in italic_styles
            _extract(child, parts, italic_styles, italic or styled, italics)
        else:
            _extract(child, parts, italic_styles, italic, italics)


def read_paragraphs(path: Path) -> list[TextBlock]:
    """The paragraphs of an .odt (an article draft), with their italic spans; like the
    transcripts, without comments, footnotes nor the deleted text of tracked changes."""
    _check_package(path)
    try:
        document = load(str(path))
        italic_styles = _italic_styles(document)
        blocks = []
        for element in _walk_paragraphs(document.text):
            parts: list[str] = []
            italics: list[tuple[int, int]] = []
            _extract(element, parts, italic_styles, False, italics)
            blocks.append(TextBlock("".join(parts), tuple(italics)))
    except InputFileError:
        raise
    except Exception:  # odfpy raises many kinds of errors on a broken package
        raise unreadable(path, "odt") from None
    return blocks


def _check_package(path: Path) -> None:
    with open_archive(path, "odt") as archive:
        if "content.xml" not in check_xml_members(archive, path, "odt", ODT_TEXT):
            raise unreadable(path, "odt", " (content.xml manquant)")


def _italic_styles(document: Any) -> frozenset[str]:
    """Names of the text styles set in italic (or oblique)."""
    names = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.getElementsByType(Style):
            for child in style.childNodes:
                if child.qname == (STYLENS, "text-properties") and child.getAttrNS(
                    FONS, "font-style"
                ) in ("italic", "oblique"):
                    names.add(style.getAttrNS(STYLENS, "name"))
    return frozenset(names)


def _meta_text(meta: Element | None, tag: str) -> str | None:
    if meta is None:
        return None
    found = meta.find(f".//{tag}")
    value = (found.text or "").strip() if found is not None else ""
    return value or None
