"""Names on written prose (reports, minutes): what the review list and the gate stop."""

from __future__ import annotations

import pytest

from recits.candidates import find_candidates
from recits.ingest import ImportOptions, import_paths
from recits.masking import name_key
from recits.names import detected_names
from tests.fixtures.reports import RAPPORT_2021, RAPPORT_2021_PEOPLE


def stopped(text: str) -> list[str]:
    return [c.text for c in find_candidates(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Les pair·e·s n’ont pas l’habitude qu’on leur demande d’intervenir.",
        "Certain-e-s salarié-e-s et certain·e·s médiateur·rice·s de santé-pair·e·s.",
        "Certain.e.s travailleur.euse.s pair.e.s ont répondu.",
        "A. Accompagner le recrutement\n2.3 Former les équipes\nIV. Perspectives",
        "Financé par l’Agence Régionale de Santé et l’Aide Sociale à l’Enfance.",
        "Avec le CHRS, le Conseil départemental et la Maison Départementale des Personnes"
        " Handicapées.",
        "La formation portée par le CCOMS et l’ARS.",
    ],
)
def test_ordinary_prose_of_a_report_is_not_taken_for_names(text):
    assert stopped(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Rédaction : MARTIN Elise, travailleuse paire.", ["MARTIN", "Elise"]),
        ("Le rapport d’Elise MARTIN a été lu.", ["Elise", "MARTIN"]),
        # A surname that is also a French word, in capitals beside a first name.
        (
            "Rédaction : Claire FONTAINE et Samia BELKACEM.",
            ["Claire", "FONTAINE", "Samia", "BELKACEM"],
        ),
        ("Relu par BLANC Rose, le 3 mars.", ["BLANC", "Rose"]),
        # A body named after a person still shows the person's name.
        ("Un don de la Fondation Claire Martin.", ["Claire", "Martin"]),
        ("Elle a rencontré N’Diaye au foyer.", ["Diaye"]),
    ],
)
def test_people_in_a_report_are_stopped(text, names):
    assert stopped(text) == names


def test_a_heading_in_capitals_is_not_a_name():
    assert stopped("RAPPORT D’ACTIVITÉ ANNUEL\n\nLE COLLECTIF DES PAIRS") == []


def test_the_review_list_of_a_written_report_holds_every_person_and_little_else(project, nlp):
    from recits.nlp import analyse

    with project.store() as store:
        import_paths(store, [RAPPORT_2021], ImportOptions())
        analyse(store)
        listed = detected_names(store)
    words = {w for n in listed for w in name_key(n.key).split()}
    assert words >= RAPPORT_2021_PEOPLE  # no person missed
    not_people = [n.name for n in listed if not set(name_key(n.key).split()) & RAPPORT_2021_PEOPLE]
    assert len(not_people) <= 5, not_people
    for elided in ("n’", "qu’on n’", "un·e pair·e", "B."):
        assert elided not in [n.name for n in listed]
