"""Bad input through the CLI: a French message naming the file, exit ≠ 0, database unchanged."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import db_snapshot, run

GOOD = "Nadia : Bonjour à toutes et à tous.\nKarim : Bonjour Nadia.\n"
ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)


def real_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Nadia : on parle de la réduction des risques.")
    document.add_paragraph("Karim : oui.")
    document.save(path)
    return path


def replace_member(source: Path, target: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == member else zin.read(item.filename))
    return target


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return path


def make_bad(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """A bad file and a fragment of the French message expected for it."""
    if kind == "empty":
        path = tmp_path / "vide.txt"
        path.write_bytes(b"")
        return path, "vide"
    if kind == "binary":
        path = tmp_path / "image.txt"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
        return path, "binaire"
    if kind == "truncated-docx":
        full = real_docx(tmp_path / "full.docx").read_bytes()
        path = tmp_path / "tronque.docx"
        path.write_bytes(full[: len(full) // 2])
        return path, "docx"
    if kind == "odt-not-zip":
        path = tmp_path / "faux.odt"
        path.write_text("ceci n'est pas un document OpenDocument", encoding="utf-8")
        return path, "odt"
    if kind == "zip-bomb":
        return zip_bomb(tmp_path / "bombe.docx"), "bombe zip"
    if kind == "entity-bomb":
        source = real_docx(tmp_path / "src.docx")
        path = replace_member(
            source, tmp_path / "entites.docx", "word/document.xml", ENTITY_BOMB.encode()
        )
        return path, "entités XML"
    if kind == "huge":
        path = tmp_path / "enorme.txt"
        with path.open("wb") as f:
            f.write(GOOD.encode())
            f.truncate(100 * 1024 * 1024)
        return path, "trop volumineux"
    if kind == "unsupported":
        path = tmp_path / "rapport.rtf"
        path.write_bytes(b"{\\rtf1 Bonjour}\n")
        return path, "format non pris en charge"
    raise AssertionError(kind)


KINDS = [
    "empty",
    "binary",
    "truncated-docx",
    "odt-not-zip",
    "zip-bomb",
    "entity-bomb",
    "huge",
    "unsupported",
]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_files_are_refused_cleanly(project, tmp_path, kind):
    path, fragment = make_bad(kind, tmp_path)
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(path))
    assert result.exit_code != 0
    assert str(path) in result.stderr and fragment in result.stderr, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert db_snapshot(project.db_path) == before


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("cp1252", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"")],
)
def test_windows_and_utf16_files_import_with_accents(project, tmp_path, encoding, bom):
    path = tmp_path / f"entretien-{encoding}.txt"
    text = "Intervieweuse : Et la réduction des risques ?\nNadia : Ça m'a sauvée, « vraiment ».\n"
    path.write_bytes(bom + text.replace("\n", "\r\n").encode(encoding))
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(run(project, "documents", "--json").output)[0]
    shown = json.loads(run(project, "show", doc["id"], "--json").output)
    assert shown["text"] == text.rstrip("\n")
    assert shown["turns"][1]["text"] == "Ça m'a sauvée, « vraiment »."


def test_failure_in_file_7_of_10_keeps_the_others(project, tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    for i in range(1, 11):
        content = b"" if i == 7 else f"Nadia : tour {i}.\nKarim : réponse {i}.\n".encode()
        (folder / f"f{i:02}.txt").write_bytes(content)
    result = run(project, "import", str(folder))
    assert result.exit_code != 0
    assert f"{folder / 'f07.txt'} : fichier vide" in result.stderr
    assert "9 importé(s)" in result.output
    titles = {d["title"] for d in json.loads(run(project, "documents", "--json").output)}
    assert titles == {f"f{i:02}" for i in range(1, 11) if i != 7}


def test_unknown_document_or_code_in_recits_code(project, tmp_path):
    path = tmp_path / "e.txt"
    path.write_text(GOOD, encoding="utf-8")
    run(project, "import", str(path))
    before = db_snapshot(project.db_path)
    result = run(project, "code", "inconnu", "0", "5", "formation", "--coder", "Claire")
    assert result.exit_code == 1 and "document introuvable : « inconnu »" in result.stderr
    result = run(project, "code", "e", "0", "5", "poesie", "--coder", "Claire")
    assert result.exit_code == 1 and "code inconnu : « poesie »" in result.stderr
    result = run(project, "code", "e", "3", "2", "formation", "--coder", "Claire")
    assert result.exit_code == 1 and "position invalide" in result.stderr
    assert db_snapshot(project.db_path) == before


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "fichier vide"),
        (b"{pas du json\n", "ligne 1 : JSON invalide"),
        (
            b'{"document": "e", "start_char": 0, "end_char": 5, "code": "formation"}\n[1]\n',
            "ligne 2 : chaque ligne doit être un objet",
        ),
        (
            b'{"document": "e", "start_char": 0, "end_char": 5, "code": "formation"}\n'
            b'{"document": "e", "start_char": 0, "end_char": 5, "code": "zz"}\n',
            "code inconnu",
        ),
        (
            b'{"document": "e", "start_char": 0, "end_char": 5, "code": "formation",'
            b' "text": "autre"}\n',
            "ligne 1 : le texte ne correspond pas",
        ),
        (
            b'{"document": "x", "start_char": 0, "end_char": 5, "code": "formation"}\n',
            "ligne 1 : document introuvable",
        ),
        ("é".encode("cp1252"), "UTF-8"),
    ],
)
def test_bad_codings_files_write_nothing(project, tmp_path, content, fragment):
    path = tmp_path / "e.txt"
    path.write_text(GOOD, encoding="utf-8")
    run(project, "import", str(path))
    codings = tmp_path / "codage.jsonl"
    codings.write_bytes(content)
    before = db_snapshot(project.db_path)
    result = run(project, "codings", "import", str(codings), "--coder", "Claire")
    assert result.exit_code == 1
    assert str(codings) in result.stderr and fragment in result.stderr, result.stderr
    assert db_snapshot(project.db_path) == before


GOOD_LINE = '{"document": "e", "start_char": 0, "end_char": 5, "code": "formation"}'


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('"start_char": 0, "end_char": 500', "position invalide : 0–500 (« e » fait 58 caractères"),
        ('"start_char": 5, "end_char": 2', "position invalide : 5–2"),
        ('"start_char": -1, "end_char": 5', "position invalide : -1–5"),
        ('"start_char": 0, "end_char": 5, "code": "zz"', "code inconnu : « zz »"),
        ('"start_char": 0, "end_char": 5, "document": "zz"', "document introuvable : « zz »"),
        ('"start_char": 0, "end_char": 5, "origin": "robot"', "origine inconnue : « robot »"),
        ('"start_char": 0, "end_char": 5, "coder": " "', "champ « coder » manquant"),
        ('"start_char": 0, "end_char": 5, "memo": {"a": 1}', "« memo » doit être un texte"),
    ],
    ids=["past-end", "reversed", "negative", "code", "document", "origin", "coder", "memo"],
)
def test_every_codings_import_error_names_its_line(project, tmp_path, line, problem):
    """The README promises the line of a wrong coding: positions, codes, origins and coders were
    checked only when writing, and their messages named no line."""
    path = tmp_path / "e.txt"
    path.write_text(GOOD, encoding="utf-8")
    run(project, "import", str(path))
    fields = json.loads(GOOD_LINE) | json.loads("{" + line + "}")
    codings = tmp_path / "codage.jsonl"
    codings.write_text(f"{GOOD_LINE}\n\n{json.dumps(fields)}\n{GOOD_LINE}\n", encoding="utf-8")
    before = db_snapshot(project.db_path)
    result = run(project, "codings", "import", str(codings), "--coder", "Claire")
    assert result.exit_code == 1
    assert f"{codings} : ligne 3 : {problem}" in result.stderr, result.stderr
    assert db_snapshot(project.db_path) == before


def test_bad_date_option_is_refused(project, tmp_path):
    path = tmp_path / "e.txt"
    path.write_text(GOOD, encoding="utf-8")
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(path), "--date", "16/03/2021")
    assert result.exit_code == 1 and "date invalide" in result.stderr
    assert db_snapshot(project.db_path) == before
