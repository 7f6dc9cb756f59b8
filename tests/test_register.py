"""`recits participants load`: a YAML register applied all or nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import db_snapshot, run
from tests.publishing import build


def people(project) -> dict[str, dict]:
    return {p["pseudonym"]: p for p in json.loads(run(project, "participants", "--json").output)}


def test_a_register_sets_pseudonyms_roles_dated_consent_people_and_dismissals(project, tmp_path):
    build(project, review_names=False)
    register = tmp_path / "registre.yaml"
    register.write_text(
        "participants:\n"
        "  - name: Claire\n"
        "    pseudonym: Inès\n"
        "    role: chargée de mission\n"
        "    consent:\n"
        "      - {decision: accordé, scope: [articles, bd], date: 2021-01-10}\n"
        "      - {decision: retiré, scope: [bd], date: 2021-06-10}\n"
        "people:\n"
        "  - {pseudonym: Léon, role: ami, aliases: [Bruno]}\n"
        "names:\n"
        "  dismiss:\n"
        "    - {name: Rachid, reason: personnalité publique}\n",
        encoding="utf-8",
    )
    result = run(project, "participants", "load", str(register))
    assert result.exit_code == 0, result.stderr
    assert "1 participant·e(s), 2 décision(s)" in result.output
    found = people(project)
    assert found["Inès"]["role"] == "chargée de mission" and "Claire" in found["Inès"]["aliases"]
    assert (found["Inès"]["consent"], found["Inès"]["consent_scope"]) == ("accordé", ["articles"])
    assert found["Léon"]["aliases"] == ["Bruno"]
    assert "Aucun nom à revoir." in run(project, "names").output


@pytest.mark.parametrize(
    "content, message",
    [
        ("participants: [\n", "YAML invalide (ligne"),
        ("- a\n- b\n", "doit être un dictionnaire"),
        ("participants: []\nautre: 1\n", "clé inconnue : autre"),
        ("participants:\n  - name: Personne\n", "participants, entrée 1 : participant·e inconnu·e"),
        (
            "participants:\n  - name: Claire\n    consent:\n      - {decision: peut-être}\n",
            "consentement inconnu",
        ),
        (
            "participants:\n  - name: Claire\n    consent:\n"
            "      - {decision: accordé, scope: [articles], date: 2999-01-01}\n",
            "entrée 1",
        ),
        ("people:\n  - {pseudonym: Claire}\n", "people, entrée 1"),
        ("participants: &a [*a]\n", "liste d'entrées"),
    ],
)
def test_a_bad_register_is_refused_whole_and_changes_nothing(project, tmp_path, content, message):
    build(project)
    register = tmp_path / "registre.yaml"
    # A first entry that would apply, so that "all or nothing" is tested.
    register.write_text(content, encoding="utf-8")
    before = db_snapshot(project.db_path)
    result = run(project, "participants", "load", str(register))
    assert result.exit_code != 0
    assert str(register) in result.stderr and message in result.stderr, result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_register_failing_halfway_leaves_the_first_entries_undone(project, tmp_path):
    build(project)
    register = tmp_path / "registre.yaml"
    register.write_text(
        "participants:\n  - {name: Claire, pseudonym: Inès}\n  - {name: Inconnue}\n",
        encoding="utf-8",
    )
    before = db_snapshot(project.db_path)
    result = run(project, "participants", "load", str(register))
    assert result.exit_code != 0 and "entrée 2" in result.stderr
    assert db_snapshot(project.db_path) == before
    assert "Claire" in people(project)


def test_a_register_that_is_not_utf8_or_missing_is_refused(project, tmp_path):
    build(project)
    register = tmp_path / "registre.yaml"
    register.write_bytes("participants:\n  - name: Clémence\n".encode("utf-16"))
    assert "UTF-8" in run(project, "participants", "load", str(register)).stderr
    missing = run(project, "participants", "load", str(tmp_path / "absent.yaml"))
    assert missing.exit_code != 0 and "introuvable" in missing.stderr
