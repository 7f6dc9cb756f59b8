"""A PDF source in a .qdpx: the PDF read by recits' own importer, its selections placed by their
text when the file gives the PDF's text (a Representation), counted as not placed otherwise."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from recits.exports.refi.schema import schema
from tests.conftest import run
from tests.refi.builders import NS, qdpx
from tests.refi.test_import import codings, imported

USER = "10000000-0000-0000-0000-0000000000a1"
CODE = "20000000-0000-0000-0000-0000000000c1"
PDF_FILE = "3a3a3a3a-0000-4000-8000-000000000001.pdf"
TEXT_FILE = "3a3a3a3a-0000-4000-8000-000000000002.txt"
PARAGRAPHS = (
    "Le collectif a réuni les travailleurs pairs tous les deux mois pour partager leurs"
    " pratiques professionnelles et parler de la reconnaissance du savoir expérientiel.",
    "La coordination régionale a permis de mutualiser les outils et de construire une culture"
    " professionnelle partagée entre les structures partenaires.",
)
# The text another tool read out of the PDF: hard-wrapped lines, a word cut at a line end.
REPRESENTATION = (
    "Le collectif a réuni les travailleurs pairs tous les deux mois pour\r\n"
    "partager leurs pratiques professionnelles et parler de la reconnais-\r\n"
    "sance du savoir expérientiel.\r\n\r\n"
    "La coordination régionale a permis de mutualiser les outils et de\r\n"
    "construire une culture professionnelle partagée entre les structures\r\n"
    "partenaires.\r\n"
)


def report_pdf(path: Path) -> bytes:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14)
    SimpleDocTemplate(str(path)).build([Paragraph(p, body) for p in PARAGRAPHS])
    return path.read_bytes()


def coding(guid: str) -> str:
    return f'<Coding guid="{guid}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding>'


def area(guid: str, name: str, content: str | None) -> str:
    inner = (
        f'<Representation guid="{guid[:-2]}ff"><PlainTextContent>{content}</PlainTextContent>'
        "</Representation>"
        if content
        else ""
    )
    return (
        f'<PDFSelection guid="{guid}" name={quoteattr(name)} page="0" firstX="72" firstY="90"'
        f' secondX="500" secondY="160" creatingUser="{USER}">{inner}{coding(guid[:-2] + "ee")}'
        "</PDFSelection>"
    )


def project_xml(inside: str) -> str:
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="Rapport PDF">'
        f'<Users><User guid="{USER}" name="Agnès"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE}" name="Reconnaissance" isCodable="true"/>'
        "</Codes></CodeBook><Sources>"
        f'<PDFSource guid="40000000-0000-4000-8000-0000000000d1" name="Rapport.pdf"'
        f' path="internal://{PDF_FILE}">{inside}</PDFSource></Sources></Project>'
    )
    assert schema("project").validate(etree.fromstring(xml.encode()))
    return xml


def test_pdf_with_a_text_representation_has_its_selections_on_their_words(project, tmp_path):
    cut = "la reconnais-\r\nsance du savoir expérientiel"
    start = REPRESENTATION.index(cut)
    shared = "culture professionnelle partagée"
    at = REPRESENTATION.index(shared)
    representation = (
        f'<Representation guid="70000000-0000-4000-8000-0000000000d1"'
        f' plainTextPath="internal://{TEXT_FILE}">'
        # offsets only (no name): the representation's words at those offsets are searched
        f'<PlainTextSelection guid="50000000-0000-4000-8000-0000000000d1" startPosition="{start}"'
        f' endPosition="{start + len(cut)}" creatingUser="{USER}">'
        f"{coding('60000000-0000-4000-8000-0000000000d1')}</PlainTextSelection>"
        f'<PlainTextSelection guid="50000000-0000-4000-8000-0000000000d2" name="{shared}"'
        f' startPosition="{at}" endPosition="{at + len(shared)}" creatingUser="{USER}">'
        f"{coding('60000000-0000-4000-8000-0000000000d2')}</PlainTextSelection>"
        "</Representation>"
    )
    areas = area("50000000-0000-4000-8000-0000000000a1", "Zone 1", "mutualiser les outils") + area(
        "50000000-0000-4000-8000-0000000000a2", "Zone 2", "un passage absent du PDF"
    )
    path = qdpx(
        tmp_path / "pdf.qdpx",
        {"project.qde": project_xml(areas + representation),
         f"sources/{PDF_FILE}": report_pdf(tmp_path / "rapport.pdf"),
         f"sources/{TEXT_FILE}": REPRESENTATION.encode("utf-8")},
    )  # fmt: skip
    output = imported(project, path)
    assert sorted(c[2] for c in codings(project)) == [
        "culture professionnelle partagée",
        "la reconnaissance du savoir expérientiel",
        "mutualiser les outils",
    ]
    assert {c[1] for c in codings(project)} == {"Agnès"}
    assert "1 document(s) importé(s)" in output
    assert "3 sélection(s) placée(s) en retrouvant leur texte" in output
    assert "« Rapport.pdf » : représentation texte du PDF, points de code" in output
    assert (
        "non placé : « Rapport.pdf » : zone de page « un passage absent du PDF » introuvable"
        in output
    )
    assert "non importé" not in output
    with project.store() as store:
        (document,) = store.documents()
        assert document.title == "Rapport"
        assert "structures partenaires" in store.document_text(document.id)


def test_pdf_without_representation_is_imported_its_areas_counted_not_placed(project, tmp_path):
    areas = area("50000000-0000-4000-8000-0000000000a1", "Zone 1", None) + area(
        "50000000-0000-4000-8000-0000000000a2", "Zone 2", None
    )
    path = qdpx(
        tmp_path / "pdf.qdpx",
        {"project.qde": project_xml(areas),
         f"sources/{PDF_FILE}": report_pdf(tmp_path / "rapport.pdf")},
    )  # fmt: skip
    output = imported(project, path)
    assert codings(project) == []
    assert "1 document(s) importé(s)" in output
    assert "non placé : « Rapport.pdf » : 2 sélection(s) de zone de page non placée(s)" in output
    documents = run(project, "documents").output
    assert "Rapport" in documents
