"""Two-column pages read in order, and one rule, in a PDF as in text copied from one, for a
sentence that ends exactly at the bottom of a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pdf_report import SENTENCES, report_blocks

from recits.importers import parse_file
from recits.importers.layout import Line, blocks
from recits.importers.reflow import reflow


def two_columns(path: Path) -> list[str]:
    """A report set in two justified columns (reportlab frames): its paragraphs."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    width, height = A4
    body = ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=10, leading=12.5, alignment=TA_JUSTIFY,
        firstLineIndent=12, hyphenationLang="fr_FR", embeddedHyphenation=1, uriWasteReduce=0.3,
    )  # fmt: skip
    heading = ParagraphStyle("heading", fontName="Times-Bold", fontSize=13, leading=16)
    column = (width - 5.8 * cm) / 2
    frames = [
        Frame(2.5 * cm, 2.5 * cm, column, height - 5 * cm, id="left"),
        Frame(3.3 * cm + column, 2.5 * cm, column, height - 5 * cm, id="right"),
    ]
    document = BaseDocTemplate(str(path), pagesize=A4)
    document.addPageTemplates([PageTemplate("two", frames)])
    found = [b for b in report_blocks(paragraphs=8, seed=3) if not b.italic]
    document.build([Paragraph(b.text, heading if b.kind else body) for b in found])
    return [b.text for b in found]


def test_two_columns_come_back_in_reading_order(tmp_path):
    expected = two_columns(tmp_path / "colonnes.pdf")
    parsed = parse_file(tmp_path / "colonnes.pdf")
    found = [parsed.text[t.start_char : t.end_char] for t in parsed.turns]
    # Left column, then right; a paragraph running from the foot of the left column to the
    # top of the right one is one paragraph, its word cut there whole again.
    assert found == expected
    assert {t.page for t in parsed.turns} == {1, 2}


# --- a sentence ending exactly at the bottom of a page --------------------------------------
# Full lines, each its own (repeated lines would be taken for running headers), none
# ending a sentence; then a full line that ends one, and the next page's first line.
FULL = [" ".join(s.split()[:11])[:70].rstrip(" ,:;") for s in SENTENCES[:11]]
LAST = SENTENCES[3][:69] + "."
NEXT = "Les chargées de mission ont rencontré vingt-quatre structures du secteur"


def pdf_lines(indent: float) -> list[list[Line]]:
    """Two pages of 10 pt lines, 72 to 520 pt wide; paragraphs start `indent` points in."""

    def line(page: int, row: int, text: str, x: float = 72) -> Line:
        return Line(page, x, 760 - 12 * row, 520, 10, False, False, text)

    first = [line(1, 0, FULL[0], 72 + indent)] + [line(1, r, FULL[r]) for r in range(1, 6)]
    first += [line(1, 6, FULL[6], 72 + indent), line(1, 7, FULL[7]), line(1, 8, LAST)]
    second = [line(2, 0, NEXT)] + [line(2, r, FULL[7 + r]) for r in range(1, 4)]
    return [first, second]


def text_pages(indent: str) -> str:
    """The same two pages as text copied from a PDF, with a form feed between them."""
    first = [indent + FULL[0], *FULL[1:6], indent + FULL[6], FULL[7], LAST]
    second = [NEXT, *FULL[8:11]]
    return "\n".join(first) + "\n\f" + "\n".join(second) + "\n"


@pytest.mark.parametrize(
    "indent, goes_on",
    [(14, True), (0, False)],
    ids=["paragraphs-indented: the page's last sentence goes on", "no-indent: it ends there"],
)
def test_a_sentence_ending_a_page_is_read_alike_in_a_pdf_and_in_text(indent, goes_on):
    """Where paragraphs start indented, the next page's first line without indent goes on
    with the paragraph; where nothing marks a paragraph's start, the paragraph ends with the
    page (cut in two rather than glued: each part keeps its page). PDF and text agree."""
    from_pdf = blocks(pdf_lines(indent))
    from_text = reflow(text_pages(" " * (indent // 4)))
    assert from_text is not None
    assert [(b.text, b.page) for b in from_pdf] == [(b.text, b.page) for b in from_text]
    last = from_pdf[-1]
    if goes_on:
        assert last.text.startswith(FULL[6]) and f"{LAST} {NEXT}" in last.text
        assert last.page == 1
    else:
        assert last.text.startswith(NEXT) and last.page == 2
        assert from_pdf[-2].text.endswith(LAST)
