"""Learning may only help: the learnt model counts as much as it earned on held-out documents
of the project's own codings, and nothing when it does no better than the codebook alone."""

from __future__ import annotations

import numpy as np

from recits import nlp as core
from recits import suggest
from recits.models import NewCoding
from recits.suggest import weight
from tests.conftest import add_doc, parsed
from tests.test_suggest import CODEBOOK

FORMATION = [
    "J'ai suivi une formation sur l'écoute l'an dernier à la fac, un module de trois jours, et "
    "j'ai appris plein de choses utiles sur la façon de parler avec les gens qu'on accompagne, "
    "même si le diplôme ne sert pas à grand-chose ici.",
    "Pour passer en CDI on me demande un diplôme de travail social, alors je me suis inscrite à "
    "une formation le soir, mais c'est long, c'est cher, et je ne sais pas si je vais tenir la "
    "formation jusqu'au diplôme avec le boulot à côté.",
    "La formation interne qu'ils ont montée pour les équipes sur le travail pair, on n'a même "
    "pas été invités à la construire, alors qu'on aurait pu apprendre aux collègues ce que ne "
    "disent pas les diplômes ni les manuels de formation.",
    "On m'a proposé une formation de formateur pour intervenir à l'école de travail social, avec "
    "un diplôme à la clé, et j'hésite parce que j'ai peur d'être formatée, de perdre ce que j'ai "
    "appris dans la rue en apprenant leurs mots.",
]
FATIGUE = [
    "Depuis la mort de Jojo je suis épuisée, je n'arrive plus à dormir, je culpabilise, et cet "
    "épuisement je le porte toute seule, sans personne dans l'équipe, parce que je n'ai jamais "
    "su poser des limites avec les gars que je suis.",
    "Mon numéro perso, je l'ai donné au début, et maintenant ça sonne la nuit, je suis épuisée, "
    "vidée, je n'arrive pas à poser des limites entre ma vie et le boulot, et l'épuisement me "
    "tombe dessus dès le mardi.",
    "Le soir je rentre épuisée, complètement vidée, je pense encore aux gars de la maraude, et le "
    "week-end je n'arrive pas à poser des limites, l'épuisement s'accumule et je sens que je vais "
    "finir par craquer.",
    "Cette fatigue-là, c'est l'épuisement de porter les histoires des autres, on s'épuise à "
    "s'inquiéter pour eux la nuit, et personne ne nous apprend à poser des limites avec les gens "
    "qu'on suit depuis des années.",
]
OTHER = [
    "Il a plu toute la semaine, alors on est restés à l'intérieur tous les après-midi.",
    "La réunion commence à dix heures, comme d'habitude, dans la grande salle du rez-de-chaussée.",
    "Le bus de la ligne douze était encore en retard ce matin, de vingt minutes.",
    "Merci à tous d'être venus, on se retrouve à la même heure la semaine prochaine.",
]


def meeting(i: int, shifted: bool = False) -> list[tuple[str, str, set[str]]]:
    """(speaker, speech, codes) of a meeting; in a `shifted` one, the coder put each code on
    the turn before the one it belongs to (the question, not the answer)."""
    rows = [
        (OTHER[0], set()), (FORMATION[i % 4], {"formation"}),
        (OTHER[1], set()), (FATIGUE[i % 4], {"fatigue"}),
        (OTHER[2], set()), (FORMATION[(i + 1) % 4], {"formation"}),
        (OTHER[3], set()), (FATIGUE[(i + 1) % 4], {"fatigue"}),
    ]  # fmt: skip
    if shifted:
        rows = [
            (t, rows[n + 1][1] if n + 1 < len(rows) else set()) for n, (t, _c) in enumerate(rows)
        ]
    return [("Nadia" if n % 2 else "Karim", t, codes) for n, (t, codes) in enumerate(rows)]


def turn_f1(store, suggester, doc, gold_rows) -> float:
    """F1 of the (turn, code) pairs suggested at the default score against the gold rows."""
    turns = store.turns(doc.id)
    gold = {(n, c) for n, (_s, _t, codes) in enumerate(gold_rows) for c in codes}
    chosen = {
        (n, s.code_id)
        for s in suggester.compute(store, doc.id)
        if s.score >= suggest.DEFAULT_MIN_SCORE
        for n, t in enumerate(turns)
        if t.start_char <= s.start_char < t.end_char
    }
    return 2 * len(chosen & gold) / (len(chosen) + len(gold))


