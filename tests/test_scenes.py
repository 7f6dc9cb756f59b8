"""Scenes as a team builds them on the command line: sources from two documents, panels,
statuses with who moved them, peers' consent and validation before a scene moves on."""

from __future__ import annotations

import json

from recits import participants as people
from recits.models import NewCoding
from tests.conftest import db_snapshot, run
from tests.publishing import INTERVIEW, build, span


def ok(project, *args: str) -> str:
    result = run(project, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def refused(project, *args: str) -> str:
    before = db_snapshot(project.db_path)
    result = run(project, *args)
    assert result.exit_code != 0, result.output
    assert db_snapshot(project.db_path) == before  # the database exactly as before
    return result.stderr


def scene_from_two_documents(project) -> str:
    """« Le comptoir »: Nadia's turn in the meeting (a coding) and her interview's turn."""
    corpus = build(project)
    with project.store() as store:
        coding = next(
            c for c in store.codings(document_id=corpus.meeting) if c.code_id == "charge-mentale"
        )
        text = store.document_text(corpus.interview)
    ok(project, "scenes", "create", "Le comptoir", "--synopsis", "Tenir bon au comptoir.",
       "--place", "au comptoir du CAARUD", "--time", "un soir", "--theme", "formation",
       "--coding", coding.id[:8])  # fmt: skip
    start, end = span(text, INTERVIEW[1][1])
    ok(project, "scenes", "add-source", "Le comptoir", corpus.interview[:8], str(start), str(end))
    return corpus.interview


def test_a_scene_is_built_from_excerpts_of_two_documents(project):
    interview = scene_from_two_documents(project)
    shown = json.loads(ok(project, "scenes", "show", "le comptoir", "--json"))
    assert shown["status"] == "proposée"
    assert len({s["document_id"] for s in shown["sources"]}) == 2
    assert interview in {s["document_id"] for s in shown["sources"]}
    assert shown["sources"][0]["coding_id"]  # linked to the coding by its UUID
    # Whoever speaks in the sources is a character, by pseudonym only.
    assert [c["name"] for c in shown["characters"]] == ["Aurore"]
    assert shown["themes"] == ["formation"]
    ok(project, "scenes", "character", "Le comptoir", "Le vigile", "--composite")
    ok(project, "scenes", "panels", "add", "Le comptoir", "--picture", "Un comptoir, le soir.",
       "--caption", "Ce soir-là.", "--line", "Le vigile : On ferme !")  # fmt: skip
    ok(project, "scenes", "panels", "split", "Le comptoir")
    shown = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))
    panels = shown["panels"]
    assert panels[0]["picture"] == "Un comptoir, le soir."
    assert panels[0]["lines"] == [{"speaker": "Le vigile", "text": "On ferme !"}]
    # Each sentence of a source became a panel with a dialogue line of its speaker.
    assert {"speaker": "Aurore", "text": "Ensuite j'ai croisé Bruno au comptoir, il m'a dit de"
            " tenir bon."} in [li for p in panels for li in p["lines"]]  # fmt: skip
    n = len(panels)
    ok(project, "scenes", "panels", "move", "Le comptoir", "1", str(n))
    moved = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))["panels"]
    assert moved[-1]["picture"] == "Un comptoir, le soir."
    assert [p["position"] for p in moved] == list(range(n))
    assert "vignette 99 inexistante" in refused(project, "scenes", "panels", "move",
                                                 "Le comptoir", "99", "1")  # fmt: skip
    listed = ok(project, "scenes", "list")
    assert "proposée (1)" in listed and "Le comptoir" in listed


def test_a_participant_without_bd_consent_blocks_validation(project):
    scene_from_two_documents(project)
    for status in ("ecriture", "a-valider"):
        ok(project, "scenes", "status", "Le comptoir", status, "--by", "Samia")
    error = refused(project, "scenes", "status", "Le comptoir", "validee")
    assert "« Aurore » n'a pas donné son consentement pour la BD" in error
    assert "ne peut pas quitter « à valider par les pair·e·s »" in error
    # Skipping a step is refused too, whatever the consent.
    assert "passez d'abord par « validée »" in refused(
        project, "scenes", "status", "Le comptoir", "publiee"
    )
    with project.store() as store:
        people.set_consent(store, "Aurore", "accordé", scope=["articles", "bd"])
    ok(project, "scenes", "status", "Le comptoir", "validee", "--by", "Claire")
    history = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))["history"]
    assert [(h["status"], h["by"]) for h in history] == [
        ("proposée", "Claire"),
        ("en écriture", "Samia"),
        ("à valider par les pair·e·s", "Samia"),
        ("validée", "Claire"),
    ]
    assert all(h["at"] for h in history)
    ok(project, "scenes", "status", "Le comptoir", "ecriture")  # back: always allowed


