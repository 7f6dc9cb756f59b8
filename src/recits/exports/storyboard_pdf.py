"""The storyboard as PDF (reportlab): each planche shrunk to fit exactly one A4 page."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recits.exports.storyboard import Planche

# DejaVu (Debian's fonts-dejavu) shows every character; without it, reportlab's Helvetica
# (Latin-1): the name gate then also reads the same planches as HTML.
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FONTS: tuple[str, str, str] | None = None


def _fonts() -> tuple[str, str, str]:
    global _FONTS
    if _FONTS is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        files = {
            "RecitsSans": "DejaVuSans.ttf",
            "RecitsSans-Bold": "DejaVuSans-Bold.ttf",
            "RecitsSans-Oblique": "DejaVuSans-Oblique.ttf",
        }
        try:
            for name, file in files.items():
                pdfmetrics.registerFont(TTFont(name, str(_DEJAVU / file)))
            # <b> and <i> in a paragraph pick the family's bold and oblique faces.
            pdfmetrics.registerFontFamily(
                "RecitsSans", normal="RecitsSans", bold="RecitsSans-Bold",
                italic="RecitsSans-Oblique", boldItalic="RecitsSans-Bold",
            )  # fmt: skip
            _FONTS = ("RecitsSans", "RecitsSans-Bold", "RecitsSans-Oblique")
        except Exception:  # fonts absent or unreadable: the standard ones
            _FONTS = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
    return _FONTS


def render_pdf(planches: tuple[Planche, ...], generated_on: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepInFrame,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold, italic = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10, leading=12.5)
    title = ParagraphStyle("title", base, fontName=bold, fontSize=16, leading=19, spaceAfter=4)
    picture = ParagraphStyle("picture", base, fontName=italic, textColor=colors.HexColor("#333"))
    # Boxes drawn round the text, inside the panel: the text is indented by the box's padding
    # so that neither the text touches its box nor the box the panel's frame.
    caption = ParagraphStyle(
        "caption", base, backColor=colors.HexColor("#f3eed9"), borderColor=colors.black,
        borderWidth=0.5, borderPadding=(3, 4, 3, 4), leftIndent=4, rightIndent=4,
        spaceBefore=7, spaceAfter=5,
    )  # fmt: skip
    balloon = ParagraphStyle(
        "balloon", base, borderColor=colors.black, borderWidth=0.5, borderRadius=7,
        borderPadding=(3, 7, 3, 7), leftIndent=7, rightIndent=7, spaceBefore=7, spaceAfter=5,
    )  # fmt: skip

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, title="Storyboard", author="recits", subject="", creator="recits",
    )  # fmt: skip
    width, height = doc.width, doc.height
    story: list = []
    for p in planches:
        page: list = [para(f"Planche {p.number} — {p.title}", title)]
        if p.synopsis:
            page.append(para(p.synopsis, base))
        for label, value in (
            ("Cadre", p.setting),
            ("Personnages", ", ".join(p.characters)),
            ("Thèmes", ", ".join(p.themes)),
        ):
            if value:
                page.append(Paragraph(f"<b>{label} :</b> {escape(value)}", base))
        page.append(Spacer(1, 3 * mm))
        cells = []
        for v in p.panels:
            cell: list = [Paragraph(f"<b>Vignette {v.number}</b>", base)]
            if v.picture:
                cell.append(para(f"Image : {v.picture}", picture))
            if v.caption:
                cell.append(para(v.caption, caption))
            for line in v.lines:
                who = f"<b>{escape(line.speaker)} :</b> " if line.speaker else ""
                cell.append(Paragraph(who + escape(line.text), balloon))
            cells.append(cell)
        if cells:
            rows = [
                cells[i : i + 2] + [[]] * (2 - len(cells[i : i + 2]))
                for i in range(0, len(cells), 2)
            ]
            table = Table(rows, colWidths=[width / 2] * 2)
            table.setStyle(
                TableStyle([
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOX", (0, 0), (-1, -1), 1, colors.black),
                    ("INNERGRID", (0, 0), (-1, -1), 1, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ])
            )  # fmt: skip
            page.append(table)
        # One planche, one page: shrunk to fit rather than spilling onto the next.
        story += [KeepInFrame(width, height, page, mode="shrink"), PageBreak()]
    story.append(para("Sources", title))
    story.append(para(f"Storyboard du {generated_on}, pseudonymisé ; consentement « bd ».", base))
    for p in planches:
        listed = "; ".join(p.sources) or "aucune"
        story.append(Paragraph(f"<b>Planche {p.number} :</b> {escape(listed)}", base))
    doc.build(story)
    return buffer.getvalue()
