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
