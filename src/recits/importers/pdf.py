"""PDF reports and articles: their reading text rebuilt from the page layout (PDFium, read in
a child process with a memory cap and a time limit), one turn per paragraph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from recits.errors import InputFileError
from recits.files import open_regular
from recits.importers import size
from recits.importers.normalize import french_megabytes
from recits.importers.reflow import Block, written_text
from recits.models import ParsedDocument

# Read at call time, so that tests can lower them.
MAX_PDF_BYTES = 200 * 2**20  # the file (images included)
MAX_PAGES = 3000
MAX_SECONDS = 120.0
MAX_MEMORY = 512 * 2**20  # the reading process's address space: a PDF bomb stops there
_HEAD_BYTES = 1024
_TAIL_BYTES = 2048


def parse_pdf(path: Path) -> ParsedDocument:
    """Read a PDF's text as paragraphs, headings and footnotes, each with its page and section.

    Raises InputFileError, in French, for a PDF that is not one, is damaged, truncated,
    protected by a password, too big, too long to read, or has no text layer (a scan)."""
    path = Path(path)
    _check_envelope(path)
    found = [Block(*block) for block in _read(path)]
    if not found:
        raise InputFileError(
            path,
            "ce PDF ne contient pas de texte, seulement des images (un document scanné ?) :"
            " passez-le d'abord dans un logiciel de reconnaissance de caractères (OCR)",
        )
    return document(found, path)


def document(found: list[Block], path: Path) -> ParsedDocument:
    """The text (paragraphs separated by a blank line), one turn per block, its italics."""
    text, turns, italics = written_text(found)
    if not text.strip():
        raise InputFileError(path, "fichier vide (aucun texte dans ce PDF)")
    size.check_text(path, text)
    return ParsedDocument(text=text, turns=turns, format="pdf", italics=italics)


def _check_envelope(path: Path) -> None:
    """A PDF by its first and last bytes, within the size limit: refused before any parsing."""
    try:
        with open_regular(path) as handle:
            length = os.fstat(handle.fileno()).st_size
            if length > MAX_PDF_BYTES:
                raise InputFileError(
                    path,
                    f"PDF trop volumineux : {french_megabytes(length)} (maximum"
                    f" {french_megabytes(MAX_PDF_BYTES)})",
                )
            head = handle.read(_HEAD_BYTES)
            handle.seek(max(0, length - _TAIL_BYTES))
            tail = handle.read(_TAIL_BYTES)
    except OSError as error:
        raise InputFileError(path, f"lecture impossible ({error.strerror or error})") from None
    if b"%PDF-" not in head:
        raise InputFileError(path, "ce n'est pas un PDF (en-tête « %PDF » absent)")
    if b"%%EOF" not in tail:
        raise InputFileError(
            path, "PDF incomplet ou endommagé (la fin du fichier manque : téléchargement coupé ?)"
        )


def _read(path: Path) -> list:
    """The blocks of text, read and laid out by `recits.importers.pdf_pages` in a child
    process."""
    limit = size.limit()
    command = [
        sys.executable, "-m", "recits.importers.pdf_pages", str(path.absolute()),
        str(MAX_PAGES), str(limit), str(MAX_SECONDS), str(MAX_MEMORY), str(os.getpid()),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=MAX_SECONDS + 15, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise _too_slow(path) from None
    except OSError as error:
        raise InputFileError(path, f"lecture du PDF impossible ({error})") from None
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = {"error": "memory" if _out_of_memory(done.stderr) else "crash"}
    error = result.get("error")
    if error is None:
        return result["blocks"]
    if error == "password":
        raise InputFileError(
            path, "PDF protégé par un mot de passe : enregistrez-en une copie sans protection"
        )
    if error == "pages":
        raise InputFileError(path, f"PDF trop long : {result['count']} pages (maximum {MAX_PAGES})")
    if error == "size":
        raise size.too_long(path)
    if error == "time":
        raise _too_slow(path)
    if error == "memory":
        raise InputFileError(
            path,
            f"PDF trop complexe : sa lecture demande plus de {MAX_MEMORY // 2**20} Mo de"
            " mémoire (fichier piégé ou endommagé ?)",
        )
    raise InputFileError(path, "PDF endommagé, piégé ou trop complexe : sa lecture a échoué")


def _too_slow(path: Path) -> InputFileError:
    return InputFileError(
        path, f"PDF trop long à lire : plus de {MAX_SECONDS:.0f} secondes (fichier piégé ?)"
    )


def _out_of_memory(stderr: bytes) -> bool:
    return b"MemoryError" in stderr or b"bad_alloc" in stderr or b"Out of memory" in stderr
