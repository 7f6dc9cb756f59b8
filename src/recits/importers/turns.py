"""Speaker-turn detection on plain text ("Nadia : …", "[00:12:03] KARIM — …")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from recits.masking import name_key
from recits.models import ParsedTurn

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4

# A timestamp before the label: "[00:12:03]", "(12:03)", "00:12:03", optionally followed by a dash.
_TIMESTAMP_PREFIX = re.compile(
    r"[ \t]*(?:\[(?P<a>\d{1,2}(?::\d{2}){1,2})(?:[.,]\d+)?\]"
    r"|\((?P<b>\d{1,2}(?::\d{2}){1,2})(?:[.,]\d+)?\)"
    r"|(?P<c>\d{1,2}:\d{2}:\d{2})(?:[.,]\d+)?)"
    r"[ \t]*(?:[-–—][ \t]+)?"
)
# Spaces allowed before the separator, French typography included (U+00A0, U+202F).
_SPACES = "[ \t\u00a0\u202f]{0,4}"
_PLAIN_LABEL = re.compile(rf"(?P<label>[^:–—\n*]{{1,60}}?){_SPACES}(?::|–|—)(?=\s|$)")
_BOLD_LABEL = re.compile(
    rf"\*\*(?P<label>[^*\n]{{1,60}}?){_SPACES}(?:(?P<inner>:|–|—)\*\*|\*\*{_SPACES}(?::|–|—))(?=\s|$)"
)
_ROLE = re.compile(r"^(?P<name>.+?)\s*\((?P<role>[^()]{1,40})\)$")

_PARTICLES = frozenset({"de", "du", "des", "la", "le", "d'", "d’", "van", "von", "der", "di", "da"})
_CAP_WORD = re.compile(r"(?:[dl]['’])?[^\W\d_][\w'’-]*")
# Initials and titles: "B.", "J.-M.", "Dr.", but not "Oui." (a sentence, not a name).
_INITIAL = re.compile(r"(?:[^\W\d_]\.-?)+|(?:Dr|Pr|Mr|Me|Mgr|Mme|Mlle)\.", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}")
_ELISION = re.compile(r"^[dl]['’]", re.IGNORECASE)
# Capitalised words that introduce a note or a header field, never a person.
_NOT_SPEAKERS = frozenset(
    (
        "remarque", "remarques", "note", "notes", "nb", "n.b.", "attention", "exemple",
        "exemples", "titre", "date", "dates", "lieu", "objet", "sujet", "participants",
        "participantes", "présents", "présentes", "absents", "durée", "thème", "thèmes",
        "contexte", "résumé", "source", "sources", "ordre du jour", "compte rendu", "conclusion",
        "citation", "définition", "important", "rappel", "mots-clés", "type", "transcription",
    )
)  # fmt: skip


@dataclass
class _OpenTurn:
    start: int
    end: int
    speaker: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True)
class LineLabel:
    """A speaker label found at the start of a line or paragraph."""

    speaker: str  # as written, without "**", timestamp nor role
    speech_start: int  # offset, in the line, where the speech begins
    timestamp: str | None = None


def is_speaker_name(label: str) -> bool:
    """Whether `label` looks like a person's name or role: 1-4 capitalised words."""
    label = " ".join(label.split())
    words = label.split(" ")
    if not label or len(label) > MAX_LABEL_CHARS or len(words) > MAX_LABEL_WORDS:
        return False
    if label.casefold() in _NOT_SPEAKERS or words[0].casefold() in _PARTICLES:
        return False
    for index, word in enumerate(words):
        if word in _PARTICLES or (_INITIAL.fullmatch(word) and word[0].isupper()):
            continue
        if index and _NUMBER.fullmatch(word):
            continue
        # "d'Alembert", "D'ARC": the capital comes after the elided particle.
        core = _ELISION.sub("", word)
        if not _CAP_WORD.fullmatch(word) or not core[:1].isupper():
            return False
    return True


