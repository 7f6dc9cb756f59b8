"""PDF reports typeset in the tests (reportlab, pyphen): the reading text comes back as a
researcher reads it; bad PDFs are refused in French, the database unchanged."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pytest
from tests.conftest import db_snapshot, run
from tests.pdf_report import FOOTER, HEADER, HELD_OUT, TUNED, score, write_pdf

from recits.errors import InputFileError
from recits.importers import parse_file, pdf


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    report = write_pdf(path, TUNED, paragraphs=30, seed=7)
    return path, report, parse_file(path)


def test_a_typeset_report_comes_back_paragraph_by_paragraph(tuned):
    _path, report, parsed = tuned
    assert report.page_count >= 5
    figures = score(report, parsed)
    assert figures["paragraphs_exact"] == 1.0, figures
    assert figures["paragraphs_found"] == figures["paragraphs_expected"]
    assert figures["words_wrong"] == 0
    assert figures["sections_right"] == figures["pages_right"] == 1.0
    assert figures["headings_right"] == figures["headings_expected"]
    assert parsed.format == "pdf"


def test_words_cut_at_line_ends_are_whole_and_inclusive_writing_kept(tuned):
    text = tuned[2].text
    assert "logique" in text and "lo- gique" not in text and "lo-gique" not in text
    kept = ("pair-e-s", "travailleur-euse-s", "Certain-e-s", "vingt-quatre", "Peut-être",
            "c'est-à-dire", "professionnel-le-s", "médico-social")  # fmt: skip
    for written in kept:
        assert written in text
    assert "\ufffe" not in text and "\x02" not in text and "\u00ad" not in text
    # Every word of the text is a word of the report: nothing split, nothing glued.
    report_words = {w for b in tuned[1].blocks for w in b.text.replace("¹", "").split()}
    assert set(tuned[2].text.replace("¹", "").split()) <= report_words


def test_running_header_footer_and_page_numbers_are_gone(tuned):
    text = tuned[2].text
    assert HEADER not in text
    for line in FOOTER:
        assert line not in text
    assert "Dubreuil" not in text and "Haddad" not in text  # the footer's authors
    paragraphs = text.split("\n\n")
    assert not [p for p in paragraphs if p.strip().isdigit()]


def test_headings_footnote_and_testimonies_are_their_own_turns(tuned):
    _path, report, parsed = tuned
    turns = [(parsed.text[t.start_char : t.end_char], t) for t in parsed.turns]
    headings = [text for text, t in turns if t.kind == "heading"]
    assert headings == [b.text for b in report.blocks if b.kind == "heading"]
    notes = [(text, t) for text, t in turns if t.kind == "footnote"]
    assert len(notes) == 1
    note, turn = notes[0]
    assert note.startswith("1 Les entretiens ont été menés") and note.endswith(
        "professionnel-le-s."
    )
    called = next(text for text, t in turns if "¹" in text)  # the call stays, as « ¹ »
    called_turn = next(t for text, t in turns if text == called)
    assert turn.page == called_turn.page or turn.page == called_turn.page + 1
    assert "Les entretiens" not in called  # the note does not cut its paragraph
    quotes = [text for text, t in turns if text.startswith("« ")]
    assert quotes and all(q.endswith(" »") for q in quotes)
    every = [t for _text, t in turns]
    assert all(t.page is not None and t.section is not None for t in every)
    assert [t.page for t in every] == sorted(t.page for t in every)


def test_a_paragraph_crossing_a_page_break_is_one_paragraph(tuned):
    _path, report, parsed = tuned
    pages = report.pages
    crossing = [
        b.text
        for i, b in enumerate(report.blocks[:-2])
        if b.kind is None and i + 1 in pages and pages[i] < pages[i + 1]
    ]
    assert crossing
    texts = {parsed.text[t.start_char : t.end_char].replace("¹", "") for t in parsed.turns}
    assert all(text in texts for text in crossing)


def test_held_out_layout_other_fonts_margins_and_paragraph_marks(tmp_path):
    """Thresholds were never tuned on this layout: Helvetica 10 pt, a narrower column, space
    between paragraphs instead of an indent, the page number in the header."""
    path = tmp_path / "autre.pdf"
    report = write_pdf(path, HELD_OUT, paragraphs=30, seed=11)
    figures = score(report, parse_file(path))
    assert figures["header_footer_left"] == 0
    assert figures["paragraphs_exact"] >= 0.9, figures
    assert figures["words_wrong"] <= 0.002 * figures["words"], figures
    assert figures["headings_right"] == figures["headings_expected"]
    assert figures["footnotes"] == 1


def test_recits_import_stores_pages_sections_and_kinds(project, tmp_path, tuned):
    result = run(project, "import", str(tuned[0]))
    assert result.exit_code == 0, result.stderr
    with project.store() as store:
        (document,) = store.documents()
        turns = store.turns(document.id)
    assert {t.kind for t in turns} == {None, "heading", "footnote"}
    assert all(t.participant_id is None for t in turns)
    first = next(t for t in turns if t.kind is None)
    assert first.page == 1 and first.section == "1. Le collectif des pair-e-s"
    assert max(t.page for t in turns) == tuned[1].page_count


# --- bad PDFs -----------------------------------------------------------------------------


def scanned(path: Path) -> Path:
    """A page that is only a picture of text, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "Rapport d'activités 2021", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    page = canvas.Canvas(str(path))
    page.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 50, 500, 500, 160)
    page.showPage()
    page.save()
    return path


