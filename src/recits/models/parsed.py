"""What an importer reads from a file, before it reaches the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedTurn:
    """A speaker turn (or a paragraph when nobody speaks) found by an importer."""

    start_char: int
    end_char: int
    speaker: str | None = None
    timestamp: str | None = None  # "00:12:03" when the source gives one


@dataclass(frozen=True)
class ParsedDocument:
    """What an importer reads from one file, before it reaches the store."""

    text: str  # NFC, "\n" line ends
    turns: tuple[ParsedTurn, ...]
    format: str  # txt, md, docx, odt, vtt, srt
    title: str | None = None
    kind: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    participants: tuple[str, ...] = field(default_factory=tuple)
