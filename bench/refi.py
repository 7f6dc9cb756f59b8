"""REFI-QDA on a 1,000,000-word project with 10,000 codings: the .qdpx export (gate included)
and its import into a fresh project, against references measured in the same run (a bare zip of
the same texts; recits' own import of the same texts as .txt files), and the peak memory, as
JSON. Budgets: export ≤ 5 s, import ≤ 10 s, memory ≤ 400 MB."""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SPEAKERS  # noqa: E402
from publish import CODES, DOCUMENTS, WORDS, document  # noqa: E402

from recits import participants as people  # noqa: E402
from recits.exports.refi import build_qdpx  # noqa: E402
from recits.exports.refi.files import write_refi  # noqa: E402
from recits.importers.refi import import_refi  # noqa: E402
from recits.ingest import ImportOptions, import_paths  # noqa: E402
from recits.models import NewCoding  # noqa: E402
from recits.project import Project  # noqa: E402
from recits.speakers import parse_links, plan  # noqa: E402

CODINGS = 10_000


def build(root: Path, rng: random.Random) -> Project:
    project = Project.init(root, coder="Claire")
    with project.store() as store:
        spans = []
        for i in range(DOCUMENTS):
            parsed = document(rng, WORDS // DOCUMENTS)
            with store.write():
                doc = store.add_document(
                    parsed, title=f"Réunion {i}", kind="réunion du collectif",
                    date=f"2021-{i % 12 + 1:02}-15", source_name=f"r{i}.txt", source_path="/tmp",
                    sha256=f"{i:064}", text_sha256="x", word_count=WORDS // DOCUMENTS,
                    imported_by="bench", speakers=plan(store, parsed, parse_links(SPEAKERS)),
                )  # fmt: skip
            spans += [(doc.id, t) for t in parsed.turns]
        chosen = [rng.choice(spans) for _ in range(CODINGS)]
        store.add_codings(
            NewCoding(doc_id, t.start_char, t.end_char, CODES[n % len(CODES)],
                      ("Claire", "Samia")[n % 2], memo="à relire" if n % 10 == 0 else "")
            for n, (doc_id, t) in enumerate(chosen)
        )  # fmt: skip
        for n, speaker in enumerate(SPEAKERS):
            people.rename(store, speaker, f"Pseudo{n}", role="travailleuse paire")
            people.set_consent(store, f"Pseudo{n}", "accordé", scope="articles")
    return project


def reference_zip(project: Project, out: Path) -> float:
    """The floor of an export: the same texts, read and zipped, nothing else."""
    start = time.perf_counter()
    with (
        project.store() as store,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
    ):
        for d in store.documents():
            z.writestr(f"sources/{d.id}.txt", store.document_text(d.id))
    return time.perf_counter() - start


def gate_alone(project: Project, data: bytes) -> float:
    """The name gate reading the written file (every source, the .qde): the floor of any
    export that checks every word it lets out."""
    from recits.exports.gate import Guard, check_output
    from recits.exports.refi import _template
    from recits.names import name_index

    with project.store() as store:
        guard = Guard(name_index(store), _template("qdpx"))
        start = time.perf_counter()
        assert not check_output("qdpx", data, guard)
        return time.perf_counter() - start


def reference_import(root: Path, qdpx: Path) -> float:
    """The floor of an import: recits importing the same texts as plain .txt files."""
    folder = root / "textes"
    folder.mkdir()
    with zipfile.ZipFile(qdpx) as z:
        for name in z.namelist():
            if name.startswith("sources/"):
                (folder / name.removeprefix("sources/")).write_bytes(z.read(name))
    project = Project.init(root / "reference", coder="Zoé")
    start = time.perf_counter()
    with project.store() as store:
        import_paths(store, [folder], ImportOptions(coder="Zoé"))
    return time.perf_counter() - start


def main() -> None:
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        project = build(root / "projet", rng)
        setup_s = time.perf_counter() - start
        reference_export_s = reference_zip(project, root / "reference.zip")
        start, cpu = time.perf_counter(), time.process_time()
        with project.store() as store:
            result = build_qdpx(store, "bench")
            path = write_refi(store, result, exports_dir=project.exports_dir, actor="bench")
        export_s, export_cpu_s = time.perf_counter() - start, time.process_time() - cpu
        megabytes = path.stat().st_size / 2**20
        gate_s = gate_alone(project, result.data)
        reference_import_s = reference_import(root, path)
        fresh = Project.init(root / "neuf", coder="Zoé")
        start, cpu = time.perf_counter(), time.process_time()
        with fresh.store() as store:
            report = import_refi(fresh, store, path, coder="Zoé")
        import_s, import_cpu_s = time.perf_counter() - start, time.process_time() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "benchmark": "refi",
                "words": WORDS,
                "documents": result.documents,
                "codings": result.codings,
                "setup_s": round(setup_s, 2),
                "export_qdpx": {
                    "seconds": round(export_s, 3),
                    "cpu_s": round(export_cpu_s, 3),  # what a loaded machine changes least
                    "reference_bare_zip_s": round(reference_export_s, 3),
                    "ratio": round(export_s / reference_export_s, 2),
                    "gate_alone_s": round(gate_s, 3),
                    "share_of_gate": round(gate_s / export_s, 2),
                    "megabytes": round(megabytes, 2),
                    "budget_s": 5.0,
                    "within_budget": export_s <= 5.0,
                },
                "import_qdpx": {
                    "seconds": round(import_s, 3),
                    "cpu_s": round(import_cpu_s, 3),
                    "reference_txt_import_s": round(reference_import_s, 3),
                    "ratio": round(import_s / reference_import_s, 2),
                    "codings": report.codings,
                    "not_placed": len(report.not_placed),
                    "budget_s": 10.0,
                    "within_budget": import_s <= 10.0,
                },
                "peak_memory_mb": round(peak_mb, 1),
                "memory_budget_mb": 400,
                "memory_within_budget": peak_mb <= 400,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
