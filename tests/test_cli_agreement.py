"""`recits agreement`: figures as JSON, the table for an article, bad input refused."""

from __future__ import annotations

import json

import pytest

from recits.models import NewCoding
from tests.conftest import add_doc, db_snapshot, parsed, run

SPEECH = "On se forme entre pairs, et la charge est lourde parfois."


@pytest.fixture
def coded(project):
    """One document coded by Nadia and Karim, another by Nadia only."""
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Samia", SPEECH)), "Réunion chez Benali")
        other = add_doc(store, parsed(("Samia", SPEECH)), "Autre", date="2021-05-01")
        start = store.document_text(doc.id).index("On")
        store.add_codings([
            NewCoding(doc.id, start, start + 24, "formation", "Nadia", memo="pairs"),
            NewCoding(doc.id, start, start + 10, "formation", "Karim"),
            NewCoding(doc.id, start + 29, start + 50, "charge-mentale", "Karim"),
            NewCoding(other.id, start, start + 10, "formation", "Nadia"),
        ])  # fmt: skip
    project.doc_id = doc.id
    return project


def test_json_rows_per_code_and_document_and_overall(coded):
    result = run(coded, "agreement", "--json", "--coders", "Nadia,karim")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    keys = {
        "code",
        "document",
        "unit",
        "coders",
        "percent_agreement",
        "kappa",
        "alpha",
        "units",
        "agreements",
        "coded_by",
        "both",
        "first_only",
        "second_only",
        "neither",
    }
    assert all(set(r) == keys for r in rows)
    by = {(r["code"], r["document"]): r for r in rows}
    # The second document was coded by Nadia alone: no row of its own.
    assert {d for _c, d in by} == {coded.doc_id, None}
    formation = by[("formation", coded.doc_id)]
    assert formation["coders"] == ["Nadia", "Karim"] and formation["unit"] == "character"
    assert (formation["both"], formation["first_only"], formation["second_only"]) == (10, 14, 0)
    assert formation["units"] == len("Samia : " + SPEECH + "\n")
    charge = by[("charge-mentale", None)]
    assert charge["coded_by"] == {"Nadia": 0, "Karim": 21}
    assert charge["kappa"] == pytest.approx(0.0, abs=1e-12)
    overall = by[(None, None)]  # every code's judgements, pooled
    codes = {r["code"] for r in rows} - {None}
    assert len(codes) == 4 and overall["units"] == 4 * formation["units"]
    assert 0 < overall["percent_agreement"] < 1


def test_units_sentence_and_passage(coded):
    rows = json.loads(run(coded, "agreement", "--json", "--unit", "passage").stdout)
    formation = next(r for r in rows if r["code"] == "formation" and r["document"])
    assert (formation["units"], formation["both"]) == (1, 1)
    rows = json.loads(run(coded, "agreement", "--json", "--unit", "sentence",
                          "--code", "formation").stdout)  # fmt: skip
    assert {r["code"] for r in rows} == {"formation", None}
    assert next(r for r in rows if r["document"] is None)["units"] == 1


def test_the_table_for_an_article_holds_no_title_nor_name(coded):
    result = run(coded, "agreement", "--out", "accord.md")
    assert result.exit_code == 0, result.output
    written = coded.exports_dir / "accord.md"
    table = written.read_text(encoding="utf-8")
    assert "Benali" not in table and "Nadia" not in table and "Karim" not in table
    assert "| Formation entre pairs |" in table or "Formation" in table
    assert "entretien, 2021-04-12" in table and "codeur·euse 1 · codeur·euse 2" in table
    assert "codeur·euse 1 = Karim, 2 = Nadia" in result.stderr  # alphabetical by default
    import re

    figures = [line.split(" | ")[4:7] for line in table.splitlines()[2:]]
    assert figures and all(
        re.fullmatch(r"-?[0-9]+,[0-9]+|—", f) and f != "-0,000" for row in figures for f in row
    )
    csv_file = coded.root / "accord.csv"
    assert run(coded, "agreement", "--out", str(csv_file)).exit_code == 0
    assert csv_file.read_text(encoding="utf-8").startswith("Code,Document,Unité")
    again = run(coded, "agreement", "--out", str(csv_file))
    assert again.exit_code == 1 and "existe déjà" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coders", "Nadia,Zoé"), "codeur·euse inconnu·e : « Zoé »"),
        (("--coders", "Nadia"), "deux codeur·euse·s au moins"),
        (("--coders", "Nadia,nadia"), "donné·e deux fois"),
        (("--code", "inexistant"), "code inconnu : « inexistant »"),
        (("--document", "pas un document"), "pas un document"),
        (("--document", "Autre"), "(seul·e « Nadia » a codé)"),
        (("--document", "Autre", "--coders", "Nadia,Karim"), "aucun document n'a été codé par"),
        (("--unit", "mot"), "'mot'"),  # in French through recits.cli.main (test_cli_help)
        (("--out", "accord.pdf"), "format inconnu « .pdf »"),
    ],
)
def test_bad_input_is_refused_in_french_and_changes_nothing(coded, args, message):
    before = db_snapshot(coded.db_path)
    result = run(coded, "agreement", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db_snapshot(coded.db_path) == before
    assert not any(coded.exports_dir.iterdir())


def test_one_coder_only_or_no_codings_says_so(project):
    with project.store() as store:
        project.sync_codebook(store)
        doc = add_doc(store, parsed(("Samia", SPEECH)))
    result = run(project, "agreement")
    assert result.exit_code == 1 and "aucun extrait codé" in result.output
    with project.store() as store:
        store.add_coding(NewCoding(doc.id, 8, 12, "formation", "Nadia"))
    result = run(project, "agreement")
    assert result.exit_code == 1
    assert "deux codeur·euse·s au moins (seul·e « Nadia » a codé)" in result.output
