"""Word (.docx) and LibreOffice (.odt) transcripts, built with the real libraries."""

from __future__ import annotations

import datetime as dt

import docx

from recits.importers import parse_file

INCLUSIVE = "Les pair-e-s et les travailleur·euse·s\u00a0: « on est là\u202f! »"


def test_docx_bold_speaker_names(make_docx, turns_of) -> None:
    path = make_docx(
        [
            "",
            "Réunion du collectif",
            [("Nadia", True), (" : ", False), (INCLUSIVE, False)],
            [("Karim :", True), (" oui, [rires] tout à fait.", False)],
            "Et je continue sur une deuxième ligne.",
            "",
            [("NADIA", True), (" d'accord.", False)],
            "",
        ]
    )
    document = parse_file(path)
    assert document.format == "docx"
    assert document.text == (
        "Réunion du collectif\n"
        f"Nadia : {INCLUSIVE}\n"
        "Karim : oui, [rires] tout à fait.\n"
        "Et je continue sur une deuxième ligne.\n"
        "\n"
        "NADIA d'accord."
    )
    assert turns_of(document) == [
        (None, "Réunion du collectif"),
        ("Nadia", INCLUSIVE),
        ("Karim", "oui, [rires] tout à fait.\nEt je continue sur une deuxième ligne."),
        ("Nadia", "d'accord."),
    ]


def test_docx_bold_heading_is_not_a_speaker(make_docx, turns_of) -> None:
    path = make_docx(
        [[("Compte Rendu", True)], "Un paragraphe.", [("Nadia", True), (" : x", False)]]
    )
    assert [speaker for speaker, _ in turns_of(parse_file(path))] == [None, None, None]


def test_docx_plain_labels_fall_back_to_text_rules(make_docx, turns_of) -> None:
    path = make_docx(["[00:00:10] Nadia : bonjour", "INTERVIEWEUSE — et ensuite ?"])
    document = parse_file(path)
    assert turns_of(document) == [("Nadia", "bonjour"), ("Intervieweuse", "et ensuite ?")]
    assert document.turns[0].timestamp == "00:00:10"


def test_docx_without_speakers_one_turn_per_paragraph(make_docx, turns_of) -> None:
    path = make_docx(["Premier paragraphe.", "Deuxième paragraphe.", "", "Troisième."])
    document = parse_file(path)
    assert document.text == "Premier paragraphe.\nDeuxième paragraphe.\n\nTroisième."
    assert turns_of(document) == [
        (None, "Premier paragraphe."),
        (None, "Deuxième paragraphe."),
        (None, "Troisième."),
    ]


def test_docx_table_cells_follow_the_body(make_docx) -> None:
    path = make_docx(["Avant le tableau."], table=[["Nadia", "bonjour"], ["Karim", "salut"]])
    assert parse_file(path).text == "Avant le tableau.\nNadia\nbonjour\nKarim\nsalut"


def test_docx_metadata(make_docx) -> None:
    path = make_docx(
        ["Bonjour."],
        title="Entretien avec Karim",
        subject="entretien",
        created=dt.datetime(2024, 3, 12, 14, 30),
    )
    document = parse_file(path)
    assert (document.title, document.kind, document.date) == (
        "Entretien avec Karim",
        "entretien",
        "2024-03-12",
    )
    assert document.participants == ()


def test_docx_template_dates_ignored(make_docx) -> None:
    assert parse_file(make_docx(["Bonjour."])).date is None  # python-docx's 2013 template date
    old = make_docx(["Bonjour."], name="old.docx", created=dt.datetime(1990, 1, 1))
    assert parse_file(old).date is None
    document = parse_file(make_docx(["Bonjour."], name="bare.docx"))
    assert (document.title, document.kind) == (None, None)


def test_odt_headings_paragraphs_lists_and_turns(make_odt, turns_of) -> None:
    path = make_odt(
        [f"Nadia :   {INCLUSIVE}", "suite\tavec tabulation", "", "KARIM : oui\nà la ligne"],
        heading="Réunion du collectif",
        list_items=["Nadia : dans une liste"],
    )
    document = parse_file(path)
    assert document.format == "odt"
    assert document.text == (
        "Réunion du collectif\n"
        f"Nadia :   {INCLUSIVE}\n"
        "suite\tavec tabulation\n"
        "\n"
        "KARIM : oui\nà la ligne\n"
        "Nadia : dans une liste"
    )
    assert turns_of(document) == [
        (None, "Réunion du collectif"),
        ("Nadia", f"{INCLUSIVE}\nsuite\tavec tabulation"),
        ("Karim", "oui\nà la ligne"),
        ("Nadia", "dans une liste"),
    ]


def test_odt_without_speakers_one_turn_per_paragraph(make_odt, turns_of) -> None:
    path = make_odt(["Un.", "Deux\nsur deux lignes."])
    assert turns_of(parse_file(path)) == [(None, "Un."), (None, "Deux\nsur deux lignes.")]


def test_odt_metadata(make_odt) -> None:
    path = make_odt(
        ["Bonjour."], title="Réunion de mars", subject="réunion", created="2024-03-12T10:00:00"
    )
    document = parse_file(path)
    assert (document.title, document.kind, document.date) == (
        "Réunion de mars",
        "réunion",
        "2024-03-12",
    )
    bare = parse_file(make_odt(["Bonjour."], name="bare.odt"))
    assert (bare.title, bare.kind, bare.date) == (None, None, None)


def test_docx_merged_cells_read_once(tmp_path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Titre fusionné"
    table.cell(1, 0).text = "a"
    table.cell(1, 1).text = "b"
    path = tmp_path / "fusion.docx"
    document.save(str(path))
    assert parse_file(path).text == "Titre fusionné\na\nb"


def test_docx_reads_the_text_as_it_stands_after_tracked_changes(make_docx, tmp_path) -> None:
    """Typed with change tracking on, words are tracked insertions: python-docx's
    paragraph.text leaves them out. Deleted words are not part of the text."""
    from tests.importers.conftest import add_tracked

    document = docx.Document()
    paragraph = document.add_paragraph("Nadia : je suis arrivée ")
    add_tracked(paragraph, "w:ins", "au CAARUD ")
    add_tracked(paragraph, "w:del", "au CSAPA ")
    paragraph.add_run("en 2018.")
    document.add_paragraph("Karim : oui.")
    document.save(tmp_path / "suivi.docx")
    parsed = parse_file(tmp_path / "suivi.docx")
    assert parsed.text == "Nadia : je suis arrivée au CAARUD en 2018.\nKarim : oui."
