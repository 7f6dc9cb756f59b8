"""`recits check-quotes`: each quotation of a draft found back in the corpus, or not."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from odf.opendocument import OpenDocumentText
from odf.style import Style, TextProperties
from odf.text import P, Span

from tests.conftest import db_snapshot, run
from tests.publishing import build

EXACT = "La formation, on me l'a proposée tard, et sans diplôme on m'a dit non."
DRAFT = f"""# Article

Une travailleuse paire le dit : « {EXACT} »

Coupée : « Moi je suis arrivée au CAARUD en 2018 […] on est pair 24h/24 ! »

Reponctuée : “c'est dur on est pair, 24h/24”

Avec des fautes : « La formaton, on me l'a proposé tard et sans diplome on m'a dit non »

Inventée : « Le soleil se couche sur la mer et les mouettes chantent fort »

Non consentie : « On porte tout ça le soir, à la maison. »

Avec un nom : « Ensuite j'ai croisé Bruno au comptoir »

Trop courte pour être une citation : « on verra »
"""


def check(project, path: Path) -> tuple[int, list[dict]]:
    result = run(project, "check-quotes", str(path), "--json")
    return result.exit_code, json.loads(result.output)


def test_markdown_draft_quotes_are_found_cut_repunctuated_typod_or_not(project, tmp_path):
    corpus = build(project)
    draft = tmp_path / "article.md"
    draft.write_text(DRAFT, encoding="utf-8")
    before = db_snapshot(project.db_path)
    code, quotes = check(project, draft)
    assert code != 0
    assert db_snapshot(project.db_path) == before
    assert len(quotes) == 7
    exact, cut, repunctuated, typos, invented, refused, named = quotes
    assert (exact["fidelity"], exact["score"], exact["ok"]) == ("exacte", 100.0, True)
    assert exact["document_id"] == corpus.interview and exact["speaker"] == "Aurore"
    with project.store() as store:
        text = store.document_text(corpus.interview)
    assert text[exact["start_char"] : exact["end_char"]] == EXACT[:-1]
    assert cut["found"] and cut["ok"] and cut["document_id"] == corpus.meeting
    assert (cut["start_char"], cut["end_char"]) == (corpus.nadia_turn[0], corpus.nadia_turn[1] - 2)
    assert repunctuated["found"] and repunctuated["fidelity"] == "fidèle"
    assert typos["found"] and typos["fidelity"] == "retouchée" and typos["ok"]
    assert {"draft": "formaton", "source": "formation"} in typos["differences"]
    assert not invented["found"] and invented["problems"] == ["introuvable dans le corpus"]
    assert refused["found"] and refused["speaker"] == "Yanis" and refused["consent"] == "refusé"
    assert not refused["consented"] and not refused["ok"]
    # Bruno is Léon's real name: shown by pseudonym, never as written.
    assert named["found"] and named["names"] == ["nom réel de « Léon »"] and not named["ok"]


def test_check_quotes_shows_pseudonyms_only(project, tmp_path):
    """Differences, titles and names come back masked: "Nadia" is Aurore's real name."""
    build(project)
    draft = tmp_path / "article.md"
    # A typo next to a real name in the source: the difference shows the pseudonym.
    draft.write_text("Karim dit : « Oui, Nadja a raison. On porte tout ça le soir »\n", "utf-8")
    result = run(project, "check-quotes", str(draft))
    assert "Nadia" not in result.output
    assert "diffère : « Nadja » ≠ source « Aurore »" in result.output


def test_human_readable_report(project, tmp_path):
    build(project)
    draft = tmp_path / "article.txt"
    draft.write_text(f"Elle dit : « {EXACT} »\n", encoding="utf-8")
    result = run(project, "check-quotes", str(draft))
    assert result.exit_code == 0, result.output
    assert "fidélité exacte (100 %)" in result.output and "Entretien" in result.output
    assert "1 citation(s) vérifiée(s), 0 à reprendre" in result.output


def test_italic_runs_in_docx_and_odt_are_quotations(project, tmp_path):
    build(project)
    document = docx.Document()
    paragraph = document.add_paragraph("Elle raconte : ")
    paragraph.add_run("La formation, on me l'a proposée tard,").italic = True
    paragraph.add_run(" et sans diplôme on m'a dit non.").italic = True
    paragraph.add_run(" (entretien, 2021)")
    document.save(tmp_path / "article.docx")
    code, quotes = check(project, tmp_path / "article.docx")
    assert code == 0 and [q["mark"] for q in quotes] == ["italique"]
    assert quotes[0]["fidelity"] == "exacte"

    odt = OpenDocumentText()
    italic = Style(name="I", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    odt.automaticstyles.addElement(italic)
    paragraph = P(text="Elle raconte : ")
    paragraph.addElement(Span(stylename=italic, text=EXACT))
    odt.text.addElement(paragraph)
    odt.save(str(tmp_path / "article.odt"))
    code, quotes = check(project, tmp_path / "article.odt")
    assert code == 0 and quotes[0]["mark"] == "italique" and quotes[0]["ok"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("image.docx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "illisible"),
        ("vide.md", b"", "brouillon vide"),
        ("blanc.txt", b"   \n\n", "vide"),
        ("sans.md", b"Un article sans aucune citation.\n", "aucune citation trouvée"),
        ("article.pdf", b"%PDF-1.4", "format de brouillon non pris en charge"),
        ("absent.md", None, "introuvable"),
    ],
)
def test_bad_drafts_are_refused_in_french_naming_the_file(
    project, tmp_path, name, content, message
):
    build(project)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = db_snapshot(project.db_path)
    result = run(project, "check-quotes", str(path))
    assert result.exit_code != 0
    assert str(path) in result.stderr and message in result.stderr
    assert db_snapshot(project.db_path) == before
