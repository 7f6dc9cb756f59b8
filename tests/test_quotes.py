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
from tests.importers.conftest import add_tracked
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
        ("vide.md", b"", "fichier vide"),
        ("blanc.txt", b"   \n\n", "vide"),
        ("sans.md", b"Un article sans aucune citation.\n", "aucune citation trouvée"),
        ("article.pdf", b"%PDF-1.4", "PDF incomplet ou endommagé"),
        ("article.rtf", b"{\\rtf1 Un article}", "format de brouillon non pris en charge"),
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


# -- drafts as their authors write them ------------------------------------------------------
def test_a_quotation_wrapped_over_several_lines_of_markdown_is_read_whole(project, tmp_path):
    corpus = build(project)
    draft = tmp_path / "article.md"
    draft.write_text(
        "# Article\n\nUne travailleuse paire le dit : « La formation, on me l'a\n"
        "proposée tard, et sans diplôme\non m'a dit non. » Et elle ajoute :\n"
        "« Ensuite j'ai croisé\nLéon au comptoir ».\n",
        encoding="utf-8",
    )
    code, quotes = check(project, draft)
    assert [q["quote"] for q in quotes] == [
        EXACT,
        "Ensuite j'ai croisé Léon au comptoir",
    ]
    assert quotes[0]["fidelity"] == "exacte" and quotes[0]["ok"]
    assert quotes[0]["document_id"] == corpus.interview and quotes[0]["paragraph"] == 2
    assert code == 0, quotes


def test_a_quotation_running_over_a_paragraph_break_is_found(project, tmp_path):
    from recits import participants as people
    from tests.conftest import add_doc, parsed

    build(project)
    first = "Le collectif a changé ma façon de travailler avec les équipes."
    second = "Maintenant les éducateurs me demandent mon avis sur les sorties."
    with project.store() as store:
        # Same speaker, two paragraphs (two turns): a written report, then a labelled one.
        report = add_doc(store, parsed((None, first), (None, second)), "Rapport", sha256="r" * 8)
        labelled = add_doc(
            store,
            parsed(("Nadia", "Bonjour à toutes."), ("Nadia", "Avant, j'étais seule."),
                   ("Nadia", "Depuis, je dors mieux.")),
            "Atelier", sha256="a" * 8, same=("Nadia",),
        )  # fmt: skip
        people.add(store, "Zélie", role="travailleuse paire")
    draft = tmp_path / "article.md"
    draft.write_text(
        "Le rapport : « avec les équipes. Maintenant les éducateurs me demandent mon avis »\n\n"
        "Elle : « Avant, j'étais seule. Depuis, je dors mieux. »\n",
        encoding="utf-8",
    )
    _code, quotes = check(project, draft)
    crossing, spoken = quotes
    assert crossing["found"] and crossing["document_id"] == report.id, crossing
    with project.store() as store:
        text = store.document_text(report.id)
        said = store.document_text(labelled.id)
    assert text[crossing["start_char"] : crossing["end_char"]] == (
        "avec les équipes.\nMaintenant les éducateurs me demandent mon avis"
    )
    assert crossing["fidelity"] == "exacte"
    assert spoken["found"] and spoken["document_id"] == labelled.id and spoken["ok"], spoken
    assert said[spoken["start_char"] : spoken["end_char"]].endswith("je dors mieux")


def test_the_same_words_twice_a_consenting_speaker_wins_over_an_anonymous_one(project, tmp_path):
    from tests.conftest import add_doc, parsed

    build(project)
    words = "Le collectif nous a appris à dire non sans nous justifier."
    with project.store() as store:
        said = add_doc(
            store, parsed(("Nadia", f"Je le redis souvent aux nouvelles : {words} Voilà."),
                          ("Claire", "Merci.")),
            "Entretien 2", sha256="e" * 8, same=("Nadia",),
        )  # fmt: skip
        # The same words in an unattributed paragraph (a meeting summary), alone: the search
        # index ranks it first.
        add_doc(store, parsed((None, words)), "Synthèse", sha256="s" * 8)
    draft = tmp_path / "article.md"
    draft.write_text(f"« {words} »\n", encoding="utf-8")
    code, quotes = check(project, draft)
    assert quotes[0]["document_id"] == said.id and quotes[0]["speaker"] == "Aurore"
    assert quotes[0]["consented"] and code == 0


