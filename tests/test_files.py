"""A FIFO or a device named as a file is refused at once, never read (the read would hang)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import db_snapshot

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFO on this system")

GOOD = "Nadia : Bonjour à toutes et à tous.\nKarim : Bonjour Nadia.\n"
# A hang fails the test instead of blocking the run: every command gets this many seconds.
TIMEOUT_S = 60


def recits(project, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process, so that a blocked read can be timed out."""
    return subprocess.run(
        [sys.executable, "-m", "recits", *args, "--project", str(project.root)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT_S,
    )


def test_a_fifo_given_as_a_file_is_refused(project, tmp_path: Path) -> None:
    fifo = tmp_path / "tube.txt"
    os.mkfifo(fifo)
    before = db_snapshot(project.db_path)
    result = recits(project, "import", str(fifo))
    assert result.returncode == 1
    assert f"{fifo} : ce n'est pas un fichier ordinaire mais un tube nommé (FIFO)" in result.stderr
    assert "Traceback" not in result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_fifo_in_a_folder_is_refused_and_the_other_files_imported(project, tmp_path) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "b.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    result = recits(project, "import", str(folder))
    assert result.returncode == 1
    assert f"{folder / 'b.txt'} : ce n'est pas un fichier ordinaire mais un tube" in result.stderr
    assert f"{folder / 'zero.txt'} : ce n'est pas un fichier ordinaire mais un périph" in (
        result.stderr
    )
    assert "1 importé(s)" in result.stdout and "2 refusé(s)" in result.stdout
    with project.store() as store:
        assert [d.title for d in store.documents()] == ["a"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_given_as_a_file_is_refused(project) -> None:
    before = db_snapshot(project.db_path)
    result = recits(project, "import", "/dev/zero")
    assert result.returncode == 1
    assert "/dev/zero : ce n'est pas un fichier ordinaire mais un périphérique" in result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_fifo_as_codebook_or_codings_file_is_refused(project, tmp_path: Path) -> None:
    fifo = tmp_path / "grille.yaml"
    os.mkfifo(fifo)
    before = db_snapshot(project.db_path)
    result = recits(project, "codebook", "check", str(fifo))
    assert result.returncode == 1
    assert f"{fifo} : ce n'est pas un fichier ordinaire mais un tube nommé" in result.stderr
    codings = tmp_path / "codage.jsonl"
    os.mkfifo(codings)
    result = recits(project, "codings", "import", str(codings), "--coder", "Claire")
    assert result.returncode == 1
    assert f"{codings} : ce n'est pas un fichier ordinaire mais un tube nommé" in result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_file_swapped_for_a_fifo_after_the_check_is_not_read(tmp_path: Path, monkeypatch):
    """The check is made again on the opened file: a FIFO put in place between the two is
    refused, and opening it does not wait for a writer."""
    from recits import files
    from recits.errors import InputFileError

    fifo = tmp_path / "tube.txt"
    os.mkfifo(fifo)
    monkeypatch.setattr(files, "check_regular", lambda path: None)
    with pytest.raises(InputFileError, match="tube nommé"):
        files.open_regular(fifo)
