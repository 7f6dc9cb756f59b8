"""Code suggestions: score passages, explain them, queue them, record the coders' decisions."""

from __future__ import annotations

import bisect
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook
from recits.errors import RecitsError
from recits.models import Coding, Reason, Sentence, Suggestion
from recits.suggest.model import DEFAULT_MIN_SCORE, Scorer, build, fingerprint_of, to_trained
from recits.suggest.patterns import SPANS_KEY, build_ruler, match
from recits.suggest.queue import CONFIDENT, accept, accept_other, queue_key, reject, skip, visible

if TYPE_CHECKING:
    from spacy.language import Language

    from recits.store import Store

__all__ = [
    "CONFIDENT",
    "DEFAULT_MIN_SCORE",
    "Suggester",
    "accept",
    "accept_other",
    "prepare",
    "reject",
    "skip",
]
FORMAT = "suggest-2"  # bump when Scorer changes shape: stored models are then retrained
_cache_lock = threading.Lock()
_scorers: dict[str, Scorer] = {}


def _lemmatize(texts: Sequence[str]) -> list[str]:
    from recits.nlp import content_lemmas, load_model

    nlp = load_model()
    return [" ".join(content_lemmas(doc)) for doc in nlp.pipe(texts)]


def current_fingerprint(store: Store, codebook: Codebook) -> str:
    return fingerprint_of(
        FORMAT, store.training_fingerprint(), codebook.sha256, sorted(store.analysis_keys())
    )


def needs_training(store: Store, codebook: Codebook) -> bool:
    latest = store.latest_model()
    return latest is None or latest.fingerprint != current_fingerprint(store, codebook)


def train(
    store: Store,
    codebook: Codebook,
    lemmatize: Callable[[Sequence[str]], list[str]] = _lemmatize,
    *,
    codings: Sequence[Coding] | None = None,
) -> Scorer:
    """(Re)train on every live coding and decision of the project; safe in a worker thread."""
    fingerprint = current_fingerprint(store, codebook)
    scorer = build(
        codebook,
        lemmatize,
        store.sentences(),
        store.codings() if codings is None else codings,
        store.decisions(),
        fingerprint,
    )
    store.save_model(to_trained(scorer, fingerprint))
    with _cache_lock:
        _scorers.clear()
        _scorers[fingerprint] = scorer
    return scorer


def prepare(store: Store, codebook: Codebook) -> Suggester:
    """A suggester reflecting every coding and decision now in the project (retrains if needed)."""
    fingerprint = current_fingerprint(store, codebook)
    with _cache_lock:
        scorer = _scorers.get(fingerprint)
    if scorer is None:
        latest = store.latest_model()
        if latest is not None and latest.fingerprint == fingerprint:
            scorer = Scorer.from_bytes(latest.data)
            with _cache_lock:
                _scorers[fingerprint] = scorer
        else:
            scorer = train(store, codebook)
    return Suggester(codebook, scorer)


@dataclass(frozen=True)
class _Candidate:
    sentence: int
    code: int
    score: float


