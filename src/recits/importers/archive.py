"""Safety checks for zip-based documents (.docx, .odt): bombs, path traversal, XML entities,
the size rule on their text; all made while streaming, before the format libraries read them."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree

from recits.errors import InputFileError
from recits.importers.size import TextBudget

MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_RATIO = 100
RATIO_CHECK_BYTES = 10 * 2**20  # the ratio only matters for members bigger than this
MAX_MEMBERS = 10_000
# Elements in all the XML parts: python-docx keeps about 500 bytes per element in memory, odfpy
# about 1,400 (a .docx with 6 million elements took 3.2 GB and 76 s before this limit).
MAX_XML_ELEMENTS = 500_000
_CHUNK_BYTES = 1 << 20

_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError)


def unreadable(path: Path, fmt: str, detail: str = "") -> InputFileError:
    """The error for a document that cannot be read; `fmt` is "docx" or "odt"."""
    return InputFileError(path, f"fichier .{fmt} illisible ou tronqué{detail}")


def open_archive(path: Path, fmt: str) -> zipfile.ZipFile:
    """Open a zip document after checking it is safe to decompress; the caller closes it."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise InputFileError(path, f"lecture impossible ({error.strerror or error})") from None
    except _ZIP_ERRORS:
        raise unreadable(path, fmt, " (ce n'est pas une archive zip valide)") from None
    try:
        check_members(archive, path)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse zip bombs and unsafe member names, from the declared sizes, before decompressing."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputFileError(path, f"archive suspecte : trop de fichiers ({len(members)})")
    total = 0
    for member in members:
        name = member.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise InputFileError(path, f"archive suspecte : chemin interdit « {name} »")
        size = member.file_size
        total += size
        ratio = size / max(member.compress_size, 1)
        if size > RATIO_CHECK_BYTES and ratio > MAX_RATIO:
            raise _bomb(path)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _bomb(path)


def _bomb(path: Path) -> InputFileError:
    return InputFileError(path, "archive suspecte : taille décompressée excessive (bombe zip ?)")


def read_member(archive: zipfile.ZipFile, name: str, path: Path, fmt: str) -> bytes:
    """Read one member; a missing or corrupt member is an unreadable document."""
    try:
        return archive.read(name)
    except KeyError:
        raise unreadable(path, fmt, f" ({name} manquant)") from None
    except (*_ZIP_ERRORS, OSError):
        raise unreadable(path, fmt, f" ({name} endommagé)") from None


def parse_xml(data: bytes, name: str, path: Path, fmt: str) -> Element:
    """Parse XML with defusedxml: DTDs, entities and external references are refused."""
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise _entities(path) from None
    except ParseError:
        raise unreadable(path, fmt, f" (XML invalide dans {name})") from None


@dataclass(frozen=True)
class TextPart:
    """Where a format keeps its text: the member, and the elements whose characters are text
    (expat names, "namespace-uri local-name")."""

    member: str
    elements: frozenset[str]


class _Refused(Exception):
    """Raised from expat handlers; carries the InputFileError out of the parser."""

    def __init__(self, error: InputFileError) -> None:
        self.error = error


class _XmlScan:
    """One XML member fed to expat chunk by chunk: no DTD, a bounded number of elements, and
    the text (of `part`) counted against the size rule."""

    def __init__(
        self, path: Path, counts: list[int], budget: TextBudget | None, part: TextPart | None
    ):
        self.path, self.counts, self.budget = path, counts, budget
        self.elements = part.elements if part is not None else frozenset()
        self.inside = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        if budget is not None:
            parser.CharacterDataHandler = self._characters
        self.parser = parser

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except _Refused as refused:
            raise refused.error from None

    def _doctype(self, *_: object) -> None:
        raise _Refused(_entities(self.path))

    def _start(self, name: str, _attributes: object) -> None:
        self.counts[0] += 1
        if self.counts[0] > MAX_XML_ELEMENTS:
            raise _Refused(
                InputFileError(
                    self.path,
                    f"archive suspecte : plus de {_thousands(MAX_XML_ELEMENTS)} éléments XML"
                    " (bombe XML ?)",
                )
            )
        if name in self.elements:
            self.inside += 1

    def _end(self, name: str) -> None:
        if name in self.elements:
            self.inside -= 1

    def _characters(self, data: str) -> None:
        if self.inside and self.budget is not None:
            try:
                self.budget.add(data)
            except InputFileError as error:
                raise _Refused(error) from None


def _thousands(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")  # 500 000, with a narrow no-break space


def _entities(path: Path) -> InputFileError:
    return InputFileError(path, "le document contient des entités XML (refusé par sécurité)")


def check_xml_members(
    archive: zipfile.ZipFile, path: Path, fmt: str, text: TextPart | None = None
) -> set[str]:
    """Read every XML part as a stream, before the format libraries load them: refuse a DTD
    (entity bombs and external entities need one, legitimate .docx and .odt files never carry
    one), more than MAX_XML_ELEMENTS elements, and a `text` part holding more text than the size
    rule allows. Each member is inflated 1 MiB at a time, counted as it comes (running total and
    compression ratio): nothing is held whole in memory before it is checked.

    Returns the names of the XML members.
    """
    names: set[str] = set()
    counts = [0]  # elements so far, in every part: the libraries build a tree of them all
    inflated_total = 0
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels")):
            continue
        names.add(member.filename)
        is_text = text is not None and member.filename == text.member
        scan = _XmlScan(
            path, counts, TextBudget(path) if is_text else None, text if is_text else None
        )
        inflated = 0
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    inflated += len(chunk)
                    inflated_total += len(chunk)
                    if inflated_total > MAX_UNCOMPRESSED_BYTES or (
                        inflated > RATIO_CHECK_BYTES
                        and inflated > MAX_RATIO * max(member.compress_size, 1)
                    ):
                        raise _bomb(path)
                    scan.feed(chunk)
                scan.feed(b"", final=True)
        except expat.ExpatError:
            if is_text:
                raise unreadable(path, fmt, f" (XML invalide dans {member.filename})") from None
            # A part the libraries may not even read: they refuse it themselves if they do.
        except (*_ZIP_ERRORS, OSError):
            raise unreadable(path, fmt, f" ({member.filename} endommagé)") from None
    return names
