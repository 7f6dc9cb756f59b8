"""Names on written prose (reports, minutes): what the review list and the gate stop."""

from __future__ import annotations

import pytest

from recits.candidates import find_candidates
from recits.ingest import ImportOptions, import_paths
from recits.masking import fold, name_key
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
        "La formation portée par l’ARS et le CHRS.",
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
        # An article does not make a body of a surname in capitals: in the region (and in
        # speech) « la Marie », « le BENALI » name people; an unknown acronym is reviewed once.
        ("Il en a parlé avec la BENALI et le CCOMS.", ["BENALI", "CCOMS"]),
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


@pytest.mark.parametrize(
    "text",
    [
        "Elle vit à la Maison de Claire depuis mars.",  # maybe someone's house
        "Un don de la Fondation Claire Martin.",
        "Le Service de Rose Dupont nous a reçus.",
    ],
)
def test_a_first_name_inside_a_bodys_name_is_still_stopped_unless_the_name_says_otherwise(text):
    assert any(fold(c.text) in {"claire", "rose"} for c in find_candidates(text))


def test_the_models_mistakes_on_prose_are_not_listed_but_its_names_are(project):
    from tests.conftest import add_doc, parsed
    from tests.publishing import entities

    text = (
        "Les pair·e·s n’ont pas d’autre choix. B. Un·e pair·e nous l’a dit. Claude Petit-Jean"
        " et N’Diaye sont venus."
    )
    with project.store() as store:
        doc = add_doc(store, parsed((None, text)), "Rapport")
        entities(store, doc.id, ["n’", "B.", "Un·e pair·e", "Claude Petit-Jean", "N’Diaye"])
        listed = {n.name for n in detected_names(store)}
    assert {"n’", "B.", "Un·e pair·e"}.isdisjoint(listed)
    assert {"Claude Petit-Jean", "N’Diaye"} <= listed