class Suggester:
    """Scores analysed documents with one trained scorer; one per thread."""

    def __init__(self, codebook: Codebook, scorer: Scorer) -> None:
        self.codebook = codebook
        self.scorer = scorer
        self._ruler: Language | None = None

    @property
    def version(self) -> str:
        return self.scorer.version

    def ruler(self) -> Language:
        if self._ruler is None:
            self._ruler = build_ruler(self.scorer.terms)
        return self._ruler

    # -- scoring -------------------------------------------------------------------------------
    def compute(self, store: Store, document_id: str) -> list[Suggestion]:
        """Every suggestion for a document (before filtering by coder), stored for the app."""
        from recits.nlp import load_docs

        analysis = store.analysis(document_id)
        if analysis is None:
            raise RecitsError(
                f"document {document_id} pas encore analysé : lancez « recits analyse »"
            )
        sentences = store.sentences(document_id)
        text = store.document_text(document_id)
        if not sentences:
            store.replace_suggestions(document_id, [])
            return []
        hits = self._hits(load_docs(analysis), analysis.turn_starts, sentences)
        scores, parts = self._scores(sentences, hits)
        suggestions = self._merge(document_id, text, sentences, scores, parts, hits)
        store.replace_suggestions(document_id, suggestions)
        return suggestions

    def _hits(
        self, docs: list[Any], starts: Sequence[int], sentences: Sequence[Sentence]
    ) -> dict[tuple[int, int], dict[int, str]]:
        """(sentence, code) -> {term index: matched text}."""
        bounds = [s.start_char for s in sentences]
        code_index = {c: i for i, c in enumerate(self.scorer.code_ids)}
        ruler = self.ruler()
        hits: dict[tuple[int, int], dict[int, str]] = {}
        for start, doc in zip(starts, docs, strict=True):
            match(ruler, doc)
            for span in doc.spans[SPANS_KEY]:
                at = start + span.start_char
                i = bisect.bisect_right(bounds, at) - 1
                if i < 0 or span.label_ not in code_index:
                    continue
                key = (i, code_index[span.label_])
                hits.setdefault(key, {}).setdefault(int(span.id_), span.text)
        return hits

    def _scores(
        self, sentences: Sequence[Sentence], hits: dict[tuple[int, int], dict[int, str]]
    ) -> tuple[Any, dict[str, Any]]:
        import numpy as np

        from recits.suggest.model import EXAMPLE_WEIGHT, PHRASE_WEIGHT, WORD_WEIGHT

        sc = self.scorer
        n, k = len(sentences), len(sc.code_ids)
        x = sc.vectorizer.transform([s.lemmas for s in sentences])
        pattern = np.zeros((n, k))
        for (i, c), terms in hits.items():
            miss = 1.0
            for t in terms:
                miss *= 1 - (PHRASE_WEIGHT if sc.terms[t].words > 1 else WORD_WEIGHT)
            pattern[i, c] = 1 - miss
        sims = (x @ sc.examples.T).toarray() if sc.examples.shape[0] else np.zeros((n, 0))
        example = np.zeros((n, k))
        nearest_example = np.full((n, k), -1)
        codes = np.array(sc.example_codes)
        for c in range(k):
            cols = np.flatnonzero(codes == c)
            if cols.size:
                best = sims[:, cols].argmax(axis=1)
                example[:, c] = sims[np.arange(n), cols[best]]
                nearest_example[:, c] = cols[best]
        zero = 1 - (1 - pattern) * (1 - np.clip(EXAMPLE_WEIGHT * example, 0, 0.9))
        scores = zero.copy()
        learnt = np.full((n, k), np.nan)
        for c, code_id in enumerate(sc.code_ids):
            clf = sc.classifiers.get(code_id)
            if clf is None:
                continue
            learnt[:, c] = clf.predict_proba(x)[:, 1]
            w = sc.learnt_weight(code_id)
            scores[:, c] = w * learnt[:, c] + (1 - w) * zero[:, c]
        parts = {"x": x, "learnt": learnt, "example": example, "nearest": nearest_example}
        return scores, parts

    def _merge(
        self,
        document_id: str,
        text: str,
        sentences: Sequence[Sentence],
        scores: Any,
        parts: dict[str, Any],
        hits: dict[tuple[int, int], dict[int, str]],
    ) -> list[Suggestion]:
        """Adjacent sentences of one turn with the same code become one suggestion."""
        out: list[Suggestion] = []
        floor = 0.2  # kept for the queue's uncertain end; --min-score filters later
        for c in range(len(self.scorer.code_ids)):
            run: list[int] = []
            for i in range(len(sentences) + 1):
                keep = i < len(sentences) and scores[i, c] >= floor
                same_turn = (
                    run
                    and i < len(sentences)
                    and (
                        sentences[i].turn_position == sentences[run[-1]].turn_position
                        and (scores[i, c] >= DEFAULT_MIN_SCORE)
                        == (scores[run[-1], c] >= DEFAULT_MIN_SCORE)
                    )
                )
                if run and not (keep and same_turn):
                    out.append(
                        self._suggestion(document_id, text, sentences, run, c, scores, parts, hits)
                    )
                    run = []
                if keep:
                    run.append(i)
        out.sort(key=lambda s: (s.start_char, s.code_id))
        return out

    def _suggestion(
        self,
        document_id: str,
        text: str,
        sentences: Sequence[Sentence],
        run: list[int],
        c: int,
        scores: Any,
        parts: dict[str, Any],
        hits: dict[tuple[int, int], dict[int, str]],
    ) -> Suggestion:
        sc = self.scorer
        code_id = sc.code_ids[c]
        start, end = sentences[run[0]].start_char, sentences[run[-1]].end_char
        best = max(run, key=lambda i: scores[i, c])
        reasons: list[Reason] = []
        matched: dict[str, str] = {}
        for i in run:
            for t, surface in hits.get((i, c), {}).items():
                pattern = sc.terms[t].text
                if surface not in matched or pattern.lower() == surface.lower():
                    matched[surface] = pattern
        if matched:
            shown = ", ".join(
                f"« {s} »" + (f" ({p})" if p.lower() != s.lower() else "")
                for s, p in matched.items()
            )
            reasons.append(Reason("terms", f"termes de la grille : {shown}", tuple(matched)))
        reasons.extend(self._nearest(parts, run, c))
        learnt = parts["learnt"][best, c]
        if learnt == learnt:  # not NaN
            reasons.append(
                Reason(
                    "model",
                    f"modèle appris sur les codages du projet : {learnt:.2f}"
                    f" (poids {sc.learnt_weight(code_id):.2f}, version {sc.version})",
                    score=round(float(learnt), 3),
                )
            )
        score = round(float(max(scores[i, c] for i in run)), 3)
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{document_id}/{start}/{end}/{code_id}")
        return Suggestion(
            str(ident), document_id, start, end, text[start:end], code_id, score,
            tuple(reasons), sc.version,
        )  # fmt: skip

    def _nearest(self, parts: dict[str, Any], run: list[int], c: int) -> list[Reason]:
        import numpy as np

        sc = self.scorer
        reasons = []
        if sc.coded is not None and sc.coded_meta:
            rows = [r for r, m in enumerate(sc.coded_meta) if m[0] == c]
            if rows:
                sims = (parts["x"][run] @ sc.coded[rows].T).toarray().max(axis=0)
                r = int(np.argmax(sims))
                if sims[r] > 0.05:
                    _c, doc_id, s0, s1, excerpt = sc.coded_meta[rows[r]]
                    reasons.append(
                        Reason(
                            "example", f"proche d'un extrait codé : « {_short(excerpt)} »",
                            score=round(float(sims[r]), 3), document_id=doc_id,
                            start_char=s0, end_char=s1,
                        )
                    )  # fmt: skip
        best = max(run, key=lambda i: parts["example"][i, c])
        e = int(parts["nearest"][best, c])
        if e >= 0 and parts["example"][best, c] > 0.05:
            reasons.append(
                Reason(
                    "codebook-example",
                    f"proche d'un exemple de la grille : « {_short(sc.example_texts[e])} »",
                    score=round(float(parts["example"][best, c]), 3),
                )
            )
        return reasons

    # -- what a coder sees ---------------------------------------------------------------------
    def for_coder(
        self,
        store: Store,
        coder: str | None,
        *,
        document_id: str | None = None,
        code_id: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        refresh: bool = True,
    ) -> list[Suggestion]:
        """Suggestions not yet coded nor rejected by this coder, in text order."""
        docs = [document_id] if document_id else [d.id for d in store.documents()]
        out: list[Suggestion] = []
        for doc_id in docs:
            if refresh or not store.stored_suggestions(doc_id):
                found = self.compute(store, doc_id)
            else:
                found = store.stored_suggestions(doc_id)
            out.extend(visible(store, found, coder, doc_id, code_id, min_score))
        return out

    def queue(
        self,
        store: Store,
        coder: str,
        *,
        document_id: str | None = None,
        code_id: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        refresh: bool = False,
    ) -> list[Suggestion]:
        """Most useful first: confident ones by score, then the most uncertain; skipped last."""
        found = self.for_coder(
            store, coder, document_id=document_id, code_id=code_id, min_score=min_score,
            refresh=refresh,
        )  # fmt: skip
        skipped = {
            (d.document_id, d.start_char, d.end_char, d.code_id)
            for d in store.decisions(coder=coder, document_id=document_id)
            if d.decision == "skip"
        }
        return sorted(found, key=lambda s: queue_key(s, skipped))


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
