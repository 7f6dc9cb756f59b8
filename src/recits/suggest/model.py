"""The scorer: codebook patterns and examples (zero-shot), plus a model learnt from codings."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook
from recits.models import Coding, Decision, Sentence, TrainedModel
from recits.spans import touches
from recits.store.base import now
from recits.suggest.patterns import Term, compile_terms
from recits.suggest.weight import Measure

if TYPE_CHECKING:
    from recits.store import Store

# Zero-shot sentence score: a matched single word, a matched phrase, similarity to examples.
WORD_WEIGHT = 0.4
PHRASE_WEIGHT = 0.6
EXAMPLE_WEIGHT = 1.2
MIN_POSITIVES = 3  # coded turns a code needs for its own tf-idf classifier
DEFAULT_MIN_SCORE = 0.5
OVERLAP = 0.5  # share of a sentence a coding must cover to make it a positive
# Zero-shot turn score at which a turn is suggested (mapped to DEFAULT_MIN_SCORE); tuned on the
# demo corpus, zero-shot macro-F1 0.49 / 0.58 / 0.53 at 0.3 / 0.4 / 0.5. With codings, the cut is
# learnt instead: the project's own rate of coded (turn, code) pairs.
ZERO_CUT = 0.4
# Regularisation of the model combining the evidence; demo learning macro-F1 0.53 / 0.56 / 0.59
# at C 0.3 / 1 / 3 (left at the default 1, not tuned up).
META_C = 1.0


@dataclass
class Scorer:
    """Everything needed to score sentences; pickled into the store (no spaCy objects)."""

    version: str
    codebook_sha256: str
    code_ids: list[str]
    terms: list[Term]
    vectorizer: Any
    examples: Any  # tf-idf rows of the codebook's examples
    example_codes: list[int]
    example_texts: list[str]
    classifiers: dict[str, Any] = field(default_factory=dict)
    positives: dict[str, int] = field(default_factory=dict)
    coded: Any = None  # tf-idf rows of coded passages
    coded_meta: list[tuple[int, str, int, int, str]] = field(default_factory=list)
    code_texts: Any = None  # tf-idf rows: each code's description, inclusions, examples together
    meta: Any = None  # turn evidence -> probability of the code, learnt on the project's codings
    cut: float = ZERO_CUT  # learnt turn probability suggested at DEFAULT_MIN_SCORE
    # Share of the learnt model in the score, measured on held-out documents (suggest/weight.py)
    weight: float = 0.0
    measure: Measure | None = None

    @property
    def learns(self) -> bool:
        """Whether the learnt model counts in the scores (it exists and earned a weight)."""
        return self.meta is not None and self.weight > 0

    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(data: bytes) -> Scorer:
        return pickle.loads(data)  # noqa: S301 - our own model, from the project's database


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True, min_df=1
    )


def codebook_texts(codebook: Codebook) -> list[tuple[int, str]]:
    """(code index, text) of what describes each code: examples, inclusions, description."""
    texts = []
    for i, code in enumerate(codebook.codes):
        for text in (*code.examples, *code.include):
            texts.append((i, text))
    return texts


def build(
    codebook: Codebook,
    lemmatize: Any,
    sentences: Sequence[Sentence],
    codings: Sequence[Coding],
    decisions: Sequence[Decision],
    fingerprint: str,
) -> Scorer:
    """Fit the vocabulary on the corpus, then a classifier per code with enough codings."""
    code_ids = [c.id for c in codebook.codes]
    from recits.nlp import load_model

    terms = compile_terms(codebook, load_model())
    described = codebook_texts(codebook)
    example_lemmas = lemmatize([t for _i, t in described])
    description_lemmas = lemmatize([c.description for c in codebook.codes])
    vectorizer = _vectorizer()
    corpus = [s.lemmas for s in sentences] + example_lemmas + description_lemmas
    if not any(corpus):
        corpus = ["vide"]
    vectorizer.fit(corpus)
    pairs = list(zip(described, example_lemmas, strict=True))
    scorer = Scorer(
        version=("appris-" if codings else "grille-") + fingerprint[:10],
        codebook_sha256=codebook.sha256,
        code_ids=code_ids,
        terms=terms,
        vectorizer=vectorizer,
        examples=_rows(vectorizer, example_lemmas),
        example_codes=[i for i, _t in described],
        example_texts=[t for _i, t in described],
        code_texts=vectorizer.transform(
            [
                " ".join([description_lemmas[c]] + [e for (i, _t), e in pairs if i == c])
                for c in range(len(code_ids))
            ]
        ),
    )
    if codings:
        _coded_passages(scorer, sentences, codings)
    return scorer


def _rows(vectorizer: Any, texts: list[str]) -> Any:
    """tf-idf rows of texts; an empty matrix for none (a codebook without examples)."""
    if texts:
        return vectorizer.transform(texts)
    from scipy.sparse import csr_matrix

    return csr_matrix((0, len(vectorizer.vocabulary_)))


def _coded_passages(
    scorer: Scorer, sentences: Sequence[Sentence], codings: Sequence[Coding]
) -> None:
    """Coded passages, to name the nearest one as a reason."""
    index = {c: i for i, c in enumerate(scorer.code_ids)}
    texts, meta = [], []
    lemmas_by_doc: dict[str, list[Sentence]] = {}
    for s in sentences:
        lemmas_by_doc.setdefault(s.document_id, []).append(s)
    for coding in codings:
        if coding.code_id not in index:
            continue
        inside = [
            s.lemmas
            for s in lemmas_by_doc.get(coding.document_id, [])
            if touches((s.start_char, s.end_char), (coding.start_char, coding.end_char))
        ]
        texts.append(" ".join(inside))
        meta.append(
            (index[coding.code_id], coding.document_id, coding.start_char, coding.end_char,
             coding.text)
        )  # fmt: skip
    if texts:
        scorer.coded = scorer.vectorizer.transform(texts)
        scorer.coded_meta = meta


def fit_turns(scorer: Scorer, dense: Any, x: Any, labels: Any, known: Any, groups: Any) -> None:
    """Learn from the project's coded turns: rows (turn, code), `known` masks unknown pairs.

    Per code, a tf-idf classifier of whole turns (its score for the training turns comes from
    folds by document, so that the combining model does not trust it more than it deserves);
    then one model combining the evidence, shared by the codes; then the cut: the probability
    above which the training turns would be suggested as often as the coders coded them;
    then its weight, measured on the same folds (suggest/weight.py).
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold, KFold

    from recits.suggest.turns import design

    t, k = labels.shape
    learnt = np.zeros((t, k))
    n_groups = len(set(groups))
    if n_groups > 1:
        folds = list(GroupKFold(n_splits=min(5, n_groups)).split(x, groups=groups))
    elif t > 1:
        folds = list(KFold(n_splits=min(5, t), shuffle=True, random_state=0).split(x))
    else:
        folds = []  # a single coded turn: nothing to hold out (and too few for a classifier)
    for c, code_id in enumerate(scorer.code_ids):
        rows = np.flatnonzero(known[:, c])
        y = labels[rows, c]
        scorer.positives[code_id] = int(y.sum())
        if y.sum() < MIN_POSITIVES or y.sum() == len(y):
            continue
        scorer.classifiers[code_id] = _tfidf_clf().fit(x[rows], y)
        for fit, held in folds:
            fit_rows = np.intersect1d(fit, rows)
            if len(set(labels[fit_rows, c])) == 2:
                clf = _tfidf_clf().fit(x[fit_rows], labels[fit_rows, c])
                learnt[held, c] = clf.predict_proba(x[held])[:, 1]
    a = design(dense, learnt)
    fitted = _combining(a, labels, known, np.arange(t))
    if fitted is None:
        return
    scorer.meta, scorer.cut = fitted
    scorer.measure = _measure(dense, a, labels, known, folds if n_groups > 1 else [])
    scorer.weight = scorer.measure.weight


