"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message
from textual.worker import Worker


class DataChanged(Message):
    """Another connection (another coder, the CLI, a worker) wrote to the project."""


class ModelReady(Message):
    """The language model has loaded: suggestion actions can be enabled."""


class ReportsWorkerErrors:
    """Mixed into screens that run workers: a failure becomes the app's French notification
    (worker state messages do not bubble up to the app by themselves)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.on_worker_state_changed(event)  # type: ignore[attr-defined]
