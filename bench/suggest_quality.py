"""Suggestion quality per turn (demo corpus): zero-shot, learning by document, baseline."""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

from recits import nlp, suggest
from recits.codebook import Codebook
from recits.ingest import ImportOptions, import_paths
from recits.models import Coding
from recits.project import Project
from recits.store import Store

REPO = Path(__file__).resolve().parents[1]
Passages = dict[tuple[str, int], tuple[int, int, str]]  # (doc, position) -> (start, end, text)


def reference(store: Store, path: Path) -> list[Coding]:
    titles = {d.title: d.id for d in store.documents()}
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        doc = titles[r["document"]]
        out.append(
            Coding(
                f"ref-{i}", doc, r["start_char"], r["end_char"], r["text"], r["code"],
                r["coder"], "manual", "", "2021-01-01T00:00:00",
            )
        )  # fmt: skip
    return out


def passages(store: Store) -> Passages:
    return {
        (d.id, t.position): (t.start_char, t.end_char, t.text)
        for d in store.documents()
        for t in store.turns(d.id)
    }


def labels(items: list[tuple[str, int, int, str]], turns: Passages) -> dict[tuple[str, int], set]:
    """Codes of spans inside (overlapping) each turn."""
    out: dict[tuple[str, int], set] = {key: set() for key in turns}
    for doc, start, end, code in items:
        for (d, pos), (t0, t1, _text) in turns.items():
            if d == doc and min(end, t1) > max(start, t0):
                out[(d, pos)].add(code)
    return out


def scores(gold: dict, pred: dict, codes: list[str], keys: list | None = None) -> dict:
    keys = keys if keys is not None else list(gold)
    per_code = {}
    for code in codes:
        tp = sum(1 for k in keys if code in gold[k] and code in pred[k])
        fp = sum(1 for k in keys if code not in gold[k] and code in pred[k])
        fn = sum(1 for k in keys if code in gold[k] and code not in pred[k])
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_code[code] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
    macro = {
        m: round(sum(v[m] for v in per_code.values()) / len(codes), 3) for m in per_code[codes[0]]
    }
    return {"macro": macro, "per_code": per_code}


def predict(sg: suggest.Suggester, store: Store, doc_ids: list[str]) -> list:
    out = []
    for doc_id in doc_ids:
        for s in sg.compute(store, doc_id):
            if s.score >= suggest.DEFAULT_MIN_SCORE:
                out.append((doc_id, s.start_char, s.end_char, s.code_id))
    return out


def baseline(codebook: Codebook, turns: Passages) -> list:
    """Exact, case-insensitive keyword matching of the codebook patterns on the raw text."""
    out = []
    for code in codebook.codes:
        for pattern in code.patterns:
            regex = re.compile(rf"(?<!\w){re.escape(pattern)}(?!\w)", re.IGNORECASE)
            for (doc, _pos), (t0, _t1, text) in turns.items():
                for m in regex.finditer(text):
                    out.append((doc, t0 + m.start(), t0 + m.end(), code.id))
    return out


def demo(project: Project, store: Store, corpus: Path) -> tuple[Codebook, list[Coding], Passages]:
    """Import and analyse the corpus: its codebook, reference codings and turns."""
    import_paths(store, [corpus], ImportOptions())
    codebook = project.sync_codebook(store)
    nlp.analyse(store)
    return codebook, reference(store, corpus / "codings.jsonl"), passages(store)


def main(corpus: Path = REPO / "corpus") -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "demo")
        with project.store() as store:
            codebook, ref, turns = demo(project, store, corpus)
            codes = [c.id for c in codebook.codes]
            gold = labels(
                [(c.document_id, c.start_char, c.end_char, c.code_id) for c in ref], turns
            )
            docs = [d.id for d in store.documents()]
            zero_sg = suggest.Suggester(codebook, suggest.train(store, codebook, codings=[]))
            zero = labels(predict(zero_sg, store, docs), turns)
            learnt_items = []
            for held_out in docs:
                train_on = [c for c in ref if c.document_id != held_out]
                sg = suggest.Suggester(codebook, suggest.train(store, codebook, codings=train_on))
                learnt_items += predict(sg, store, [held_out])
            learnt = labels(learnt_items, turns)
            base = labels(baseline(codebook, turns), turns)
    result = {
        "benchmark": "suggest_quality",
        "passages": len(turns),
        "passages_with_codes": sum(1 for v in gold.values() if v),
        "gold": "codes of the reference codings (Claire ∪ Samia) overlapping each turn",
        "min_score": suggest.DEFAULT_MIN_SCORE,
        "baseline_exact_keywords": scores(gold, base, codes),
        "zero_shot": scores(gold, zero, codes),
        "learning_cv_by_document": scores(gold, learnt, codes),
        "targets": {"zero_shot_macro_f1": 0.65, "learning_macro_f1": 0.75},
        "seconds": round(time.perf_counter() - started, 1),
    }
    result["within_targets"] = (
        result["zero_shot"]["macro"]["f1"] >= 0.65
        and result["learning_cv_by_document"]["macro"]["f1"] >= 0.75
        and result["zero_shot"]["macro"]["f1"] > result["baseline_exact_keywords"]["macro"]["f1"]
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "corpus")
