"""Safety checks for zip-based documents (.docx, .odt): bombs, path traversal, XML entities."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree

from recits.errors import InputFileError

MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_RATIO = 100
RATIO_CHECK_BYTES = 10 * 2**20  # the ratio only matters for members bigger than this
MAX_MEMBERS = 10_000

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
            raise InputFileError(
                path, "archive suspecte : taille décompressée excessive (bombe zip ?)"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputFileError(path, "archive suspecte : taille décompressée excessive (bombe zip ?)")


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
        raise InputFileError(
            path, "le document contient des entités XML (refusé par sécurité)"
        ) from None
    except ParseError:
        raise unreadable(path, fmt, f" (XML invalide dans {name})") from None


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_UTF16 = (
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def _as_utf8(data: bytes) -> bytes:
    """XML parts are UTF-8 or UTF-16; scan UTF-16 ones once re-encoded."""
    for prefix, encoding in _UTF16:
        if data.startswith(prefix):
            return data.decode(encoding, errors="replace").encode("utf-8")
    return data


def check_xml_members(archive: zipfile.ZipFile, path: Path, fmt: str) -> set[str]:
    """Refuse any DTD in an XML part, before the format libraries parse them.

    Entity bombs and external entities both need a DTD (`<!DOCTYPE`), which legitimate .docx and
    .odt files never carry; a byte scan finds it without parsing every part twice.
    """
    names: set[str] = set()
    for member in archive.infolist():
        if member.filename.endswith((".xml", ".rels")):
            data = read_member(archive, member.filename, path, fmt)
            if _DTD.search(_as_utf8(data)):
                raise InputFileError(
                    path, "le document contient des entités XML (refusé par sécurité)"
                )
            names.add(member.filename)
    return names