def _combining(a: Any, labels: Any, known: Any, turns: Any) -> tuple[Any, float] | None:
    """The model combining the evidence of the (turn, code) rows of `turns`, and its cut;
    None when the coders' codings there are too few to learn from."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    k = labels.shape[1]
    rows = (turns[:, None] * k + np.arange(k)).reshape(-1)
    mask = known[turns].reshape(-1)
    y = labels[turns].reshape(-1)[mask]
    if y.sum() < MIN_POSITIVES or y.all():
        return None
    meta = LogisticRegression(C=META_C, max_iter=2000).fit(a[rows][mask], y)
    p = meta.predict_proba(a[rows][mask])[:, 1]
    return meta, float(np.clip(np.quantile(p, 1 - y.mean()), 0.05, 0.95))


def _measure(dense: Any, a: Any, labels: Any, known: Any, folds: list) -> Measure:
    """The learnt model's weight: each held-out document scored by a combining model fitted
    without it (on tf-idf scores that never saw it either), against zero-shot."""
    import numpy as np

    from recits.suggest import weight
    from recits.suggest.turns import ZERO_FEATURE

    zero = weight.calibrate(dense[:, :, ZERO_FEATURE], ZERO_CUT, DEFAULT_MIN_SCORE)
    learnt = zero.copy()  # a fold too thin to learn from suggests as zero-shot does
    k = labels.shape[1]
    for fit, held in folds:
        fitted = _combining(a, labels, known, fit)
        if fitted is not None:
            meta, cut = fitted
            rows = (held[:, None] * k + np.arange(k)).reshape(-1)
            p = meta.predict_proba(a[rows])[:, 1].reshape(len(held), k)
            learnt[held] = weight.calibrate(p, cut, DEFAULT_MIN_SCORE)
    held = [h for _fit, h in folds]
    return weight.measure(zero, learnt, labels, known, held, DEFAULT_MIN_SCORE)


def _tfidf_clf() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)


def to_trained(scorer: Scorer, fingerprint: str) -> TrainedModel:
    return TrainedModel(
        version=scorer.version,
        fingerprint=fingerprint,
        trained_at=now(),
        positives=sum(scorer.positives.values()),
        negatives=0,
        data=scorer.to_bytes(),
    )


def fingerprint_of(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


# -- the trained model's identity ----------------------------------------------------------------
FORMAT = "suggest-7"  # bump when Scorer changes shape: stored models are then retrained


def lemmatize_texts(texts: Sequence[str]) -> list[str]:
    """Content lemmas of each text, with the project's French pipeline."""
    from recits.nlp import content_lemmas, load_model

    nlp = load_model()
    return [" ".join(content_lemmas(doc)) for doc in nlp.pipe(texts)]


def current_fingerprint(store: Store, codebook: Codebook) -> str:
    """What a trained model depends on: format, codings, decisions, codebook, analyses."""
    return fingerprint_of(
        FORMAT, store.training_fingerprint(), codebook.sha256, sorted(store.analysis_keys())
    )


def needs_training(store: Store, codebook: Codebook) -> bool:
    """True when codings, decisions, the codebook or the analyses changed since training."""
    latest = store.latest_model()
    return latest is None or latest.fingerprint != current_fingerprint(store, codebook)
