"""Reading REFI-QDA files (.qdpx, .qde, .qdc) leniently and safely into plain values.

Lenient: `Sources/` or `sources/`, any `.qde` name, GUIDs in any case or braces, ids that are
not GUIDs, a `.root` file, missing optional elements. Safe: the zip checks of .docx/.odt (bombs,
path traversal), no DTD nor entity, bounded sizes; nothing is written here."""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from recits.errors import InputFileError
from recits.exports.refi.schema import guid
from recits.files import check_regular, read_regular
from recits.importers import size
from recits.importers.archive import check_members

MAX_XML_BYTES = 200 * 2**20
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
MEDIA = {
    "PictureSource": "image", "PDFSource": "PDF", "AudioSource": "audio", "VideoSource": "vidéo",
}  # fmt: skip


@dataclass(frozen=True)
class RefiCode:
    guid: str
    name: str
    color: str | None
    description: str
    parent: str | None  # parent's guid
    notes: tuple[str, ...] = ()  # note guids (NoteRef on the code)


@dataclass(frozen=True)
class RefiSelection:
    guid: str
    name: str | None
    start: int
    end: int
    codings: tuple[tuple[str, str | None], ...]  # (code guid, user guid)
    notes: tuple[str, ...]  # note guids


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    element: str  # TextSource, PDFSource…
    path: str | None  # plainTextPath (or richTextPath / path)
    selections: tuple[RefiSelection, ...]
    variables: tuple[tuple[str, str], ...]  # (variable guid, value)
    data: bytes | None  # the file's bytes when found
    suffix: str  # .txt, .docx…
    media_selections: int = 0  # selections of a picture, PDF, audio or video
    # A PDF's text Representation (its bytes, None without one) and its page areas
    # (PDFSelection: placed by their text only, start and end are -1).
    text: bytes | None = None
    areas: tuple[RefiSelection, ...] = ()
    notes: tuple[str, ...] = ()  # note guids (NoteRef on the source)


@dataclass(frozen=True)
class RefiProject:
    name: str
    users: dict[str, str]  # guid -> name
    codes: tuple[RefiCode, ...]  # parents first
    variables: dict[str, str]  # guid -> name
    sources: tuple[RefiSource, ...]
    notes: dict[str, str]  # guid -> text
    links: tuple[tuple[str, str], ...]  # (note guid, selection guid)
    adapted: tuple[str, ...]  # what was read leniently, in French
    project_notes: tuple[str, ...] = ()  # note guids (NoteRef on the project)
    note_authors: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # note guid -> (creating user's guid, creation date-time), when the file gives them


def _local(element) -> str:  # type: ignore[no-untyped-def]
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:  # type: ignore[no-untyped-def]
    return [c for c in element if _local(c) == name]


