"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Another connection (another coder, the CLI, a worker) wrote to the project."""


class ModelReady(Message):
    """The language model has loaded: suggestion actions can be enabled."""
