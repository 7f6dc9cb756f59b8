"""Broken, empty, huge, binary and malicious files: always an InputFileError in French."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from odf.opendocument import OpenDocumentText
from odf.text import P, S

from recits.errors import InputFileError
from recits.importers import parse_file

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
"""


def refused(path: Path, *fragments: str) -> str:
    """Parse `path`, expecting an InputFileError naming the file and saying `fragments`."""
    with pytest.raises(InputFileError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert caught.value.path == path
    for fragment in fragments:
        assert fragment in message
    return message


def rezip(source: Path, target: Path, replace: dict[str, bytes] | None = None) -> Path:
    """Copy a zip document member by member, replacing or adding some members."""
    replace = dict(replace or {})
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, replace.pop(item.filename, None) or old.read(item.filename))
        for name, data in replace.items():
            new.writestr(name, data)
    return target


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".docx", ".odt"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"vide{suffix}"
    path.write_bytes(b"")
    refused(path, "fichier vide")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt"])
def test_whitespace_only_file(write_text, suffix: str) -> None:
    refused(write_text(f"blanc{suffix}", " \n\t\r\n\u00a0 \n"), "fichier vide")


def test_front_matter_only_is_empty(write_text) -> None:
    refused(write_text("a.md", "---\ntitle: x\n---\n\n"), "fichier vide")


def test_binary_file_renamed_txt(write_text) -> None:
    noise = random.Random(4).randbytes(4000)
    refused(
        write_text("image.txt", b"\x89PNG\r\n\x1a\n" + noise), "pas un fichier texte", "binaire"
    )


def test_utf16_binary_noise_refused(write_text) -> None:
    noise = "".join(chr(code) for code in range(1, 32)) * 20
    refused(write_text("b.txt", noise.encode("utf-16")), "binaire")


def test_undecodable_cp1252_bytes(write_text) -> None:
    # 0x81 and 0x8D are neither UTF-8 nor Windows-1252.
    refused(write_text("bad.txt", b"Nadia : caf\x81\x8d"), "encodage non reconnu")


def test_huge_text_file_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "enorme.txt"
    with path.open("wb") as handle:
        handle.truncate(100 * 2**20)  # sparse: fast and small on disk
    refused(path, "fichier trop volumineux : plus de 20 Mo de texte")


def test_unsupported_suffix(write_text) -> None:
    message = refused(
        write_text("rapport.rtf", b"{\\rtf1 Bonjour}"), "format non pris en charge (.rtf)"
    )
    assert ".docx" in message and ".srt" in message and ".pdf" in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    refused(tmp_path / "absent.txt", "introuvable")
    folder = tmp_path / "dossier.txt"
    folder.mkdir()
    refused(folder, "pas un fichier")


def test_truncated_docx(make_docx, tmp_path: Path) -> None:
    data = make_docx(["Nadia : bonjour"] * 50).read_bytes()
    path = tmp_path / "coupe.docx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "fichier .docx illisible ou tronqué")


def test_odt_that_is_not_a_zip(write_text) -> None:
    refused(write_text("faux.odt", "Nadia : bonjour\n"), "fichier .odt illisible ou tronqué")


def test_docx_renamed_odt(make_docx, tmp_path: Path) -> None:
    path = make_docx(["Bonjour"]).rename(tmp_path / "mauvais.odt")
    refused(path, ".odt illisible", "content.xml")


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "vide.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    refused(path, ".docx illisible", "word/document.xml")


def test_zip_bomb_docx(make_docx, tmp_path: Path) -> None:
    path = rezip(make_docx(["Bonjour"]), tmp_path / "bombe.docx")
    chunk = bytes(2**20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/media/zeros.bin", "w") as member,
    ):
        for _ in range(300):  # 300 MiB of zeros, about 1 MiB on disk
            member.write(chunk)
    assert path.stat().st_size < 5 * 2**20
    refused(path, "archive suspecte", "bombe zip")


def test_high_ratio_member_refused(make_odt, tmp_path: Path) -> None:
    path = rezip(make_odt(["Bonjour"]), tmp_path / "ratio.odt")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Pictures/zeros.bin", bytes(20 * 2**20))
    refused(path, "archive suspecte", "bombe zip")


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil.txt", "word\\..\\..\\evil.txt"])
def test_path_traversal_member(make_docx, tmp_path: Path, member: str) -> None:
    path = rezip(make_docx(["Bonjour"]), tmp_path / "traversee.docx", {member: b"evil"})
    refused(path, "archive suspecte", "evil.txt")


def test_billion_laughs_in_docx(make_docx, tmp_path: Path) -> None:
    path = rezip(
        make_docx(["Bonjour"]), tmp_path / "rires.docx", {"word/document.xml": BILLION_LAUGHS}
    )
    refused(path, "le document contient des entités XML (refusé par sécurité)")


def test_entity_in_odt_content(make_odt, tmp_path: Path) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    path = rezip(make_odt(["Bonjour"]), tmp_path / "ext.odt", {"content.xml": xml})
    refused(path, "entités XML")


def test_invalid_xml_in_docx(make_docx, tmp_path: Path) -> None:
    path = rezip(make_docx(["Bonjour"]), tmp_path / "xml.docx", {"word/document.xml": b"<w:doc"})
    refused(path, ".docx illisible", "fichier .docx illisible ou tronqué")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".docx", ".odt"])
def test_random_bytes_never_escape_as_raw_errors(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bruit{suffix}"
    path.write_bytes(random.Random(suffix).randbytes(3000))
    refused(path)


def test_odt_huge_space_count_is_bounded(tmp_path: Path) -> None:
    document = OpenDocumentText()
    paragraph = P(text="avant")
    paragraph.addElement(S(c=2_000_000_000))
    paragraph.addText("après")
    document.text.addElement(paragraph)
    path = tmp_path / "espaces.odt"
    document.save(str(path))
    text = parse_file(path).text
    assert text.startswith("avant ") and text.endswith(" après") and len(text) < 2000


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("etoiles.md", "**a " * 50_000 + "\n" + "# " + " " * 100_000 + "x"),
        ("balises.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v " + " <" * 100_000 + "\n"),
        ("espaces.txt", ("Nadia" + " " * 10_000 + "x\n") * 50),
    ],
)
def test_pathological_lines_stay_fast(write_text, name: str, content: str) -> None:
    parse_file(write_text(name, content))  # would take minutes with backtracking regexes
