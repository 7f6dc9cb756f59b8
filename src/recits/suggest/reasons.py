"""Why a code is suggested, in French: matched terms, the question answered, the nearest coded
passage or codebook text, the learnt model's score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook
from recits.models import Reason, Sentence

if TYPE_CHECKING:
    from recits.suggest.model import Scorer

Hits = dict[tuple[int, int], dict[int, str]]  # (sentence, code) -> {term index: matched text}


def terms(sc: Scorer, hits: Hits, run: list[int], c: int) -> Reason | None:
    """The codebook terms matched in the sentences of the passage, as written there."""
    matched: dict[str, str] = {}
    for i in run:
        for t, surface in hits.get((i, c), {}).items():
            pattern = sc.terms[t].text
            if surface not in matched or pattern.lower() == surface.lower():
                matched[surface] = pattern
    if not matched:
        return None
    shown = ", ".join(
        f"« {s} »" + (f" ({p})" if p.lower() != s.lower() else "") for s, p in matched.items()
    )
    return Reason("terms", f"termes de la grille : {shown}", tuple(matched))


def question(
    sc: Scorer,
    text: str,
    document_id: str,
    sentences: Sequence[Sentence],
    hits: Hits,
    asked: list[int],
    c: int,
) -> Reason:
    """The question (another speaker's turn just before) whose theme the passage answers, with
    the codebook terms it names."""
    start, end = sentences[asked[0]].start_char, sentences[asked[-1]].end_char
    named = terms(sc, hits, asked, c)
    shown = ", ".join(f"« {t} »" for t in named.terms) if named else ""
    return Reason(
        "question",
        f"répond à une question sur ce thème ({shown}) : « {short(text[start:end])} »",
        named.terms if named else (), document_id=document_id, start_char=start, end_char=end,
    )  # fmt: skip


def nearest(
    sc: Scorer, codebook: Codebook, parts: dict[str, Any], run: list[int], c: int
) -> list[Reason]:
    """The nearest passage coded with the code, and the nearest text of the codebook."""
    import numpy as np

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
                        "example", f"proche d'un extrait codé : « {short(excerpt)} »",
                        score=round(float(sims[r]), 3), document_id=doc_id,
                        start_char=s0, end_char=s1,
                    )
                )  # fmt: skip
    best = max(run, key=lambda i: parts["example"][i, c])
    e = int(parts["nearest"][best, c])
    if e >= 0 and parts["example"][best, c] > 0.05:
        text = sc.example_texts[e]
        code = codebook.code(sc.code_ids[c])
        # The codebook's texts are its examples and its inclusions: say which one.
        what = "une inclusion" if code is not None and text in code.include else "un exemple"
        reasons.append(
            Reason(
                "codebook-example", f"proche d'{what} de la grille : « {short(text)} »",
                score=round(float(parts["example"][best, c]), 3),
            )
        )  # fmt: skip
    return reasons


def model(sc: Scorer, learnt: float) -> Reason | None:
    """The learnt model's probability, with the weight it earned on the project's codings, its
    cut and version; none without a model, nor when it earned no weight (then it is unused)."""
    if learnt != learnt or not sc.learns:  # NaN: no learnt model
        return None
    return Reason(
        "model",
        f"modèle appris : {learnt:.2f} (poids {sc.weight:.1f}, mesuré sur vos codages ;"
        f" seuil {sc.cut:.2f}, version {sc.version})",
        score=round(float(learnt), 3),
    )


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
