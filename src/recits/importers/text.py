"""Plain-text and Markdown transcripts: encoding detection, YAML front matter, turns."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import yaml

from recits.errors import InputFileError
from recits.files import open_regular
from recits.importers import size
from recits.importers.normalize import iso_date, normalize_text
from recits.importers.reflow import join_lines, reflow, text_and_turns, without_running
from recits.importers.size import TextBudget
from recits.importers.turns import detect_turns
from recits.models import ParsedDocument, ParsedTurn
from recits.models.parsed import TextBlock

# Checked longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never appear in a text file (tab, newlines, form feed and ESC do).
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_MAX_CONTROL_SHARE = 0.05
_SAMPLE_BYTES = 64 * 1024
_CHUNK_BYTES = 1 << 20
# Bytes a character takes at most in an accepted encoding (UTF-32): a file bigger than this many
# times the text limit cannot hold less text than the limit.
_MAX_BYTES_PER_CHAR = 4

_CONTROL_DELETE = bytes(sorted(_CONTROL_BYTES))
_CONTROL_TABLE = dict.fromkeys([*_CONTROL_BYTES, 0])  # str.translate: delete these


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_DELETE))  # C speed
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _controls_share(text: str) -> float:
    sample = text[:_SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(_CONTROL_TABLE))
    return controls / max(len(sample), 1)


def _decode(handle: BinaryIO, encoding: str, start: int, budget: TextBudget) -> str:
    """Decode the file from `start` in chunks, each counted against the size rule before the
    next is read: a file over the limit is refused after reading just past it."""
    handle.seek(start)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    parts = []
    while chunk := handle.read(_CHUNK_BYTES):
        parts.append(decoder.decode(chunk))
        budget.add(parts[-1])
        budget.add_bytes(-parts[-1].count("\r"))  # line ends become "\n"
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def read_text(path: Path, markup: int = 1) -> str:
    """Read, decode and normalise a text file: BOM, else strict UTF-8, else Windows-1252.

    Raises InputFileError for a text over the size rule (`markup` times it for a file whose
    markup is still to remove), binary content, an unknown encoding or an empty text.
    """
    try:
        with open_regular(path) as handle:
            if os.fstat(handle.fileno()).st_size > _MAX_BYTES_PER_CHAR * markup * size.limit():
                raise size.too_long(path, markup)
            head = handle.read(_SAMPLE_BYTES)
            bom, encoding = next(((b, e) for b, e in _BOMS if head.startswith(b)), (b"", ""))
            if not bom and _looks_binary(head):
                raise InputFileError(path, "ce n'est pas un fichier texte (contenu binaire)")
            try:
                text = _decode(handle, encoding or "utf-8", len(bom), TextBudget(path, markup))
            except UnicodeDecodeError:
                if bom:
                    raise InputFileError(
                        path,
                        f"encodage non reconnu (marque {encoding.upper()} mais contenu invalide)",
                    ) from None
                try:
                    text = _decode(handle, "cp1252", 0, TextBudget(path, markup))
                except UnicodeDecodeError:
                    raise InputFileError(
                        path, "encodage non reconnu (ni UTF-8, ni UTF-16, ni Windows-1252)"
                    ) from None
    except OSError as error:
        raise InputFileError(path, f"lecture impossible ({error.strerror or error})") from None
    if bom and _controls_share(text) > _MAX_CONTROL_SHARE:
        raise InputFileError(path, "ce n'est pas un fichier texte (contenu binaire)")
    text = normalize_text(text)
    if not text.strip():
        raise InputFileError(path, "fichier vide")
    return text


# --- YAML front matter -----------------------------------------------------------------

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_END_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    """Metadata read from a YAML front matter."""

    title: str | None = None
    kind: str | None = None
    date: str | None = None  # YYYY-MM-DD
    participants: tuple[str, ...] = ()


def split_front_matter(text: str, path: Path) -> tuple[FrontMatter | None, str]:
    """Return the front matter (validated, None when absent) and the text after it."""
    if not _FENCE.match(text):
        return None, text
    first_newline = text.find("\n")
    end = _END_FENCE.search(text, first_newline + 1) if first_newline >= 0 else None
    if end is None:
        raise InputFileError(path, "en-tête YAML non fermé (la ligne « --- » finale manque)")
    block = text[first_newline + 1 : end.start()]
    body = normalize_text(text[end.end() :])
    return _read_front_matter(block, path), body


def _read_front_matter(block: str, path: Path) -> FrontMatter:
    try:
        root = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" à la ligne {mark.line + 2}" if mark is not None else ""
        raise InputFileError(path, f"en-tête YAML invalide{where} (syntaxe incorrecte)") from None
    except ValueError:  # a well-formed but impossible date: "2024-02-30"
        raise InputFileError(path, "en-tête YAML invalide : date impossible") from None
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise InputFileError(path, "en-tête YAML invalide : attendu des lignes « clé: valeur »")
    lines = {
        str(key.value): value.start_mark.line + 2
        for key, value in root.value
        if isinstance(key, yaml.ScalarNode)
    }

    def wrong(key: str, expected: str) -> InputFileError:
        return InputFileError(
            path, f"en-tête YAML, ligne {lines.get(key, 1)} : « {key} » doit être {expected}"
        )

    texts: dict[str, str | None] = {}
    for key in ("title", "kind"):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise wrong(key, "un texte")
        texts[key] = (str(value).strip() or None) if value is not None else None
    date = None
    if data.get("date") is not None:
        date = iso_date(data["date"])
        if date is None:
            raise wrong("date", "une date AAAA-MM-JJ")
    participants = data.get("participants") or []
    if isinstance(participants, str):
        participants = participants.split(",")
    if not isinstance(participants, list) or not all(
        isinstance(name, str) and name.strip() for name in participants
    ):
        raise wrong("participants", "une liste de noms")
    names = tuple(" ".join(name.split()) for name in participants)
    return FrontMatter(texts["title"], texts["kind"], date, names)


# --- Markdown --------------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)")
# Emphasis only where Markdown sees it: the marker is not inside a word ("pair-e-s",
# "snake_case_word" and "3*4*5" stay as they are) and hugs non-space text. The inner
# part never runs past the next marker, which keeps these patterns linear.
_EMPHASIS = (
    re.compile(r"(?<![\w*\\])\*\*(?=[^\s*])((?:[^*]|\*(?!\*))+?)(?<=[^\s*\\])\*\*(?![\w*])"),
    re.compile(r"(?<![\w_\\])__(?=[^\s_])((?:[^_]|_(?!_))+?)(?<=[^\s_\\])__(?![\w_])"),
    re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![\w*])"),
    re.compile(r"(?<![\w_\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?![\w_])"),
)


def _heading_text(line: str) -> str:
    """ "## Titre ##" -> "Titre"; other lines are returned as they are."""
    hashes = _HEADING.match(line)
    if not hashes:
        return line
    rest = line[hashes.end() :].strip()
    closing = rest.rstrip("#")
    if closing != rest and (not closing or closing[-1] in " \t"):
        rest = closing.rstrip()
    return rest


def markdown_to_text(markdown: str) -> str:
    """Light Markdown to plain text: heading hashes and emphasis markers go, all else stays."""
    lines = []
    for line in markdown.split("\n"):
        line = _heading_text(line)
        for pattern in _EMPHASIS:
            line = pattern.sub(r"\1", line)
        lines.append(line)
    return normalize_text("\n".join(lines))


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def read_paragraphs(path: Path, *, markdown: bool = False) -> list[TextBlock]:
    """The paragraphs of a .txt or .md written document (an article draft): the lines
    between blank lines, joined by a space, as a reader sees them (Markdown marks removed)."""
    _front, body = split_front_matter(read_text(path), path)
    if markdown:
        body = _ESCAPED.sub(r"\1", markdown_to_text(body))
    else:
        # A draft copied from a PDF: paragraphs rebuilt, headers and footers left out.
        found = reflow(body)
        if found:
            return [TextBlock(block.text) for block in found]
    # Words cut at line ends (« lo- / gique ») joined by the importers' rules.
    return [TextBlock(join_lines(block.split("\n"))) for block in _BLANK_LINES.split(body)]


def _speakers(turns: tuple[ParsedTurn, ...], body: str) -> bool:
    """Whether somebody speaks in the text, apart from a running header or footer."""
    if not any(turn.speaker for turn in turns):
        return False
    cleaned = without_running(body)
    return cleaned is None or any(turn.speaker for turn in detect_turns(cleaned))


def parse_text(path: Path, *, markdown: bool = False) -> ParsedDocument:
    """Read a .txt or .md transcript."""
    text = read_text(path)
    front, body = split_front_matter(text, path)
    if markdown:
        body = markdown_to_text(body)
    if not body.strip():
        detail = " (aucun texte après l'en-tête YAML)" if front is not None else ""
        raise InputFileError(path, f"fichier vide{detail}")
    front = front or FrontMatter()
    turns = detect_turns(body)
    if not _speakers(turns, body):
        # Text copied from a PDF or an e-mail: lines cut at a fixed width, words hyphenated,
        # page headers and footers; rebuilt into paragraphs when it looks like that.
        found = reflow(body)
        if found:
            body, turns = text_and_turns(found)
    return ParsedDocument(
        text=body,
        turns=turns,
        format="md" if markdown else "txt",
        title=front.title,
        kind=front.kind,
        date=front.date,
        participants=front.participants,
    )
