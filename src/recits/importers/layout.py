"""A PDF's reading text from its lines' places and fonts: paragraphs, headings, footnotes;
running headers, footers and page numbers left out (pure: no PDF library here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from recits.importers.italics import ITALIC_CLOSE, ITALIC_OPEN
from recits.importers.reflow import (
    LINE_END_HYPHENS,
    Block,
    is_page_number,
    join_lines,
    running_key,
    running_lines,
)

_SENTENCE_END = tuple('.!?:;»…"”)')
_NOTE_START = tuple("0123456789*⁰¹²³⁴⁵⁶⁷⁸⁹†")


@dataclass(frozen=True)
class Line:
    """One printed line: where it starts (x, baseline y from the page's bottom), where it
    ends, its font size and style, its text."""

    page: int
    x: float
    y: float
    right: float
    size: float
    bold: bool
    italic: bool
    text: str


@dataclass(frozen=True)
class _Body:
    size: float
    left: float
    right: float
    leading: float
    bold: bool
    italic: bool = False  # the body itself is set in italics: italics mark nothing
    indented: bool = True  # paragraphs start with an indented line (else: space between)


def _mode(values: Sequence[float], default: float) -> float:
    return Counter(values).most_common(1)[0][0] if values else default


def _merged(lines: Sequence[Line]) -> list[Line]:
    """Pieces of one printed line (split by a raised footnote call or a change of font) as
    one line."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.page == line.page
            and abs(prev.y - line.y) < 0.35 * max(prev.size, 1)
            and line.x >= prev.right - 1
        ):
            gap = "" if line.x - prev.right < 0.15 * prev.size else " "
            text = prev.text + gap + line.text
            out[-1] = Line(prev.page, prev.x, prev.y, line.right, prev.size, prev.bold,
                           prev.italic and line.italic, " ".join(text.split()))  # fmt: skip
        else:
            out.append(line)
    return out


def _body(lines: Sequence[Line]) -> _Body:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    size = weights.most_common(1)[0][0] if weights else 10.0
    body = [line for line in lines if abs(line.size - size) < 0.5]
    leading = _mode(
        [
            round(a.y - b.y)
            for a, b in zip(body, body[1:], strict=False)
            if a.page == b.page and 0 < a.y - b.y < 3 * size
        ],
        1.2 * size,
    )
    bold = sum(len(line.text) for line in body if line.bold) > 0.5 * sum(
        len(line.text) for line in body
    )
    italic = sum(len(line.text) for line in body if line.italic) > 0.5 * sum(
        len(line.text) for line in body
    )
    left = _mode([round(line.x) for line in body], 0)
    right = _mode([round(line.right) for line in body], 0)
    # First lines indented by one to four characters' width, and full (not a quotation set
    # in from both sides): one every few lines where paragraphs are marked so.
    indents = sum(
        1
        for line in body
        if 0.6 * size < line.x - left < 4 * size and abs(line.right - right) < 0.5 * size
    )
    indented = indents >= max(2, 0.03 * len(body))
    return _Body(size, left, right, leading, bold, italic, indented)


def _running(pages: Sequence[Sequence[Line]], zone: int = 4) -> set[str]:
    """Lines found at the same height, with the same words (numbers aside), at the top or
    bottom of many pages: running headers and footers."""

    def edge(page: Sequence[Line]) -> list[str]:
        ordered = sorted(page, key=lambda li: -li.y)
        if len(ordered) > 2 * zone:
            ordered = ordered[:zone] + ordered[-zone:]
        return [f"{round(line.y / 3)}|{running_key(line.text)}" for line in ordered]

    return running_lines([edge(page) for page in pages], zone=zone, key=lambda k: k)


def _edge(page: Sequence[Line], zone: int = 4) -> set[int]:
    """The ids of the lines at the top and bottom of a page."""
    ordered = sorted(page, key=lambda li: -li.y)
    return {id(line) for line in ordered[:zone] + ordered[-zone:]}


