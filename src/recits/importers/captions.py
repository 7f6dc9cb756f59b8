"""Video-call captions (.vtt, .srt): cues merged into speaker turns, NOTE metadata."""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from recits.errors import InputFileError
from recits.importers.normalize import iso_date
from recits.importers.text import read_text
from recits.importers.turns import canonical_speakers, find_label
from recits.models import ParsedDocument, ParsedTurn

_VTT_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_SRT_TIME = r"\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}"
_TIMINGS = {
    "vtt": re.compile(rf"\s*{_VTT_TIME}\s*-->\s*{_VTT_TIME}(?:[ \t].*)?"),
    "srt": re.compile(rf"\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:[ \t].*)?"),
}
# Tag contents stop at the next "<" or "{": linear even on lines full of unclosed tags.
_VOICE = re.compile(r"<v(?:\.[^\s<>.]+)*[ \t]([^<>]*)>")
_TAG = re.compile(r"<[^<>]*>")
_ASS_TAG = re.compile(r"\{\\[^{}]*\}")  # "{\an8}" positioning in some .srt files
_DIALOGUE_DASH = re.compile(r"^[-–—][ \t]+")
_NOTE_FIELD = re.compile(r"\s*(title|kind|date|participants)[ \t]*:(.*)", re.IGNORECASE)


@dataclass
class _Segment:
    """Words of one cue line, with who says them."""

    text: str
    timestamp: str
    speaker: str | None = None
    label: str | None = None  # a "KARIM :" prefix, kept only if the file uses them
    new_turn: bool = False  # a dialogue dash starts a new, unnamed turn
    continues: bool = True  # no speaker information: same speaker as before


@dataclass
class _Turn:
    speaker: str | None
    timestamp: str
    words: list[str] = field(default_factory=list)


def parse_captions(path: Path, fmt: Literal["vtt", "srt"]) -> ParsedDocument:
    """Read a .vtt or .srt caption file."""
    raw = read_text(path)
    _check_timings(raw, fmt, path)
    try:
        if fmt == "vtt":
            captions = webvtt.from_string(raw)
        else:
            captions = webvtt.from_buffer(io.StringIO(raw), format="srt")
    except MalformedFileError:
        expected = (
            "la première ligne doit être « WEBVTT »"
            if fmt == "vtt"
            else "il doit commencer par un numéro de sous-titre suivi d'un horodatage"
        )
        raise _invalid(path, expected) from None
    except (MalformedCaptionError, ValueError):
        raise _invalid(path, "horodatage ou bloc de sous-titre mal formé") from None
    segments = [segment for caption in captions for segment in _segments(caption)]
    if not segments:
        raise _invalid(path, "aucun sous-titre trouvé")
    meta = _note_metadata(captions.header_comments, path) if fmt == "vtt" else {}
    text, turns = _build(segments)
    participants = meta.get("participants")
    return ParsedDocument(
        text=text,
        turns=turns,
        format=fmt,
        title=meta.get("title"),
        kind=meta.get("kind"),
        date=meta.get("date"),
        participants=tuple(participants.split("\n")) if participants else (),
    )


def _invalid(path: Path, problem: str) -> InputFileError:
    return InputFileError(path, f"fichier de sous-titres invalide : {problem}")


def _check_timings(raw: str, fmt: str, path: Path) -> None:
    """Refuse broken timings, which webvtt-py would skip silently."""
    pattern = _TIMINGS[fmt]
    for number, line in enumerate(raw.split("\n"), start=1):
        if "-->" in line and not pattern.fullmatch(line):
            shown = line.strip()[:60]
            raise _invalid(path, f"horodatage mal formé à la ligne {number} (« {shown} »)")


def _hms(caption: webvtt.Caption) -> str:
    hours, minutes, seconds, _ = caption.start_time.to_tuple()
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _segments(caption: webvtt.Caption) -> list[_Segment]:
    """Split a cue into lines with their speaker: voice tag, name prefix or dialogue dash."""
    segments = []
    voice: str | None = None
    for line in caption.lines:
        tag = _VOICE.match(line.lstrip())
        if tag:
            voice = " ".join(tag[1].split()) or None
        words = html.unescape(_ASS_TAG.sub("", _TAG.sub("", line))).strip()
        words = unicodedata.normalize("NFC", words)
        if not words:
            continue
        segment = _Segment(words, _hms(caption), speaker=voice, continues=voice is None)
        dash = _DIALOGUE_DASH.match(words)
        if voice is None and dash:
            segment.text = words[dash.end() :]
            segment.new_turn, segment.continues = True, False
        elif voice is None:
            label = find_label(words)
            if label is not None and not words[label.speech_start :].strip():
                voice = label.speaker  # "NADIA :" alone: she says the next lines
                continue
            if label is not None:
                segment.label = label.speaker
                segment.text = words[label.speech_start :]
        segments.append(segment)
    return segments


def _build(segments: list[_Segment]) -> tuple[str, tuple[ParsedTurn, ...]]:
    """Merge consecutive segments of one speaker; one line per turn in the text."""
    if sum(segment.label is not None for segment in segments) < 2:
        for segment in segments:  # a lone "Remarque :" is not a speaker
            if segment.label is not None:
                segment.text = f"{segment.label} : {segment.text}"
                segment.label = None
    for segment in segments:
        if segment.label is not None:
            segment.speaker, segment.continues = segment.label, False
    names = canonical_speakers([s.speaker for s in segments if s.speaker is not None])

    turns: list[_Turn] = []
    for segment in segments:
        speaker = names[segment.speaker] if segment.speaker is not None else None
        last = turns[-1] if turns else None
        joins = last is not None and (segment.continues or speaker == last.speaker)
        if last is not None and joins and not segment.new_turn:
            last.words.append(segment.text)
            continue
        turns.append(_Turn(speaker, segment.timestamp, [segment.text]))

    lines: list[str] = []
    parsed: list[ParsedTurn] = []
    offset = 0
    for turn in turns:
        prefix = f"{turn.speaker} : " if turn.speaker else ""
        speech = " ".join(turn.words)
        start = offset + len(prefix)
        parsed.append(ParsedTurn(start, start + len(speech), turn.speaker, turn.timestamp))
        lines.append(prefix + speech)
        offset += len(prefix) + len(speech) + 1
    return "\n".join(lines), tuple(parsed)


def _note_metadata(comments: list[str], path: Path) -> dict[str, str]:
    """Read "title: …", "kind: …", "date: …", "participants: a, b" from NOTE blocks."""
    meta: dict[str, str] = {}
    for comment in comments:
        for line in comment.split("\n"):
            match = _NOTE_FIELD.match(line)
            if not match or not match[2].strip():
                continue
            key, value = match[1].lower(), match[2].strip()
            if key == "date":
                date = iso_date(value)
                if date is None or len(value) != 10:
                    raise _invalid(
                        path, f"date invalide dans le bloc NOTE (« {value} », attendu AAAA-MM-JJ)"
                    )
                value = date
            elif key == "participants":
                value = "\n".join(" ".join(n.split()) for n in value.split(",") if n.strip())
            meta[key] = value
    return meta
