"""Plain-text and Markdown transcripts."""

from __future__ import annotations

import codecs

import pytest

from recits.errors import InputFileError
from recits.importers import parse_file
from recits.importers.text import markdown_to_text

INCLUSIVE = "Les pair-e-s et les travailleur·euse·s\u00a0: « on est là\u202f! »"


def test_txt_speakers_text_and_format(write_text, turns_of) -> None:
    path = write_text("reunion.txt", "Nadia : bonjour\r\nKarim : salut\r\n")
    document = parse_file(path)
    assert document.text == "Nadia : bonjour\nKarim : salut"
    assert document.format == "txt"
    assert turns_of(document) == [("Nadia", "bonjour"), ("Karim", "salut")]
    assert (document.title, document.kind, document.date, document.participants) == (
        None,
        None,
        None,
        (),
    )


def test_inclusive_writing_kept_exactly(write_text, turns_of) -> None:
    text = f"Nadia : {INCLUSIVE}\nKarim : et les « pairs »."
    document = parse_file(write_text("a.txt", text))
    assert document.text == text
    assert turns_of(document)[0] == ("Nadia", INCLUSIVE)


def test_text_is_nfc(write_text) -> None:
    document = parse_file(write_text("a.txt", "e\u0301te\u0301 passe\u0301"))
    assert document.text == "été passé"


def test_front_matter_is_metadata_not_text(write_text, turns_of) -> None:
    content = (
        "---\n"
        "title: Réunion de mars\n"
        "kind: réunion du collectif\n"
        "date: 2024-03-12\n"
        "participants:\n"
        "  - Nadia\n"
        "  - Karim\n"
        "---\n"
        "\n"
        "Nadia : on commence.\n"
        "Karim : oui.\n"
    )
    document = parse_file(write_text("a.md", content))
    assert document.text == "Nadia : on commence.\nKarim : oui."
    assert document.title == "Réunion de mars"
    assert document.kind == "réunion du collectif"
    assert document.date == "2024-03-12"
    assert document.participants == ("Nadia", "Karim")
    assert turns_of(document) == [("Nadia", "on commence."), ("Karim", "oui.")]


def test_front_matter_date_as_string_in_txt(write_text) -> None:
    document = parse_file(write_text("a.txt", "---\ndate: '2023-11-02'\n---\nBonjour."))
    assert document.date == "2023-11-02"
    assert document.text == "Bonjour."


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: a: b\n", "ligne 2"),
        ("title: x\ntitle: [oups\n", "ligne"),
        ("title: a\n  b: c\n", "ligne 3"),
        ("date: 12/03/2024\n", "« date »"),
        ("date: 2024-02-30\n", "date impossible"),
        ("participants: 3\n", "« participants »"),
        ("title: {a: 1}\n", "« title »"),
        ("- juste\n- une liste\n", "clé: valeur"),
    ],
)
def test_invalid_front_matter(write_text, front: str, expected: str) -> None:
    path = write_text("entete.md", f"---\n{front}---\nNadia : bonjour\n")
    with pytest.raises(InputFileError) as caught:
        parse_file(path)
    assert "entete.md" in str(caught.value)
    assert "en-tête YAML" in str(caught.value)
    assert expected in str(caught.value)


def test_unclosed_front_matter(write_text) -> None:
    with pytest.raises(InputFileError, match="non fermé"):
        parse_file(write_text("a.txt", "---\ntitle: x\nNadia : bonjour\n"))


def test_markdown_headings_and_emphasis_stripped(write_text, turns_of) -> None:
    content = (
        "# Réunion du collectif\n"
        "\n"
        "**Nadia** : c'est *vraiment* important pour les pair-e-s.\n"
        "**Karim :** oui, __surtout__ le _logement_, pas le fichier mon_fichier_test.\n"
        "**NADIA** : 3*4*5 et travailleur·euse·s.\n"
    )
    document = parse_file(write_text("a.md", content))
    assert document.format == "md"
    assert document.text == (
        "Réunion du collectif\n"
        "\n"
        "Nadia : c'est vraiment important pour les pair-e-s.\n"
        "Karim : oui, surtout le logement, pas le fichier mon_fichier_test.\n"
        "NADIA : 3*4*5 et travailleur·euse·s."
    )
    assert turns_of(document) == [
        (None, "Réunion du collectif"),
        ("Nadia", "c'est vraiment important pour les pair-e-s."),
        ("Karim", "oui, surtout le logement, pas le fichier mon_fichier_test."),
        ("Nadia", "3*4*5 et travailleur·euse·s."),
    ]


def test_markdown_leaves_other_things_alone() -> None:
    source = "- une liste\n> une citation\n#hashtag\n## Titre ##\nun * seul"
    assert markdown_to_text(source) == "- une liste\n> une citation\n#hashtag\nTitre\nun * seul"


def test_cp1252_decoded(write_text) -> None:
    text = "Nadia : é à ç œ € « ok »"
    document = parse_file(write_text("win.txt", text, encoding="cp1252"))
    assert document.text == text


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_bom_encodings(write_text, turns_of, bom: bytes, encoding: str) -> None:
    text = f"Nadia : {INCLUSIVE}\r\nKarim : été"
    document = parse_file(write_text("bom.txt", bom + text.encode(encoding)))
    assert document.text == text.replace("\r\n", "\n")
    assert not document.text.startswith("\ufeff")
    assert turns_of(document) == [("Nadia", INCLUSIVE), ("Karim", "été")]


def test_suffix_is_case_insensitive(write_text) -> None:
    assert parse_file(write_text("NOTES.TXT", "Bonjour.")).format == "txt"
    assert parse_file(write_text("NOTES.Md", "# Bonjour")).text == "Bonjour"
