"""The import pipeline: parallel parsing gives the same documents and reports, in order."""

from __future__ import annotations

import recits.ingest as ingest
from recits.ingest import ImportOptions, import_paths


def write_batch(folder, n=10, bad=(3,)):
    folder.mkdir()
    for i in range(n):
        content = "" if i in bad else f"Nadia : tour {i}, « pair-e-s ».\nKarim : réponse {i}.\n"
        (folder / f"f{i:02}.txt").write_text(content, encoding="utf-8")


def outcomes(project, folder):
    with project.store() as store:
        result = import_paths(store, [folder], ImportOptions())
        texts = {d.title: store.document_text(d.id) for d in store.documents()}
    return [(o.path.name, o.status, o.message) for o in result], texts


def test_parallel_parsing_matches_sequential(project, tmp_path, monkeypatch):
    from recits.project import Project

    write_batch(tmp_path / "a")
    sequential = outcomes(project, tmp_path / "a")
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    other = Project.init(tmp_path / "autre")
    parallel = outcomes(other, tmp_path / "a")
    assert parallel == sequential
    reports, texts = parallel
    assert [status for _name, status, _message in reports].count("failed") == 1
    assert reports[3][1] == "failed" and "vide" in reports[3][2]
    assert texts["f05"] == "Nadia : tour 5, « pair-e-s ».\nKarim : réponse 5."


def test_same_file_twice_in_one_import_is_imported_once(project, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name in ("a.txt", "copie.txt"):
        (folder / name).write_text("Nadia : bonjour.\nKarim : salut.\n", encoding="utf-8")
    with project.store() as store:
        result = import_paths(store, [folder], ImportOptions())
        assert [o.status for o in result] == ["imported", "unchanged"]
        assert len(store.documents()) == 1
