"""A light footer: the screen's keys on one line, in one widget (Textual's Footer builds a
widget per key, which costs ~150 ms every time a screen opens)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
    }
    KeyBar > .keybar--key {
        color: $accent;
        text-style: bold;
    }
    KeyBar > .keybar--disabled {
        color: $text-disabled;
    }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, Binding]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        disabled_style = self.get_component_rich_style("keybar--disabled", partial=True)
        text, spans, seen = Text(" "), [], set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = len(text)
            text.append(self.app.get_key_display(binding), key_style if enabled else disabled_style)
            text.append(f" {binding.description}  ", None if enabled else disabled_style)
            spans.append((start, len(text), binding))
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            start = len(text)
            text.append(self.app.get_key_display(palette.binding), key_style)
            text.append(" palette")
            spans.append((start, len(text), palette.binding))
        self._spans = spans
        self.update(text)

    async def on_click(self, event: Click) -> None:
        for start, end, binding in self._spans:
            if start <= event.x < end:
                await self.app.run_action(binding.action, self.screen)
                return
