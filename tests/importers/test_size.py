"""One size rule for every format (the text extracted), checked while the file is read."""

from __future__ import annotations

import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.importers.conftest import write_docx, write_odt

from recits.errors import InputFileError
from recits.importers import parse_file, size

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    b' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b"<office:body><office:text>"
)
WORDS = "le la les un une des pair paire travail équipe réunion formation risques on a dit oui"


def words(size_bytes: int, seed: int = 1) -> str:
    """French-looking words: compressible about five times, like real text (not a bomb)."""
    rnd = random.Random(seed)
    vocabulary = WORDS.split()
    block = " ".join(rnd.choices(vocabulary, k=40_000)) + " "  # ASCII but « é »: 2 bytes
    encoded = len(block.encode())
    return (block * (size_bytes // encoded + 1)).encode()[:size_bytes].decode(errors="ignore")


def too_long_message(limit: str) -> str:
    return f"fichier trop volumineux : plus de {limit} de texte (maximum {limit} de texte par"


def write_format(tmp_path: Path, suffix: str, text_bytes: int) -> Path:
    """A file of this format whose extracted text is `text_bytes` long, give or take a line."""
    width = 4000 if suffix in (".docx", ".odt") else 400  # python-docx adds paragraphs slowly
    source, lines, total = words(text_bytes), [], 0
    while total < text_bytes - width:  # each line a turn
        speaker = ("Nadia", "Karim")[len(lines) % 2]
        lines.append(f"{speaker} : {source[total : total + width].strip()}")
        total += len(lines[-1].encode()) + 1
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / f"t{suffix}"
    if suffix in (".txt", ".md"):
        path.write_text("\n".join(lines), encoding="utf-8")
    elif suffix == ".vtt":
        cues = [
            f"00:00:{i % 60:02d}.000 --> 00:00:{i % 60:02d}.500\n{x}" for i, x in enumerate(lines)
        ]
        path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    elif suffix == ".srt":
        cues = [f"{i + 1}\n00:00:01,000 --> 00:00:02,000\n{x}" for i, x in enumerate(lines)]
        path.write_text("\n\n".join(cues) + "\n", encoding="utf-8")
    elif suffix == ".docx":
        write_docx(path, lines)
    else:
        write_odt(path, lines)
    return path


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".docx", ".odt"])
def test_the_same_text_limit_for_every_format(tmp_path, monkeypatch, suffix) -> None:
    """A 50 MB .txt was refused while a .docx holding 157 MB of text was imported."""
    monkeypatch.setattr(size, "MAX_TEXT_BYTES", 2**20)
    under = parse_file(write_format(tmp_path / "a", suffix, 2**20 - 2**16))
    assert 2**20 - 2**17 < len(under.text.encode()) <= 2**20
    path = write_format(tmp_path / "b", suffix, 2**20 + 2**16)
    with pytest.raises(InputFileError) as caught:
        parse_file(path)
    assert (
        str(caught.value)
        == f"{path} : {too_long_message('1 Mo')} fichier, quel que soit le format)"
    )


