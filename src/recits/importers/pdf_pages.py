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

from recits.importers.italics import ITALIC_CLOSE, ITALIC_OPEN
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
    box_left, box_top, box_right, box_bottom = (ctypes.c_double() for _ in range(4))
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
        # PDFium cuts a page's text into rectangles, one per run of one text object: a line
        # drawn in one go is one; a line with a change of font (an italic phrase) is several.
        rects = []
        several = raw.FPDFText_CountRects(textpage, 0, -1)
        if several > len(found):  # else each line is one piece: no change of font
            for number in range(several):
                raw.FPDFText_GetRect(textpage, number, box_left, box_top, box_right, box_bottom)
                rects.append((box_left.value, box_top.value, box_right.value, box_bottom.value))
        lines = []
        next_rect = 0
        # The font's style is asked of short lines (headings, a paragraph's last line) and of
        # one full line per page, whose style the page's full lines share: a third of the
        # calls. Full lines before an italic line are asked again: an italic passage as wide
        # as the text is found whole.
        widest = max((f[4] for f in found), default=0.0)
        full_style = None
        assumed: list[int] = []  # lines whose style was not asked
        for first, last, x_, y_, right_, size in found:
            full = right_ >= widest - 2 * size
            style = full_style if full else None
            if style is None:
                font_info(textpage, first, name, len(name), flags)
                key = (name.value, flags.value)
                style = styles.get(key) or styles.setdefault(key, _style(*key))
                if full:
                    full_style = style
                if style[1] and assumed:
                    _restyle(lines, assumed, textpage, found, font_info, name, flags, styles)
                assumed = []
            else:
                assumed.append(len(lines))
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
            if not rects:
                lines.append(Line(index + 1, x_, y_, right_, size, *style, line))
                continue
            # The line's pieces are among the next few rectangles (both in the page's order).
            pieces = []
            for at in range(next_rect, min(next_rect + 12, len(rects))):
                r = rects[at]
                if r[3] - 0.5 <= y_ <= r[1] + 0.5 and r[0] < right_ + 0.5 and r[2] > x_ - 0.5:
                    pieces.append(r)
                    next_rect = at + 1
            if len(pieces) > 1:
                runs = _italic_runs(
                    raw, textpage, first, last, pieces, style[1], name, flags, styles
                )
                if runs:
                    style = (style[0], False)
                    line = _marked(line, runs)
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


def _restyle(
    lines: list,
    assumed: list[int],
    textpage: Any,
    found: list,
    font_info: Any,
    name: Any,
    flags: Any,
    styles: dict,
) -> None:
    """Ask again, from the last one back, the style of full lines taken to share the page's:
    those in italics just before an italic line (an italic passage as wide as the text)."""
    for at in reversed(assumed):
        if at >= len(lines) or ITALIC_OPEN in lines[at].text:
            return
        font_info(textpage, found[at][0], name, len(name), flags)
        key = (name.value, flags.value)
        style = styles.get(key) or styles.setdefault(key, _style(*key))
        if not style[1]:
            return
        line = lines[at]
        lines[at] = Line(
            line.page, line.x, line.y, line.right, line.size, style[0], True, line.text
        )


def _italic_runs(
    raw: Any,
    textpage: Any,
    first: int,
    last: int,
    pieces: list,
    italic_first: bool,
    name: Any,
    flags: Any,
    styles: dict,
) -> list[tuple[int, int]]:
    """The italic parts of a line drawn in several pieces, as offsets into its text; none when
    the line is in one style."""
    box_left, box_right, box_bottom, box_top = (ctypes.c_double() for _ in range(4))
    marks: list[tuple[int, bool]] = []  # (first character of the piece, italic)
    for left, top, right, bottom in sorted(pieces):
        at = raw.FPDFText_GetCharIndexAtPos(
            textpage, (left + right) / 2, (top + bottom) / 2, (right - left) / 2, (top - bottom) / 2
        )
        if at < first or at > last:
            continue
        raw.FPDFText_GetFontInfo(textpage, at, name, len(name), flags)
        key = (name.value, flags.value)
        italic = (styles.get(key) or styles.setdefault(key, _style(*key)))[1]
        # Where the piece starts: the first character of the line at its left edge or after.
        low, high = first, last
        while low < high:
            middle = (low + high) // 2
            # The glyph's box, not its origin: a slanted letter's box starts right of it.
            raw.FPDFText_GetCharBox(textpage, middle, box_left, box_right, box_bottom, box_top)
            if box_left.value < left - 0.5:
                low = middle + 1
            else:
                high = middle
        marks.append((low - first, italic))
    marks.sort()
    if not marks or marks[0][0] > 0:
        marks.insert(0, (0, italic_first))
    if len({italic for _at, italic in marks}) < 2:
        return []
    runs: list[tuple[int, int]] = []
    for (at, italic), following in zip(marks, [*marks[1:], (last - first + 1, False)], strict=True):
        if italic:
            if runs and runs[-1][1] == at:
                runs[-1] = (runs[-1][0], following[0])
            else:
                runs.append((at, following[0]))
    return [(a, b) for a, b in runs if a < b]


def _marked(line: str, runs: list[tuple[int, int]]) -> str:
    """The line with its italic parts between the italic marks (taken out at import)."""
    out, done = [], 0
    for start, end in runs:
        out += [line[done:start], ITALIC_OPEN, line[start:end], ITALIC_CLOSE]
        done = end
    out.append(line[done:])
    return "".join(out)


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
