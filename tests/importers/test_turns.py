"""Speaker-turn detection on plain text."""

from __future__ import annotations

import pytest

from recits.importers.turns import detect_turns, find_label, normalize_speaker
from recits.models import ParsedDocument


def turns(text: str, turns_of) -> list[tuple[str | None, str]]:
    return turns_of(ParsedDocument(text=text, turns=detect_turns(text), format="txt"))


@pytest.mark.parametrize(
    ("line", "speaker", "timestamp"),
    [
        ("Nadia : bonjour à toutes", "Nadia", None),
        ("NADIA: bonjour à toutes", "NADIA", None),
        ("Jean-Marc : bonjour à toutes", "Jean-Marc", None),
        ("Karim B. : bonjour à toutes", "Karim B.", None),
        ("[00:12:03] Karim : bonjour à toutes", "Karim", "00:12:03"),
        ("00:12:03 Karim : bonjour à toutes", "Karim", "00:12:03"),
        ("[12:03] Karim : bonjour à toutes", "Karim", "00:12:03"),
        ("Intervieweuse — bonjour à toutes", "Intervieweuse", None),
        ("INTERVIEWEUSE – bonjour à toutes", "INTERVIEWEUSE", None),
        ("**Nadia** : bonjour à toutes", "Nadia", None),
        ("**Nadia :** bonjour à toutes", "Nadia", None),
        ("Nadia (travailleuse paire) : bonjour à toutes", "Nadia", None),
        ("Nadia\u00a0: bonjour à toutes", "Nadia", None),
        ("Nadia\u202f: bonjour à toutes", "Nadia", None),
        ("Karim de la Tour : bonjour à toutes", "Karim de la Tour", None),
        ("Participant 2 : bonjour à toutes", "Participant 2", None),
        ("J.-M. Dupont : bonjour à toutes", "J.-M. Dupont", None),
        ("Dr. Martin : bonjour à toutes", "Dr. Martin", None),
    ],
)
def test_label_forms(line: str, speaker: str, timestamp: str | None) -> None:
    label = find_label(line)
    assert label is not None
    assert label.speaker == speaker
    assert label.timestamp == timestamp
    assert line[label.speech_start :] == "bonjour à toutes"


@pytest.mark.parametrize(
    "line",
    [
        "Alors voilà : je pense que",
        "ce que je veux dire : on n'est pas écoutés",
        "Remarque : la salle était froide",
        "Il était une fois trois personnes qui parlaient : longtemps",
        "Voir https://example.org",
        "10:30 : début de la réunion",
        "[00:12:03] on reprend",
        "Oui. Nadia : on y va",
        "Le Samu : ils sont venus",
    ],
)
def test_not_a_label(line: str) -> None:
    assert find_label(line) is None


def test_speakers_multiline_turns_and_offsets(turns_of) -> None:
    text = (
        "Réunion du collectif\n"
        "\n"
        "Nadia : bonjour, euh… [rires] on commence ?\n"
        "Je voulais dire (inaudible) un truc.\n"
        "KARIM : oui.\n"
        "\n"
        "Et aussi les pair-e-s.\n"
        "Nadia : d'accord."
    )
    assert turns(text, turns_of) == [
        (None, "Réunion du collectif"),
        ("Nadia", "bonjour, euh… [rires] on commence ?\nJe voulais dire (inaudible) un truc."),
        ("Karim", "oui.\n\nEt aussi les pair-e-s."),
        ("Nadia", "d'accord."),
    ]


def test_same_person_in_capitals_is_one_speaker() -> None:
    text = "NADIA : un\nJean-Marc : deux\nNadia : trois\nJEAN-MARC : quatre\nKARIM B. : cinq"
    speakers = [turn.speaker for turn in detect_turns(text)]
    assert speakers == ["Nadia", "Jean-Marc", "Nadia", "Jean-Marc", "Karim B."]


def test_normalize_speaker() -> None:
    assert normalize_speaker("**Nadia**") == "Nadia"
    assert normalize_speaker("KARIM  DE LA TOUR") == "Karim de la Tour"
    assert normalize_speaker("McDonald") == "McDonald"
    assert normalize_speaker("J.-M. DUPONT") == "J.-M. Dupont"
    assert normalize_speaker("DR. D'ARC") == "Dr. D'Arc"


def test_timestamps_kept_on_turns_and_in_text() -> None:
    text = "[00:00:05] Nadia : on y va\n[00:01:10] Karim : ok"
    found = detect_turns(text)
    assert [(t.speaker, t.timestamp) for t in found] == [
        ("Nadia", "00:00:05"),
        ("Karim", "00:01:10"),
    ]
    assert text[found[1].start_char : found[1].end_char] == "ok"


def test_no_speakers_gives_paragraphs(turns_of) -> None:
    text = "Premier paragraphe\nsur deux lignes.\n\n\nSecond paragraphe."
    assert turns(text, turns_of) == [
        (None, "Premier paragraphe\nsur deux lignes."),
        (None, "Second paragraphe."),
    ]


def test_single_remark_in_prose_is_not_a_turn(turns_of) -> None:
    text = "Nous avons parlé du logement.\n\nRemarque : personne n'était d'accord.\n\nFin."
    assert [speaker for speaker, _ in turns(text, turns_of)] == [None, None, None]
    text = "Nous avons parlé.\n\nKarim : une phrase isolée.\n\nFin."
    assert [speaker for speaker, _ in turns(text, turns_of)] == [None, None, None]


def test_label_with_speech_on_next_line(turns_of) -> None:
    text = "Nadia :\nbonjour\nKarim :\nsalut"
    assert turns(text, turns_of) == [("Nadia", "bonjour"), ("Karim", "salut")]


def test_empty_turns_are_dropped(turns_of) -> None:
    assert turns("Nadia :\nKarim : salut", turns_of) == [("Karim", "salut")]
