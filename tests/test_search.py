"""`recits search` as a user reads it: no hits on stop words alone, symmetric word forms, and
a result count that says when --limit cut it."""

from __future__ import annotations

import json

import pytest

from recits.masking import fold
from tests.conftest import run

TRANSCRIPT = """\
Nadia : La réduction des risques, c'est notre métier. Un usager, une usagère, des pairs.
Karim : On parle de réduction de risques avec un gars de la rue, tous les jours.
Claire : Les risques du métier, une réduction des moyens, et un local trop petit.
Nadia : Je suis épuisée le soir. À force, on finit par s'épuiser, il faut le dire.
Karim : Moi je dors mal, mais le collectif m'aide.
"""
STOP = {"un", "une", "des", "de", "du", "la", "le", "les", "d", "l"}


@pytest.fixture
def analysed(project, tmp_path, nlp):
    path = tmp_path / "reunion.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    assert run(project, "analyse").exit_code == 0
    return project


def found(project, *args: str) -> list[str]:
    result = run(project, "search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    text = json.loads(run(project, "show", "reunion", "--json").stdout)["text"]
    return [text[h["start_char"] : h["end_char"]] for h in hits]


def test_stop_words_are_never_a_hit_of_their_own(analysed):
    hits = found(analysed, "réduction des risques")
    assert not [h for h in hits if fold(h) in STOP], hits
    # The phrase is one hit where it is said, with another article too; the turn that holds
    # both words far apart gives them apart.
    assert sorted(hits) == sorted(
        ["réduction des risques", "réduction de risques", "risques", "réduction"]
    )
    # Without analysis (--exact) too.
    exact = found(analysed, "réduction des risques", "--exact")
    assert not [h for h in exact if fold(h) in STOP], exact


def test_a_query_of_stop_words_only_finds_that_phrase(analysed):
    hits = found(analysed, "de la")
    assert hits == ["de la"]
    assert found(analysed, "des") == ["des"] * 3  # as typed: not "un", "une", "de"


def test_a_word_finds_the_same_forms_whichever_of_them_is_typed(analysed):
    feminine = found(analysed, "épuisée")
    assert {"épuisée", "épuiser"} <= {h.lower() for h in feminine}
    # "épuisé" is never said, yet it is the same word.
    assert sorted(found(analysed, "épuisé")) == sorted(feminine)
    assert sorted(found(analysed, "épuiser")) == sorted(feminine)
    assert found(analysed, "l'épuisement") == []
    assert found(analysed, "épuisé", "--exact") == []


def test_the_count_says_when_limit_cut_the_results(project, tmp_path):
    lines = [f"Nadia : La formation numéro {i}, puis encore une formation." for i in range(28)]
    path = tmp_path / "formations.txt"
    path.write_text("\n".join(lines) + "\nKarim : Rien à voir.\n", encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    shown = run(project, "search", "formation")
    assert shown.exit_code == 0
    assert shown.stdout.rstrip().endswith("50 résultats affichés sur 56 (--limit 50)")
    assert len(shown.stdout.splitlines()) == 51
    everything = run(project, "search", "formation", "--limit", "100")
    assert everything.stdout.rstrip().endswith("\n56 résultats")
    one = run(project, "search", "rien")
    assert one.stdout.rstrip().endswith("\n1 résultat")
    cut = run(project, "search", "formation", "--json", "--limit", "10")
    assert len(json.loads(cut.stdout)) == 10
    assert "10 résultats affichés sur 56 (--limit 10)" in cut.stderr
    refused = run(project, "search", "formation", "--limit", "0")
    assert refused.exit_code == 2