def test_where_the_project_requires_it_each_peer_validates_with_a_date(project):
    scene_from_two_documents(project)
    with project.store() as store:
        people.set_consent(store, "Aurore", "accordé", scope=["bd"])
    ok(project, "scenes", "peer-validation", "oui")
    for status in ("ecriture", "a-valider"):
        ok(project, "scenes", "status", "Le comptoir", status)
    assert "« Aurore » n'a pas encore validé la scène" in refused(
        project, "scenes", "status", "Le comptoir", "validee"
    )
    assert "ne parle pas dans les sources" in refused(
        project, "scenes", "validate", "Le comptoir", "Yanis"
    )
    assert "dans le futur" in refused(
        project, "scenes", "validate", "Le comptoir", "Aurore", "--date", "2999-01-01"
    )
    ok(project, "scenes", "validate", "Le comptoir", "Aurore", "--date", "2021-05-02")
    ok(project, "scenes", "status", "Le comptoir", "validee")
    shown = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))
    assert [v["date"] for v in shown["validations"]] == ["2021-05-02"]
    # The consent ledger lists the validation on its date, between the decisions; it changes
    # no consent status.
    ledger = json.loads(ok(project, "participants", "history", "Aurore", "--json"))
    assert [(e["kind"], e["date"]) for e in ledger][:2] == [
        ("consentement", "2021-03-01"), ("validation", "2021-05-02"),
    ]  # fmt: skip
    assert ledger[1]["scene_title"] == "Le comptoir"
    assert [e["in_force"] for e in ledger if e["kind"] == "consentement"] == [False, True]
    text = ok(project, "participants", "history", "Aurore")
    assert "2021-05-02  a validé la scène « Le comptoir » (bd)" in text
    with project.store() as store:
        aurore = people.resolve(store, "Aurore")
        assert (aurore.consent, aurore.consent_scope) == ("accordé", ("bd",))


def test_a_withdrawal_for_bd_blocks_again(project):
    scene_from_two_documents(project)
    with project.store() as store:
        people.set_consent(store, "Aurore", "accordé", scope=["articles", "bd"], date="2021-01-01")
        people.set_consent(store, "Aurore", "retiré", scope=["bd"], date="2021-06-01")
    for status in ("ecriture", "a-valider"):
        ok(project, "scenes", "status", "Le comptoir", status)
    assert "consentement actuel : accordé (articles)" in refused(
        project, "scenes", "status", "Le comptoir", "validee"
    )


def test_speech_with_no_identified_speaker_blocks_validation(project):
    build(project)
    with project.store() as store:
        from tests.conftest import add_doc, parsed

        doc = add_doc(store, parsed((None, "Un soir on m'a dit de partir du foyer.")), "Notes")
        store.add_codings([NewCoding(doc.id, 0, 10, "formation", "Claire")])
    ok(project, "scenes", "create", "Notes", "--coding",
       next(c.id for c in store_codings(project) if c.document_id == doc.id))  # fmt: skip
    for status in ("ecriture", "a-valider"):
        ok(project, "scenes", "status", "Notes", status)
    assert "sans locuteur·rice identifié·e" in refused(
        project, "scenes", "status", "Notes", "validee"
    )


def store_codings(project):
    with project.store() as store:
        return store.codings()


def test_bad_input_is_refused_in_french_and_changes_nothing(project):
    scene_from_two_documents(project)
    assert "scène inconnue" in refused(project, "scenes", "show", "Nulle part")
    assert "statut inconnu" in refused(project, "scenes", "status", "Le comptoir", "finie")
    assert "titre de scène vide" in refused(project, "scenes", "create", "   ")
    assert "code inconnu" in refused(project, "scenes", "create", "X", "--theme", "nope")
    assert "passage hors du document" in refused(
        project, "scenes", "add-source", "Le comptoir", "Réunion", "5", "999999"
    )
    assert "Personnage : texte" in refused(
        project, "scenes", "panels", "add", "Le comptoir", "--line", "Personne : bonjour"
    )
    assert "participant·e inconnu·e" in refused(
        project, "scenes", "character", "Le comptoir", "Inconnue"
    )
    assert "commentaire vide" in refused(project, "scenes", "comment", "Le comptoir", " ")
    ok(project, "scenes", "comment", "Le comptoir", "À relire avec Aurore", "--by", "Samia")
    comments = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))["comments"]
    assert [(c["author"], c["text"]) for c in comments] == [("Samia", "À relire avec Aurore")]


def test_merging_two_participants_keeps_the_scenes_characters_and_validations(project):
    """The team finds that « Aurore » and another label are one person: the scene's character
    and her dated validation follow the person kept."""
    scene_from_two_documents(project)
    with project.store() as store:
        people.set_consent(store, "Aurore", "accordé", scope=["bd"])
    ok(project, "scenes", "peer-validation", "oui")
    ok(project, "scenes", "validate", "Le comptoir", "Aurore", "--date", "2021-05-02")
    ok(project, "participants", "add", "Lou")
    ok(project, "participants", "merge", "Lou", "Aurore")
    shown = json.loads(ok(project, "scenes", "show", "Le comptoir", "--json"))
    assert [v["date"] for v in shown["validations"]] == ["2021-05-02"]
    ledger = json.loads(ok(project, "participants", "history", "Lou", "--json"))
    assert ("validation", "2021-05-02") in [(e["kind"], e["date"]) for e in ledger]
    with project.store() as store:
        kept = people.resolve(store, "Lou").id
        rows = store.conn.execute(
            "SELECT DISTINCT participant_id FROM scene_validations"
            " UNION SELECT DISTINCT participant_id FROM scene_characters"
            " WHERE participant_id IS NOT NULL"
        ).fetchall()
    assert rows == [(kept,)]
