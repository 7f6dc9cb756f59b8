"""Excerpts as a Word document (.docx), written with python-docx; properties carry no names."""

from __future__ import annotations

import io

import docx

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
        for excerpt in section.passages:
            for quotation in excerpt.quotations:
                paragraph = document.add_paragraph()
                paragraph.add_run(opening)
                paragraph.add_run(quotation.text).italic = True
                paragraph.add_run(closing)
                document.add_paragraph(quotation.attribution)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
