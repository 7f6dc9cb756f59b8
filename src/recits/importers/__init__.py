"""Read transcripts and reports (.txt .md .docx .odt .vtt .srt .pdf) into ParsedDocument values."""

from __future__ import annotations

import re
from pathlib import Path

from recits.errors import InputFileError
from recits.files import check_regular
from recits.importers.size import check_text
from recits.models import ParsedDocument
from recits.models.parsed import TextBlock

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt", ".pdf")
# Documents read as paragraphs (article drafts).
WRITTEN_SUFFIXES = (".docx", ".odt", ".md", ".txt", ".pdf")

__all__ = [
    "SUPPORTED_SUFFIXES",
    "WRITTEN_SUFFIXES",
    "count_words",
    "parse_and_count",
    "parse_file",
    "read_paragraphs",
]

_WORD = re.compile(r"\w+(?:[-·'’]\w+)*")


def parse_file(path: Path) -> ParsedDocument:
    """Parse one transcript, choosing the reader from the file suffix.

    Every problem with the file is raised as InputFileError with a French message.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "sans extension"
        accepted = ", ".join(SUPPORTED_SUFFIXES)
        raise InputFileError(
            path, f"format non pris en charge ({shown}) ; formats acceptés : {accepted}"
        )
    _check_file(path)

    parsed = _parse(path, suffix)
    check_text(path, parsed.text)  # one size rule for every format: the text extracted
    return parsed


def _parse(path: Path, suffix: str) -> ParsedDocument:
    # Imported here so that importing the package stays cheap.
    if suffix in (".txt", ".md"):
        from recits.importers.text import parse_text

        return parse_text(path, markdown=suffix == ".md")
    if suffix == ".docx":
        from recits.importers.docx import parse_docx

        return parse_docx(path)
    if suffix == ".odt":
        from recits.importers.odt import parse_odt

        return parse_odt(path)
    if suffix == ".pdf":
        from recits.importers.pdf import parse_pdf

        return parse_pdf(path)
    from recits.importers.captions import parse_captions

    return parse_captions(path, "vtt" if suffix == ".vtt" else "srt")


def read_paragraphs(path: Path) -> list[TextBlock]:
    """The paragraphs of a written document (.txt .md .docx .odt .pdf: an article draft)
    with their italic spans, read by the transcripts' own readers; words cut at line ends
    joined as at import."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITTEN_SUFFIXES:
        raise InputFileError(
            path,
            f"format non pris en charge ({suffix or 'sans extension'}) ;"
            f" formats acceptés : {', '.join(WRITTEN_SUFFIXES)}",
        )
    _check_file(path)
    if suffix in (".txt", ".md"):
        from recits.importers.text import read_paragraphs as read_text_paragraphs

        return read_text_paragraphs(path, markdown=suffix == ".md")
    if suffix == ".pdf":
        return _pdf_paragraphs(path)
    if suffix == ".docx":
        from recits.importers.docx import read_paragraphs as read_docx_paragraphs

        return [_joined(block) for block in read_docx_paragraphs(path)]
    from recits.importers.odt import read_paragraphs as read_odt_paragraphs

    return [_joined(block) for block in read_odt_paragraphs(path)]


def _joined(block: TextBlock) -> TextBlock:
    """A paragraph whose lines were broken by hand (a text copied from a PDF): its lines
    joined, words cut at line ends whole again, its italics kept."""
    if "\n" not in block.text:
        return block
    from recits.importers.italics import ITALIC_CLOSE, ITALIC_OPEN, unmarked
    from recits.importers.layout import join_marked

    marked, done = [], 0
    for start, end in block.italics:
        marked += [block.text[done:start], ITALIC_OPEN, block.text[start:end], ITALIC_CLOSE]
        done = end
    marked.append(block.text[done:])
    text, italics = unmarked(join_marked("".join(marked).split("\n")))
    return TextBlock(text, tuple(italics))


def _pdf_paragraphs(path: Path) -> list[TextBlock]:
    """A PDF draft's paragraphs, as a PDF report is imported, with its italics."""
    from recits.importers.pdf import parse_pdf

    parsed = parse_pdf(path)
    blocks = []
    for turn in parsed.turns:
        italics = tuple(
            (start - turn.start_char, end - turn.start_char)
            for start, end in parsed.italics
            if turn.start_char <= start and end <= turn.end_char
        )
        blocks.append(TextBlock(parsed.text[turn.start_char : turn.end_char], italics))
    return blocks


def _check_file(path: Path) -> None:
    """A regular file (a FIFO or a device would hang the readers), not empty; else
    InputFileError in French."""
    if check_regular(path).st_size == 0:
        raise InputFileError(path, "fichier vide")


def count_words(text: str) -> int:
    """Words as a reader counts them: "pair-e-s" and "aujourd'hui" are one word each."""
    return len(_WORD.findall(text))


def parse_and_count(path: Path) -> tuple[ParsedDocument, int] | str:
    """Parse one file and count its words, for a worker process: an error comes back as its
    French problem (exceptions with several arguments don't pickle)."""
    try:
        parsed = parse_file(path)
    except InputFileError as err:
        return err.problem
    return parsed, count_words(parsed.text)
