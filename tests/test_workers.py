"""After a `kill -9` of an import or an analysis, its worker processes end within seconds."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from recits import ingest
from tests.conftest import run

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

# The command stops in its progress callback, its workers alive, and says so.
STOP_AT_FIRST_PROGRESS = """
import sys, threading
from recits.project import Project

def ready(_item):
    print("PRÊT", flush=True)
    threading.Event().wait()  # until killed

with Project.open(sys.argv[1]).store() as store:
    if sys.argv[2] == "import":
        from recits.ingest import ImportOptions, import_paths
        import_paths(store, [sys.argv[3]], ImportOptions(coder="Claire"), progress=ready)
    else:
        from recits import nlp
        nlp.analyse(store, parallel=True, progress=ready)
"""
READY_TIMEOUT_S = 300  # two spaCy models loading on a busy machine
GONE_WITHIN_S = 10


def _state(pid: int) -> str | None:
    """The process state letter (R, S, Z…), None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return None


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[-1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if _state(pid) not in (None, "Z", "X")}


def kill_when_ready(project, *args: str) -> set[int]:
    """Start the command, wait for its workers, kill -9 it; return its workers still running
    a few seconds later."""
    proc = subprocess.Popen(
        [sys.executable, "-c", STOP_AT_FIRST_PROGRESS, str(project.root), *args],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        assert lines.get(timeout=READY_TIMEOUT_S).strip() == "PRÊT"
        workers = descendants(proc.pid)
        assert len(running(workers)) >= 2, workers  # the pool's processes
    finally:
        proc.kill()  # SIGKILL: no clean-up code runs in the command
        proc.wait(30)
        proc.stdout.close()
    deadline = time.monotonic() + GONE_WITHIN_S
    while running(workers) and time.monotonic() < deadline:
        threading.Event().wait(0.1)  # polling other processes: nothing to wait on
    left = running(workers)
    for pid in left:  # leave nothing behind, whatever the result
        subprocess.run(["kill", "-9", str(pid)], check=False)
    return left


def test_import_workers_end_with_a_killed_import(project, tmp_path: Path) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    turn = "Nadia : on parle de la formation et de la réduction des risques, longuement.\n"
    size = ingest.PARALLEL_MIN_BYTES // ingest.PARALLEL_MIN_FILES + 1024
    for i in range(ingest.PARALLEL_MIN_FILES + 2):  # enough to parse in worker processes
        (folder / f"f{i}.txt").write_text(f"Karim : fichier {i}.\n" + turn * (size // len(turn)))
    assert kill_when_ready(project, "import", str(folder)) == set()


def test_analysis_workers_end_with_a_killed_analysis(project, tmp_path: Path) -> None:
    for i in range(3):
        path = tmp_path / f"e{i}.txt"
        path.write_text(f"Nadia : entretien {i}, la formation.\nKarim : oui.\n", "utf-8")
        assert run(project, "import", str(path)).exit_code == 0
    assert kill_when_ready(project, "analyse") == set()