def find_label(line: str) -> LineLabel | None:
    """Return the speaker label at the start of `line`, or None."""
    timestamp = None
    position = 0
    stamp = _TIMESTAMP_PREFIX.match(line)
    if stamp:
        timestamp = format_timestamp(stamp["a"] or stamp["b"] or stamp["c"])
        position = stamp.end()
    else:
        position = len(line) - len(line.lstrip(" \t"))
    match = _BOLD_LABEL.match(line, position) or _PLAIN_LABEL.match(line, position)
    if not match:
        return None
    label = speaker_label(match["label"])
    if label is None:
        return None
    speech_start = match.end()
    while speech_start < len(line) and line[speech_start].isspace():
        speech_start += 1
    return LineLabel(label, speech_start, timestamp)


def speaker_label(label: str) -> str | None:
    """Return the name in a label ("Nadia (travailleuse paire)" -> "Nadia"), or None."""
    label = " ".join(label.split())
    role = _ROLE.match(label)
    if role:
        label = role["name"]
    return label if is_speaker_name(label) else None


def format_timestamp(value: str) -> str:
    """Return "HH:MM:SS" for "H:MM:SS", "MM:SS" and the like."""
    parts = [int(part) for part in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _title_word(word: str, first: bool) -> str:
    if not first and word.casefold() in _PARTICLES:
        return word.lower()
    parts = re.split(r"([-'’.])", word)  # "JEAN-MARC" -> "Jean-Marc", "J.-M." stays
    return "".join(part[:1].upper() + part[1:].lower() for part in parts)


def normalize_speaker(label: str) -> str:
    """Speaker name for identity: no "**" nor extra spaces; an all-caps label is title-cased."""
    label = " ".join(label.replace("**", "").split())
    letters = [char for char in label if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        words = label.split(" ")
        label = " ".join(_title_word(word, index == 0) for index, word in enumerate(words))
    return label


def canonical_speakers(labels: Sequence[str]) -> dict[str, str]:
    """Map each label to one name per person ("NADIA", "Nadia", "Nadía" -> "Nadia"): labels
    with one name key (case, accents, spaces, hyphens) are one person within a document.

    A spelling written in mixed case wins over one derived from capitals ("McDonald").
    """
    written: dict[str, str] = {}
    derived: dict[str, str] = {}
    keys: dict[str, str] = {}
    for label in labels:
        name = normalize_speaker(label)
        keys[label] = key = name_key(name)
        derived.setdefault(key, name)
        if name == " ".join(label.replace("**", "").split()):
            written.setdefault(key, name)
    return {label: written.get(key, derived[key]) for label, key in keys.items()}


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def line_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of each line of `text`, without the "\\n"."""
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def detect_turns(
    text: str,
    *,
    blocks: Sequence[tuple[int, int]] | None = None,
    labels: Mapping[int, LineLabel] | None = None,
    paragraphs: Literal["blank", "block"] = "blank",
    min_labels: int = 2,
) -> tuple[ParsedTurn, ...]:
    """Split `text` into speaker turns, or into paragraphs when nobody is named.

    `blocks` are the (start, end) spans of lines (default) or of paragraphs (docx, odt).
    `labels` adds labels found by other means (bold runs), by block index.
    Speakers count only when at least `min_labels` blocks carry a label.
    `paragraphs` says how unlabelled text splits: at blank lines, or at each block.
    """
    spans = list(blocks) if blocks is not None else line_spans(text)
    found: dict[int, LineLabel] = {}
    for index, (start, end) in enumerate(spans):
        label = labels.get(index) if labels else None
        found_label = label or find_label(text[start:end].split("\n", 1)[0])
        if found_label:
            found[index] = found_label
    if len(found) < min_labels:
        found = {}
    names = canonical_speakers([label.speaker for label in found.values()])

    turns: list[ParsedTurn] = []
    current: _OpenTurn | None = None

    def close() -> None:
        if current is not None:
            start, end = _trimmed(text, current.start, current.end)
            if start < end:
                turns.append(ParsedTurn(start, end, current.speaker, current.timestamp))

    for index, (start, end) in enumerate(spans):
        blank = not text[start:end].strip()
        label = found.get(index)
        if label is not None:
            close()
            speaker = names[label.speaker]
            current = _OpenTurn(start + label.speech_start, end, speaker, label.timestamp)
        elif current is not None and current.speaker is not None:
            if not blank:  # a line without a label continues the speaker's turn
                current.end = end
        elif blank:
            close()
            current = None
        elif current is None or paragraphs == "block":
            close()
            current = _OpenTurn(start, end)
        else:
            current.end = end
    close()
    return tuple(turns)
