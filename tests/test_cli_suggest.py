"""`recits analyse`, `recits suggest` and lemma search, as a user runs them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run

TRANSCRIPT = """\
Nadia : Je suis épuisée, je ne dors plus, je pense aux gars le soir. La fatigue me pèse.
Karim : Les pair-e-s ont besoin d'une formation, mais sans diplôme on ne peut pas s'inscrire.
Nadia : Les paires du collectif en parlent aussi, les pairs de Lyon pareil.
Karim : On a repeint le local en bleu la semaine dernière.
"""


@pytest.fixture
def imported(project, tmp_path, nlp):
    path = tmp_path / "reunion.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    return project


def test_analyse_then_nothing_left_to_analyse(imported):
    first = run(imported, "analyse")
    assert first.exit_code == 0
    assert "1 document(s) analysé(s)" in first.stdout
    assert "Analyse" not in first.stderr  # no progress bar outside a terminal
    again = run(imported, "analyse", "reunion")
    assert "0 document(s) analysé(s)" in again.stdout and "1 déjà à jour" in again.stdout


ENGLISH = """\
Interviewer: How do peer workers cope with burnout when they work in homeless shelters?
Jane: Honestly, I am exhausted. Nobody listens to us in team meetings, and the managers \
never ask how we feel after a night shift. I take the phone calls at home on weekends too.
"""


def test_analyse_warns_about_a_document_that_is_not_french(imported, tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert run(imported, "import", str(path)).exit_code == 0
    result = run(imported, "analyse")
    assert result.exit_code == 0  # analysed all the same: a warning, not a refusal
    assert "« interview » ne semble pas écrit en français" in result.stderr
    assert "reunion" not in result.stderr  # the French transcript is not flagged


def test_suggest_json_lines_and_text(imported):
    # Ten-word turns score low (short turns rarely carry a code): look at the uncertain end too.
    result = run(imported, "suggest", "--json", "--min-score", "0.2")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines
    text = json.loads(run(imported, "show", "reunion", "--json").stdout)["text"]
    for item in lines:
        assert {"document", "start_char", "end_char", "text", "code", "score", "reasons"} <= set(
            item
        )
        assert text[item["start_char"] : item["end_char"]] == item["text"]
        assert 0 <= item["score"] <= 1 and item["reasons"]
        assert all({"kind", "detail"} <= set(r) for r in item["reasons"])
    assert {"charge-mentale", "formation"} <= {i["code"] for i in lines}
    assert not any("repeint" in i["text"] for i in lines)
    only = run(imported, "suggest", "--json", "--code", "formation", "--min-score", "0.6")
    assert all(json.loads(x)["code"] == "formation" for x in only.stdout.splitlines())
    human = run(imported, "suggest", "--document", "reunion")
    assert "suggestion(s)" in human.stdout and "termes de la grille" in human.stdout


def test_suggest_with_an_unknown_code_says_so(imported):
    result = run(imported, "suggest", "--code", "inconnu")
    assert result.exit_code == 1 and "code inconnu : « inconnu »" in result.stderr


def test_search_finds_other_forms_after_analysis_unless_exact(imported):
    run(imported, "analyse")
    hits = json.loads(run(imported, "search", "pair", "--json").stdout)
    text = json.loads(run(imported, "show", "reunion", "--json").stdout)["text"]
    matched = {text[h["start_char"] : h["end_char"]].lower() for h in hits}
    assert {"pair", "paires", "pairs"} <= matched or {"pair-e-s", "paires", "pairs"} <= matched
    exact = json.loads(run(imported, "search", "pair", "--exact", "--json").stdout)
    assert {text[h["start_char"] : h["end_char"]].lower() for h in exact} <= {"pair", "pair-e-s"}


def test_suggest_learns_from_a_single_coding(imported):
    # One coded turn in one document: nothing to cross-validate, yet suggest must still work.
    start = TRANSCRIPT.index("Je suis épuisée")
    coded = run(imported, "code", "reunion", str(start), str(start + 15), "charge-mentale",
                "--coder", "Claire")  # fmt: skip
    assert coded.exit_code == 0, coded.stderr
    result = run(imported, "suggest", "--json", "--min-score", "0.1")
    assert result.exit_code == 0, result.stderr
    assert all(json.loads(line)["code"] for line in result.stdout.splitlines())


def test_suggest_blind_shows_nothing_of_the_other_coders_work(imported):
    """`--blind`: what Samia coded neither hides a suggestion from Claire nor appears in its
    reasons, and the team's stored suggestions are left as they were."""
    start = TRANSCRIPT.index("Je suis épuisée")
    end = TRANSCRIPT.index("La fatigue me pèse.") + len("La fatigue me pèse.")
    coded = run(imported, "code", "reunion", str(start), str(end), "charge-mentale",
                "--coder", "Samia")  # fmt: skip
    assert coded.exit_code == 0, coded.stderr

    def suggested(*args: str) -> list[dict]:
        result = run(
            imported, "suggest", "--json", "--min-score", "0.2", "--coder", "Claire", *args
        )
        assert result.exit_code == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    def tiredness(items: list[dict]) -> list[dict]:
        return [i for i in items if i["code"] == "charge-mentale" and "épuisée" in i["text"]]

    team = suggested()
    assert not tiredness(team)  # in the team's queue, Samia's coding hides it
    with imported.store() as store:
        stored = store.stored_suggestions(store.documents()[0].id)
    blind = suggested("--blind")
    assert tiredness(blind)  # blind, Claire is offered it all the same
    for item in blind:
        assert all(r["kind"] != "example" for r in item["reasons"])  # no coded excerpt quoted
    with imported.store() as store:
        assert store.stored_suggestions(store.documents()[0].id) == stored
