"""Find in the open document (`/`): as the words are typed, the cursor goes to the first
occurrence after it; Enter or ↓ the next, ↑ the previous, Esc closes."""

from __future__ import annotations

from recits.tui.widgets.findbar import FindBar


class FindInDocument:
    """Mixed into CodingScreen (which provides session, transcript and _moved)."""

    _matches: list[tuple[int, int]] = []
    _match: int | None = None
    _find_origin = 0

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)  # type: ignore[attr-defined]

    @property
    def finding(self) -> bool:
        return bool(self.find_bar.display)

    def action_find(self) -> None:
        session = self.session  # type: ignore[attr-defined]
        self._find_origin = session.passage.start_char if session.passage else 0
        self.find_bar.open()
        self._find(self.find_bar.query_text)

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        self._find(event.query)

    def on_find_bar_step(self, event: FindBar.Step) -> None:
        if not self._matches:
            return
        current = self._match if self._match is not None else -1
        target = current + event.delta
        note = ""
        if not 0 <= target < len(self._matches):
            note = " · reprise au début" if event.delta > 0 else " · reprise à la fin"
        self._show_match(target % len(self._matches), note=note)

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        self.close_find()

    def close_find(self) -> None:
        """Hide the find line and its marks; the cursor stays on the occurrence's sentence."""
        self.find_bar.display = False
        self._matches, self._match = [], None
        self.transcript.set_matches([], None)  # type: ignore[attr-defined]
        self.transcript.focus()  # type: ignore[attr-defined]

    def _find(self, query: str) -> None:
        self._matches = self.session.find(query)  # type: ignore[attr-defined]
        self._match = None
        if not query.strip():
            self.find_bar.show_count("")
            self.transcript.set_matches([], None)  # type: ignore[attr-defined]
            return
        if not self._matches:
            self.find_bar.show_count("aucune occurrence")
            self.transcript.set_matches([], None)  # type: ignore[attr-defined]
            return
        after = next(
            (i for i, (start, _end) in enumerate(self._matches) if start >= self._find_origin), 0
        )
        self._show_match(after)

    def _show_match(self, index: int, *, note: str = "") -> None:
        self._match = index
        start, _end = self._matches[index]
        self.session.goto_offset(start)  # type: ignore[attr-defined]
        self.transcript.set_matches(self._matches, index)  # type: ignore[attr-defined]
        self._moved()  # type: ignore[attr-defined]
        self.find_bar.show_count(f"{index + 1}/{len(self._matches)}{note}")
