"""How much the learnt model may count: measured on the project's own codings, by document.

A suggestion's score mixes the zero-shot score (codebook terms, texts) and the learnt model's:
(1 - weight) × zero-shot + weight × learnt. The weight is measured at training time: the learnt
model is refitted with each coded document held out in turn, both scores are computed for the
held-out documents, and the weight is the one whose suggestions agree best with the coders
there (macro-F1 over the codes, on the (turn, code) pairs the coders have looked at), counting
only a gain that holds from one held-out document to the next. When the
learnt model does no better than zero-shot on documents it has not seen, its weight is 0: the
suggestions are then exactly the zero-shot ones, so learning can only help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from recits.suggest.turns import logit, sigmoid

STEPS = 10  # weights tried: 0, 0.1, …, 1
MIN_FOLDS = 2  # held-out groups of documents needed to measure anything; else the weight is 0


@dataclass(frozen=True)
class Measure:
    """The learnt model's weight and what it rests on (held-out documents of the project)."""

    weight: float
    folds: int  # groups of coded documents held out in turn (one document each, up to five)
    zero_f1: float  # macro-F1 of the zero-shot suggestions on the held-out documents
    learnt_f1: float  # of the learnt model alone
    weighted_f1: float  # of the mix at `weight`


def calibrate(p: Any, cut: float, at: float) -> Any:
    """Scores whose cut `cut` lands on `at` (the default minimum score); 0 stays 0."""
    return np.where(p > 0, sigmoid(logit(p) - logit(cut) + logit(at)), 0.0)


def combine(zero: Any, learnt: Any, weight: float) -> Any:
    return (1 - weight) * zero + weight * learnt


def macro_f1(labels: Any, chosen: Any, known: Any) -> float:
    """Mean F1 over the codes the coders used, on the pairs they looked at."""
    f1 = []
    for c in range(labels.shape[1]):
        y, p = labels[known[:, c], c].astype(bool), chosen[known[:, c], c]
        if y.any():
            f1.append(2 * int((y & p).sum()) / (int(y.sum()) + int(p.sum())))
    return float(np.mean(f1)) if f1 else 0.0


def measure(
    zero: Any, learnt: Any, labels: Any, known: Any, folds: list[Any], at: float
) -> Measure:
    """The weight from held-out scores, (turn, code) arrays: `zero` and `learnt` are
    calibrated scores (suggested from `at`), each turn scored by a model that never saw its
    document; `folds` holds the turns of each held-out group of documents.

    A gain on a few documents can be luck: each weight's gain over zero-shot is taken fold by
    fold, and the weight kept is the one whose mean gain less one standard error (the usual
    "one standard error" rule) is best, when that is above 0, among the weights that make no
    held-out group worse (learning may only help); else the weight is 0."""
    folds = [h for h in folds if labels[h][known[h]].any()]  # the coders coded something there
    if len(folds) < MIN_FOLDS:
        return Measure(0.0, len(folds), 0.0, 0.0, 0.0)
    weights = [w / STEPS for w in range(STEPS + 1)]
    per_fold = np.array(
        [
            [macro_f1(labels[h], combine(zero[h], learnt[h], w) >= at, known[h]) for w in weights]
            for h in folds
        ]
    )
    gain = per_fold - per_fold[:, :1]
    lower = gain.mean(axis=0) - gain.std(axis=0, ddof=1) / np.sqrt(len(folds))
    # Learning may only help: a weight that makes any held-out group worse is not taken.
    lower = np.where((gain >= 0).all(axis=0), lower, -np.inf)
    best = int(np.argmax(lower))
    weight = weights[best] if lower[best] > 0 else 0.0
    h = np.concatenate(folds)

    def pooled(w: float) -> float:
        return round(macro_f1(labels[h], combine(zero[h], learnt[h], w) >= at, known[h]), 3)

    return Measure(weight, len(folds), pooled(0.0), pooled(1.0), pooled(weight))
