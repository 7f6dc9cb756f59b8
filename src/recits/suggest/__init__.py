"""Code suggestions: score passages, explain them, queue them, record the coders' decisions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook
from recits.models import Coding, Decision
from recits.suggest.model import (
    DEFAULT_MIN_SCORE,
    Scorer,
    build,
    current_fingerprint,
    fit_turns,
    lemmatize_texts,
    needs_training,
    to_trained,
)
from recits.suggest.queue import CONFIDENT, accept, accept_other, reject, skip
from recits.suggest.suggester import FLOOR, Suggester

if TYPE_CHECKING:
    from recits.store import Store

__all__ = [
    "CONFIDENT",
    "DEFAULT_MIN_SCORE",
    "FLOOR",
    "Suggester",
    "accept",
    "accept_other",
    "needs_training",
    "prepare",
    "reject",
    "skip",
]
_cache_lock = threading.Lock()
_train_lock = threading.Lock()
_scorers: dict[str, Scorer] = {}


def train(
    store: Store,
    codebook: Codebook,
    lemmatize: Callable[[Sequence[str]], list[str]] = lemmatize_texts,
    *,
    codings: Sequence[Coding] | None = None,
    decisions: Sequence[Decision] | None = None,
) -> Scorer:
    """(Re)train on every live coding and decision of the project; safe in a worker thread.

    Given other `codings` or `decisions` (an experiment: the benches, a held-out split; one
    coder's own, blind), the model is only returned: it is not the project's model, so it is
    neither stored nor cached."""
    fingerprint = current_fingerprint(store, codebook)
    own = codings is None and decisions is None
    if codings is None:
        codings = store.codings()
    if decisions is None:
        decisions = store.decisions()
    scorer = build(codebook, lemmatize, store.sentences(), codings, decisions, fingerprint)
    if codings:
        _fit(store, codebook, scorer, codings, decisions)
    if own:
        store.save_model(to_trained(scorer, fingerprint))
        with _cache_lock:
            _scorers.clear()
            _scorers[fingerprint] = scorer
    return scorer


def _fit(
    store: Store,
    codebook: Codebook,
    scorer: Scorer,
    codings: Sequence[Coding],
    decisions: Sequence[Decision],
) -> None:
    """Turn-level training set: turns of coded documents up to their last coding (further on
    the coders had not looked yet), and turns where a coder rejected a suggested code."""
    import numpy as np

    index = {c: i for i, c in enumerate(scorer.code_ids)}
    by_doc: dict[str, list[Coding]] = {}
    for coding in codings:
        if coding.code_id in index:
            by_doc.setdefault(coding.document_id, []).append(coding)
    refused: dict[str, list[Any]] = {}
    for d in decisions:
        if d.decision in ("reject", "other") and d.code_id in index:
            refused.setdefault(d.document_id, []).append(d)
    sg = Suggester(codebook, scorer)
    dense, xs, labels, known, groups = [], [], [], [], []
    for doc_id in sorted(set(by_doc) | set(refused)):
        # A coded document not analysed yet teaches nothing this time; once it is, the
        # fingerprint (which holds the analyses) changes and the model is trained again.
        found = sg._evidence(store, doc_id, required=False)
        if found is None:
            continue
        sentences, _text, _hits, _zero, _parts, turns = found
        last = max((c.end_char for c in by_doc.get(doc_id, [])), default=-1)
        y = np.zeros((len(turns.groups), len(index)), dtype=int)
        mask = np.zeros_like(y, dtype=bool)
        for n, g in enumerate(turns.groups):
            t0, t1 = sentences[g[0]].start_char, sentences[g[-1]].end_char
            for c in by_doc.get(doc_id, []):
                if min(t1, c.end_char) > max(t0, c.start_char):
                    y[n, index[c.code_id]] = 1
            if t0 <= last:
                mask[n] = True
            for d in refused.get(doc_id, []):
                if min(t1, d.end_char) > max(t0, d.start_char):
                    mask[n, index[d.code_id]] = True
        keep = mask.any(axis=1)
        dense.append(turns.dense()[keep])
        xs.append(turns.x[keep])
        labels.append(y[keep])
        known.append(mask[keep])
        groups += [doc_id] * int(keep.sum())
    if groups:
        from scipy.sparse import vstack

        fit_turns(
            scorer, np.concatenate(dense), vstack(xs).tocsr(), np.concatenate(labels),
            np.concatenate(known), np.array(groups),
        )  # fmt: skip


def prepare(store: Store, codebook: Codebook) -> Suggester:
    """A suggester reflecting every coding and decision now in the project (retrains if needed).

    One training at a time in a process: a second caller (the queue while the app retrains in
    the background) waits for it and then finds its model, instead of training again."""
    with _train_lock:
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


def prepare_blind(store: Store, codebook: Codebook, coder: str) -> Suggester:
    """A suggester for coding blind: its model learnt from this coder's codings and decisions
    alone, and it hides only what they coded; nothing of it is stored (the project's
    suggestions and model stay the team's)."""
    scorer = train(
        store, codebook, codings=store.codings(coder=coder), decisions=store.decisions(coder=coder)
    )
    return Suggester(codebook, scorer, blind_for=coder)