def blocks(pages: Sequence[Sequence[Line]]) -> list[Block]:
    """The reading text of the pages, in order: headings, paragraphs (one even when it runs on
    to the next page), each page's footnotes after the paragraph they interrupt."""
    pages = [_merged(page) for page in pages]
    running = _running(pages)
    kept_pages = []
    for page in pages:
        edge = _edge(page)
        kept_pages.append(
            [
                line
                for line in page
                if id(line) not in edge
                or not (
                    is_page_number(line.text)
                    or f"{round(line.y / 3)}|{running_key(line.text)}" in running
                )
            ]
        )
    body = _body([line for page in kept_pages for line in page])
    reader = _Reader(body)
    for page in kept_pages:
        reader.columns = _columns(page, body)
        reader.rights = [right for _left, right in reader.columns]
        notes = _footnotes(page, body)
        for line in page:
            if id(line) not in notes:
                reader.add(line)
        reader.page_notes([line for line in page if id(line) in notes])
    reader.close()
    reader.flush_notes()
    return reader.out


def _footnotes(page: Sequence[Line], body: _Body) -> set[int]:
    """Small lines below the page's text, the first starting with a number: its notes."""
    if not page:
        return set()
    lowest_body = min((line.y for line in page if line.size >= body.size - 0.5), default=None)
    small = sorted(
        (
            line
            for line in page
            if line.size < body.size * 0.9 and not _is_heading_style(line, body)
        ),
        key=lambda li: -li.y,
    )
    small = [line for line in small if lowest_body is None or line.y < lowest_body]
    if not small or not small[0].text.startswith(_NOTE_START):
        return set()
    return {id(line) for line in small}


def _columns(page: Sequence[Line], body: _Body) -> tuple[tuple[float, float], ...]:
    """The page's columns, left to right, as (left, right): the right edges most of its body
    lines end at (justified text), each column's left the edge most of its lines start at.
    Each page has its own (mirrored margins, two columns)."""
    lines = [line for line in page if abs(line.size - body.size) < 0.5]
    rights: Counter[int] = Counter(round(line.right / 2) * 2 for line in lines)
    edges: list[float] = []
    for right, count in sorted(rights.items()):
        if count >= max(3, 0.05 * len(lines)):
            if edges and right - edges[-1] <= 4:
                continue
            edges.append(right)
    # An edge ends a column only when text starts right of it (a column beside): lines that
    # happen to end at the same place inside a column are no edge.
    edges = [e for e in edges[:-1] if sum(line.x >= e for line in lines) >= 3] + edges[-1:]
    if not edges:
        return ((body.left, body.right),)
    lefts: list[list[float]] = [[] for _ in edges]
    for line in lines:
        lefts[_column_of(line.x, edges)].append(round(line.x))
    return tuple(
        (_mode(found, body.left), right) for found, right in zip(lefts, edges, strict=True)
    )


def _column_of(x: float, rights: Sequence[float]) -> int:
    """A line's column: how many columns end before it starts."""
    return sum(1 for right in rights[:-1] if right < x + 1)


def _is_heading_style(line: Line, body: _Body, right: float | None = None) -> bool:
    if line.size >= body.size * 1.12:
        return True
    short = line.right < (body.right if right is None else right) - 2 * body.size
    return (
        line.bold
        and not body.bold
        and short
        and len(line.text) <= 120
        and not line.text.endswith((".", ",", ";"))
    )


