"""Agreement on 1,000,000 words with two coders × 10,000 codings, and the comparison screen
opening on a 20,000-word document, as JSON.

The reference, measured in the same run: scikit-learn's cohen_kappa_score on the per-character
arrays of one code (the figure must match ours)."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import turns  # noqa: E402

from recits.models import NewCoding, ParsedDocument, ParsedTurn  # noqa: E402
from recits.project import Project  # noqa: E402

WORDS, DOCUMENTS, CODINGS = 1_000_000, 50, 10_000
CODERS = ("Nadia", "Karim")


def parsed(pairs: list[tuple[str, str]]) -> ParsedDocument:
    text, out = "", []
    for speaker, speech in pairs:
        start = len(text) + len(speaker) + 3
        text += f"{speaker} : {speech}\n"
        out.append(ParsedTurn(start, start + len(speech), speaker))
    return ParsedDocument(text=text, turns=tuple(out), format="txt")


def build(root: Path) -> tuple[Project, list[str]]:
    """The project: 50 documents of 20,000 words; each coder codes 200 spans per document,
    the second often near the first (as two coders of one text do)."""
    from recits.speakers import plan

    rng = random.Random(13)
    project = Project.init(root / "projet", coder="Nadia")
    ids: list[str] = []
    with project.store() as store:
        codes = [c.id for c in project.sync_codebook(store).codes]
        for i in range(DOCUMENTS):
            doc = parsed(turns(rng, WORDS // DOCUMENTS))
            with store.write():
                document = store.add_document(
                    doc, title=f"Réunion {i:03}", kind="réunion du collectif",
                    date=f"2021-{1 + i % 12:02}-01", source_name=f"r{i}.txt",
                    source_path=f"/tmp/r{i}.txt", sha256=f"{i:064}", text_sha256="x",
                    word_count=WORDS // DOCUMENTS, imported_by="bench",
                    speakers=plan(store, doc, {}),
                )  # fmt: skip
            ids.append(document.id)
            length = len(doc.text)
            items = []
            for _ in range(CODINGS // DOCUMENTS):
                code = rng.choice(codes)
                start = rng.randrange(0, length - 400)
                end = start + rng.randint(20, 300)
                items.append(NewCoding(document.id, start, end, code, CODERS[0]))
                if rng.random() < 0.8:
                    start, end = start + rng.randint(-8, 8), end + rng.randint(-8, 8)
                    other = code if rng.random() < 0.85 else rng.choice(codes)
                else:
                    start = rng.randrange(0, length - 400)
                    end, other = start + rng.randint(20, 300), rng.choice(codes)
                items.append(NewCoding(document.id, max(0, start), end, other, CODERS[1]))
            store.add_codings(items)
    return project, ids


def reference_kappa(project: Project, code: str) -> tuple[float, float]:
    """sklearn's κ on the per-character arrays of one code over the whole corpus (seconds, κ)."""
    from sklearn.metrics import cohen_kappa_score

    with project.store() as store:
        lengths = store.document_lengths()
        spans = store.coding_spans()
    offsets = dict(zip(lengths, np.cumsum([0, *lengths.values()])[:-1], strict=True))
    total = sum(lengths.values())
    arrays = [np.zeros(total, dtype=np.int8) for _ in CODERS]
    for document, start, end, code_id, coder in spans:
        if code_id == code:
            arrays[CODERS.index(coder)][offsets[document] + start : offsets[document] + end] = 1
    began = time.perf_counter()
    kappa = cohen_kappa_score(arrays[0], arrays[1])
    return time.perf_counter() - began, float(kappa)


def measure(project: Project, unit: str) -> tuple[float, list]:
    from recits.agreement import for_project

    with project.store() as store:
        began = time.perf_counter()
        rows = for_project(store, unit=unit)
        return time.perf_counter() - began, rows


async def screen_opening(project: Project, document_id: str) -> tuple[float, float]:
    """From the call to the comparison screen painted, on a 20,000-word document: the app's
    CPU time (the budget's figure, as bench/tui.py measures opening a document: robust to a
    noisy machine) and the wall clock through the pilot; medians of 7."""
    from recits.tui.app import RecitsApp

    app = RecitsApp(project, "Nadia", preload_model=False)
    cpu, wall = [], []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for _ in range(7):
            w, c = time.perf_counter(), time.process_time()
            app.open_comparison(document_id, CODERS[0], CODERS[1])
            await pilot.pause()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
            await pilot.press("escape")
            await pilot.pause()
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project, ids = build(Path(tmp))
        seconds = {unit: measure(project, unit)[0] for unit in ("character", "sentence",
                                                                "passage")}  # fmt: skip
        _s, rows = measure(project, "character")
        code = rows[0].code
        ours = next(r for r in rows if r.code == code and r.document is None)
        reference_s, reference = reference_kappa(project, code)
        opening, opening_wall = asyncio.run(screen_opening(project, ids[0]))
    result = {
        "benchmark": "agreement",
        "words": WORDS,
        "codings": 2 * CODINGS,
        "agreement_character_s": round(seconds["character"], 3),
        "agreement_sentence_s": round(seconds["sentence"], 3),
        "agreement_passage_s": round(seconds["passage"], 3),
        "reference_sklearn_kappa_one_code_s": round(reference_s, 3),
        "ratio_to_reference": round(seconds["character"] / reference_s, 3),
        "kappa_matches_sklearn": abs(ours.kappa - reference) < 1e-9,
        "open_comparison_20k_words_ms": round(1000 * opening, 1),
        "open_comparison_20k_words_wall_ms": round(1000 * opening_wall, 1),
        "budgets": {"agreement_character_s": 2.0, "open_comparison_20k_words_ms": 150},
    }
    result["within_budget"] = {k: result[k] <= v for k, v in result["budgets"].items()}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
