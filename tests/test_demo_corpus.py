"""The bundled demo corpus imports cleanly and its reference codings fit it exactly."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from recits.project import Project
from tests.conftest import REPO, run

CODES = {"charge-mentale", "legitimite", "reduction-des-risques", "formation"}
# Who `make demo` says speaks in several documents (the same people: it is fiction).
PEOPLE = re.search(
    r"^DEMO_PARTICIPANTS := (.+)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M
)[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Project:
    project = Project.init(tmp_path_factory.mktemp("demo") / "demo", coder="Claire")
    result = run(project, "import", "--participants", PEOPLE, str(REPO / "corpus"))
    assert result.exit_code == 0, result.stderr
    result = run(project, "codings", "import", str(REPO / "corpus" / "codings.jsonl"))
    assert result.exit_code == 0, result.stderr
    return project


def test_demo_corpus_has_every_format_and_enough_words(demo):
    docs = json.loads(run(demo, "documents", "--json").output)
    assert sorted(d["format"] for d in docs) == ["docx", "md", "odt", "txt", "vtt"]
    assert sum(d["word_count"] for d in docs) >= 14_000
    kinds = Counter(d["kind"] for d in docs)
    assert kinds == {"réunion du collectif": 2, "entretien": 3}
    assert all(d["date"] and d["title"] for d in docs)


def test_every_document_has_speaker_turns(demo):
    with demo.store() as store:
        for doc in store.documents():
            speakers = {t.speaker for t in store.turns(doc.id) if t.speaker}
            assert len(speakers) >= 2, doc.title
        text = "\n".join(store.document_text(d.id) for d in store.documents())
    for form in ("pair-e-s", "travailleur·euse·s", "concerné·e·s"):
        assert form in text


def test_reference_codings_cover_each_code_by_two_coders(demo):
    with demo.store() as store:
        codings = store.codings()
        by = Counter((c.code_id, c.coder) for c in codings)
        for code in CODES:
            assert by[(code, "Claire")] >= 10 and by[(code, "Samia")] >= 10, code
        turns = {d.id: store.turns(d.id) for d in store.documents()}
    # Every reference coding lies inside one speaker turn.
    for c in codings:
        assert any(
            t.start_char <= c.start_char and c.end_char <= t.end_char for t in turns[c.document_id]
        ), c.text


def test_most_turns_belong_to_no_code(demo):
    with demo.store() as store:
        codings = store.codings()
        total = coded = 0
        for doc in store.documents():
            for t in store.turns(doc.id):
                total += 1
                coded += any(
                    c.document_id == doc.id and t.start_char <= c.start_char < t.end_char
                    for c in codings
                )
    assert 0.1 < coded / total < 0.6


def test_the_same_people_speak_across_the_demo_with_nobody_left_to_confirm(demo):
    with demo.store() as store:
        people = store.participants()
        usage = store.participant_usage()
    assert not [p.pseudonym for p in people if p.same_label_as]
    by_name = {p.pseudonym: usage[p.id].documents for p in people if p.id in usage}
    assert by_name["Nadia"] == 3 and by_name["Claire"] == 2 and by_name["Intervieweuse"] == 3
    assert len(people) == len(set(PEOPLE.split(",")) | {"Mehdi", "Laurent", "Marc", "Léa"})


def test_the_demo_exports_once_its_register_is_applied(tmp_path):
    """`make demo` gives pseudonyms and consent and reviews the names: F7 has something to
    export, and the gate lets it out (no name left to review)."""
    project = Project.init(tmp_path / "demo", coder="Claire")
    for args in (
        ("import", "--participants", PEOPLE, str(REPO / "corpus")),
        ("codings", "import", str(REPO / "corpus" / "codings.jsonl")),
        ("participants", "load", str(REPO / "corpus" / "participants.yaml")),
    ):
        result = run(project, *args)
        assert result.exit_code == 0, result.stderr
    assert "Aucun nom à revoir." in run(project, "names").output
    for fmt in ("md", "docx"):
        result = run(project, "export", "excerpts", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "extraits retenus" in result.output and "Bastien" in result.output
    text = next(project.exports_dir.glob("*.md")).read_text(encoding="utf-8")
    for real in ("Nadia", "Karim", "Rachid", "Julien", "Mme Roux", "Bruno"):
        assert real not in text
