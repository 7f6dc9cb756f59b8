"""Video-call captions: .vtt voice tags and NOTE metadata, .srt with name prefixes."""

from __future__ import annotations

import pytest

from recits.errors import InputFileError
from recits.importers import parse_file

VTT = """WEBVTT

NOTE
title: Réunion visio
kind: réunion du collectif
date: 2024-03-12
participants: Nadia, Karim

00:00:01.000 --> 00:00:03.500
<v Karim>Bonjour à <i>toutes</i> et à tous,

00:00:03.500 --> 00:00:06.000
<v Karim>on commence &amp; on <c.yellow>finit</c> tôt.

00:01:02.000 --> 00:01:05.000
<v.loud Nadia>Les pair-e-s <00:01:03.000>d'abord\u00a0!

00:01:05.000 --> 00:01:06.000
oui, [rires]

01:02:03.000 --> 01:02:04.000
<v Karim>D'accord.
"""


def test_vtt_voice_tags_merging_and_metadata(write_text, turns_of) -> None:
    document = parse_file(write_text("visio.vtt", VTT))
    assert document.format == "vtt"
    assert document.text == (
        "Karim : Bonjour à toutes et à tous, on commence & on finit tôt.\n"
        "Nadia : Les pair-e-s d'abord\u00a0! oui, [rires]\n"
        "Karim : D'accord."
    )
    assert turns_of(document) == [
        ("Karim", "Bonjour à toutes et à tous, on commence & on finit tôt."),
        ("Nadia", "Les pair-e-s d'abord\u00a0! oui, [rires]"),
        ("Karim", "D'accord."),
    ]
    assert [turn.timestamp for turn in document.turns] == ["00:00:01", "00:01:02", "01:02:03"]
    assert (document.title, document.kind, document.date) == (
        "Réunion visio",
        "réunion du collectif",
        "2024-03-12",
    )
    assert document.participants == ("Nadia", "Karim")


def test_vtt_without_speakers_and_dialogue_dashes(write_text, turns_of) -> None:
    content = (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\nBonjour.\n\n"
        "00:00:02.000 --> 00:00:03.000\nÇa va ?\n\n"
        "00:00:03.000 --> 00:00:04.000\n- Oui.\n- Et toi ?\n"
    )
    document = parse_file(write_text("a.vtt", content))
    assert document.text == "Bonjour. Ça va ?\nOui.\nEt toi ?"
    assert turns_of(document) == [(None, "Bonjour. Ça va ?"), (None, "Oui."), (None, "Et toi ?")]
    assert (document.title, document.date) == (None, None)


def test_srt_with_capital_name_prefixes(write_text, turns_of) -> None:
    content = (
        "1\n00:00:01,000 --> 00:00:02,000\nNADIA : Bonjour à toutes.\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\net à tous.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nKARIM: <i>Salut</i> les travailleur·euse·s.\n\n"
        "4\n00:00:08,000 --> 00:00:09,000\nNadia : On y va.\n"
    )
    document = parse_file(write_text("visio.srt", content))
    assert document.format == "srt"
    assert document.text == (
        "Nadia : Bonjour à toutes. et à tous.\n"
        "Karim : Salut les travailleur·euse·s.\n"
        "Nadia : On y va."
    )
    assert turns_of(document) == [
        ("Nadia", "Bonjour à toutes. et à tous."),
        ("Karim", "Salut les travailleur·euse·s."),
        ("Nadia", "On y va."),
    ]
    assert [turn.timestamp for turn in document.turns] == ["00:00:01", "00:00:05", "00:00:08"]


