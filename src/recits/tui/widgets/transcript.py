"""The transcript: turns wrapped to the width, codings as coloured marks, cursor and selection."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.events import MouseDown, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from recits.models import Coding, Suggestion
from recits.session import CodingSession
from recits.sources import where

Mark = Coding | Suggestion
GUTTER = 4  # coloured stripes, one per code on the line
MARGIN = 18  # labels of the codings that start on the line (hidden when the view is narrow)
NARROW = 70


@dataclass(frozen=True)
class Line:
    kind: str  # speaker | text | blank
    turn: int
    start_char: int = 0
    end_char: int = 0


class Transcript(ScrollView, can_focus=True, inherit_bindings=False):
    """Renders only the visible lines (Line API), so long documents open and move fast."""

    COMPONENT_CLASSES = {
        "transcript--speaker",
        "transcript--cursor",
        "transcript--selection",
        "transcript--muted",
        "transcript--suggestion",
        "transcript--match",
        "transcript--match-current",
    }

    class Clicked(Message):
        """The user clicked (offset) or dragged (start, end) in the text."""

        def __init__(self, start: int, end: int) -> None:
            self.start = start
            self.end = end
            super().__init__()

    def __init__(self, session: CodingSession, colors: dict[str, str], labels: dict[str, str],
                 **kwargs: object) -> None:  # fmt: skip
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.code_colors = colors
        self.code_labels = labels
        self.lines: list[Line] = []
        self._text_lines: list[int] = []  # indexes of text lines, by start offset
        self._text_starts: list[int] = []
        self._line_codings: dict[int, list[Coding]] = {}
        self._line_suggestions: dict[int, list[Suggestion]] = {}
        self._layout_width = 0
        self._drag_from: int | None = None
        self._painted = (0, 0)  # lines last drawn with the cursor or the selection
        self.margin = MARGIN
        self.matches: list[tuple[int, int]] = []  # what `/` found, in reading order
        self._match_starts: list[int] = []
        self.current_match: int | None = None

    # -- layout ----------------------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        self.relayout()

    def relayout(self) -> None:
        if not self.size.width:
            return
        self.margin = MARGIN if self.size.width >= NARROW else 0
        width = max(20, self.size.width - GUTTER - self.margin - 1)
        self._layout_width = width
        text, lines = self.session.text, []
        place = ""
        for index, turn in enumerate(self.session.turns):
            # A paragraph of a written document says where it sits when that changes.
            here = where(turn.page, turn.section) if turn.kind != "heading" else place
            if turn.speaker or (here and here != place):
                lines.append(Line("speaker", index))
            place = here
            for start, end in _wrap(text, turn.start_char, turn.end_char, width):
                lines.append(Line("text", index, start, end))
            lines.append(Line("blank", index))
        self.lines = lines
        self._text_lines = [i for i, line in enumerate(lines) if line.kind == "text"]
        self._text_starts = [lines[i].start_char for i in self._text_lines]
        self._line_codings, self._line_suggestions = {}, {}
        self.index_codings()
        self.virtual_size = Size(self.size.width, len(lines))
        self.show_cursor()
        self.refresh()

    def index_codings(self) -> None:
        """Which visible codings and pending suggestions cross each text line (rebuilt when
        they change); repaint only the lines whose marks changed."""
        codings = self._per_line(self.session.visible_codings())
        suggestions = self._per_line(self.session.suggestions)
        before = {**self._line_codings, **{-1 - k: v for k, v in self._line_suggestions.items()}}
        after = {**codings, **{-1 - k: v for k, v in suggestions.items()}}
        self._line_codings, self._line_suggestions = codings, suggestions
        for key in set(before) | set(after):
            if [m.id for m in before.get(key, ())] != [m.id for m in after.get(key, ())]:
                self.refresh_lines(key if key >= 0 else -1 - key)

    def _per_line(self, marks: Sequence[Mark]) -> dict[int, list[Mark]]:
        per_line: dict[int, list[Mark]] = {}
        for mark in marks:
            k = max(0, bisect.bisect_right(self._text_starts, mark.start_char) - 1)
            while k < len(self._text_lines):
                line_index = self._text_lines[k]
                line = self.lines[line_index]
                if line.start_char >= mark.end_char:
                    break
                if line.end_char > mark.start_char or line.start_char == mark.start_char:
                    per_line.setdefault(line_index, []).append(mark)
                k += 1
        return per_line

    def line_of(self, offset: int) -> int:
        k = max(0, bisect.bisect_right(self._text_starts, offset) - 1)
        return self._text_lines[k] if self._text_lines else 0

    def set_session(self, session: CodingSession) -> None:
        """Show another document (the screen is reused from one document to the next)."""
        self.session = session
        self.matches, self._match_starts, self.current_match = [], [], None
        self.scroll_to(y=0, animate=False)
        self.relayout()

    def set_matches(self, matches: list[tuple[int, int]], current: int | None) -> None:
        """Mark the occurrences found in the document, the current one apart."""
        if (matches, current) == (self.matches, self.current_match):
            return
        self.matches, self.current_match = matches, current
        self._match_starts = [start for start, _end in matches]
        self.refresh()

    def _matches_on(self, line: Line) -> list[tuple[int, tuple[int, int]]]:
        """The occurrences crossing a line, with their index."""
        first = max(0, bisect.bisect_right(self._match_starts, line.start_char) - 1)
        last = bisect.bisect_left(self._match_starts, line.end_char)
        return [
            (i, self.matches[i])
            for i in range(first, last)
            if self.matches[i][1] > line.start_char and self.matches[i][0] < line.end_char
        ]

    def _highlighted_lines(self) -> tuple[int, int]:
        passage, (start, end) = self.session.passage, self.session.selection
        if passage is not None:
            start, end = min(start, passage.start_char), max(end, passage.end_char)
        return self.line_of(start), self.line_of(max(start, end - 1))

    def show_cursor(self) -> None:
        """Scroll so the cursor's passage is visible, with a little context; repaint only the
        lines that change when nothing scrolls (moving must take less than a frame)."""
        passage = self.session.passage
        top = int(self.scroll_offset.y)
        if passage is not None and self.lines:
            first = self.line_of(passage.start_char)
            last = self.line_of(max(passage.start_char, passage.end_char - 1))
            turn_start = first - 1 if first and self.lines[first - 1].kind == "speaker" else first
            top, height = int(self.scroll_offset.y), max(1, self.size.height)
            context = min(3, height // 4)
            bottom = min(last + context, len(self.lines) - 1)
            if max(0, first - context) < top or bottom >= top + height:
                # Out of view: show its turn from a third of the screen, the passage whole.
                low, high = bottom - height + 1, max(0, first - context)
                target = min(max(turn_start - height // 3, low), high)
                self.scroll_to(y=max(0, target), animate=False)
        new = self._highlighted_lines() if self.lines else (0, 0)
        if int(self.scroll_offset.y) != top:
            self.refresh()
        else:
            for first_line, last_line in (self._painted, new):
                self.refresh_lines(first_line, last_line - first_line + 1)
        self._painted = new

    # -- painting --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        base = self.rich_style
        if line.kind == "blank":
            return Strip.blank(width, base)
        if line.kind == "speaker":
            turn = self.session.turns[line.turn]
            label = f"{' ' * GUTTER}{turn.speaker or ''}"
            if turn.timestamp:
                label += f"  {turn.timestamp}"
            place = where(turn.page, turn.section)
            if place:
                label += f"  {place}" if turn.speaker else place
            style = base + self.get_component_rich_style("transcript--speaker")
            return Strip([Segment(label, style)]).adjust_cell_length(width, base)
        codings = self._line_codings.get(index, [])
        suggestions = self._line_suggestions.get(index, [])
        segments = self._gutter(codings, suggestions, base)
        segments += self._text(line, codings, suggestions, base)
        segments += self._margin(line, codings, suggestions, base)
        return Strip(segments).adjust_cell_length(width, base)

    def _code_style(self, code_id: str, base: Style, strength: float) -> Style:
        background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
        code = Color.parse(self.code_colors.get(code_id) or "#888888")
        return Style(bgcolor=background.blend(code, strength).rich_color)

    def _gutter(
        self, codings: list[Coding], suggestions: list[Suggestion], base: Style
    ) -> list[Segment]:
        """A stripe per code on the line; a dotted one per suggested code."""
        codes = list(dict.fromkeys(c.code_id for c in codings))[: GUTTER - 1]
        marks = [("▌", code) for code in codes]
        suggested = [c for c in dict.fromkeys(s.code_id for s in suggestions) if c not in codes]
        marks += [("┊", code) for code in suggested[: GUTTER - 1 - len(marks)]]
        segments = [
            Segment(mark, base + Style(color=self.code_colors.get(code) or "#888888"))
            for mark, code in marks
        ]
        return segments + [Segment(" " * (GUTTER - len(marks)), base)]

    def _text(
        self, line: Line, codings: list[Coding], suggestions: list[Suggestion], base: Style
    ) -> list[Segment]:
        session = self.session
        passage = session.passage
        cursor = (passage.start_char, passage.end_char) if passage else (0, 0)
        selection = session.selection
        cuts = {line.start_char, line.end_char}
        marks = [*codings, *suggestions]
        found = self._matches_on(line) if self.matches else []
        spans = [cursor, selection, *((m.start_char, m.end_char) for m in marks)]
        for s, e in [*spans, *(span for _i, span in found)]:
            cuts.update(x for x in (s, e) if line.start_char < x < line.end_char)
        bounds = sorted(cuts)
        cursor_style = self.get_component_rich_style("transcript--cursor", partial=True)
        selection_style = self.get_component_rich_style("transcript--selection", partial=True)
        suggestion_style = self.get_component_rich_style("transcript--suggestion", partial=True)
        match_style = self.get_component_rich_style("transcript--match", partial=True)
        current_style = self.get_component_rich_style("transcript--match-current", partial=True)
        text = session.text
        segments = []
        for s, e in zip(bounds, bounds[1:], strict=False):
            over = [c for c in codings if c.start_char <= s and e <= c.end_char]
            style = base
            if over:
                style += self._code_style(over[0].code_id, base, 0.25 + 0.15 * (len(over) - 1))
                if len(over) > 1:
                    style += Style(underline=True)
            if any(m.start_char <= s and e <= m.end_char for m in suggestions):
                style += suggestion_style
            if cursor[0] <= s and e <= cursor[1]:
                style += cursor_style
            if selection[0] <= s and e <= selection[1]:
                style += selection_style
            for index, (start, end) in found:
                if start <= s and e <= end:
                    style += current_style if index == self.current_match else match_style
            segments.append(Segment(text[s:e].replace("\n", " "), style))
        return segments

    def _margin(
        self, line: Line, codings: list[Coding], suggestions: list[Suggestion], base: Style
    ) -> list[Segment]:
        """Labels of the codings (◂) or, failing that, suggestions (?) that start on the line."""
        if not self.margin:
            return []
        starting: list[Mark] = [
            c for c in codings if line.start_char <= c.start_char < line.end_char
        ]
        sign, style = "◂ ", base
        if not starting:
            starting = [s for s in suggestions if line.start_char <= s.start_char < line.end_char]
            sign = "? "
            style = base + self.get_component_rich_style("transcript--suggestion", partial=True)
        if not starting:
            return []
        labels = ", ".join(
            dict.fromkeys(self.code_labels.get(m.code_id, m.code_id) for m in starting)
        )
        pad = max(1, self._layout_width - (line.end_char - line.start_char) + 1)
        color = self.code_colors.get(starting[0].code_id) or "#888888"
        label = _clip(labels, self.margin - 2)
        return [Segment(" " * pad, base), Segment(sign + label, style + Style(color=color))]

    # -- mouse -----------------------------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        index = int(self.scroll_offset.y) + y
        if not (0 <= index < len(self.lines)):
            return None
        line = self.lines[index]
        if line.kind != "text":
            turn = self.session.turns[line.turn]
            return turn.start_char
        return min(line.end_char, line.start_char + max(0, x - GUTTER))

    def on_mouse_down(self, event: MouseDown) -> None:
        self._drag_from = self.offset_at(event.x, event.y)
        self.focus()

    def on_mouse_up(self, event: MouseUp) -> None:
        start, end = self._drag_from, self.offset_at(event.x, event.y)
        self._drag_from = None
        if start is not None and end is not None:
            self.post_message(self.Clicked(start, end))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] as (start, end) spans; hard line breaks kept."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text, start, end):
        pos = para_start
        while para_end - pos > width:
            cut = text.rfind(" ", pos, pos + width + 1)
            if cut <= pos:
                cut = pos + width
                spans.append((pos, cut))
                pos = cut
            else:
                spans.append((pos, cut))
                pos = cut + 1
        spans.append((pos, para_end))
    return spans


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while True:
        newline = text.find("\n", pos, end)
        if newline == -1:
            spans.append((pos, end))
            return spans
        spans.append((pos, newline))
        pos = newline + 1
