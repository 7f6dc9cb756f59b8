"""One row-to-dataclass mapper per table: how the store turns what SQLite returns into models."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from recits import models  # its analysis and publishing nouns load on first use
from recits.models import Code, Coder, Coding, Document, Participant, Turn

if TYPE_CHECKING:
    from recits.models.analysis import (
        Decision,
        Entity,
        Reason,
        Sentence,
        StoredAnalysis,
        Suggestion,
        TrainedModel,
    )
    from recits.models.publishing import (
        ConsentEvent,
        ExportRecord,
        NameDecision,
        ValidationEvent,
    )
    from recits.models.scenes import (
        Character,
        DialogueLine,
        Panel,
        Scene,
        SceneComment,
        SceneSource,
        SceneValidation,
        StatusChange,
    )

# A row: a dict from StoreBase.query, or an sqlite3.Row; `prefix` reads a joined table's
# columns aliased "<prefix><column>" (d.title AS d_title).
Row = Mapping[str, Any]


def document(row: Row, text: str | None = None, *, prefix: str = "") -> Document:
    return Document(
        id=row[prefix + "id"],
        title=row[prefix + "title"],
        kind=row[prefix + "kind"],
        date=row[prefix + "date"],
        format=row[prefix + "format"],
        source_name=row[prefix + "source_name"],
        sha256=row[prefix + "sha256"],
        word_count=row[prefix + "word_count"],
        version=row[prefix + "version"],
        previous_id=row[prefix + "previous_id"],
        imported_at=row[prefix + "imported_at"],
        text=text,
        source=row[prefix + "source"],
        published=bool(row[prefix + "published"]),
    )


def turn(row: Row) -> Turn:
    """A turn row joined with its participant's pseudonym (the column `pseudonym`)."""
    return Turn(
        id=row["id"],
        document_id=row["document_id"],
        position=row["position"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        speaker=row["pseudonym"],
        participant_id=row["participant_id"],
        timestamp=row["timestamp"],
        text=row["text"],
        page=row["page"],
        section=row["section"],
        kind=row["kind"],
    )


def code(row: Row) -> Code:
    return Code(
        row["id"], row["label"], row["description"] or "", color=row["color"],
        parent_id=row["parent_id"],
    )  # fmt: skip


def coding(row: Row) -> Coding:
    return Coding(
        id=row["id"],
        document_id=row["document_id"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        text=row["text"],
        code_id=row["code_id"],
        coder=row["coder"],
        origin=row["origin"],
        memo=row["memo"] or "",
        created_at=row["created_at"],
    )


def participant(row: Row) -> Participant:
    return Participant(
        id=row["id"],
        pseudonym=row["pseudonym"],
        role=row["role"],
        aliases=tuple(json.loads(row["aliases"])),
        consent=row["consent"],
        consent_scope=tuple(json.loads(row["consent_scope"])),
        consent_date=row["consent_date"],
        same_label_as=row["same_label_as"],
    )


def consent_event(row: Row) -> ConsentEvent:
    return models.ConsentEvent(
        participant_id=row["participant_id"],
        consent=row["consent"],
        consent_scope=tuple(json.loads(row["consent_scope"])),
        consent_date=row["consent_date"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        id=row["id"],
    )


def validation_event(row: Row) -> ValidationEvent:
    """A `consent_ledger` row of kind « validation » (a `scene_validations` row, dated)."""
    return models.ValidationEvent(
        participant_id=row["participant_id"],
        scene_id=row["scene_id"],
        scene_title=row["scene_title"],
        validated_on=row["date"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        id=row["id"],
    )


def name_decision(row: Row) -> NameDecision:
    return models.NameDecision(
        name=row["name"],
        name_key=row["name_key"],
        decision=row["decision"],
        participant_id=row["participant_id"],
        reason=row["reason"] or "",
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
    )


def coder(row: Row) -> Coder:
    return Coder(
        id=row["id"],
        name=row["name"],
        colour=row["colour"],
        has_password=row["password_hash"] is not None,
        created_at=row["created_at"],
    )


def export_record(row: Row, quoted: list[tuple[str, int]]) -> ExportRecord:
    """An `exports` row with whom it quotes (its `export_participants` rows)."""
    return models.ExportRecord(
        id=row["id"],
        file=row["file"],
        format=row["format"],
        sha256=row["sha256"],
        scope=row["scope"],
        excerpts=row["excerpts"],
        written_at=row["written_at"],
        written_by=row["written_by"],
        quoted=tuple(quoted),
        quoted_known=bool(row["quoted_known"]),
    )


def analysis(row: Row) -> StoredAnalysis:
    return models.StoredAnalysis(
        document_id=row["document_id"],
        key=row["key"],
        model=row["model"],
        turn_starts=tuple(json.loads(row["turn_starts"])),
        docs=row["docs"],
        tokens=row["tokens"],
    )


def reasons_from_json(raw: str) -> tuple[Reason, ...]:
    return tuple(
        models.Reason(
            kind=r["kind"],
            detail=r["detail"],
            terms=tuple(r.get("terms", ())),
            score=r.get("score"),
            document_id=r.get("document_id"),
            start_char=r.get("start_char"),
            end_char=r.get("end_char"),
        )
        for r in json.loads(raw)
    )


def suggestion(row: Row) -> Suggestion:
    """A `suggestions` row with its `text` (cut from the document's text by the query)."""
    return models.Suggestion(
        id=row["id"],
        document_id=row["document_id"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        text=row["text"],
        code_id=row["code_id"],
        score=row["score"],
        reasons=reasons_from_json(row["reasons"]),
        model_version=row["model_version"] or "",
    )


def decision(row: Row) -> Decision:
    return models.Decision(
        id=row["id"],
        document_id=row["document_id"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        code_id=row["code_id"],
        coder=row["coder"],
        decision=row["decision"],
        chosen_code_id=row["chosen_code_id"],
        coding_id=row["coding_id"],
        score=row["score"] or 0.0,
        model_version=row["model_version"] or "",
        decided_at=row["decided_at"],
    )


# Sentences and entities are read by the thousand: as plain tuples, in these columns' order.
SENTENCE_COLUMNS = ("document_id", "turn_position", "start_char", "end_char", "lemmas")
ENTITY_COLUMNS = ("document_id", "start_char", "end_char", "label", "text")


def select(alias: str, columns: Sequence[str]) -> str:
    """The SELECT list of `columns` of the table aliased `alias`."""
    return ", ".join(f"{alias}.{column}" for column in columns)


def sentence(values: Sequence[Any]) -> Sentence:
    """A `sentences` row selected as SENTENCE_COLUMNS."""
    document_id, turn_position, start_char, end_char, lemmas = values
    return models.Sentence(document_id, turn_position, start_char, end_char, lemmas)


def entity(values: Sequence[Any]) -> Entity:
    """An `entities` row selected as ENTITY_COLUMNS."""
    document_id, start_char, end_char, label, text = values
    return models.Entity(document_id, start_char, end_char, label, text)


def trained_model(row: Row) -> TrainedModel:
    return models.TrainedModel(
        version=row["version"],
        fingerprint=row["fingerprint"],
        trained_at=row["trained_at"],
        positives=row["positives"],
        negatives=row["negatives"],
        data=row["data"],
    )


# -- scenes (one mapper per scene_* table) --------------------------------------------------------
def scene(row: Row) -> Scene:
    return models.Scene(
        id=row["id"],
        title=row["title"],
        synopsis=row["synopsis"] or "",
        place=row["place"] or "",
        time=row["time"] or "",
        themes=tuple(json.loads(row["themes"] or "[]")),
        status=row["status"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def scene_source(row: Row) -> SceneSource:
    return models.SceneSource(
        id=row["id"],
        scene_id=row["scene_id"],
        document_id=row["document_id"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        text=row["text"],
        coding_id=row["coding_id"],
        added_by=row["added_by"],
        added_at=row["added_at"],
    )


def scene_character(row: Row) -> Character:
    return models.Character(
        id=row["id"],
        scene_id=row["scene_id"],
        name=row["name"],
        participant_id=row["participant_id"],
        composite=bool(row["composite"]),
        description=row["description"] or "",
    )


def scene_line(row: Row) -> DialogueLine:
    return models.DialogueLine(
        id=row["id"],
        panel_id=row["panel_id"],
        position=row["position"],
        character_id=row["character_id"],
        text=row["text"],
        source_id=row["source_id"],
    )


def scene_panel(row: Row, lines: Sequence[DialogueLine]) -> Panel:
    """A `scene_panels` row with its dialogue lines (`scene_lines` rows), in order."""
    return models.Panel(
        id=row["id"],
        scene_id=row["scene_id"],
        position=row["position"],
        picture=row["picture"] or "",
        caption=row["caption"] or "",
        lines=tuple(lines),
    )


def status_change(row: Row) -> StatusChange:
    return models.StatusChange(
        id=row["id"],
        scene_id=row["scene_id"],
        status=row["status"],
        previous=row["previous"],
        changed_by=row["changed_by"],
        changed_at=row["changed_at"],
        note=row["note"] or "",
    )


def scene_comment(row: Row) -> SceneComment:
    return models.SceneComment(
        id=row["id"],
        scene_id=row["scene_id"],
        author=row["author"],
        text=row["text"],
        created_at=row["created_at"],
    )


def scene_validation(row: Row) -> SceneValidation:
    return models.SceneValidation(
        id=row["id"],
        scene_id=row["scene_id"],
        participant_id=row["participant_id"],
        validated_on=row["validated_on"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )


def memo(row: Row) -> models.Memo:
    return models.Memo(
        id=row["id"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        author=row["author"] or "",
        text=row["text"],
        created_at=row["created_at"],
    )
