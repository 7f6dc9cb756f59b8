"""Whole speaker turns as the unit of suggestion: the evidence of their sentences, aggregated.

Coders code whole sentences inside one turn, and most coded passages span most of a turn; the
evidence of one sentence alone is thin. So each (turn, code) gets one score from the evidence
of all its sentences: the codebook terms matched anywhere in the turn, the similarity of the
whole turn to the code's description, inclusions and examples, and the length of the turn
(short turns, "oui", "d'accord", rarely carry a code), and who speaks: the person who mostly
asks questions in a transcript (the interviewer, the facilitator) is rarely the one coded.
An answer also takes some of the theme of the question it answers ("Et la formation, tu en
penses quoi ?" — "J'hésite, franchement…"), from another speaker's turn just before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from recits.models import Sentence

# Hyperparameters of the zero-shot score, chosen on the demo corpus (bench/suggest_quality);
# in an offline sweep on it, LEN_HALF 20/40 and CODE_WEIGHT 2/4 gave oracle macro-F1 within 0.03.
LEN_HALF = 20  # words at which the length prior of a turn is 1/2: prior = words / (words + 20)
CODE_WEIGHT = 4.0  # tf-idf cosine of a turn to its code's whole text is small (0.05-0.2)
WORD_WEIGHT = 0.4  # a matched single-word pattern
PHRASE_WEIGHT = 0.6  # a matched phrase pattern
QUESTION_WEIGHT = 0.3  # share of a question's evidence its answer takes (0.2-0.5 alike on the demo)
N_DENSE = 10  # dense features of a (turn, code), then the learnt tf-idf score, then code one-hot
ZERO_FEATURE = 6  # where the zero-shot turn score is among them


@dataclass
class Turns:
    """Aggregated evidence of the turns of one document; arrays are (turn, code)."""

    groups: list[list[int]]  # sentence indices of each turn
    words: Any  # words per turn
    pattern: Any  # noisy-or of the distinct matched terms of the turn
    terms: Any  # how many distinct terms matched
    whole: Any  # cosine of the whole turn to the code's whole text
    example: Any  # best cosine of the turn to one codebook text (example, inclusion)
    sentence: Any  # best zero-shot sentence score inside the turn
    asking: Any  # share of questions among the sentences of the turn's speaker in the document
    questions: Any  # share of questions among the turn's own sentences
    asked: Any  # evidence of the question this turn answers (another speaker's, just before)
    question: list[int]  # index of that question's turn, or -1
    zero: Any  # the zero-shot turn score
    x: Any  # tf-idf rows of the turns

    def dense(self) -> Any:
        """(turn, code, feature): evidence only, code-agnostic, so one model serves all codes."""
        loglen = np.log1p(self.words)[:, None] / 5 + 0 * self.zero
        return np.stack(
            [
                self.pattern, self.whole, self.example, self.sentence,
                np.log1p(self.terms), loglen, self.zero, self.asking[:, None] + 0 * self.zero,
                self.questions[:, None] + 0 * self.zero, self.asked,
            ],
            axis=2,
        )  # fmt: skip


def group(sentences: Sequence[Sentence]) -> list[list[int]]:
    """Consecutive sentences of the same turn."""
    groups: list[list[int]] = []
    for i, s in enumerate(sentences):
        prev = sentences[groups[-1][-1]] if groups else None
        if prev is not None and (prev.document_id, prev.turn_position) == (
            s.document_id,
            s.turn_position,
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _is_question(text: str, s: Sentence) -> bool:
    return "?" in text[max(s.start_char, s.end_char - 4) : s.end_char]


def asking(
    sentences: Sequence[Sentence], groups: list[list[int]], text: str, speakers: dict[int, Any]
) -> tuple[Any, Any]:
    """Per turn: the question share of its speaker over the document, and of the turn itself."""
    who = [speakers.get(sentences[g[0]].turn_position) for g in groups]
    asked = [sum(_is_question(text, sentences[i]) for i in g) for g in groups]
    size = [len(g) for g in groups]
    total: dict[Any, list[int]] = {}
    for w, a, n in zip(who, asked, size, strict=True):
        counts = total.setdefault(w, [0, 0])
        counts[0] += a
        counts[1] += n
    rate = np.array([total[w][0] / total[w][1] for w in who])
    return rate, np.array(asked, dtype=float) / np.maximum(size, 1)


def answered(
    sentences: Sequence[Sentence], groups: list[list[int]], text: str, speakers: dict[int, Any]
) -> list[int]:
    """Per turn, the turn just before it when that one ends with a question from someone
    else (the question it answers), or -1."""
    out = [-1] * len(groups)
    for n in range(1, len(groups)):
        before, now = groups[n - 1], groups[n]
        who = [speakers.get(sentences[g[0]].turn_position) for g in (before, now)]
        if who[0] != who[1] and _is_question(text, sentences[before[-1]]):
            out[n] = n - 1
    return out


def term_weight(words: int) -> float:
    return PHRASE_WEIGHT if words > 1 else WORD_WEIGHT


def aggregate(
    scorer: Any,
    sentences: Sequence[Sentence],
    text: str,
    hits: dict[tuple[int, int], dict[int, str]],
    sentence_zero: Any,
    speakers: dict[int, Any],
) -> Turns:
    """The evidence of each turn, from its sentences' hits and zero-shot scores; `speakers`
    maps a turn position to who speaks."""
    groups = group(sentences)
    k = len(scorer.code_ids)
    t = len(groups)
    words = np.array(
        [len(text[sentences[g[0]].start_char : sentences[g[-1]].end_char].split()) for g in groups],
        dtype=float,
    )
    pattern, terms, sentence = np.zeros((t, k)), np.zeros((t, k)), np.zeros((t, k))
    for n, g in enumerate(groups):
        sentence[n] = sentence_zero[g].max(axis=0)
        for c in range(k):
            # The same words matched by several patterns (formation, former, formaté share a
            # stem) or repeated in the turn count once: distinct matched surfaces.
            seen: dict[str, float] = {}
            for i in g:
                for term, surface in hits.get((i, c), {}).items():
                    w = term_weight(scorer.terms[term].words)
                    key = surface.lower()
                    seen[key] = max(seen.get(key, 0.0), w)
            pattern[n, c] = 1 - float(np.prod([1 - w for w in seen.values()])) if seen else 0.0
            terms[n, c] = len(seen)
    x = scorer.vectorizer.transform([" ".join(sentences[i].lemmas for i in g) for g in groups])
    whole = (x @ scorer.code_texts.T).toarray()
    example = np.zeros((t, k))
    if scorer.examples.shape[0]:
        sims = (x @ scorer.examples.T).toarray()
        codes = np.array(scorer.example_codes)
        for c in range(k):
            if (codes == c).any():
                example[:, c] = sims[:, codes == c].max(axis=1)
    evidence = 1 - (1 - pattern) * (1 - np.clip(CODE_WEIGHT * whole, 0, 0.9))
    rate, own = asking(sentences, groups, text, speakers)
    question = answered(sentences, groups, text, speakers)
    asked = np.zeros((t, k))
    for n, q in enumerate(question):
        if q >= 0:
            asked[n] = evidence[q]
    evidence = 1 - (1 - evidence) * (1 - QUESTION_WEIGHT * asked)
    zero = evidence * (words / (words + LEN_HALF))[:, None]
    return Turns(
        groups, words, pattern, terms, whole, example, sentence, rate, own, asked, question,
        zero, x,
    )  # fmt: skip


def design(turns_dense: Any, learnt: Any) -> Any:
    """Rows (turn, code): dense evidence, the learnt tf-idf score, the code as one-hot."""
    t, k, _f = turns_dense.shape
    eye = np.broadcast_to(np.eye(k), (t, k, k))
    return np.concatenate([turns_dense, learnt[:, :, None], eye], axis=2).reshape(t * k, -1)


def logit(p: Any) -> Any:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))
