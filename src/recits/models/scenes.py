"""Comic-strip scenes: sources, characters, panels, dialogue lines, status history, comments."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneSource:
    """A passage a scene is built from: a coding, or a span of a document (by UUID)."""

    id: str
    scene_id: str
    document_id: str
    start_char: int
    end_char: int
    text: str  # document.text[start_char:end_char], never rendered as is
    coding_id: str | None
    added_by: str | None
    added_at: str


@dataclass(frozen=True)
class Character:
    """Someone in the scene: a participant (shown by pseudonym) or a composite character the
    team invented (marked as such)."""

    id: str
    scene_id: str
    name: str  # the pseudonym, or the composite character's name
    participant_id: str | None
    composite: bool
    description: str = ""


@dataclass(frozen=True)
class DialogueLine:
    """A balloon: who says it and what; `source_id` when the words are a participant's."""

    id: str
    panel_id: str
    position: int
    character_id: str | None
    text: str
    source_id: str | None = None


@dataclass(frozen=True)
class Panel:
    """A « vignette »: what the illustrator draws, the narration caption, the balloons."""

    id: str
    scene_id: str
    position: int
    picture: str
    caption: str
    lines: tuple[DialogueLine, ...] = ()


@dataclass(frozen=True)
class StatusChange:
    """Who moved a scene to which status, and when."""

    id: str
    scene_id: str
    status: str
    previous: str | None
    changed_by: str | None
    changed_at: str
    note: str = ""


@dataclass(frozen=True)
class SceneComment:
    id: str
    scene_id: str
    author: str | None
    text: str
    created_at: str


@dataclass(frozen=True)
class SceneValidation:
    """A participant's validation of a scene, with the date they gave it (peers validate)."""

    id: str
    scene_id: str
    participant_id: str
    validated_on: str  # YYYY-MM-DD
    recorded_by: str | None
    recorded_at: str


@dataclass(frozen=True)
class Scene:
    """A scene's own fields; `SceneDetail` adds what it is made of."""

    id: str
    title: str
    synopsis: str
    place: str
    time: str
    themes: tuple[str, ...]  # code ids
    status: str
    created_by: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SceneDetail:
    scene: Scene
    sources: tuple[SceneSource, ...]
    characters: tuple[Character, ...]
    panels: tuple[Panel, ...]
    history: tuple[StatusChange, ...]
    comments: tuple[SceneComment, ...]
    validations: tuple[SceneValidation, ...]


@dataclass(frozen=True)
class SceneCandidate:
    """A passage that may tell a lived, situated episode, with its score and reasons."""

    document_id: str
    start_char: int
    end_char: int
    text: str
    score: float
    reasons: tuple[str, ...]  # French, shown to the team
