"""The lines of a PDF's pages with their place and font, read with PDFium in a child process
that has a memory cap and dies with its parent (`python -m recits.importers.pdf_pages`), and
laid out there into blocks: only the reading text comes back."""

from __future__ import annotations

import ctypes
import json
import re
import resource
import sys
import threading
import time
from typing import Any

from recits.importers.layout import Line, blocks

# A word's characters from a digit run raised above the line (a footnote call): « ¹ ».
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_DIGITS = re.compile(r"\d{1,3}(?![\d])")
_LINE_END = re.compile(r"\r\n|\n|\r|[\ufffe\x02]")
_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC = ("italic", "oblique")


def read_pages(path: str, max_pages: int, max_text_bytes: int, seconds: float) -> dict[str, Any]:
    """{"pages": [[Line...]...]} or {"error": what}; lines in the order the page draws them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    deadline = time.monotonic() + seconds
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        return {"error": "password" if code == raw.FPDF_ERR_PASSWORD else "broken"}
    if len(pdf) > max_pages:
        return {"error": "pages", "count": len(pdf)}
    used = 0
    pages = []
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    styles: dict[tuple[bytes, int], tuple[bool, bool]] = {}
    origin, box = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetCharBox
    font_size, font_info = raw.FPDFText_GetFontSize, raw.FPDFText_GetFontInfo
    document = pdf.raw
    for index in range(len(pdf)):
        if time.monotonic() > deadline:
            return {"error": "time"}
        # PDFium's own calls, without the helpers' per-object bookkeeping: a sixth faster.
        page = raw.FPDF_LoadPage(document, index)
        textpage = raw.FPDFText_LoadPage(page) if page else None
        if not textpage:
            return {"error": "broken"}
        count = raw.FPDFText_CountChars(textpage)
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(
            textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
        )
        text = buffer.raw[: count * 2].decode("utf-16-le", "ignore")
        used += len(text.encode("utf-8", "surrogatepass"))
        if used > max_text_bytes:
            return {"error": "size"}
        found = []
        start = 0
        for match in _LINE_END.finditer(text + "\r\n"):
            end = match.end() if match.group() in "\ufffe\x02" else match.start()
            line = text[start:end]
            first = start + len(line) - len(line.lstrip())
            last = start + len(line.rstrip()) - 1
            start = match.end()
            if first > last:
                continue
            origin(textpage, first, x, y)
            box(textpage, last, left, right, bottom, top)
            found.append((first, last, x.value, y.value, right.value, font_size(textpage, first)))
        # The font's style is asked of short lines (headings are) and of one full line per
        # page, whose style the page's other full lines share: a third of the calls.
        widest = max((f[4] for f in found), default=0.0)
        full_style = None
        lines = []
        for first, last, x_, y_, right_, size in found:
            full = right_ >= widest - 2 * size
            style = full_style if full else None
            if style is None:
                font_info(textpage, first, name, len(name), flags)
                key = (name.value, flags.value)
                style = styles.get(key) or styles.setdefault(key, _style(*key))
                if full:
                    full_style = style
            line = text[first : last + 1]
            for digits in _DIGITS.finditer(line):
                at = digits.start()
                before = line[at - 1] if at else " "
                if (
                    not before.isspace()
                    and not before.isdigit()
                    and _raised(raw, textpage, first + at, size, y_)
                ):
                    # A footnote call, set smaller or raised after a word: « ¹ ».
                    line = line[:at] + digits.group().translate(_SUPERSCRIPT) + line[digits.end() :]
            lines.append(Line(index + 1, x_, y_, right_, size, *style, line))
        raw.FPDFText_ClosePage(textpage)
        raw.FPDF_ClosePage(page)
        pages.append(lines)
    pdf.close()
    return {"pages": pages}


def _style(name: bytes, flags: int) -> tuple[bool, bool]:
    """(bold, italic) from the font's name and flags (PDF font descriptor)."""
    font = name.decode("latin-1").lower()
    bold = any(word in font for word in _BOLD) or bool(flags >> 18 & 1)
    italic = any(word in font for word in _ITALIC) or bool(flags >> 6 & 1)
    return bold, italic


def _raised(raw: Any, textpage: Any, index: int, size: float, baseline: float) -> bool:
    """Whether the character at `index` is set smaller or above the line: a footnote call."""
    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage, index, x, y)
    return raw.FPDFText_GetFontSize(textpage, index) < 0.9 * size or y.value > baseline + 0.2 * size


def main(argv: list[str]) -> int:
    path, max_pages, max_text, seconds, memory, parent = argv
    if int(memory) > 0:  # a PDF bomb fails here instead of eating the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    from recits.workers import die_with_parent

    die_with_parent(int(parent))
    # The word list (for the hyphens) loads while PDFium reads: its calls release the GIL.
    from recits.importers.reflow import load_words

    preload = threading.Thread(target=load_words, name="recits-words", daemon=True)
    preload.start()
    try:
        result = read_pages(path, int(max_pages), int(max_text), float(seconds))
        if "pages" in result:
            preload.join()
            found = blocks(result.pop("pages"))
            result["blocks"] = [[b.text, b.page, b.kind, b.section] for b in found]
    except MemoryError:
        result = {"error": "memory"}
    json.dump(result, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
