"""Bad REFI-QDA files: refused with a clear French message, project unchanged."""

from __future__ import annotations

import zipfile

import pytest

from recits.importers import size
from tests.conftest import db_snapshot, run
from tests.refi.builders import qde, qdpx

GOOD = qde(
    "Projet",
    [("10000000-0000-0000-0000-000000000001", "Léa")],
    [("20000000-0000-0000-0000-000000000001", "Nouveau code", [])],
    [("40000000-0000-0000-0000-000000000001", "Source", "aaaa.txt", [])],
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="20000000-0000-0000-0000-'
    '000000000001" name="&x;" isCodable="true"/></Codes></CodeBook>'
)


def written(path, data: bytes | str):
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", GOOD)
        archive.writestr("sources/aaaa.txt", b"a" * (60 * 2**20))
    return path


CASES = {
    "bombe.qdpx": (bomb, "bombe zip"),
    "entites.qdpx": (
        lambda p: qdpx(p, {"project.qde": BILLION_LAUGHS}),
        "entités XML (refusé par sécurité)",
    ),
    "externe.qdc": (lambda p: written(p, EXTERNAL), "entités XML"),
    "chemin.qdpx": (
        lambda p: qdpx(p, {"project.qde": GOOD, "../../evil.txt": "x"}),
        "chemin interdit",
    ),
    "pas-un-zip.qdpx": (lambda p: written(p, b"PK? pas du tout"), "pas une archive zip"),
    "casse.qde": (lambda p: written(p, "<Project name='x'"), "XML invalide"),
    "vide.qdpx": (lambda p: qdpx(p, {"autre.txt": "x"}), "sans fichier .qde"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_file_refused_project_unchanged(project, tmp_path, name):
    make, message = CASES[name]
    path = make(tmp_path / name)
    before = db_snapshot(project.db_path)
    codebook = project.codebook_path.read_bytes()
    result = run(project, "import", str(path))
    assert result.exit_code != 0
    assert message in result.stderr and name in result.stderr
    assert db_snapshot(project.db_path) == before
    assert project.codebook_path.read_bytes() == codebook


def test_huge_source_refused_project_unchanged(project, tmp_path, monkeypatch):
    monkeypatch.setattr(size, "MAX_TEXT_BYTES", 1000)
    path = qdpx(tmp_path / "gros.qdpx", {"project.qde": GOOD, "sources/aaaa.txt": "mot " * 2000})
    before = db_snapshot(project.db_path)
    codebook = project.codebook_path.read_bytes()
    result = run(project, "import", str(path))
    assert result.exit_code != 0 and "trop volumineux" in result.stderr
    assert db_snapshot(project.db_path) == before
    assert project.codebook_path.read_bytes() == codebook