def encrypted(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt="secret")
    page.drawString(72, 720, "Compte rendu confidentiel de la réunion du collectif.")
    page.save()
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def stream_bomb(path: Path) -> Path:
    """A one-page PDF whose content stream inflates from a few hundred kilobytes to 1 GiB."""
    squeeze = zlib.compressobj(9)
    chunk = b" " * 2**20
    data = b"".join(squeeze.compress(chunk) for _ in range(1024)) + squeeze.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def nested_bomb(path: Path) -> Path:
    """A content stream of arrays nested 200,000 deep (a parser's recursion)."""
    content = b"[" * 200_000 + b"] " * 200_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    for number, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    path.write_bytes(bytes(out))
    return path


def refused(project, path: Path, *fragments: str) -> str:
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(path))
    assert result.exit_code != 0
    assert "Traceback" not in result.output + result.stderr
    assert str(path) in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert db_snapshot(project.db_path) == before
    return result.stderr


def test_a_scan_without_text_is_refused_saying_so(project, tmp_path):
    refused(project, scanned(tmp_path / "scan.pdf"), "ne contient pas de texte", "OCR")


def test_an_encrypted_pdf_is_refused(project, tmp_path):
    refused(project, encrypted(tmp_path / "protege.pdf"), "protégé par un mot de passe")


def test_a_truncated_pdf_is_refused(project, tmp_path, tuned):
    refused(project, truncated(tmp_path / "coupe.pdf", tuned[0]), "PDF incomplet ou endommagé")


def test_not_a_pdf_and_garbage_inside_are_refused(project, tmp_path):
    fake = tmp_path / "faux.pdf"
    fake.write_text("Ceci n'est pas un PDF.\n", encoding="utf-8")
    refused(project, fake, "ce n'est pas un PDF")
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    refused(project, broken, "PDF endommagé")


def test_a_huge_pdf_is_refused_by_pages_by_size_and_by_text(project, tmp_path, tuned, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    refused(project, tuned[0], "PDF trop long", "maximum 3")
    monkeypatch.setattr(pdf, "MAX_PAGES", 3000)
    monkeypatch.setattr(pdf, "MAX_PDF_BYTES", 10_000)
    refused(project, tuned[0], "PDF trop volumineux")
    monkeypatch.setattr(pdf, "MAX_PDF_BYTES", 200 * 2**20)
    monkeypatch.setattr("recits.importers.size.MAX_TEXT_BYTES", 20_000)
    refused(project, tuned[0], "trop volumineux", "de texte")


def test_a_pdf_too_long_to_read_is_stopped(project, tmp_path, tuned, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0.0)
    refused(project, tuned[0], "trop long à lire")


@pytest.mark.parametrize("bomb", [stream_bomb, nested_bomb])
def test_pdf_bombs_are_refused_within_the_memory_cap(project, tmp_path, bomb):
    path = bomb(tmp_path / "piege.pdf")
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(path))
    assert "Traceback" not in result.output + result.stderr
    # PDFium may find no text in it at all (refused as a scan) or run out of its memory
    # cap: either way nothing is imported, and this process never held the stream.
    assert result.exit_code != 0 and str(path) in result.stderr
    assert db_snapshot(project.db_path) == before


def test_the_reader_process_refuses_a_pdf_bigger_than_its_memory_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_MEMORY", 64 * 2**20)
    with pytest.raises(InputFileError) as caught:
        parse_file(stream_bomb(tmp_path / "piege.pdf"))
    assert "piege.pdf" in str(caught.value)


def test_import_json_of_a_pdf_lists_it(project, tuned):
    assert run(project, "import", str(tuned[0])).exit_code == 0
    documents = json.loads(run(project, "documents", "--json").output)
    assert [d["title"] for d in documents] == ["rapport"]


def test_an_italic_passage_as_wide_as_the_text_is_kept_whole(tmp_path):
    """Italics come back whole when the passage is not set in from the margins: its full lines
    are asked their font too, not taken to be the page's body font."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=11, leading=14, alignment=TA_JUSTIFY,
        firstLineIndent=14,
    )  # fmt: skip
    italic = ParagraphStyle("italic", parent=body, fontName="Times-Italic", firstLineIndent=0)
    text = (
        "Le collectif a réuni les travailleurs pairs tous les deux mois, en présentiel ou par"
        " visioconférence, pour partager leurs pratiques. "
    ) * 3
    quote = (
        "Je ne savais pas où me mettre, ni vraiment collègue ni vraiment usager, et cela a duré"
        " longtemps avant que l'équipe me demande mon avis sur la façon de recevoir les"
        " personnes accompagnées au quotidien."
    )
    path = tmp_path / "italique.pdf"
    SimpleDocTemplate(str(path)).build(
        [Paragraph(text, body), Paragraph(quote, italic), Paragraph(text, body)]
    )
    parsed = parse_file(path)
    assert [parsed.text[a:b] for a, b in parsed.italics] == [quote]
    assert len(parsed.turns) == 3
