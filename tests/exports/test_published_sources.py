"""Excerpts of written documents: a published source cited by its reference and page, a
testimony it quotes attributed as such, an author's consent for unpublished notes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from recits import participants as people
from recits.exports import ExportFilters, preview_export
from recits.models import NewCoding, ParsedDocument, ParsedTurn
from tests.conftest import add_doc, db_snapshot, run
from tests.exports.test_excerpts import docx_text, export, odt_text

SOURCE = "Rapport d'activités 2020-2021, plateforme travail pair AuRA"
PARAGRAPHS = (
    ("heading", 11, None, "1. Le collectif"),
    (None, 11, "1. Le collectif",
     "Six réunions du collectif se sont tenues cette année, dont quatre à distance."),
    (None, 12, "1. Le collectif",
     "Une travailleuse paire raconte : « Au début, on m’envoyait tous les cas difficiles."
     " J’ai mis six mois à dire non. » Ce témoignage revient souvent."),
)  # fmt: skip
FACT = "Six réunions du collectif se sont tenues cette année, dont quatre à distance."
TESTIMONY = "Au début, on m’envoyait tous les cas difficiles. J’ai mis six mois à dire non."
CITED = f"— {SOURCE}, p. 11"
NNBSP = "\u202f"
QUOTED = f"— témoignage de pair·e cité dans {SOURCE}, p. 12"


def written() -> ParsedDocument:
    text, turns = "", []
    for kind, page, section, paragraph in PARAGRAPHS:
        start = len(text)
        text += paragraph + "\n\n"
        turns.append(ParsedTurn(start, start + len(paragraph), page=page, section=section,
                                kind=kind))  # fmt: skip
    return ParsedDocument(text=text, turns=tuple(turns), format="md")


def add_report(project, *, published: bool = True, source: str | None = SOURCE) -> str:
    with project.store() as store:
        doc = add_doc(store, written(), "Rapport", kind="rapport d'activités", date="2021-10-14",
                      source=source, published=published)  # fmt: skip
        text = store.document_text(doc.id)
        fact, quote = text.index(FACT), text.index(TESTIMONY)
        store.add_codings([
            NewCoding(doc.id, fact, fact + len(FACT), "charge-mentale", "Claire"),
            NewCoding(doc.id, quote, quote + len(TESTIMONY), "legitimite", "Claire"),
        ])  # fmt: skip
    return doc.id


def test_a_published_source_is_cited_by_reference_and_page_in_every_format(project):
    add_report(project)
    md = export(project, "md").read_text(encoding="utf-8")
    assert CITED in md and QUOTED in md
    assert "dont quatre à distance" in md and "dire non" in md
    assert f"«{NNBSP}*Au début" in md  # whole: no "[…]" after the report's «
    assert "1. Le collectif" not in md.split("## ")[1]  # the heading is not quoted
    for reader, fmt in ((docx_text, "docx"), (odt_text, "odt")):
        text, italics = reader(export(project, fmt))
        assert CITED in text and QUOTED in text, fmt
        assert any("dire non" in i for i in italics), fmt
    rows = list(csv.DictReader(io.StringIO(export(project, "csv").read_text(encoding="utf-8"))))
    data = json.loads(export(project, "json").read_text(encoding="utf-8"))
    for found in (rows, data):
        by_code = {r["code"]: r for r in found}
        assert by_code["charge-mentale"]["source"] == SOURCE
        assert str(by_code["charge-mentale"]["page"]) == "11"
        assert str(by_code["legitimite"]["page"]) == "12"
        assert by_code["legitimite"]["section"] == "1. Le collectif"
        assert by_code["legitimite"]["attribution"] == QUOTED
        assert by_code["legitimite"]["participant_id"] == ""
    assert data[0]["page"] in (11, 12)  # a number in JSON


def test_an_unpublished_report_without_author_is_left_out_and_says_how_to_cite_it(project):
    add_report(project, published=False)
    preview = preview_export(project.store(), "md", ExportFilters())
    assert preview.count == 0
    summary = "\n".join(preview.summary())
    assert "sans locuteur·rice identifié·e" in summary
    assert "recits documents edit DOC --source … --published" in summary


def test_an_authors_consent_applies_to_the_notes_they_wrote(project):
    document_id = add_report(project, published=False, source=None)
    with project.store() as store:
        people.add(store, "Aurore", role="travailleuse paire")
    result = run(project, "documents", "edit", document_id[:8], "--author", "Aurore")
    assert result.exit_code == 0, result.output
    with project.store() as store:
        assert preview_export(store, "md", ExportFilters()).count == 0  # no consent yet
        people.set_consent(store, "Aurore", "accordé", scope="articles", date="2021-11-01")
        preview = preview_export(store, "md", ExportFilters())
    assert preview.count == 2
    assert "— travailleuse paire, rapport d'activités, octobre 2021" in preview.data.decode()
    assert SOURCE not in preview.data.decode()


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_a_name_in_the_reference_blocks_the_export_until_reviewed(project, fmt):
    add_report(project, source="Rapport rédigé par Claire FONTAINE, 2021")
    before = db_snapshot(project.db_path)
    result = run(project, "export", "excerpts", "--format", fmt)
    assert result.exit_code != 0
    assert "FONTAINE" in result.output + result.stderr
    assert db_snapshot(project.db_path) == before
    assert not list((project.root / "exports").iterdir())
    for name in ("FONTAINE", "Claire"):
        assert run(project, "names", "dismiss", name).exit_code == 0
    path = export(project, fmt)
    assert "Claire FONTAINE" in path.read_text(encoding="utf-8")
