"""The storyboard as the illustrators see it: its pages rendered to images (PDFium), one planche
a page, the panels drawn as boxes, nothing blank, nothing past the page's margins; the same for
the HTML printed by headless Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.exports.test_storyboard import CHROMIUM, consent_bd, export, two_planches
from tests.test_scenes import ok

SCALE = 2  # pixels per point
MARGIN = 10 * 72 / 25.4  # the storyboard's margins are 12 mm: nothing is drawn in the outer 10


def pages(path: Path) -> list[tuple[Image.Image, str]]:
    """Each page as a grey image and its text."""
    pdf = pdfium.PdfDocument(str(path))
    out = []
    for page in pdf:
        image = page.render(scale=SCALE).to_pil().convert("L")
        text = page.get_textpage().get_text_range()
        out.append((image, text))
    return out


def ink(image: Image.Image) -> float:
    """The share of the page that is drawn on (dark pixels)."""
    histogram = image.histogram()
    return sum(histogram[:160]) / (image.width * image.height)


def rules(image: Image.Image) -> int:
    """Horizontal lines across at least 40 % of the page: the panels' frames (text never is)."""
    dark = image.point(lambda v: 255 if v < 160 else 0)
    rows = dark.resize((1, image.height), Image.Resampling.BOX).tobytes()
    lines, inside = 0, False
    for value in rows:
        if value >= 0.4 * 255 and not inside:
            lines += 1
        inside = value >= 0.4 * 255
    return lines


def clear_margins(image: Image.Image) -> bool:
    """Nothing drawn in the outer band of the page: no text or box runs off it."""
    m = int(MARGIN * SCALE)
    w, h = image.size
    bands = [(0, 0, w, m), (0, h - m, w, h), (0, 0, m, h), (w - m, 0, w, h)]
    return all(image.crop(box).getextrema()[0] > 200 for box in bands)


def storyboard(project, tmp_path: Path, fmt: str) -> Path:
    two_planches(project)
    consent_bd(project)
    for n in range(3):
        ok(project, "scenes", "panels", "add", "La réunion", "--picture",
           f"Plan {n} : la table vue de haut, les chaises vides, la fenêtre. " * 3,
           "--caption", "Le lundi suivant.",
           "--line", "La cheffe : On reprend depuis le début, tout le monde est là ?")  # fmt: skip
    out = tmp_path / f"sb.{fmt}"
    result = export(project, fmt, out, "Le comptoir", "La réunion")
    assert result.exit_code == 0, result.output + result.stderr
    return out


def looks_like_planches(rendered: list[tuple[Image.Image, str]]) -> None:
    assert len(rendered) == 3  # two planches, then the sources
    (first, text1), (second, text2), (back, text3) = rendered
    assert "Le comptoir" in text1 and "La réunion" not in text1
    assert "La réunion" in text2 and "Le comptoir" not in text2
    assert "Sources" in text3 and "Vignette" not in text3
    for image, _text in rendered:
        assert clear_margins(image)
    for image in (first, second):
        assert ink(image) > 0.01  # not a blank page
        # The panels are boxes: at least the frame's top and bottom lines, and one between rows.
        assert rules(image) >= 3
    assert rules(back) == 0 and 0 < ink(back) < ink(second)


def test_the_pdf_pages_rendered_show_one_planche_each_in_boxes(project, tmp_path):
    rendered = pages(storyboard(project, tmp_path, "pdf"))
    looks_like_planches(rendered)
    # A speaker's name is bold, as in the HTML (the fonts' bold face, not the regular one).
    page = pdfium.PdfDocument(str(tmp_path / "sb.pdf"))[0]
    textpage = page.get_textpage()
    fonts = {
        textpage.get_text_bounded(*obj.get_bounds()).strip(): obj.get_font().get_base_name()
        for obj in page.get_objects()
        if isinstance(obj, pdfium.PdfTextObj)
    }
    speakers = [font for text, font in fonts.items() if text.startswith("Aurore :")]
    assert speakers and all("Bold" in font for font in speakers)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium absent ({CHROMIUM})")
def test_the_html_printed_by_chromium_shows_one_planche_a_page_in_boxes(project, tmp_path):
    page = storyboard(project, tmp_path, "html")
    printed = tmp_path / "sb-chromium.pdf"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri()],
        check=True, capture_output=True, timeout=120, start_new_session=True,
    )  # fmt: skip
    looks_like_planches(pages(printed))
