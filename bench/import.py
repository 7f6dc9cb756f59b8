"""Import throughput vs a bare reference (read the same files' text + one insert_all), as JSON."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx
import webvtt
from odf import teletype
from odf.opendocument import load as load_odt
from odf.text import P
from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from recits.importers import count_words  # noqa: E402
from recits.ingest import ImportOptions, import_paths  # noqa: E402
from recits.project import Project  # noqa: E402


def read_text(path: Path) -> str:
    """The least one can do to get a file's text with the same libraries."""
    suffix = path.suffix
    if suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8")
    if suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if suffix == ".odt":
        return "\n".join(teletype.extractText(p) for p in load_odt(str(path)).getElementsByType(P))
    if suffix == ".vtt":
        return "\n".join(c.text for c in webvtt.read(str(path)))
    if suffix == ".srt":
        return "\n".join(c.text for c in webvtt.from_srt(str(path)))
    raise ValueError(path)


def reference(files: list[Path], db_path: Path) -> float:
    start = time.perf_counter()
    rows = [{"name": f.name, "text": read_text(f)} for f in files]
    Database(db_path)["documents"].insert_all(rows)
    return time.perf_counter() - start


def ours(files: list[Path], root: Path) -> tuple[float, int]:
    project = Project.init(root)
    with project.store() as store:
        start = time.perf_counter()
        outcomes = import_paths(store, files, ImportOptions())
        elapsed = time.perf_counter() - start
    failed = [o for o in outcomes if o.failed]
    assert not failed, failed[:3]
    return elapsed, len(outcomes)


RUNS = 3


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        files = generate(tmp_path / "corpus")
        words = sum(count_words(read_text(f)) for f in files)
        # Alternate the two, three times each, and keep the medians: the machine is noisy.
        refs, mines = [], []
        for i in range(RUNS):
            refs.append(reference(files, tmp_path / f"ref-{i}.db"))
            mine, n = ours(files, tmp_path / f"project-{i}")
            mines.append(mine)
        ref, mine = statistics.median(refs), statistics.median(mines)
    print(
        json.dumps(
            {
                "benchmark": "import",
                "files": n,
                "words": words,
                "reference_s": round(ref, 3),
                "recits_s": round(mine, 3),
                "reference_words_per_s": round(words / ref),
                "recits_words_per_s": round(words / mine),
                "runs": RUNS,
                "ratios": [round(r / m, 3) for r, m in zip(refs, mines, strict=True)],
                "throughput_ratio": round(ref / mine, 3),
                "budget_ratio": 0.5,
                "within_budget": ref / mine >= 0.5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
