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
    page: int | None = None  # the printed page a paragraph of a PDF or report starts on
    section: str | None = None  # the heading it sits under
    kind: str | None = None  # "heading" | "footnote"; None: ordinary text or a speaker turn


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
    # What the importer had to interpret, in French, for the user (the words are all kept).
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # Phrases set in italics in the printed page (a testimony a report quotes), as offsets.
    italics: tuple[tuple[int, int], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NewSpeaker:
    """A participant to create with a document: a speaker nobody has confirmed as known."""

    id: str
    pseudonym: str  # the label as written, or "Karim (2)" when the label is someone's name
    same_label_as: str | None = None  # whose name the label is, until the team says


@dataclass(frozen=True)
class SpeakerPlan:
    """Who speaks in a document about to be stored: each label's participant id."""

    ids: tuple[tuple[str, str], ...]  # (label as written, participant id)
    new: tuple[NewSpeaker, ...] = ()


@dataclass(frozen=True)
class TextBlock:
    """A paragraph as a reader finds it in a written document (an article draft): its text
    and its italic spans, as offsets into that text."""

    text: str
    italics: tuple[tuple[int, int], ...] = ()