class _Reader:
    """Lines in, blocks out: decides where each paragraph starts and ends."""

    def __init__(self, body: _Body) -> None:
        self.body = body
        self.out: list[Block] = []
        self.lines: list[Line] = []
        self.heading = False
        self.section: str | None = None
        self.notes: list[Block] = []
        self.columns: tuple[tuple[float, float], ...] = ((body.left, body.right),)
        self.rights: list[float] = [body.right]
        self._column = self._prev_column = (0, body.left, body.right)
        self._jumped = False
        self._since = 0  # where the paragraph's lines in the current column start

    def column(self, line: Line) -> tuple[int, float, float]:
        """(index, left, right) of the column the line sits in, on its page."""
        at = _column_of(line.x, self.rights) if len(self.rights) > 1 else 0
        left, right = self.columns[at]
        return at, left, right

    def add(self, line: Line) -> None:
        line_column = self.column(line)
        heading = _is_heading_style(line, self.body, line_column[2])
        if self.lines and self._column[0] != line_column[0] and line.page == self.lines[-1].page:
            self._jumped = True  # the text goes on at the top of the next column
        self._column = line_column
        if self.lines and self._starts_new(line, heading):
            self.close()
        if not self.lines:
            self.heading = heading
            self._since = 0
        elif self._jumped or line.page != self.lines[-1].page:
            self._since = len(self.lines)  # its lines in this column are compared from here
        self.lines.append(line)
        self._jumped = False
        self._prev_column = line_column

    def _starts_new(self, line: Line, heading: bool) -> bool:
        prev = self.lines[-1]
        body = self.body
        if heading != self.heading:
            return True
        if heading:
            return abs(line.size - prev.size) > 0.5 or prev.y - line.y > 2 * prev.size
        tolerance = 0.6 * body.size
        if line.page == prev.page and prev.y - line.y > 1.35 * body.leading:
            return True  # space between paragraphs
        if self._ended(prev, line):
            return True
        if (
            prev.italic != line.italic
            and abs(line.x - prev.x) > tolerance
            and ITALIC_OPEN not in prev.text + line.text
        ):
            return True  # a testimony set apart in italics, and the text that goes on
        if line.page != prev.page or self._jumped:
            # At the top of a page or a column: a paragraph goes on unless indented. Where
            # nothing marks a paragraph's first line, a sentence ending the page ends it, as
            # in text (reflow): better cut in two, each part with its page, than glued.
            if not body.indented and _plain(prev.text).endswith(_SENTENCE_END):
                return True
            return line.x > self._column[1] + tolerance
        if self._since:  # the paragraph's lines in this column, from its first one here
            return abs(line.x - self.lines[self._since].x) > tolerance
        if len(self.lines) >= 2:
            return abs(line.x - self.lines[1].x) > tolerance  # indented first line, or a quote
        return line.x > prev.x + tolerance

    def _ended(self, prev: Line, line: Line) -> bool:
        """The previous line ends its paragraph: the next line's first word would have fit."""
        if _plain(prev.text).endswith(tuple(LINE_END_HYPHENS)):
            return False
        width = max(prev.right - prev.x, 1.0) / max(len(prev.text), 1)
        first = line.text.split(" ", 1)[0]
        _at, left, right = self._prev_column
        room = right - prev.right
        fits = room > (len(first) + 1.5) * width
        return fits and (prev.text.endswith(_SENTENCE_END) or room > 0.3 * max(right - left, 1.0))

    def close(self) -> None:
        if not self.lines:
            return
        if self.heading or self.body.italic:
            text = join_lines([_plain(line.text) for line in self.lines])
        else:
            text = join_marked(
                [
                    ITALIC_OPEN + li.text + ITALIC_CLOSE if li.italic else li.text
                    for li in self.lines
                ]
            )
        page = self.lines[0].page
        if self.heading:
            self.section = text
            self.out.append(Block(text, page, "heading", text))
        else:
            self.out.append(Block(text, page, None, self.section))
        self.lines = []
        self.flush_notes()

    def page_notes(self, lines: Sequence[Line]) -> None:
        notes: list[list[Line]] = []
        for line in lines:
            if not notes or line.text.startswith(_NOTE_START) and line.x <= notes[-1][0].x + 2:
                notes.append([line])
            else:
                notes[-1].append(line)
        for note in notes:
            self.notes.append(
                Block(
                    join_lines([_plain(li.text) for li in note]),
                    note[0].page,
                    "footnote",
                    self.section,
                )
            )
        if not self.lines:
            self.flush_notes()

    def flush_notes(self) -> None:
        self.out.extend(self.notes)
        self.notes = []


def _plain(text: str) -> str:
    return text.replace(ITALIC_OPEN, "").replace(ITALIC_CLOSE, "")


def join_marked(lines: Sequence[str]) -> str:
    """One paragraph from lines whose italics are marked: a phrase that goes on to the next
    line stays one phrase, and a word cut at the line end is joined as any other."""
    texts = list(lines)
    for at in range(len(texts) - 1):
        if texts[at].endswith(ITALIC_CLOSE) and texts[at + 1].startswith(ITALIC_OPEN):
            texts[at] = texts[at][:-1]
            texts[at + 1] = texts[at + 1][1:]
        if texts[at].endswith(ITALIC_CLOSE) and texts[at][-2:-1] in LINE_END_HYPHENS:
            # A phrase ends on a word cut at the line end: it closes after the word's end,
            # so that the hyphen is undone.
            texts[at] = texts[at][:-1]
            head, space, tail = texts[at + 1].partition(" ")
            texts[at + 1] = head + ITALIC_CLOSE + space + tail
    return join_lines(texts)
