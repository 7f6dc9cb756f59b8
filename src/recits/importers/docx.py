"""Word (.docx) transcripts: safe opening, paragraphs and tables, bold speaker names."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

from recits.errors import InputFileError
from recits.importers.archive import TextPart, check_xml_members, open_archive, unreadable
from recits.importers.turns import LineLabel, detect_turns, speaker_label
from recits.models import ParsedDocument
from recits.models.parsed import TextBlock

# python-docx's default template carries this creation date: it says nothing about the file.
_TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.UTC)
_SEPARATOR = re.compile(r"[ \t\u00a0\u202f]*(?::|–|—)(?=\s|$)")
_MAX_BOLD_LABEL = 80
_LABEL_END = re.compile(r"[ \t\u00a0\u202f]*(?::|–|—)$")
# The body's text runs, counted against the size rule while the archive is checked.
DOCX_TEXT = TextPart(
    "word/document.xml",
    frozenset({"http://schemas.openxmlformats.org/wordprocessingml/2006/main t"}),
)


def parse_docx(path: Path) -> ParsedDocument:
    """Read a .docx transcript."""
    _check_package(path)
    try:
        document = docx.Document(str(path))
        bold_styles = _character_styles(document, "bold")
        found = []
        for par in _paragraphs(document):
            text = _block(par).text
            found.append((text, _bold_label(par, text, bold_styles)))
        properties = document.core_properties
        title, kind, created = properties.title, properties.subject, properties.created
    except InputFileError:
        raise
    except Exception:  # python-docx raises many kinds of errors on a broken package
        raise unreadable(path, "docx") from None

    paragraphs = [paragraph for paragraph, _ in found]
    # Empty paragraphs are kept as blank lines, except at the very start and end.
    keep = [index for index, paragraph in enumerate(paragraphs) if paragraph.strip()]
    if not keep:
        raise InputFileError(path, "fichier vide (aucun texte dans le document)")
    spans: list[tuple[int, int]] = []
    bold_labels: dict[int, LineLabel] = {}
    offset = 0
    for index in range(keep[0], keep[-1] + 1):
        label = found[index][1]
        if label is not None:
            bold_labels[len(spans)] = label
        spans.append((offset, offset + len(paragraphs[index])))
        offset += len(paragraphs[index]) + 1
    text = "\n".join(paragraphs[keep[0] : keep[-1] + 1])
    return ParsedDocument(
        text=text,
        turns=detect_turns(text, blocks=spans, labels=bold_labels, paragraphs="block"),
        format="docx",
        title=(title or "").strip() or None,
        kind=(kind or "").strip() or None,
        date=_created_date(created),
    )


def read_paragraphs(path: Path) -> list[TextBlock]:
    """The paragraphs of a .docx (an article draft), with their italic spans."""
    _check_package(path)
    try:
        document = docx.Document(str(path))
        italic_styles = _character_styles(document, "italic")
        return [_block(par, italic_styles) for par in _paragraphs(document)]
    except InputFileError:
        raise
    except Exception:  # python-docx raises many kinds of errors on a broken package
        raise unreadable(path, "docx") from None


def _check_package(path: Path) -> None:
    with open_archive(path, "docx") as archive:
        names = check_xml_members(archive, path, "docx", DOCX_TEXT)
    if "word/document.xml" not in names:
        raise unreadable(path, "docx", " (word/document.xml manquant)")


def _block(paragraph: Paragraph, italic_styles: frozenset[str] | None = None) -> TextBlock:
    """A paragraph's text as it reads now: tracked insertions in, deletions out; hyperlinks,
    fields and content controls in. Italic spans only when `italic_styles` is given."""
    text, italics = "", []
    for run in _runs(paragraph._p):
        piece = _normalized(run.text)
        if italic_styles is not None and piece and _has(run, _I, italic_styles):
            italics.append((len(text), len(text) + len(piece)))
        text += piece
    return TextBlock(text, tuple(italics))


def _runs(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """The runs of a paragraph in reading order, inside whatever wraps them (python-docx's
    `paragraph.text` reads only direct runs and links: a tracked insertion was lost)."""
    for child in element.iterchildren():
        if child.tag == _R:
            yield child
        elif child.tag not in _NOT_READ:
            yield from _runs(child)


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _paragraphs(document: DocxDocument) -> Iterator[Paragraph]:
    """Body paragraphs in document order, table cells included (merged cells once)."""
    seen: set[object] = set()  # the cells' XML elements: merged cells repeat in row.cells

    def walk(items: Iterator[Paragraph | Table]) -> Iterator[Paragraph]:
        for item in items:
            if isinstance(item, Paragraph):
                yield item
                continue
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from walk(cell.iter_inner_content())

    yield from walk(document.iter_inner_content())


def _character_styles(document: DocxDocument, attribute: str) -> frozenset[str]:
    """Ids of the character styles that make text bold or italic (looked up once)."""
    return frozenset(
        style.style_id
        for style in document.styles
        if style.type == WD_STYLE_TYPE.CHARACTER and getattr(style.font, attribute)
    )


_R, _T, _RPR, _B, _I, _RSTYLE, _VAL = (
    qn(t) for t in ("w:r", "w:t", "w:rPr", "w:b", "w:i", "w:rStyle", "w:val")
)
_FALSE = frozenset({"0", "false", "off"})
# Not read as the paragraph's text: deleted or moved-away text (tracked changes), properties.
_NOT_READ = frozenset(qn(t) for t in ("w:del", "w:moveFrom", "w:pPr", "w:rPr"))


def _has(run: BaseOxmlElement, tag: str, styles: frozenset[str]) -> bool:
    """Direct bold/italic, or a character style that has it (read from the XML: this runs
    on every turn)."""
    properties = run.find(_RPR)
    if properties is None:
        return False
    found = properties.find(tag)
    if found is not None:
        return found.get(_VAL, "true") not in _FALSE
    style = properties.find(_RSTYLE)
    return style is not None and style.get(_VAL) in styles


def _bold_label(paragraph: Paragraph, text: str, bold_styles: frozenset[str]) -> LineLabel | None:
    """A paragraph that opens with a name in bold ("**Nadia** : …") is a speaker turn."""
    bold = ""
    for run in paragraph._p.iterchildren(_R):
        run_text = "".join(t.text or "" for t in run.iterchildren(_T))
        if not run_text:
            continue
        if not _has(run, _B, bold_styles):
            break
        bold += run_text
        if len(bold) > _MAX_BOLD_LABEL:
            return None  # a bold sentence, not a name
    bold = _normalized(bold)
    if not bold.strip() or not text.startswith(bold):
        return None
    name = bold.strip()
    position = len(bold)
    end = _LABEL_END.search(name)
    has_separator = end is not None
    if end is not None:
        name = name[: end.start()]
    else:
        separator = _SEPARATOR.match(text, position)
        if separator:
            has_separator = True
            position = separator.end()
    while position < len(text) and text[position].isspace():
        position += 1
    speaker = speaker_label(name)
    # A whole bold paragraph without a colon is a heading, not a speaker.
    if speaker is None or not (has_separator or position < len(text)):
        return None
    return LineLabel(speaker, position)


def _created_date(created: dt.datetime | None) -> str | None:
    """The creation date, when it was set on purpose (not a template's old default)."""
    if created is None or created.year < 2000:
        return None
    stamp = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    if stamp == _TEMPLATE_CREATED:
        return None
    return created.date().isoformat()
