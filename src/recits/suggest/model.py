"""The scorer: codebook patterns and examples (zero-shot), plus a model learnt from codings."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from recits.codebook import Codebook
from recits.models import Coding, Decision, Sentence, TrainedModel
from recits.store.base import now
from recits.suggest.patterns import Term, compile_terms

# Zero-shot: a matched single word, a matched phrase, similarity to the codebook's examples.
WORD_WEIGHT = 0.4
PHRASE_WEIGHT = 0.6
EXAMPLE_WEIGHT = 1.2
# How much the learnt model counts once a code has many coded passages.
MAX_LEARNT_WEIGHT = 0.5
LEARNT_HALF = 12  # coded passages at which the learnt model counts half its maximum
MIN_POSITIVES = 3
DEFAULT_MIN_SCORE = 0.5
OVERLAP = 0.5  # share of a sentence a coding must cover to make it a positive


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

    def learnt_weight(self, code_id: str) -> float:
        n = self.positives.get(code_id, 0)
        if code_id not in self.classifiers:
            return 0.0
        return MAX_LEARNT_WEIGHT * n / (n + LEARNT_HALF)

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
    terms = compile_terms(codebook)
    described = codebook_texts(codebook)
    example_lemmas = lemmatize([t for _i, t in described])
    vectorizer = _vectorizer()
    corpus = [s.lemmas for s in sentences] + example_lemmas
    if not any(corpus):
        corpus = ["vide"]
    vectorizer.fit(corpus)
    scorer = Scorer(
        version=("appris-" if codings else "grille-") + fingerprint[:10],
        codebook_sha256=codebook.sha256,
        code_ids=code_ids,
        terms=terms,
        vectorizer=vectorizer,
        examples=vectorizer.transform(example_lemmas),
        example_codes=[i for i, _t in described],
        example_texts=[t for _i, t in described],
    )
    if codings:
        _train(scorer, sentences, codings, decisions)
    return scorer


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def training_set(
    sentences: Sequence[Sentence],
    codings: Sequence[Coding],
    decisions: Sequence[Decision],
    code_ids: Sequence[str],
) -> tuple[list[Sentence], list[set[str]], list[set[str]]]:
    """Sentences of coded documents (up to the last coding), their codes and rejected codes."""
    by_doc: dict[str, list[Coding]] = {}
    for coding in codings:
        by_doc.setdefault(coding.document_id, []).append(coding)
    rejected: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.decision in ("reject", "other"):
            rejected.setdefault(d.document_id, []).append(d)
    known = set(code_ids)
    chosen, labels, negatives = [], [], []
    for sentence in sentences:
        doc_codings = by_doc.get(sentence.document_id, [])
        doc_rejected = rejected.get(sentence.document_id, [])
        if not doc_codings and not doc_rejected:
            continue
        last = max((c.end_char for c in doc_codings), default=0)
        s0, s1 = sentence.start_char, sentence.end_char
        length = max(1, s1 - s0)
        codes = {
            c.code_id
            for c in doc_codings
            if c.code_id in known
            and (
                _overlap(s0, s1, c.start_char, c.end_char) >= OVERLAP * length
                or _overlap(s0, s1, c.start_char, c.end_char)
                >= OVERLAP * (c.end_char - c.start_char)
            )
        }
        refused = {
            d.code_id for d in doc_rejected if _overlap(s0, s1, d.start_char, d.end_char) > 0
        } - codes
        if s0 > last and not codes and not refused:
            continue  # beyond where the coders stopped: unknown, not negative
        chosen.append(sentence)
        labels.append(codes)
        negatives.append(refused)
    return chosen, labels, negatives


def _train(
    scorer: Scorer,
    sentences: Sequence[Sentence],
    codings: Sequence[Coding],
    decisions: Sequence[Decision],
) -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    chosen, labels, _refused = training_set(sentences, codings, decisions, scorer.code_ids)
    if not chosen:
        return
    x = scorer.vectorizer.transform([s.lemmas for s in chosen])
    for code_id in scorer.code_ids:
        y = np.array([code_id in codes for codes in labels], dtype=int)
        positives = int(y.sum())
        scorer.positives[code_id] = positives
        if positives < MIN_POSITIVES or positives == len(y):
            continue
        clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        clf.fit(x, y)
        scorer.classifiers[code_id] = clf
    # Coded passages, to name the nearest one as a reason.
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
            if _overlap(s.start_char, s.end_char, coding.start_char, coding.end_char) > 0
        ]
        texts.append(" ".join(inside))
        meta.append(
            (index[coding.code_id], coding.document_id, coding.start_char, coding.end_char,
             coding.text)
        )  # fmt: skip
    if texts:
        scorer.coded = scorer.vectorizer.transform(texts)
        scorer.coded_meta = meta


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
