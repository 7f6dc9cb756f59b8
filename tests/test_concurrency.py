"""Two processes coding the same project at once lose nothing."""

from __future__ import annotations

import multiprocessing as mp
import time

from recits.models import NewCoding
from recits.project import Project
from tests.conftest import add_doc, parsed


def _code_for(root: str, coder: str, doc_id: str, seconds: float, queue) -> None:
    project = Project.open(root)
    written = 0
    deadline = time.monotonic() + seconds
    with project.store() as store:
        while time.monotonic() < deadline:
            start = written % 50
            store.add_coding(
                NewCoding(doc_id, start, start + 1 + written // 50, "formation", coder)
            )
            written += 1
    queue.put((coder, written))


def test_two_processes_writing_codings_lose_none(project):
    text = "x" * 2000
    with project.store() as store:
        doc = add_doc(store, parsed((None, text)))
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_code_for, args=(str(project.root), c, doc.id, 3.0, queue))
        for c in ("Claire", "Samia")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    written = dict(queue.get(timeout=5) for _ in procs)
    assert min(written.values()) > 20
    with project.store() as store:
        stored = dict(store.status().codings_by_coder)
    assert stored == written


def _import_folder(root: str, folder: str, start, results) -> None:
    from recits.ingest import ImportOptions, import_paths

    project = Project.open(root)
    with project.store() as store:
        start.wait(60)  # every process imports at the same moment
        outcomes = import_paths(store, [folder], ImportOptions(coder="Claire"))
    results.put(sorted(o.status for o in outcomes))


def test_imports_of_the_same_files_at_the_same_time_store_each_file_once(project, tmp_path):
    """Four imports of one folder at once made 297 documents of 4 × 200 files: the « already
    imported » check is made inside the write transaction."""
    folder = tmp_path / "lot"
    folder.mkdir()
    files = 60
    for i in range(files):
        (folder / f"f{i:03}.txt").write_text(
            f"Nadia : tour {i}, on parle de la formation.\nKarim : réponse {i}.\n", "utf-8"
        )
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(4), ctx.Queue()
    procs = [
        ctx.Process(target=_import_folder, args=(str(project.root), str(folder), start, results))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    statuses = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert sum(s.count("imported") for s in statuses) == files
    assert sum(s.count("unchanged") for s in statuses) == 3 * files
    with project.store() as store:
        documents = store.documents()
    assert len(documents) == files
    assert len({d.sha256 for d in documents}) == files
    assert sorted(d.title for d in documents) == [f"f{i:03}" for i in range(files)]
