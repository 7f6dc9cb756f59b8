"""`recits names`: detected person names, to attach to a participant or dismiss."""

from __future__ import annotations

import json

from tests.conftest import db_snapshot, run
from tests.publishing import build


def names(project, *args: str) -> dict[str, dict]:
    result = run(project, "names", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {n["name"]: n for n in json.loads(result.output)}


def test_names_lists_unreviewed_names_with_counts_and_context(project):
    corpus = build(project, review_names=False)
    found = names(project)
    assert set(found) == {"Rachid", "Bruno"}
    bruno = found["Bruno"]
    assert (bruno["count"], bruno["documents"], bruno["status"]) == (1, 1, "à revoir")
    mention = bruno["mentions"][0]
    assert mention["document_id"] == corpus.interview
    assert "croisé Bruno au comptoir" in mention["context"]


def test_attach_makes_a_name_an_alias_and_dismiss_sets_it_aside(project):
    build(project, review_names=False)
    assert run(project, "names", "attach", "Bruno", "--to", "Aurore").exit_code == 0
    assert run(project, "names", "dismiss", "Rachid", "--reason", "personnalité").exit_code == 0
    assert names(project) == {}
    reviewed = names(project, "--all")
    assert reviewed["Bruno"]["status"] == "participant"
    assert reviewed["Bruno"]["pseudonym"] == "Aurore"
    assert (reviewed["Rachid"]["status"], reviewed["Rachid"]["reason"]) == (
        "écarté", "personnalité",
    )  # fmt: skip
    participants = json.loads(run(project, "participants", "--json").output)
    aurore = next(p for p in participants if p["pseudonym"] == "Aurore")
    assert "Bruno" in aurore["aliases"]


def test_names_of_participants_cannot_be_dismissed_nor_attached_to_nobody(project):
    build(project)
    before = db_snapshot(project.db_path)
    result = run(project, "names", "dismiss", "nadia")
    assert result.exit_code != 0 and "reste masqué" in result.stderr
    result = run(project, "names", "attach", "Rachid", "--to", "Personne")
    assert result.exit_code != 0 and "participant·e inconnu·e" in result.stderr
    assert db_snapshot(project.db_path) == before


def test_spoken_fillers_tagged_as_persons_are_not_names(project):
    from tests.conftest import add_doc, parsed
    from tests.publishing import entities

    with project.store() as store:
        doc = add_doc(
            store, parsed(("Nadia", "Alors euh, Bruno m'a dit : hein, bah voilà. Moi je sais."))
        )
        entities(store, doc.id, ["euh", "hein", "bah", "Bruno", "Moi je"])
    assert set(names(project)) == {"Bruno"}


def test_names_say_why_a_word_was_taken_for_a_name(project):
    """Found without the model: a first name after « ma fille », a surname in capitals."""
    from tests.conftest import add_doc, parsed

    with project.store() as store:
        add_doc(store, parsed(("Nadia", "Ma fille Rose ne sait rien. KACEM non plus.")), "Doc")
    found = {n["name"]: n for n in json.loads(run(project, "names", "--json").output)}
    assert found["Rose"]["why"] == "après « fille »"
    assert found["KACEM"]["why"] == "nom en capitales"
    assert "pris pour un nom : nom en capitales" in run(project, "names").output
