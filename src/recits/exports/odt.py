"""Excerpts as a LibreOffice document (.odt), written with odfpy; metadata carry no names."""

from __future__ import annotations

import io

from odf import dc, meta
from odf.opendocument import OpenDocumentText
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span

from recits.exports.document import CREATOR, ExportHeader
from recits.exports.selection import Selection
from recits.exports.typography import guillemets, plural


def render(selection: Selection, header: ExportHeader) -> bytes:
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=header.title))
    document.meta.addElement(dc.Creator(text=CREATOR))
    document.meta.addElement(meta.InitialCreator(text=CREATOR))
    document.meta.addElement(dc.Language(text="fr-FR"))
    italic = Style(name="Temoignage", family="text")
    italic.addElement(
        TextProperties(fontstyle="italic", fontstyleasian="italic", fontstylecomplex="italic")
    )
    headings = {}
    for level, size in ((1, "18pt"), (2, "14pt")):
        style = Style(name=f"Heading {level}", family="paragraph", defaultoutlinelevel=level)
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        document.styles.addElement(style)
        headings[level] = style
    column = Style(name="Colonne", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="6cm"))
    document.automaticstyles.addElement(italic)
    document.automaticstyles.addElement(column)
    body = document.text
    body.addElement(H(outlinelevel=1, stylename=headings[1], text=header.title))
    for line in header.lines:
        body.addElement(P(text=line))
    if selection.sections:
        table = Table(name="Comptes")
        table.addElement(TableColumn(numbercolumnsrepeated=2, stylename=column))
        rows = [("Code", "Extraits")] + [
            (s.label, str(len(s.passages))) for s in selection.sections
        ]
        for cells in rows:
            row = TableRow()
            for value in cells:
                cell = TableCell()
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        body.addElement(table)
    opening, closing = guillemets()
    for section in selection.sections:
        title = f"{section.label} ({plural(len(section.passages), 'extrait')})"
        body.addElement(H(outlinelevel=2, stylename=headings[2], text=title))
        if section.description:
            body.addElement(P(text=section.description))
        for excerpt in section.passages:
            for quotation in excerpt.quotations:
                paragraph = P()
                paragraph.addText(opening)
                paragraph.addElement(Span(stylename=italic, text=quotation.text))
                paragraph.addText(closing)
                body.addElement(paragraph)
                body.addElement(P(text=quotation.attribution))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