def test_the_same_words_from_someone_who_refused_block_the_quotation(project, tmp_path):
    """Fail-closed: when a person who refused said the very same words, they may be theirs."""
    from tests.conftest import add_doc, parsed

    build(project)
    with project.store() as store:
        add_doc(store, parsed(("Yanis", EXACT), ("Claire", "Merci.")), "Autre", sha256="o" * 8,
                same=("Yanis",))  # fmt: skip
    draft = tmp_path / "article.md"
    draft.write_text(f"« {EXACT} »\n", encoding="utf-8")
    code, quotes = check(project, draft)
    assert quotes[0]["speaker"] == "Yanis" and not quotes[0]["consented"] and code == 1


def test_differences_list_only_the_words_that_differ(project, tmp_path):
    corpus = build(project)
    draft = tmp_path / "article.md"
    # "et" left out: the one difference; the quotation still ends at "non".
    draft.write_text(f"« {EXACT.replace(', et sans', ', sans')} »\n", encoding="utf-8")
    _code, (quote,) = check(project, draft)
    assert quote["differences"] == [{"draft": "", "source": "et"}]
    with project.store() as store:
        text = store.document_text(corpus.interview)
    assert text[quote["start_char"] : quote["end_char"]] == EXACT[:-1]
    shown = run(project, "check-quotes", str(draft)).output
    assert "diffère : « ∅ » ≠ source « et »" in shown and shown.count("diffère") == 1
    # Words are shown as written: "l'a", not "l a".
    retyped = EXACT.replace("l'a", "la")
    draft.write_text(f"« {retyped} »\n", encoding="utf-8")
    _code, (quote,) = check(project, draft)
    assert quote["differences"] == [{"draft": "la", "source": "l'a"}]


def test_docx_draft_reads_tracked_changes_as_the_author_sees_them(project, tmp_path):
    """Typed with change tracking on, a quotation is a tracked insertion: read it (a refused
    quotation there made the .docx pass while the same .md failed); deleted text is gone."""
    build(project)
    document = docx.Document()
    document.add_paragraph(f"Elle dit : « {EXACT} »")
    paragraph = document.add_paragraph("Il ajoute : ")
    add_tracked(paragraph, "w:ins", "« On porte tout ça le soir, à la maison. »")
    paragraph = document.add_paragraph("Supprimé : ")
    add_tracked(paragraph, "w:del", "« Le soleil se couche sur la mer et les mouettes chantent »")
    document.save(tmp_path / "article.docx")
    (tmp_path / "article.md").write_text(
        f"Elle dit : « {EXACT} »\n\nIl ajoute : « On porte tout ça le soir, à la maison. »\n",
        encoding="utf-8",
    )
    for name in ("article.docx", "article.md"):
        code, quotes = check(project, tmp_path / name)
        assert code == 1, name
        assert [q["ok"] for q in quotes] == [True, False], name
        assert quotes[1]["speaker"] == "Yanis" and quotes[1]["consent"] == "refusé"


def test_odt_draft_leaves_out_text_deleted_with_change_tracking(project, tmp_path):
    from odf.dc import Creator, Date
    from odf.namespaces import TEXTNS, XMLNS
    from odf.office import ChangeInfo
    from odf.text import ChangedRegion, Deletion, TrackedChanges

    build(project)
    odt = OpenDocumentText()
    tracked = TrackedChanges()
    region = ChangedRegion(qattributes={(XMLNS, "id"): "ct1", (TEXTNS, "id"): "ct1"})
    deletion = Deletion()
    info = ChangeInfo()
    info.addElement(Creator(text="Claire"))
    info.addElement(Date(text="2021-05-01T10:00:00"))
    deletion.addElement(info)
    deletion.addElement(P(text="« Le soleil se couche sur la mer et les mouettes chantent »"))
    region.addElement(deletion)
    tracked.addElement(region)
    odt.text.addElement(tracked)
    odt.text.addElement(P(text=f"Elle dit : « {EXACT} »"))
    odt.save(str(tmp_path / "article.odt"))
    code, quotes = check(project, tmp_path / "article.odt")
    assert [q["quote"] for q in quotes] == [EXACT]
    assert code == 0 and quotes[0]["paragraph"] == 1