def test_codings_that_make_learning_worse_earn_no_weight_and_suggestions_stay_zero_shot(
    project, nlp
):
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    with project.store() as store:
        codebook = project.sync_codebook(store)
        # Four coded meetings, two of them coded one turn too early; a fifth one, kept out of
        # the project's codings, is the held-out split the suggestions are measured on.
        coded = [(i, meeting(i, shifted=i in (1, 3))) for i in range(4)]
        docs = [
            add_doc(store, parsed(*[(s, t) for s, t, _c in rows]), title=f"Réunion {i}",
                    sha256=f"r{i}" * 32)
            for i, rows in coded
        ]  # fmt: skip
        held_rows = meeting(4)
        held = add_doc(
            store, parsed(*[(s, t) for s, t, _c in held_rows]), title="Réunion 4", sha256="h" * 64
        )
        core.analyse(store)
        store.add_codings(
            [
                NewCoding(doc.id, turn.start_char, turn.end_char, code, "Samia")
                for doc, (_i, rows) in zip(docs, coded, strict=True)
                for turn, (_s, _t, codes) in zip(store.turns(doc.id), rows, strict=True)
                for code in codes
            ]
        )
        learnt = suggest.prepare(store, codebook)
        zero_shot = suggest.Suggester(codebook, suggest.train(store, codebook, codings=[]))
        assert turn_f1(store, learnt, held, held_rows) >= turn_f1(store, zero_shot, held, held_rows)
        measure = learnt.scorer.measure
        assert measure is not None and measure.folds == 4
        assert measure.learnt_f1 < measure.zero_f1  # worse on documents it had not seen
        assert learnt.scorer.weight == 0
        found = learnt.compute(store, held.id)
        assert found and not [r for s in found for r in s.reasons if r.kind == "model"]
        # Training on other codings (the zero-shot model above) left the project's model alone.
        assert suggest.prepare(store, codebook).scorer.measure == measure


def test_a_gain_on_one_held_out_document_only_earns_no_weight():
    rng = np.random.default_rng(0)
    labels = rng.random((40, 2)) < 0.3
    known = np.ones_like(labels)
    zero = np.where(labels, 0.7, 0.3)  # zero-shot right everywhere but 4 turns of each fold
    wrong = [0, 1, 10, 11, 20, 21, 30, 31]
    zero[wrong] = np.where(labels[wrong], 0.3, 0.7)
    folds = [np.arange(f * 10, f * 10 + 10) for f in range(4)]
    lucky = zero.copy()
    lucky[:10] = np.where(labels[:10], 0.9, 0.1)  # right on the first document only
    assert weight.measure(zero, lucky, labels, known, folds, 0.5).weight == 0
    steady = np.where(labels, 0.9, 0.1)  # right on every document
    found = weight.measure(zero, steady, labels, known, folds, 0.5)
    assert found.weight > 0 and found.weighted_f1 == found.learnt_f1 == 1 > found.zero_f1
    # Fewer than two held-out documents with codings: nothing is measured, no weight.
    assert weight.measure(zero, steady, labels, known, folds[:1], 0.5).weight == 0


def test_a_weight_that_makes_one_held_out_document_worse_is_not_taken():
    """Learning may only help: a learnt model far better on three documents and a little worse
    on the fourth (a gain on average, well past one standard error) earns no weight that makes
    the fourth worse (here: none at all)."""
    rng = np.random.default_rng(1)
    labels = rng.random((40, 2)) < 0.3
    known = np.ones_like(labels)
    zero = np.where(labels, 0.6, 0.4)
    wrong = [0, 1, 10, 11, 20, 21]  # zero-shot wrong on 2 turns of each of the first three
    zero[wrong] = np.where(labels[wrong], 0.4, 0.6)
    folds = [np.arange(f * 10, f * 10 + 10) for f in range(4)]
    learnt = np.where(labels, 0.95, 0.05)
    # On the fourth document the learnt model is wrong where zero-shot is right, on one turn.
    flip = next(i for i in range(30, 40) if labels[i].any())
    learnt[flip] = np.where(labels[flip], 0.05, 0.95)
    found = weight.measure(zero, learnt, labels, known, folds, 0.5)
    gains = [
        weight.macro_f1(
            labels[h], weight.combine(zero[h], learnt[h], found.weight) >= 0.5, known[h]
        )
        - weight.macro_f1(labels[h], zero[h] >= 0.5, known[h])
        for h in folds
    ]
    assert min(gains) >= 0
    assert found.weight == 0  # any weight that helps the first three costs the fourth a turn
