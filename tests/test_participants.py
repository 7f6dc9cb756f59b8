"""Participants through the CLI: pseudonyms, aliases, roles, consent, and refusals."""

from __future__ import annotations

import json

import pytest

from recits.masking import Masker, NameFinder
from tests.conftest import add_doc, db_snapshot, parsed, run
from tests.publishing import build


@pytest.fixture
def meeting(project):
    with project.store() as store:
        add_doc(store, parsed(("Nadia", "Bonjour."), ("KARIM", "Salut Nadia.")), "Réunion")
    return project


def listing(project) -> dict[str, dict]:
    result = run(project, "participants", "--json")
    assert result.exit_code == 0, result.stderr
    return {p["pseudonym"]: p for p in json.loads(result.output)}


def test_rename_keeps_the_real_name_as_an_alias(meeting):
    result = run(
        meeting, "participants", "rename", "nadia", "--pseudonym", "Aurore", "--alias",
        "Nadou", "--role", "travailleuse paire",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    aurore = listing(meeting)["Aurore"]
    assert aurore["aliases"] == ["Nadia", "Nadou"]
    assert aurore["role"] == "travailleuse paire"
    assert aurore["labels"] == ["Nadia"] and aurore["turns"] == 1
    assert "Nadia" not in listing(meeting)


def test_consent_is_recorded_with_scope_date_and_history(meeting):
    run(meeting, "participants", "consent", "Nadia", "accordé", "--scope", "articles,bd",
        "--date", "2021-03-01")  # fmt: skip
    run(meeting, "participants", "consent", "Nadia", "retire", "--date", "2021-06-01")
    nadia = listing(meeting)["Nadia"]
    assert (nadia["consent"], nadia["consent_scope"], nadia["consent_date"]) == (
        "retiré", [], "2021-06-01",
    )  # fmt: skip
    history = json.loads(run(meeting, "participants", "history", "Nadia", "--json").output)
    assert [h["consent"] for h in history] == ["accordé", "retiré"]
    assert history[0]["recorded_by"] == "Claire"


def test_alias_role_and_alias_removal(meeting):
    assert run(meeting, "participants", "alias", "Karim", "M. B.", "Kiki").exit_code == 0
    assert run(meeting, "participants", "role", "Karim", "cadre").exit_code == 0
    assert run(meeting, "participants", "alias", "Karim", "Kiki", "--remove").exit_code == 0
    karim = listing(meeting)["KARIM"]  # as written in the source
    assert karim["aliases"] == ["M. B."] and karim["role"] == "cadre"


@pytest.mark.parametrize(
    "args, message",
    [
        (["consent", "Personne", "accordé", "--scope", "articles"], "participant·e inconnu·e"),
        (["rename", "Personne", "--pseudonym", "X"], "participant·e inconnu·e"),
        (["consent", "Nadia", "peut-être"], "consentement inconnu"),
        (["consent", "Nadia", "accordé"], "précisez la portée"),
        (["consent", "Nadia", "accordé", "--scope", "radio"], "portée inconnue"),
        (["consent", "Nadia", "accordé", "--scope", "bd", "--date", "hier"], "date invalide"),
        (["rename", "Nadia", "--pseudonym", "Karim"], "déjà celui d'une autre personne"),
        (["rename", "Nadia", "--pseudonym", "Nadia Rose"], "contient le nom réel"),
        (["rename", "Nadia", "--pseudonym", "Aurore", "--alias", "Karim"], "contient le nom"),
        (["alias", "Karim", "Nadia"], "contient le nom réel"),
        (["rename", "Nadia", "--pseudonym", "  "], "vide"),
    ],
)
def test_bad_participant_input_is_refused_and_changes_nothing(meeting, args, message):
    run(meeting, "participants", "rename", "Nadia", "--pseudonym", "Nadia", "--alias", "Nad")
    before = db_snapshot(meeting.db_path)
    result = run(meeting, "participants", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert db_snapshot(meeting.db_path) == before


def test_a_pseudonym_cannot_be_a_name_found_in_the_corpus(project):
    build(project)  # "Rachid" is a detected person name in the meeting
    before = db_snapshot(project.db_path)
    result = run(project, "participants", "rename", "Claire", "--pseudonym", "Rachid")
    assert result.exit_code != 0 and "nom de personne trouvé" in result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_mentioned_person_can_be_added_to_mask_their_name(project):
    build(project)
    assert run(project, "participants", "add", "Le cadre", "--alias", "Rachid").exit_code == 0
    assert listing(project)["Le cadre"]["aliases"] == ["Rachid"]


def test_masking_covers_every_grammatical_position():
    masker = Masker([("Nadia", "Karima"), ("Éloïse Martin", "Inès")])
    text = "NADIA, Nadia's, d'Nadia, de Nadia, nadia ; ELOISE MARTIN et éloïse-martin. Nadiana."
    assert masker.mask(text) == (
        "KARIMA, Karima's, de Karima, de Karima, Karima ; INÈS et Inès. Nadiana."
    )
    assert Masker([("Karim", "Aurore")]).mask("le vélo de Karim") == "le vélo d'Aurore"
    assert [o.found for o in NameFinder(["Zoé"]).find("zoe, ZOÉ, Zoéline")] == ["zoe", "ZOÉ"]
