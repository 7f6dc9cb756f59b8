"""Fixtures that build real .docx and .odt files (python-docx, odfpy) and read turns back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx
import pytest
from odf import dc, meta, teletype
from odf.opendocument import OpenDocumentText
from odf.text import H, List, ListItem, P

from recits.models import ParsedDocument

# A paragraph is a plain string, or a list of (text, bold) runs.
Paragraph = str | Sequence[tuple[str, bool]]


def write_docx(
    path: Path,
    paragraphs: Sequence[Paragraph],
    *,
    title: str | None = None,
    subject: str | None = None,
    created: dt.datetime | None = None,
    table: Sequence[Sequence[str]] | None = None,
) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        if isinstance(paragraph, str):
            document.add_paragraph(paragraph)
            continue
        new = document.add_paragraph()
        for text, bold in paragraph:
            new.add_run(text).bold = bold
    if table is not None:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    properties = document.core_properties
    if title is not None:
        properties.title = title
    if subject is not None:
        properties.subject = subject
    if created is not None:
        properties.created = created
    document.save(str(path))
    return path


def write_odt(
    path: Path,
    paragraphs: Sequence[str],
    *,
    heading: str | None = None,
    list_items: Sequence[str] = (),
    title: str | None = None,
    subject: str | None = None,
    created: str | None = None,
) -> Path:
    document = OpenDocumentText()
    if title is not None:
        document.meta.addElement(dc.Title(text=title))
    if subject is not None:
        document.meta.addElement(dc.Subject(text=subject))
    if created is not None:
        document.meta.addElement(meta.CreationDate(text=created))
    if heading is not None:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        paragraph = P()
        teletype.addTextToElement(paragraph, text)
        document.text.addElement(paragraph)
    if list_items:
        items = List()
        for text in list_items:
            item = ListItem()
            item.addElement(P(text=text))
            items.addElement(item)
        document.text.addElement(items)
    document.save(str(path))
    return path


def utterances(document: ParsedDocument) -> list[tuple[str | None, str]]:
    """(speaker, text) of each turn, after checking turns are sorted, disjoint and stripped."""
    previous_end = 0
    found = []
    for turn in document.turns:
        assert previous_end <= turn.start_char < turn.end_char <= len(document.text)
        span = document.text[turn.start_char : turn.end_char]
        assert span == span.strip()
        previous_end = turn.end_char
        found.append((turn.speaker, span))
    return found


@pytest.fixture
def make_docx(tmp_path: Path) -> Callable[..., Path]:
    """make_docx(paragraphs, name="t.docx", title=…, subject=…, created=…, table=…)."""

    def make(paragraphs: Sequence[Paragraph], name: str = "t.docx", **options: object) -> Path:
        return write_docx(tmp_path / name, paragraphs, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def make_odt(tmp_path: Path) -> Callable[..., Path]:
    """make_odt(paragraphs, name="t.odt", heading=…, list_items=…, title=…, created=…)."""

    def make(paragraphs: Sequence[str], name: str = "t.odt", **options: object) -> Path:
        return write_odt(tmp_path / name, paragraphs, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def turns_of() -> Callable[[ParsedDocument], list[tuple[str | None, str]]]:
    """turns_of(document) -> [(speaker, utterance), …], with the turn invariants checked."""
    return utterances


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[..., Path]:
    """Write a text file in tmp_path: write_text("a.txt", "…", encoding="utf-8")."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return write


def add_tracked(paragraph: Any, tag: str, text: str) -> None:
    """Wrap a new run holding `text` in a tracked insertion (w:ins) or deletion (w:del)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    change = OxmlElement(tag)
    change.set(qn("w:id"), str(len(paragraph._p)))
    change.set(qn("w:author"), "Claire")
    run = OxmlElement("w:r")
    piece = OxmlElement("w:t" if tag == "w:ins" else "w:delText")
    piece.text = text
    piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(piece)
    change.append(run)
    paragraph._p.append(change)
