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
# One timestamp of a checked timing line: hours (optional in .vtt), minutes, seconds, fraction.
_STAMP = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})([,.])(\d{1,3})")
_TIMINGS = {
    "vtt": re.compile(rf"\s*{_VTT_TIME}\s*-->\s*{_VTT_TIME}(?:[ \t].*)?"),
    "srt": re.compile(rf"\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:[ \t].*)?"),
}
# Tag contents stop at the next "<" or "{": linear even on lines full of unclosed tags.
_VOICE = re.compile(r"<v(?:\.[^\s<>.]+)*[ \t]([^<>]*)>")
_TAG = re.compile(r"<[^<>]*>")
_ASS_TAG = re.compile(r"\{\\[^{}]*\}")  # "{\an8}" positioning in some .srt files
_DIALOGUE_DASH = re.compile(r"^[-–—][ \t]+")
MAX_WARNINGS = 4
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
    # Timings, numbers and tags may weigh as much as the words: the size rule applies to the
    # words once extracted (in parse_file), the file may hold twice as much.
    raw, starts, warnings = _read_timings(read_text(path, markup=2), fmt, path)
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
    _check_all_kept(captions, starts, path)
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
        warnings=warnings,
    )


def _invalid(path: Path, problem: str) -> InputFileError:
    return InputFileError(path, f"fichier de sous-titres invalide : {problem}")


def _read_timings(
    raw: str, fmt: str, path: Path
) -> tuple[str, list[tuple[int, int]], tuple[str, ...]]:
    """Refuse broken timings, which webvtt-py would skip silently; rewrite out-of-range ones
    ("00:00:75.000", minutes or seconds past 59), which it would drop, as the time they count
    (00:01:15.000), with a warning: a cue's words are never lost.

    Returns the text to parse, each cue's (line number, start in ms), and the warnings.
    """
    pattern = _TIMINGS[fmt]
    lines = raw.split("\n")
    starts: list[tuple[int, int]] = []
    warnings: list[str] = []
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        if not pattern.fullmatch(line):
            shown = line.strip()[:60]
            raise _invalid(path, f"horodatage mal formé à la ligne {number} (« {shown} »)")
        stamps = list(_STAMP.finditer(line))[:2]  # the cue settings after them stay as they are
        starts.append((number, _milliseconds(stamps[0])))
        if all(int(stamp[2]) < 60 and int(stamp[3]) < 60 for stamp in stamps):
            continue
        fixed = line
        for stamp in reversed(stamps):  # from the end: the first one's offsets stay right
            fixed = (
                fixed[: stamp.start()]
                + _stamp(_milliseconds(stamp), stamp[4])
                + fixed[stamp.end() :]
            )
        lines[number - 1] = fixed
        warnings.append(
            f"ligne {number} : horodatage hors limites (minutes ou secondes au-delà de 59)"
            f" « {line.strip()} », lu comme « {fixed.strip()} » ; le sous-titre est gardé"
        )
    if len(warnings) > MAX_WARNINGS:
        others = len(warnings) - MAX_WARNINGS + 1
        warnings[MAX_WARNINGS - 1 :] = [f"et {others} autre(s) ligne(s) de même"]
    return "\n".join(lines), starts, tuple(warnings)


def _milliseconds(stamp: re.Match[str]) -> int:
    hours, minutes, seconds = (int(stamp[i] or 0) for i in (1, 2, 3))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(stamp[5].ljust(3, "0"))


def _stamp(milliseconds: int, separator: str) -> str:
    seconds, milli = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{milli:03d}"


def _check_all_kept(captions: webvtt.WebVTT, starts: list[tuple[int, int]], path: Path) -> None:
    """Every timing line must have become a cue: refuse the file rather than lose its words."""
    if len(captions) >= len(starts):
        return
    kept = iter(_milliseconds_of(caption) for caption in captions)
    current = next(kept, None)
    for number, start in starts:
        if start != current:
            raise _invalid(
                path, f"sous-titre illisible à la ligne {number} (ses mots seraient perdus)"
            )
        current = next(kept, None)


def _milliseconds_of(caption: webvtt.Caption) -> int:
    hours, minutes, seconds, milli = caption.start_time.to_tuple()
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + milli


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