def _child_text(element, name: str) -> str:  # type: ignore[no-untyped-def]
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def parse_xml(data: bytes, path: Path, part: str):  # type: ignore[no-untyped-def]
    """Parse with no DTD, no entity, no network; errors name the file and the part."""
    from lxml import etree

    if _DOCTYPE.search(data[:65536]) or _DOCTYPE.search(data):
        raise InputFileError(path, f"{part} contient des entités XML (refusé par sécurité)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InputFileError(path, f"XML invalide dans {part} (ligne {err.lineno})") from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limit: int) -> bytes:
    if info.file_size > limit:
        raise InputFileError(path, f"{info.filename} trop volumineux dans l'archive")
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputFileError(path, f"archive endommagée ({info.filename})") from None
    if len(data) > limit:  # a size declared smaller than the content
        raise InputFileError(path, "archive suspecte : taille décompressée excessive (bombe zip ?)")
    return data


def read_refi(path: Path) -> RefiProject | list[RefiCode]:
    """A project (.qdpx, .qde) or a codebook's codes (.qdc); InputFileError in French."""
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        data = read_regular(path, MAX_XML_BYTES, "grille trop volumineuse")
        return list(_codes(parse_xml(data, path, "la grille")))
    if suffix == ".qde":
        data = read_regular(path, MAX_XML_BYTES, "projet trop volumineux")
        return _project(parse_xml(data, path, path.name), _folder_files(path.parent), path, [])
    if suffix != ".qdpx":
        raise InputFileError(path, "format non pris en charge (attendu .qdpx, .qde ou .qdc)")
    check_regular(path)  # a FIFO or a device would hang the zip reader
    try:
        archive = zipfile.ZipFile(path)
    except OSError as err:
        raise InputFileError(path, f"lecture impossible ({err.strerror or err})") from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputFileError(
            path, "fichier .qdpx illisible (ce n'est pas une archive zip)"
        ) from None
    with archive:
        check_members(archive, path)
        adapted: list[str] = []
        infos = [i for i in archive.infolist() if not i.is_dir()]
        qdes = [i for i in infos if i.filename.lower().endswith(".qde")]
        if not qdes:
            raise InputFileError(path, "archive sans fichier .qde (pas un projet REFI-QDA)")
        qde = next((i for i in qdes if i.filename.lower() == "project.qde"), qdes[0])
        if qde.filename != "project.qde":
            adapted.append(f"projet lu dans « {qde.filename} » (au lieu de project.qde)")
        root = parse_xml(_read_member(archive, qde, path, MAX_XML_BYTES), path, qde.filename)
        files = {}
        limit = 4 * size.limit()
        for info in infos:
            parts = PurePosixPath(info.filename).parts
            if len(parts) == 2 and parts[0].lower() == "sources":
                if parts[0] != "sources":
                    adapted.append(f"dossier « {parts[0]}/ » lu comme sources/")
                files[parts[1].lower()] = lambda i=info: _read_member(archive, i, path, limit)
        if any(i.filename.lower().endswith(".root") for i in infos):
            adapted.append("fichier .root ignoré")
        return _project(root, files, path, adapted)


def _folder_files(folder: Path) -> dict:  # type: ignore[type-arg]
    """The sources next to a lone .qde: sources/ (or Sources/) in its folder."""
    files = {}
    for name in ("sources", "Sources"):
        directory = folder / name
        if directory.is_dir():
            for file in directory.iterdir():
                if file.is_file():
                    files[file.name.lower()] = lambda f=file: read_regular(
                        f, 4 * size.limit(), "source trop volumineuse"
                    )
    return files


def _codes(root) -> list[RefiCode]:  # type: ignore[no-untyped-def]
    out: list[RefiCode] = []

    def walk(element, parent: str | None) -> None:  # type: ignore[no-untyped-def]
        for code in _children(element, "Code"):
            code_guid = guid(code.get("guid") or code.get("name") or str(len(out)))
            color = code.get("color")
            if color and not re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", color):
                color = None
            out.append(
                RefiCode(
                    code_guid,
                    (code.get("name") or "").strip() or "code sans nom",
                    color,
                    _child_text(code, "Description"),
                    parent,
                    _note_refs(code),
                )  # fmt: skip
            )
            walk(code, code_guid)

    holders = [e for e in root.iter() if _local(e) == "Codes"]
    if holders:
        walk(holders[0], None)
    return out


def _selection(element, area: bool = False) -> RefiSelection | None:  # type: ignore[no-untyped-def]
    try:
        start, end = int(element.get("startPosition")), int(element.get("endPosition"))
    except (TypeError, ValueError):
        if not area:
            return None
        start, end = -1, -1
    name = element.get("name")
    if area:  # a page area: its text is its Representation's content, else its name
        shown = [_child_text(r, "PlainTextContent") for r in _children(element, "Representation")]
        name = next((t for t in shown if t), None) or name
    codings = tuple(
        (guid(ref.get("targetGUID", "")), _guid_or_none(coding.get("creatingUser")
         or element.get("creatingUser")))
        for coding in _children(element, "Coding")
        for ref in _children(coding, "CodeRef")[:1]
    )  # fmt: skip
    notes = tuple(
        guid(ref.get("targetGUID", ""))
        for holder in (element, *_children(element, "Coding"))
        for ref in _children(holder, "NoteRef")
    )
    return RefiSelection(
        guid(element.get("guid") or f"{start}-{end}"), name, start, end, codings, notes,
    )  # fmt: skip


def _note_refs(element) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The notes an element points to with its own NoteRef children."""
    return tuple(guid(ref.get("targetGUID", "")) for ref in _children(element, "NoteRef"))


def _guid_or_none(value: str | None) -> str | None:
    return guid(value) if value else None


def _internal(reference: str | None) -> str | None:
    """The file name of an internal:// path (sources/ is flat); None for another place."""
    if not reference or not reference.lower().startswith("internal://"):
        return None
    name = reference[len("internal://") :].replace("\\", "/").rsplit("/", 1)[-1]
    return name.lower() or None


def _project(root, files: dict, path: Path, adapted: list[str]) -> RefiProject:  # type: ignore[no-untyped-def, type-arg]
    if _local(root) != "Project":
        raise InputFileError(path, f"ce n'est pas un projet REFI-QDA (élément « {_local(root)} »)")
    if root.tag.startswith("{") and not root.tag.startswith("{urn:QDA-XML:project:1.0}"):
        adapted.append("espace de noms XML inattendu, lu quand même")
    users = {
        guid(u.get("guid") or u.get("id") or ""): (u.get("name") or u.get("id") or "").strip()
        for holder in _children(root, "Users") for u in _children(holder, "User")
    }  # fmt: skip
    variables = {
        guid(v.get("guid") or ""): v.get("name") or ""
        for holder in _children(root, "Variables") for v in _children(holder, "Variable")
    }  # fmt: skip
    sources = []
    for holder in _children(root, "Sources"):
        for element in holder:
            kind = _local(element)
            if not kind:
                continue
            reference = element.get("plainTextPath") or element.get("richTextPath")
            reference = reference or element.get("path")
            name = _internal(reference)
            data = files[name]() if name in files else None
            if data is None and element.get("plainTextPath") and element.get("richTextPath"):
                rich = _internal(element.get("richTextPath"))
                if rich in files:
                    data, name = files[rich](), rich
            if data is None and kind == "TextSource" and _children(element, "PlainTextContent"):
                data, name = _child_text(element, "PlainTextContent").encode(), "contenu.txt"
            text, areas, media = None, (), 0
            if kind == "PDFSource":
                text, holder_of_selections = _representation(element, files)
                areas = tuple(
                    s for e in _children(element, "PDFSelection") if (s := _selection(e, True))
                )
                media = len(areas)
            else:
                holder_of_selections = element
                media = sum(1 for e in element.iter() if _local(e).endswith("Selection"))
            selections = tuple(
                s
                for e in _children(holder_of_selections, "PlainTextSelection")
                if (s := _selection(e))
            )
            values = tuple(
                (guid(ref.get("targetGUID", "")), (value.text or "").strip())
                for vv in _children(element, "VariableValue")
                for ref in _children(vv, "VariableRef")[:1]
                for value in [c for c in vv if _local(c) != "VariableRef"][:1]
            )
            sources.append(
                RefiSource(
                    guid(element.get("guid") or element.get("name") or str(len(sources))),
                    (element.get("name") or "").strip() or f"source {len(sources) + 1}",
                    kind,
                    reference,
                    selections,
                    values,
                    data,
                    Path(name or "").suffix.lower() or ".txt",
                    media,
                    text,
                    areas,
                    _note_refs(element),
                )  # fmt: skip
            )
    notes = {
        guid(n.get("guid") or ""): _child_text(n, "PlainTextContent")
        for holder in _children(root, "Notes") for n in _children(holder, "Note")
    }  # fmt: skip
    note_authors = {
        guid(n.get("guid") or ""): (_guid_or_none(n.get("creatingUser")), n.get("creationDateTime"))
        for holder in _children(root, "Notes") for n in _children(holder, "Note")
    }  # fmt: skip
    links = []
    for holder in _children(root, "Links"):
        for link in _children(holder, "Link"):
            origin, target = link.get("originGUID"), link.get("targetGUID")
            if origin and target:
                a, b = guid(origin), guid(target)
                links.append((a, b) if a in notes else (b, a))
    return RefiProject(
        (root.get("name") or "").strip(), users, tuple(_codes(root)), variables,
        tuple(sources), notes, tuple(links), tuple(dict.fromkeys(adapted)),
        _note_refs(root), note_authors,
    )  # fmt: skip


def _representation(element, files: dict):  # type: ignore[no-untyped-def, type-arg]
    """A PDF's text Representation: (its text's bytes or None, the element holding its
    PlainTextSelections, the PDFSource itself when there is none)."""
    found = _children(element, "Representation")
    if not found:
        return None, element
    representation = found[0]
    name = _internal(representation.get("plainTextPath"))
    if name in files:
        return files[name](), representation
    content = _children(representation, "PlainTextContent")
    if content:
        return (content[0].text or "").encode(), representation
    return None, representation


def decode(data: bytes) -> str:
    """A source's text as written: BOM, else UTF-8, else Windows-1252 (line ends kept)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