def test_words_added_after_a_short_turn_are_not_called_faithful(project, tmp_path):
    """A short turn is wholly inside the quotation: the added words count against it."""
    from tests.conftest import add_doc, parsed

    build(project)
    with project.store() as store:
        add_doc(store, parsed(("Nadia", "Avant, j'étais seule."), ("Claire", "Et maintenant ?")),
                "Court", sha256="c" * 8, same=("Nadia",))  # fmt: skip
    draft = tmp_path / "article.md"
    draft.write_text("« Avant, j'étais seule. Puis j'ai tout quitté pour partir loin. »\n", "utf-8")
    code, (quote,) = check(project, draft)
    assert code == 1 and quote["fidelity"] == "introuvable", quote


def test_a_cut_quotation_needs_the_consent_of_everyone_it_quotes(project, tmp_path):
    """Aurore agreed, Yanis refused: « Aurore's words […] Yanis's words » cannot pass."""
    build(project)
    draft = tmp_path / "article.md"
    draft.write_text(
        "« Moi je suis arrivée au CAARUD en 2018 […] On porte tout ça le soir, à la maison »\n",
        encoding="utf-8",
    )
    code, (quote,) = check(project, draft)
    assert quote["found"] and not quote["consented"] and code == 1
    assert quote["speaker"] == "Yanis" and quote["consent"] == "refusé"


# -- drafts copied from a PDF, and PDF drafts ------------------------------------------------
CUT_EXACT = "La formation, on me l'a pro-\nposée tard, et sans diplôme on m'a dit non."


def test_a_draft_copied_from_a_pdf_has_its_line_end_hyphens_undone(project, tmp_path):
    """« pro- / posée » cut at a line end (text copied from a PDF) is « proposée » again, in a
    .txt or .md draft and in a .docx paragraph whose lines were broken by hand."""
    build(project)
    for name in ("article.txt", "article.md"):
        draft = tmp_path / name
        draft.write_text(f"Une travailleuse paire le dit : « {CUT_EXACT} »\n", encoding="utf-8")
        code, quotes = check(project, draft)
        assert [q["quote"] for q in quotes] == [EXACT], name
        assert quotes[0]["fidelity"] == "exacte" and code == 0, name
    document = docx.Document()
    paragraph = document.add_paragraph("Une travailleuse paire le dit : ")
    head, tail = CUT_EXACT.split("\n")
    paragraph.add_run(head).italic = True
    paragraph.add_run().add_break()
    paragraph.add_run(tail).italic = True
    document.save(str(tmp_path / "article.docx"))
    code, quotes = check(project, tmp_path / "article.docx")
    assert [(q["quote"], q["mark"]) for q in quotes] == [(EXACT, "italique")]
    assert quotes[0]["fidelity"] == "exacte" and code == 0


def test_a_pdf_draft_is_read_as_a_pdf_report_is_imported(project, tmp_path):
    """A draft as a PDF: its « » and italic quotations are found, a word cut at a line end
    included."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    build(project)
    style = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14)
    long_intro = (
        "Dans les structures que nous avons visitées, les pairs parlent souvent de la même chose. "
        * 2
    )
    draft = tmp_path / "article.pdf"
    SimpleDocTemplate(str(draft)).build(
        [
            Paragraph(f"{long_intro}Une travailleuse paire le dit : « {EXACT} »", style),
            Paragraph(
                f"{long_intro}Elle ajoute : <i>On porte tout ça le soir, à la maison.</i>", style
            ),
        ]
    )
    code, quotes = check(project, draft)
    assert [(q["quote"], q["mark"]) for q in quotes] == [
        (EXACT, "guillemets"),
        ("On porte tout ça le soir, à la maison.", "italique"),
    ]
    assert quotes[0]["fidelity"] == "exacte" and quotes[0]["ok"]
    assert quotes[1]["found"] and quotes[1]["consent"] == "refusé"
    assert code != 0
