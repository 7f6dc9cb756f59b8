"""Finding scenes: hand-written told scenes rank above opinions and general statements."""

from __future__ import annotations

import json

import pytest

from recits.scene_candidates import score_passage
from tests.conftest import run

SCENES = {
    "dimanche": "Un dimanche, le téléphone a sonné, c'était la cheffe. Elle m'a dit : « tu"
    " viens demain, on a besoin de toi ». Moi j'étais chez moi avec ma fille, j'ai raccroché"
    " et j'ai pleuré.",
    "réunion": "La première fois que je suis arrivée en réunion d'équipe, personne ne m'a"
    " parlé. L'éducateur regardait son téléphone, la directrice a commencé sans me présenter."
    " Je suis restée dans mon coin jusqu'à la fin.",
    "gare": "Ce soir-là, derrière la gare, j'ai donné le kit à un gars que je connaissais du"
    " CAARUD. Il m'a demandé si j'avais des pailles, et là les policiers sont arrivés.",
}
NOT_SCENES = {
    "avis": "Je pense que le travail pair c'est important, il faut que les équipes soient"
    " formées et que la reconnaissance suive. En général les structures ne sont pas prêtes.",
    "posture": "Pour moi la pair-aidance c'est une posture, on apporte notre savoir"
    " expérientiel, on n'est pas des éducateurs, il faut le dire aux institutions.",
    "formation": "La formation doit être accessible à tous les travailleurs pairs, avec une"
    " rémunération correcte et un vrai statut reconnu par les employeurs du secteur.",
}


@pytest.mark.parametrize("name", SCENES)
def test_a_told_scene_scores_with_its_reasons(name):
    score, reasons = score_passage(SCENES[name])
    assert score >= 4
    assert any(r.startswith("au passé") for r in reasons)
    assert any(r.startswith("à la première personne") for r in reasons)


def test_the_reasons_quote_the_cues():
    _score, reasons = score_passage(SCENES["gare"])
    assert "marqueur de temps : « Ce soir-là »" in reasons
    assert "lieu : « derrière la gare »" in reasons
    assert "lieu nommé : « CAARUD »" in reasons
    assert "paroles rapportées : « Il m'a demandé »" in reasons
    assert "événement : « et là »" in reasons


@pytest.mark.parametrize("name", NOT_SCENES)
def test_opinions_and_general_statements_are_not_scenes(name):
    assert score_passage(NOT_SCENES[name])[0] == 0


def test_the_cli_ranks_scenes_first_after_analysis(project, tmp_path, nlp):
    # Interleaved, so that the order comes from the ranking, not from the text.
    turns = []
    for (_a, scene), (_b, other) in zip(SCENES.items(), NOT_SCENES.items(), strict=True):
        turns += [f"Nadia : {other}", "Intervieweuse : Et ensuite ?", f"Nadia : {scene}"]
    path = tmp_path / "entretien.txt"
    path.write_text("\n".join(turns) + "\n", encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    assert run(project, "analyse").exit_code == 0
    result = run(project, "scenes", "candidates", "--document", "entretien", "--json")
    assert result.exit_code == 0, result.output + result.stderr
    found = json.loads(result.output)
    assert sorted(c["text"] for c in found) == sorted(SCENES.values())
    assert all(c["reasons"] for c in found)
    assert found == sorted(found, key=lambda c: -c["score"])
    shown = run(project, "scenes", "candidates").output
    assert shown.startswith("1. ") and "   - au passé" in shown
