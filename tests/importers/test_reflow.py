"""Hard-wrapped text (copied out of a PDF or an e-mail) rebuilt into paragraphs; words cut at
line ends joined back, inclusive writing and compounds kept; transcripts left as they were."""

from __future__ import annotations

import pytest
from tests.conftest import run
from tests.pdf_report import FOOTER, HEADER, hard_wrapped, report_blocks

from recits.importers import parse_file
from recits.importers.reflow import is_page_number, join_hyphenated, join_lines, reflow


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("lo-", "gique", "logique"),
        ("accompa-", "gnement", "accompagnement"),
        ("souhai-", "té", "souhaité"),  # two letters left: still a cut word
        ("ex-", "périentiel", "expérientiel"),
        ("visio-", "conférence,", "visioconférence,"),  # a word the list lacks: joined
        ("accompa\u00ad", "gnement", "accompagnement"),  # a soft hyphen
        ("accompa\ufffe", "gnement", "accompagnement"),  # PDFium's end-of-line hyphen
        ("pair-", "e-s", "pair-e-s"),
        ("pair-e-", "s", "pair-e-s"),
        ("certain-", "e-s", "certain-e-s"),
        ("Cer-", "tain-e-s", "Certain-e-s"),
        ("travailleur-", "euse-s", "travailleur-euse-s"),
        ("travailleur-", "euses", "travailleur-euses"),
        ("profession-", "nel-le-s", "professionnel-le-s"),
        ("vingt-", "quatre", "vingt-quatre"),
        ("peut-", "être", "peut-être"),
        ("c'est-", "à-dire", "c'est-à-dire"),
        ("médico-", "social", "médico-social"),
        ("Auvergne-", "Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ],
)
def test_a_word_cut_at_a_line_end(left, right, joined):
    assert join_hyphenated(left, right) == joined


def test_lines_join_into_one_paragraph():
    lines = ["Certain-e-s participant-e-s ont souhaité promouvoir une lo-", "gique de par-",
             "cours, c'est-", "à-dire une continuité."]  # fmt: skip
    assert join_lines(lines) == (
        "Certain-e-s participant-e-s ont souhaité promouvoir une logique de parcours,"
        " c'est-à-dire une continuité."
    )


@pytest.mark.parametrize("line", ["12", "- 12 -", "— 12 —", "Page 12", "p. 12", "12/300", "xii"])
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2021 a été une année charnière.", "Nadia : 12 ans", ""])
def test_not_page_numbers(line):
    assert not is_page_number(line)


def expected(blocks):
    return [b for b in blocks if b.kind != "footnote"]


def assert_reads_back(parsed, blocks) -> None:
    """Every word back in order, nothing of the header or footer, the headings and their
    sections exact, and the paragraphs: a paragraph whose sentence ends with the last line of
    a page is read as two (nothing tells), so 90 % exact at least."""
    want = expected(blocks)
    got = [(parsed.text[t.start_char : t.end_char], t) for t in parsed.turns]
    assert " ".join(g for g, _t in got).split() == " ".join(b.text for b in want).split()
    assert [g for g, t in got if t.kind == "heading"] == [b.text for b in want if b.kind]
    assert all(t.section == g for g, t in got if t.kind == "heading")
    texts = {g for g, _t in got}
    assert sum(b.text in texts for b in want) >= 0.9 * len(want)
    assert len(got) <= 1.1 * len(want)
    assert HEADER not in parsed.text and not any(line in parsed.text for line in FOOTER)
    assert "Dubreuil" not in parsed.text  # the footer's authors


@pytest.mark.parametrize("form_feeds", [True, False])
@pytest.mark.parametrize(("seed", "width"), [(5, 70), (2, 60), (4, 80)])
def test_hard_wrapped_report_imports_as_paragraphs(tmp_path, form_feeds, seed, width):
    blocks = report_blocks(paragraphs=30, seed=seed)
    text = hard_wrapped(blocks, width=width)
    if not form_feeds:  # pasted from a viewer: the pages follow one another
        text = text.replace("\f", "\n\n")
    path = tmp_path / "rapport.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    assert_reads_back(parsed, blocks)
    pages = [t.page for t in parsed.turns]
    if form_feeds:
        assert pages[0] == 1 and pages == sorted(pages) and pages[-1] >= text.count("\f")
    else:
        assert set(pages) == {None}


def test_hard_wrapped_markdown_too(tmp_path):
    blocks = report_blocks(paragraphs=12, seed=2)
    path = tmp_path / "rapport.md"
    path.write_text(hard_wrapped(blocks, width=66), encoding="utf-8")
    assert_reads_back(parse_file(path), blocks)


def test_text_written_one_paragraph_per_line_is_left_alone(tmp_path):
    text = "\n\n".join(b.text for b in expected(report_blocks(paragraphs=12, seed=2)))
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    assert reflow(text) is None
    assert parse_file(path).text == text


def test_a_hard_wrapped_transcript_keeps_its_speaker_turns(tmp_path):
    """Speaker turns win: a transcript imports exactly as before, wrapped or not."""
    lines = []
    for n in range(6):
        lines.append(f"Nadia : on a parlé de la réduction des risques avec l'équipe du {n}e")
        lines.append("étage, et de la place des travailleur-euse-s pair-e-s dans le ser-")
        lines.append("vice ; la cheffe a dit qu'on verrait ça en réunion de synthèse.")
        lines.append(f"Karim : d'accord, on en reparle jeudi {n}.")
    text = "\n".join(lines)
    path = tmp_path / "entretien.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.text == text
    assert [t.speaker for t in parsed.turns] == ["Nadia", "Karim"] * 6


def test_recits_import_of_text_copied_from_a_pdf(project, tmp_path):
    path = tmp_path / "copie.txt"
    path.write_text(hard_wrapped(report_blocks(paragraphs=10, seed=3)), encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.stderr
    with project.store() as store:
        (document,) = store.documents()
        turns = store.turns(document.id)
    assert turns[0].kind == "heading" and turns[1].section == turns[0].text
    assert all(" " not in t.text.strip("« »") or "-\n" not in t.text for t in turns)
    assert all("\n" not in t.text for t in turns)