def test_srt_single_remark_is_not_a_speaker(write_text, turns_of) -> None:
    content = (
        "1\n00:00:01,000 --> 00:00:02,000\nBon.\n\n2\n00:00:02,000 --> 00:00:03,000\nNadia : ok\n"
    )
    assert turns_of(parse_file(write_text("a.srt", content))) == [(None, "Bon. Nadia : ok")]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.vtt", "00:00:01.000 --> 00:00:02.000\nBonjour\n", "WEBVTT"),
        ("a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:0x:02.000\nBonjour\n", "ligne 3"),
        ("a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "aucun sous-titre"),
        ("a.vtt", "WEBVTT\n\nNOTE\ndate: 12 mars\n\n00:00:01.000 --> 00:00:02.000\nx\n", "date"),
        ("a.srt", "Bonjour tout le monde\nça va\n", "numéro"),
        ("a.srt", "1\n00:00:01 --> 00:00:02\nBonjour\n", "ligne 2"),
    ],
)
def test_invalid_captions(write_text, name: str, content: str, expected: str) -> None:
    path = write_text(name, content)
    with pytest.raises(InputFileError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert name in message
    assert "fichier de sous-titres invalide" in message
    assert expected in message


def test_vtt_cp1252_and_utf16(write_text) -> None:
    content = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Nadia>été œ €\n"
    assert parse_file(write_text("w.vtt", content, "cp1252")).text == "Nadia : été œ €"
    data = "\ufeff".encode("utf-16-le") + content.encode("utf-16-le")
    assert parse_file(write_text("u.vtt", data)).text == "Nadia : été œ €"


OUT_OF_RANGE = {
    "a.vtt": (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Nadia>Bonjour à tous.\n\n"
        "00:00:75.000 --> 00:00:80.000\n<v Karim>Les mots de la ligne six.\n\n"
        "00:61:00.000 --> 00:62:00.000\n<v Nadia>Et ceux de la ligne neuf.\n"
    ),
    "a.srt": (
        "1\n00:00:01,000 --> 00:00:02,000\nNADIA : Bonjour à tous.\n\n"
        "2\n00:00:75,000 --> 00:00:80,000\nKARIM : Les mots de la ligne six.\n\n"
        "3\n00:61:00,000 --> 00:62:00,000\nNADIA : Et ceux de la ligne dix.\n"
    ),
}


@pytest.mark.parametrize("name", sorted(OUT_OF_RANGE))
def test_out_of_range_timings_keep_their_words_with_a_warning(write_text, name) -> None:
    """00:00:75 or 00:61:00 was dropped with its words (exit 0): the cue is kept, read as the
    time it counts, and the user is told which line."""
    document = parse_file(write_text(name, OUT_OF_RANGE[name]))
    assert "Les mots de la ligne six." in document.text
    assert "Et ceux de la ligne" in document.text
    assert [turn.timestamp for turn in document.turns] == ["00:00:01", "00:01:15", "01:01:00"]
    last = "10" if name.endswith(".srt") else "9"
    assert [w.split(" : ")[0] for w in document.warnings] == ["ligne 6", f"ligne {last}"]
    sep = "," if name.endswith(".srt") else "."
    assert (
        f"« 00:00:75{sep}000 --> 00:00:80{sep}000 », lu comme « 00:01:15{sep}000"
        in (document.warnings[0])
    )
    assert "hors limites" in document.warnings[0] and "gardé" in document.warnings[0]


def test_out_of_range_timings_through_the_cli(project, tmp_path) -> None:
    from tests.conftest import run

    path = tmp_path / "visio.vtt"
    path.write_text(OUT_OF_RANGE["a.vtt"], encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "attention, ligne 6 : horodatage hors limites" in result.output
    assert "ligne 9" in result.output
    with project.store() as store:
        text = store.document_text(store.documents()[0].id)
    assert "Les mots de la ligne six." in text and "Et ceux de la ligne neuf." in text


def test_a_cue_the_caption_library_skips_refuses_the_file(write_text, monkeypatch) -> None:
    """Should webvtt-py ever skip a cue, its words would be lost: the file is refused instead,
    with the line of the cue."""
    import webvtt

    from recits.importers import captions

    real = webvtt.from_string

    def skipping(raw: str) -> webvtt.WebVTT:
        parsed = real(raw)
        del parsed.captions[1]
        return parsed

    monkeypatch.setattr(captions.webvtt, "from_string", skipping)
    path = write_text("a.vtt", OUT_OF_RANGE["a.vtt"])
    with pytest.raises(InputFileError) as caught:
        parse_file(path)
    assert str(path) in str(caught.value)
    assert "sous-titre illisible à la ligne 6 (ses mots seraient perdus)" in str(caught.value)