@pytest.fixture(params=[".docx", ".odt"])
def over_limit_office_file(request, tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(size, "MAX_TEXT_BYTES", 2**20)
    return write_format(tmp_path / request.param, request.param, 2**20 + 2**18)


def test_an_office_file_over_the_limit_is_never_loaded(over_limit_office_file, monkeypatch):
    """The text is counted while the archive is checked: the format library, which builds the
    whole document in memory, is not even called."""
    import docx
    import odf.opendocument

    def never(*_args: object) -> None:
        raise AssertionError("the format library loaded a file over the size rule")

    monkeypatch.setattr(docx, "Document", never)
    monkeypatch.setattr(odf.opendocument, "load", never)
    monkeypatch.setattr("recits.importers.odt.load", never)
    with pytest.raises(InputFileError, match="plus de 1 Mo de texte"):
        parse_file(over_limit_office_file)


def test_a_text_file_over_the_limit_is_refused_after_reading_just_past_it(tmp_path, monkeypatch):
    from recits.importers import text as text_module

    read = []
    real_open = text_module.open_regular

    def counting_open(path: Path):
        handle = real_open(path)
        real_read = handle.read

        class Counting:
            def __getattr__(self, name: str):
                return getattr(handle, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def read(self, n: int = -1) -> bytes:
                data = real_read(n)
                read.append(len(data))
                return data

        return Counting()

    monkeypatch.setattr(text_module, "open_regular", counting_open)
    path = tmp_path / "long.txt"
    path.write_text(words(50 * 2**20), encoding="utf-8")  # 50 MB of real text
    with pytest.raises(InputFileError, match="plus de 20 Mo de texte"):
        parse_file(path)
    assert sum(read) < 22 * 2**20


# -- memory: generated bombs, measured in a fresh process with the default limits ------------

MEASURE = """
import resource, sys
from pathlib import Path
import docx, odf.opendocument
from recits.errors import InputFileError
from recits.importers import parse_file
import recits.importers.docx, recits.importers.odt, recits.importers.text
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    parse_file(Path(sys.argv[1]))
    print("accepté")
except InputFileError as err:
    print(err.problem)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def peak_growth_mb(path: Path) -> tuple[str, int]:
    """The problem (or "accepté") and how many MB the peak memory grew while parsing."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    problem, grown = result.stdout.strip().rsplit("\n", 1)
    return problem, int(grown)


def rezip_member(source: Path, target: Path, member: str, head: bytes, body, tail: bytes) -> Path:
    """Copy a zip document, streaming a new `member` made of head, the chunks of body, tail."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for item in old.infolist():
            if item.filename != member:
                new.writestr(item, old.read(item.filename))
        with new.open(member, "w", force_zip64=True) as stream:
            stream.write(head)
            for chunk in body:
                stream.write(chunk)
            stream.write(tail)
    return target


def markup_chunks(elements: int, template: bytes):
    """Elements with random attributes: a compression ratio of a few times, not a bomb's."""
    rnd = random.Random(3)
    for _ in range(elements // 10_000):
        yield b"".join(template % rnd.getrandbits(32) for _ in range(10_000))


def text_chunks(megabytes: int, before: bytes, after: bytes):
    """Paragraphs of 1 MB of words (an XML parser refuses a single text over 10 MB)."""
    block = before + words(2**20).encode() + after
    for _ in range(megabytes):
        yield block


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombes")
    docx_source = write_docx(folder / "source.docx", ["Nadia : bonjour"])
    odt_source = write_odt(folder / "source.odt", ["Nadia : bonjour"])
    docx_head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
    docx_tail = b"</w:body></w:document>"
    return {
        # 30 MB of text in a 7 MB file.
        "docx-text": rezip_member(
            docx_source, folder / "texte.docx", "word/document.xml", docx_head.encode(),
            text_chunks(30, b"<w:p><w:r><w:t>", b"</w:t></w:r></w:p>"), docx_tail,
        ),
        # 600,000 empty paragraphs: 15 MB of XML (python-docx took 300 MB to import it, 3.2 GB
        # for 6 million).
        "docx-markup": rezip_member(
            docx_source, folder / "balises.docx", "word/document.xml",
            docx_head.encode() + b"<w:p><w:r><w:t>bonjour</w:t></w:r></w:p>",
            markup_chunks(600_000, b'<w:p w:rsidR="%08X"/>'), docx_tail,
        ),
        # 30 MB of text (odfpy took 160 MB to import it).
        "odt-text": rezip_member(
            odt_source, folder / "texte.odt", "content.xml", ODT_CONTENT,
            text_chunks(30, b"<text:p>", b"</text:p>"),
            b"</office:text></office:body></office:document-content>",
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("bomb", "problem"),
    [
        ("docx-text", "plus de 20 Mo de texte"),
        ("docx-markup", "plus de 500\u202f000 éléments XML"),
        ("odt-text", "plus de 20 Mo de texte"),
    ],
)
def test_bombs_are_refused_while_streaming_in_little_memory(bombs, bomb, problem) -> None:
    refused, grown = peak_growth_mb(bombs[bomb])
    assert problem in refused
    print(f"{bomb}: refused, the peak memory grew by {grown} MB")
    assert grown < 64, f"{bomb}: the peak memory grew by {grown} MB"
