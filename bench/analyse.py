"""Analysis throughput vs bare nlp.pipe, suggestion and retraining times, memory, as JSON."""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from recits import nlp, suggest  # noqa: E402
from recits.ingest import ImportOptions, import_paths  # noqa: E402
from recits.models import Coding  # noqa: E402
from recits.project import Project  # noqa: E402


def rss_mb() -> float:
    """Peak resident memory of this process only (children are not counted)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


REFERENCE = """
import json, sys, time, spacy
texts = json.load(open(sys.argv[1], encoding="utf-8"))
bare = spacy.load(sys.argv[2])
start = time.perf_counter()
for _doc in bare.pipe(texts, batch_size=int(sys.argv[3])):
    pass
print(time.perf_counter() - start)
"""


def reference_seconds(texts: list[str], folder: Path) -> float:
    """Bare nlp.pipe in another process, so that its memory never counts as ours."""
    path = folder / "texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, "-c", REFERENCE, str(path), nlp.MODEL_NAME, str(nlp.BATCH_SIZE)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--words", type=int, default=1_000_000, help="size of the generated corpus (budget: 1M)"
    )
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--parallel", action="store_true", help="also time the 2-process analysis")
    args = parser.parse_args()
    out: dict[str, object] = {"benchmark": "analyse", "words": args.words, "files": args.files}
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp) / "corpus", files=args.files, words=args.words)
        project = Project.init(Path(tmp) / "project")
        with project.store() as store:
            import_paths(store, files, ImportOptions())
            codebook = project.sync_codebook(store)
            docs = store.documents()
            texts = [store.document_text(d.id) for d in docs]
            reference = reference_seconds(texts, Path(tmp))  # timed after its model loaded
            del texts
            model = nlp.load_model()  # both sides start with the model loaded
            start = time.perf_counter()
            nlp.analyse(store, parallel=False)
            ours = time.perf_counter() - start
            out.update(
                reference_s=round(reference, 2),
                recits_s=round(ours, 2),
                throughput_ratio=round(reference / ours, 3),
                budget_ratio=0.9,
            )
            if args.parallel:
                for d in docs:  # forget the analyses so that they are parsed again
                    store.db.execute("DELETE FROM analyses WHERE document_id = ?", [d.id])
                store.db.conn.commit()
                start = time.perf_counter()
                nlp.analyse(store, parallel=True)
                out["recits_parallel_s"] = round(time.perf_counter() - start, 2)
                out["parallel_throughput_ratio"] = round(reference / out["recits_parallel_s"], 3)
            # Retraining on 1,000 codings drawn from the analysed sentences.
            rng = random.Random(3)
            pool = store.sentences()
            sentences = rng.sample(pool, min(1000, len(pool)))
            codes = [c.id for c in codebook.codes]
            codings = [
                Coding(f"c{i}", s.document_id, s.start_char, s.end_char, "", rng.choice(codes),
                       "Claire", "manual", "", "2021-01-01")
                for i, s in enumerate(sentences)
            ]  # fmt: skip
            start = time.perf_counter()
            scorer = suggest.train(store, codebook, codings=codings)
            out["retrain_1000_codings_s"] = round(time.perf_counter() - start, 2)
            # Suggestions for the document closest to 10,000 words.
            target = min(docs, key=lambda d: abs(d.word_count - 10_000))
            suggester = suggest.Suggester(codebook, scorer)
            suggester.ruler()
            start = time.perf_counter()
            suggester.compute(store, target.id)
            out["suggest_document_words"] = target.word_count
            out["suggest_document_s"] = round(time.perf_counter() - start, 3)
            # Our process only: the reference ran in its own process, workers are children.
            out["rss_mb_model_loaded_project_open"] = round(current_rss_mb())
            del model
    out["max_rss_mb"] = round(rss_mb())
    out["rss_budget_mb"] = 600
    out["within_budget"] = (
        out["throughput_ratio"] >= 0.9  # type: ignore[operator]
        and out["retrain_1000_codings_s"] <= 30  # type: ignore[operator]
        and out["suggest_document_s"] <= 1  # type: ignore[operator]
        and out["max_rss_mb"] <= 600  # type: ignore[operator]
    )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
