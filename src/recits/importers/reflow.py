"""Reading text out of printed pages: hyphens at line ends, running headers and footers, page
numbers, and hard-wrapped text (copied from a PDF or an e-mail) rebuilt into paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from recits.importers.italics import unmarked
from recits.importers.normalize import normalize_text
from recits.masking import fold
from recits.models import ParsedTurn

# What may end a line in place of a hyphen: pdfium's end-of-line hyphen marks, a soft hyphen.
LINE_END_HYPHENS = "-\u2010\u00ad\ufffe\x02"
_SOFT = "\u00ad\ufffe\x02"
# always a break inside a word: the word is joined
# The endings inclusive writing adds after a hyphen or a middle dot: « pair-e-s »,
# « travailleur-euse-s », « acteur-rice-s ». Typesetters never leave fewer than 3 letters on
# the next line, so a shorter piece after a line-end hyphen is writing, not hyphenation.
INCLUSIVE = frozenset(
    "e es s x le les ne nes te tes ve ves fe fes euse euses rice rices trice trices ice ices"
    " ère ères ière ières ale ales aux eure eures eresse esse esses sse sses".split()
)
# First halves of compounds written with a hyphen (« médico-social », « psycho-éducatif »).
PREFIXES = frozenset(
    "médico socio psycho anti auto extra inter intra micro multi post pré néo ex vice demi semi"
    " mi non quasi sous sans après avant arrière grand bien mal ultra franco euro afro judéo"
    " gréco anglo austro ibéro italo sino russo économico politico juridico".split()
)
_SENTENCE_END = tuple('.!?:;»…"”)')
_WORD_TAIL = re.compile(r"[^\W\d_][\w'’]*$")
_WORD_HEAD = re.compile(r"^[^\W\d_]+")
_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:p(?:age|\.)?\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|sur|of)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from recits.lexicon import french_words

    return french_words()


def load_words() -> None:
    """Load the French word list now (it takes a tenth of a second), e.g. in a thread."""
    _words()


def join_hyphenated(left: str, right: str, words: frozenset[str] | None = None) -> str:
    """Join a word cut at a line end: « lo- » + « gique » -> « logique », but
    « pair- » + « e-s » -> « pair-e-s », « vingt- » + « quatre » -> « vingt-quatre ».

    `left` ends with the hyphen mark; `right` is the first word of the next line."""
    mark = left[-1]
    head = left[:-1]
    if mark == "\u00ad":
        return head + right  # a soft hyphen only ever marks a break inside a word
    words = _words() if words is None else words
    stem = _WORD_TAIL.search(head)
    piece = _WORD_HEAD.match(right)
    if stem is None or piece is None:
        return head + "-" + right
    first, second = stem.group(), piece.group()
    rest = right[piece.end() :]
    token = head.rsplit(None, 1)[-1] if head.strip() else ""
    if fold(second) in INCLUSIVE and (
        rest[:1] in ("-", "·", ".")
        and rest[1:2].isalpha()
        or fold(first) in words
        or token != first  # the break is at one of the word's own hyphens: « pair-e- » « s »
    ):
        return head + "-" + right  # inclusive writing: « certain-e-s », « travailleur-euse »
    if second[:1].isupper() and not first.isupper():
        return head + "-" + right  # « Auvergne-Rhône-Alpes », « Jean-Marc »
    whole = right.rstrip('.,;:!?»…)"”’')
    if fold(f"{first}-{second}") in words or fold(f"{first}-{whole}") in words:
        return head + "-" + right  # a compound the list knows: « peut-être »
    if fold(first + second) in words:
        return head + right
    if fold(second) in words and (fold(first) in PREFIXES or fold(first) in words):
        return head + "-" + right  # « médico-social », « vingt-quatre »
    return head + right  # a word the list does not know, cut by the typesetter


def join_lines(lines: Sequence[str], words: frozenset[str] | None = None) -> str:
    """One paragraph from its lines: spaces between them, hyphens at line ends undone."""
    parts: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        last = parts[-1] if parts else ""
        if len(last) > 1 and last[-1] in LINE_END_HYPHENS and last[-2].isalpha():
            # Only the last word of the line so far takes part: the join stays linear.
            before, space, word = last.rpartition(" ")
            first, _, tail = line.partition(" ")
            parts[-1] = before + space + join_hyphenated(word, first, words)
            if tail:
                parts.append(tail)
        else:
            parts.append(line)
    out = " ".join(parts)
    if out and out[-1] in _SOFT:
        out = out[:-1] + "-"
    return out


# --- running headers, footers and page numbers -------------------------------------------


def is_page_number(line: str) -> bool:
    """« 12 », « - 12 - », « Page 12 », « p. 12 », « 12/300 », « xii »."""
    line = line.strip()
    return bool(line) and len(line) <= 24 and bool(_PAGE_NUMBER.match(line))


def running_key(line: str) -> str:
    """A line with its numbers blanked: the same on every page for a header naming its page."""
    return _DIGITS.sub("#", " ".join(fold(line).split()))


def running_lines(
    pages: Sequence[Sequence[str]], zone: int = 3, key: Callable[[str], str] = running_key
) -> set[str]:
    """The keys of lines repeated at the top or bottom (`zone` lines) of many pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page if line.strip()]
        edge = lines[:zone] + lines[-zone:] if len(lines) > 2 * zone else lines
        seen.update({key(line) for line in edge})
    needed = max(2, (len(pages) + 1) // 2)
    return {k for k, count in seen.items() if count >= needed and k.strip("#").strip()}


# --- hard-wrapped text --------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A paragraph, a heading or a footnote of written material, with the page it starts on
    (None when pages are unknown) and the heading it sits under."""

    text: str
    page: int | None = None
    kind: str | None = None  # "heading" | "footnote" | None
    section: str | None = None


def text_and_turns(found: Sequence[Block]) -> tuple[str, tuple[ParsedTurn, ...]]:
    """The document's text (blocks separated by a blank line) and one turn per block."""
    text, turns, _italics = written_text(found)
    return text, turns


def written_text(
    found: Sequence[Block],
) -> tuple[str, tuple[ParsedTurn, ...], tuple[tuple[int, int], ...]]:
    """The document's text (blocks separated by a blank line), one turn per block, and its
    italic phrases (offsets into the text) from the italic marks of the blocks."""
    parts: list[str] = []
    turns: list[ParsedTurn] = []
    italics: list[tuple[int, int]] = []
    offset = 0
    for block in found:
        text, spans = unmarked(normalize_text(block.text))
        if not text:
            continue
        if parts:
            offset += 2
        end = offset + len(text)
        turns.append(
            ParsedTurn(offset, end, page=block.page, section=block.section, kind=block.kind)
        )
        if block.kind is None:  # a heading or a note in italics quotes nobody
            italics.extend((offset + a, offset + b) for a, b in spans)
        parts.append(text)
        offset = end
    return "\n\n".join(parts), tuple(turns), tuple(italics)


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width text was wrapped at, when most lines are filled to about the same length and
    end without punctuation; None for text written one paragraph per line."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    if not 30 <= width <= 130:
        return None
    full = [
        line
        for line in lines
        if 0.7 * width <= len(line.rstrip()) <= width + 2
        and not line.rstrip().endswith(_SENTENCE_END)
    ]
    return width if len(full) >= 0.4 * len(lengths) else None


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def reflow(text: str, words: frozenset[str] | None = None) -> list[Block] | None:
    """The paragraphs of hard-wrapped text, or None when the text is not hard-wrapped.

    Pages are split at form feeds; running headers and footers and page numbers go; a
    paragraph cut by a page break is one paragraph; an indented line starts a paragraph."""
    pages = [page.split("\n") for page in text.split("\f")]
    width = wrap_width([line for page in pages for line in page])
    if width is None:
        return None
    paragraphs: list[Block] = []
    open_lines: list[str] = []
    open_page = 1
    section: str | None = None

    def close() -> None:
        nonlocal open_lines, section
        if open_lines:
            joined = join_lines(open_lines, words)
            page = open_page if len(pages) > 1 else None
            if _is_heading(open_lines, width):
                section = joined
                paragraphs.append(Block(joined, page, "heading", section))
            else:
                paragraphs.append(Block(joined, page, None, section))
        open_lines = []

    kept_pages = _kept(pages)
    indents = _marks_indents([line for page in kept_pages for line in page], width)
    for number, kept in enumerate(kept_pages, 1):
        blocks = _blocks(kept)
        for index, block in enumerate(blocks):  # index 0: a page's first block
            # A paragraph runs on to the next block (or page) when its last line is full
            # without a full stop, or ends with a hyphen, and the block goes on in lower case;
            # after a page break, a full line without a full stop is enough. Where paragraphs
            # start indented, a full line ending a sentence at the bottom of a page goes on
            # when the next page starts without indent (as in a PDF); else it ends there.
            runs_on = block[0].lstrip()[:1].islower() or index == 0
            continues = bool(open_lines) and _continues(open_lines[-1], width)
            if open_lines and index == 0 and indents and _full(open_lines[-1], width):
                continues = not _indented(block[0])
            if open_lines and not (runs_on and continues):
                close()
            for position, line in enumerate(block):
                if position and open_lines and _starts_paragraph(line, block[position - 1], width):
                    close()
                if not open_lines:
                    open_page = number
                open_lines.append(line)
            last_of_page = index == len(blocks) - 1
            if not _continues(block[-1], width) and not (
                last_of_page and indents and _full(block[-1], width)
            ):
                close()
    close()
    return paragraphs


def without_running(text: str) -> str | None:
    """Hard-wrapped text without its running headers, footers and page numbers (a footer
    « Rédaction : … » is no speaker); None when the text is not hard-wrapped."""
    pages = [page.split("\n") for page in text.split("\f")]
    if wrap_width([line for page in pages for line in page]) is None:
        return None
    return "\n".join(line for page in _kept(pages) for line in page)


def _dropped(line: str, running: set[str]) -> bool:
    return bool(line.strip()) and (running_key(line) in running or is_page_number(line))


def _kept(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """The pages without their running headers, footers and page numbers."""
    if len(pages) > 1:
        running = running_lines(pages)
        return [[line for line in page if not _dropped(line, running)] for page in pages]
    return _without_repeated_blocks(pages[0])


def _without_repeated_blocks(lines: Sequence[str]) -> list[list[str]]:
    """Without form feeds: the headers and footers of pages copied one after another are
    blocks of their own, repeated on about every page (a testimony quoted three times in a
    report of twelve pages is no footer)."""
    spans: list[tuple[int, int]] = []  # each block's first and last line
    start = None
    for index, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            spans.append((start, index))
            start = None
    keys = [running_key(line) for line in lines]
    numbered = [any(is_page_number(lines[i]) for i in range(a, b)) for a, b in spans]
    # A block counts as a whole, page numbers aside: the same lines, standing alone.
    shapes = [tuple(keys[i] for i in range(a, b) if not is_page_number(lines[i])) for a, b in spans]
    if any(numbered):
        # Running: a shape found next to a page number (a footer above it, a header below)
        # on about half the pages; a testimony quoted five times in the text is not.
        near = Counter(
            shape
            for index, shape in enumerate(shapes)
            if shape and any(numbered[max(0, index - 1) : index + 2])
        )
        needed = max(3, sum(numbered) // 2)
        running = {shape for shape, count in near.items() if count >= needed}
    else:  # no page numbers: 5 times at least, and about once every 50 lines
        counts = Counter(shapes)
        needed = max(5, len(lines) // 100)
        running = {shape for shape, count in counts.items() if shape and count >= needed}
    dropped: set[int] = set()
    for (a, b), shape, number in zip(spans, shapes, numbered, strict=True):
        if shape in running or (number and not shape):
            dropped.update(range(a, b))
    # The pages: the text between two dropped blocks.
    pages: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        if index not in dropped:
            pages[-1].append(line)
        elif index - 1 not in dropped and pages[-1]:
            pages.append([])
    return pages


def _indented(line: str) -> bool:
    return len(line) - len(line.lstrip()) >= 2


def _marks_indents(lines: Sequence[str], width: int) -> bool:
    """Whether the text starts its paragraphs with an indented line (one line in twenty or
    more is indented above a line that is not)."""
    marks = sum(
        1 for line, following in zip(lines, lines[1:], strict=False)
        if _indented(line) and line.strip() and following.strip() and not _indented(following)
    )  # fmt: skip
    return marks >= max(2, len([line for line in lines if line.strip()]) // 20)


def _full(line: str, width: int) -> bool:
    return len(line.rstrip()) >= 0.8 * width


def _continues(line: str, width: int) -> bool:
    """Whether a paragraph's last line so far runs on: it ends with a hyphen, or it is full
    and ends without a full stop (a full line that ends a sentence is taken as the end of
    the paragraph: a paragraph cut in two is better than two glued)."""
    line = line.rstrip()
    if line.endswith(tuple(LINE_END_HYPHENS)):
        return True
    return _full(line, width) and not line.endswith(_SENTENCE_END)


def _starts_paragraph(line: str, previous: str, width: int) -> bool:
    indent = len(line) - len(line.lstrip())
    before = len(previous) - len(previous.lstrip())
    if indent > before and indent >= 2:
        return True
    return len(previous.rstrip()) < 0.7 * width and previous.rstrip().endswith(_SENTENCE_END)


def _is_heading(lines: Sequence[str], width: int) -> bool:
    if len(lines) > 2:
        return False
    text = " ".join(line.strip() for line in lines)
    if len(text) > 0.9 * width or text.endswith((".", ",", ";", ":", "»", "…")):
        return False
    return text[:1].isupper() or text[:1].isdigit()
