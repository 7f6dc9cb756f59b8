"""Excerpts as a Word document (.docx), written with python-docx; properties carry no names."""

from __future__ import annotations

import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from recits.exports.document import CREATOR, ExportHeader
from recits.exports.selection import Selection
from recits.exports.typography import guillemets, plural


def render(selection: Selection, header: ExportHeader) -> bytes:
    document = docx.Document()
    _properties(document, header)
    _plain_app_properties(document)
    document.add_heading(header.title, level=1)
    for line in header.lines:
        document.add_paragraph(line)
    if selection.sections:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Code", "Extraits"
        for section in selection.sections:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = section.label, str(len(section.passages))
    opening, closing = guillemets()
    for section in selection.sections:
        document.add_heading(
            f"{section.label} ({plural(len(section.passages), 'extrait')})", level=2
        )
        if section.description:
            document.add_paragraph(section.description)
        quotations = (q for excerpt in section.passages for q in excerpt.quotations)
        _append(document, _quotation_paragraphs(quotations, opening, closing))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_RUN = '<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'
_ITALIC = "<w:rPr><w:i/></w:rPr>"


def _runs(text: str, props: str = "") -> str:
    """A run per line of `text` (line breaks and tabs as Word writes them, as python-docx's
    `add_run` does), escaped for XML."""
    parts = []
    for n, line in enumerate(text.split("\n")):
        if n:
            parts.append("<w:r><w:br/></w:r>")
        pieces = [_RUN.format(props=props, text=escape(p)) for p in line.split("\t")]
        parts.append("<w:r><w:tab/></w:r>".join(pieces))
    return "".join(parts)


def _quotation_paragraphs(quotations: Iterable, opening: str, closing: str) -> str:
    """Each quotation as the paragraph « *text* » then its attribution's paragraph: the XML
    python-docx writes for them, built as one string and parsed once (python-docx's run API
    costs as much again as the whole rest of the export for 1,000 excerpts)."""
    return "".join(
        f"<w:p>{_runs(opening)}{_runs(q.text, _ITALIC)}{_runs(closing)}</w:p>"
        f"<w:p>{_runs(q.attribution)}</w:p>"
        for q in quotations
    )


def _append(document: docx.document.Document, paragraphs: str) -> None:
    """Add paragraphs given as WordprocessingML at the end of the body (before its sectPr)."""
    if not paragraphs:
        return
    body = document.element.body
    for paragraph in parse_xml(f"<w:body {nsdecls('w')}>{paragraphs}</w:body>"):
        body._insert_p(paragraph)


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
    '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{CREATOR}</Application></Properties>"
)


def _plain_app_properties(document: docx.document.Document) -> None:
    """python-docx's template carries Word's extended properties ("Microsoft Macintosh Word",
    "Title", company…): replace them with ours, so a file says nothing it was not asked to."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _APP_XML.encode("utf-8")  # a plain Part: its bytes are written as is


def _properties(document: docx.document.Document, header: ExportHeader) -> None:
    """Replace every core property of python-docx's template (author "python-docx"…)."""
    props = document.core_properties
    props.author = CREATOR
    props.last_modified_by = CREATOR
    props.title = header.title
    props.subject = "Extraits pseudonymisés"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.language = "fr-FR"
    props.version = ""
    props.revision = 1
