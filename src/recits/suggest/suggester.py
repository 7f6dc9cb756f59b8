"""The suggester: scores an analysed document's turns with one trained scorer, explains each
suggestion, and filters and orders them for a coder."""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook
from recits.errors import RecitsError
from recits.models import Sentence, Suggestion
from recits.suggest import reasons as explain
from recits.suggest.model import DEFAULT_MIN_SCORE, ZERO_CUT, Scorer
from recits.suggest.patterns import SPANS_KEY, build_ruler, match
from recits.suggest.queue import queue_key, visible
from recits.suggest.turns import Turns, aggregate, design
from recits.suggest.weight import calibrate, combine

if TYPE_CHECKING:
    from spacy.language import Language

    from recits.store import Store

FLOOR = 0.1  # kept for the queue's uncertain end; --min-score filters later


class Suggester:
    """Scores analysed documents with one trained scorer; one per thread."""

    def __init__(self, codebook: Codebook, scorer: Scorer, *, blind_for: str | None = None) -> None:
        self.codebook = codebook
        self.scorer = scorer
        self.blind_for = blind_for  # the coder whose work alone it knows (None: the team's)
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
        found = self._evidence(store, document_id)
        if found is None:
            if self.blind_for is None:
                store.replace_suggestions(document_id, [])
            return []
        sentences, text, hits, zero, parts, turns = found
        scores, learnt = self.turn_scores(turns)
        suggestions = []
        for n in range(len(turns.groups)):
            for c in range(len(self.scorer.code_ids)):
                # Without a learnt model (or one that earned no weight), a turn with no
                # matched term is only worth showing when its similarity alone passes the
                # default score.
                weak = not self.scorer.learns and not turns.terms[n, c]
                if scores[n, c] >= (DEFAULT_MIN_SCORE if weak else FLOOR):
                    # Said only when the question names the theme with the codebook's terms
                    # (its evidence still counts otherwise, as a turn's own similarity does).
                    q = turns.question[n]
                    asked = turns.groups[q] if q >= 0 and turns.terms[q, c] else None
                    suggestions.append(
                        self._suggestion(
                            document_id, text, sentences, turns.groups[n], c,
                            float(scores[n, c]), zero, parts, hits, learnt[n, c], asked,
                        )
                    )  # fmt: skip
        suggestions.sort(key=lambda s: (s.start_char, s.code_id))
        if self.blind_for is None:
            store.replace_suggestions(document_id, suggestions)
        return suggestions

    def _evidence(self, store: Store, document_id: str, *, required: bool = True) -> Any:
        """Sentences, text, term hits, sentence scores and turn evidence of a document; None
        when it has no sentences, or is not analysed yet and not `required`."""
        from recits.nlp import load_docs

        analysis = store.analysis(document_id)
        if analysis is None and not required:
            return None
        if analysis is None:
            document = store.document(document_id)
            name = f"« {document.title} »" if document else document_id
            raise RecitsError(
                f"le document {name} n'est pas encore analysé : lancez « recits analyse »",
                in_app=f"le document {name} n'est pas encore analysé : l'analyse se fait en"
                " arrière-plan dès que le modèle de langue est chargé, réessayez ensuite",
            )
        sentences = store.sentences(document_id)
        if not sentences:
            return None
        text = store.document_text(document_id)
        hits = self._hits(load_docs(analysis), analysis.turn_starts, sentences)
        zero, parts = self._scores(sentences, hits)
        turns = aggregate(
            self.scorer, sentences, text, hits, zero, store.turn_speakers(document_id)
        )
        return sentences, text, hits, zero, parts, turns

    def turn_scores(self, turns: Turns) -> tuple[Any, Any]:
        """(turn, code) scores, DEFAULT_MIN_SCORE at the cut; and the learnt probabilities.

        The score mixes zero-shot and learnt scores by the weight the learnt model earned on
        held-out documents of the project (suggest/weight.py); at weight 0, it is zero-shot."""
        import numpy as np

        sc = self.scorer
        t, k = turns.zero.shape
        learnt = np.full((t, k), np.nan)
        scores = calibrate(turns.zero, ZERO_CUT, DEFAULT_MIN_SCORE)
        if sc.meta is not None and t:
            tfidf = np.zeros((t, k))
            for c, code_id in enumerate(sc.code_ids):
                clf = sc.classifiers.get(code_id)
                if clf is not None:
                    tfidf[:, c] = clf.predict_proba(turns.x)[:, 1]
            learnt = sc.meta.predict_proba(design(turns.dense(), tfidf))[:, 1].reshape(t, k)
            if sc.learns:
                scores = combine(scores, calibrate(learnt, sc.cut, DEFAULT_MIN_SCORE), sc.weight)
        return scores, learnt

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
        """Zero-shot sentence scores: matched terms and similarity to the codebook's texts."""
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
        return zero, {"x": x, "example": example, "nearest": nearest_example}

    def _suggestion(
        self,
        document_id: str,
        text: str,
        sentences: Sequence[Sentence],
        turn: list[int],
        c: int,
        score: float,
        zero: Any,
        parts: dict[str, Any],
        hits: dict[tuple[int, int], dict[int, str]],
        learnt: float,
        asked: list[int] | None = None,
    ) -> Suggestion:
        """One (turn, code): from its first to its last sentence with evidence for the code;
        `asked`: the sentences of the question it answers, when it names the code's terms."""
        sc = self.scorer
        code_id = sc.code_ids[c]
        best = max(turn, key=lambda i: zero[i, c])
        marked = [i for i in turn if (i, c) in hits or i == best]
        run = turn if zero[best, c] <= 0 else list(range(marked[0], marked[-1] + 1))
        start, end = sentences[run[0]].start_char, sentences[run[-1]].end_char
        reasons = [
            r
            for r in (
                explain.terms(sc, hits, run, c),
                explain.question(sc, text, document_id, sentences, hits, asked, c)
                if asked
                else None,
                *explain.nearest(sc, self.codebook, parts, run, c),
                explain.model(sc, learnt),
            )
            if r is not None
        ]
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{document_id}/{start}/{end}/{code_id}")
        return Suggestion(
            str(ident), document_id, start, end, text[start:end], code_id, round(score, 3),
            tuple(reasons), sc.version,
        )  # fmt: skip

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
            if refresh or self.blind_for is not None or not store.stored_suggestions(doc_id):
                found = self.compute(store, doc_id)
            else:
                found = store.stored_suggestions(doc_id)
            blind = self.blind_for is not None
            out.extend(visible(store, found, coder, doc_id, code_id, min_score, blind=blind))
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
