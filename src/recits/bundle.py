"""The bundle file: a project's work as one gzip-compressed JSON document, versioned.

Why gzip'd JSON rather than a zip or a SQLite file: one stream with no entries, so no path
can point outside (no traversal) and its size is capped while it is inflated (no bomb); JSON
runs nothing when it is read (a SQLite file brings triggers and views, and a broken page can
crash a reader); `zcat lot.recits | less` shows what it holds. Every row is checked before a
merge touches the database.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

from recits.errors import InputFileError
from recits.models.merging import TABLES, Bundle

FORMAT = "recits-lot"
# 2: codes' UUIDs, reviewed names and the consensus's « neither » travel too;
# 3: written documents (source, published, author, pages, sections, italics) and scenes;
# 4: memos on a document, a code or the project.
VERSION = 4
# Tables an older bundle did not have: read as empty.
_SINCE_2 = ("name_decisions", "consensus_rejections")
_SINCE_3 = (
    "italics", "scenes", "scene_sources", "scene_characters", "scene_panels", "scene_lines",
    "scene_status_history", "scene_comments", "scene_validations",
)  # fmt: skip
_SINCE_4 = ("memos",)
# Fields an older bundle's rows did not have: None, read as « unknown there » by the merge
# (a document's source or author is then the one here, never a conflict).
_FIELDS_SINCE_3 = {
    "documents": ("source", "published", "author"),
    "turns": ("page", "section", "kind"),
}
SUFFIX = ".recits"
# Inflated size refused past this (a bundle of 100,000 codings and 1,000,000 words is ~60 MB).
MAX_BYTES = 1024 * 1024 * 1024
_CHUNK = 1024 * 1024

_STR = (str,)
_OPT = (str, type(None))
_INT = (int,)
# Each table's columns and the types their values may have (bool is refused as an int below).
SCHEMA: dict[str, dict[str, tuple[type, ...]]] = {
    "coders": {
        "id": _STR, "name": _STR, "colour": _STR, "created_at": _STR,
        "deleted_at": _OPT, "merged_into": _OPT,
    },
    "participants": {
        "id": _STR, "pseudonym": _STR, "role": _OPT, "aliases": (list,),
        "same_label_as": _OPT, "merged_into": _OPT, "created_at": _OPT, "deleted_at": _OPT,
    },
    "documents": {
        "id": _STR, "title": _STR, "kind": _STR, "date": _OPT, "format": _STR,
        "source_name": _OPT, "source_path": _OPT, "sha256": _STR, "text_sha256": _STR,
        "text": _STR, "word_count": _INT, "version": _INT, "previous_id": _OPT,
        "imported_at": _OPT, "imported_by": _OPT, "deleted_at": _OPT,
        "source": _OPT, "published": (int, type(None)), "author": _OPT,
    },
    "turns": {
        "document_id": _STR, "position": _INT, "participant_id": _OPT, "speaker": _OPT,
        "start_char": _INT, "end_char": _INT, "timestamp": _OPT,
        "page": (int, type(None)), "section": _OPT, "kind": _OPT,
    },
    "italics": {"document_id": _STR, "start_char": _INT, "end_char": _INT},
    "consent_events": {
        "id": _STR, "participant_id": _STR, "consent": _STR, "consent_scope": (list,),
        "consent_date": _OPT, "recorded_by": _OPT, "recorded_at": _STR,
    },
    "codings": {
        "id": _STR, "document_id": _STR, "start_char": _INT, "end_char": _INT, "text": _STR,
        "code_id": _STR, "coder": _STR, "coder_id": _STR, "origin": _STR, "memo": _STR,
        "created_at": _OPT, "deleted_at": _OPT, "deleted_by": _OPT,
    },
    "decisions": {
        "id": _STR, "document_id": _STR, "start_char": _INT, "end_char": _INT,
        "code_id": _STR, "coder": _STR, "coder_id": _STR, "decision": _STR,
        "chosen_code_id": _OPT, "coding_id": _OPT, "score": (float, int, type(None)),
        "model_version": _OPT, "decided_at": _OPT, "deleted_at": _OPT,
    },
    "name_decisions": {
        "id": _STR, "name": _STR, "name_key": _STR, "decision": _STR, "participant_id": _OPT,
        "reason": _OPT, "decided_by": _OPT, "decided_at": _STR, "deleted_at": _OPT,
    },
    "consensus_rejections": {
        "id": _STR, "document_id": _STR, "first_coding_id": _OPT, "second_coding_id": _OPT,
        "decided_by": _OPT, "decided_at": _STR, "deleted_at": _OPT,
    },
    "memos": {
        "id": _STR, "target_type": _STR, "target_id": _OPT, "author": _OPT, "text": _STR,
        "created_at": _STR, "deleted_at": _OPT,
    },
    "scenes": {
        "id": _STR, "title": _STR, "synopsis": _OPT, "place": _OPT, "time": _OPT,
        "themes": (list,), "status": _STR, "created_by": _OPT, "created_at": _STR,
        "updated_at": _STR, "deleted_at": _OPT,
    },
    "scene_sources": {
        "id": _STR, "scene_id": _STR, "document_id": _STR, "start_char": _INT,
        "end_char": _INT, "text": _STR, "coding_id": _OPT, "added_by": _OPT, "added_at": _STR,
        "deleted_at": _OPT,
    },
    "scene_characters": {
        "id": _STR, "scene_id": _STR, "name": _STR, "participant_id": _OPT, "composite": _INT,
        "description": _OPT, "created_at": _STR, "deleted_at": _OPT,
    },
    "scene_panels": {
        "id": _STR, "scene_id": _STR, "position": _INT, "picture": _OPT, "caption": _OPT,
        "created_at": _STR, "deleted_at": _OPT,
    },
    "scene_lines": {
        "id": _STR, "panel_id": _STR, "position": _INT, "character_id": _OPT, "text": _STR,
        "source_id": _OPT, "created_at": _STR, "deleted_at": _OPT,
    },
    "scene_status_history": {
        "id": _STR, "scene_id": _STR, "status": _STR, "previous": _OPT, "changed_by": _OPT,
        "changed_at": _STR, "note": _OPT, "deleted_at": _OPT,
    },
    "scene_comments": {
        "id": _STR, "scene_id": _STR, "author": _OPT, "text": _STR, "created_at": _STR,
        "deleted_at": _OPT,
    },
    "scene_validations": {
        "id": _STR, "scene_id": _STR, "participant_id": _STR, "validated_on": _STR,
        "recorded_by": _OPT, "recorded_at": _STR, "deleted_at": _OPT,
    },
}  # fmt: skip
# Rows that point to a scene's parts: (table, column) -> the table it points into.
_SCENE_LINKS = {
    ("scene_sources", "scene_id"): "scenes", ("scene_characters", "scene_id"): "scenes",
    ("scene_panels", "scene_id"): "scenes", ("scene_lines", "panel_id"): "scene_panels",
    ("scene_lines", "character_id"): "scene_characters",
    ("scene_lines", "source_id"): "scene_sources",
    ("scene_status_history", "scene_id"): "scenes", ("scene_comments", "scene_id"): "scenes",
    ("scene_validations", "scene_id"): "scenes",
    ("scene_characters", "participant_id"): "participants",
    ("scene_validations", "participant_id"): "participants",
    ("scene_sources", "coding_id"): "codings", ("documents", "author"): "participants",
}  # fmt: skip


def write_bundle(path: Path, bundle: Bundle) -> int:
    """Write the bundle (through a temporary file, so a failure leaves no half file); its
    size in bytes."""
    data = {
        "format": FORMAT,
        "version": bundle.version,
        "created_at": bundle.created_at,
        "project": bundle.project,
        "codes": bundle.codes,
        "code_uuids": bundle.code_uuids,
        **{table: list(bundle.rows(table)) for table in TABLES},
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
            gz.write(raw)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise InputFileError(path, f"écriture impossible ({err.strerror or err})") from err
    return path.stat().st_size


def bundle_digest(path: Path) -> str:
    """The sha256 of a bundle file's bytes (as written: gzip without a date): the same bundle
    merged again is known by it without being inflated."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as raw_file:
            while chunk := raw_file.read(_CHUNK):
                digest.update(chunk)
    except IsADirectoryError as err:
        raise InputFileError(path, "c'est un dossier, pas un lot") from err
    except FileNotFoundError as err:
        raise InputFileError(path, "fichier introuvable") from err
    except OSError as err:
        raise InputFileError(path, f"lecture impossible ({err.strerror or err})") from err
    return digest.hexdigest()


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle; a French message naming the file and the problem otherwise."""
    raw = _inflate(path)
    if not raw.strip():
        raise InputFileError(path, "fichier vide : ce n'est pas un lot recits")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as err:
        raise InputFileError(path, "lot illisible (texte qui n'est pas de l'UTF-8)") from err
    except json.JSONDecodeError as err:
        raise InputFileError(
            path, f"lot illisible : JSON invalide ligne {err.lineno}, colonne {err.colno}"
        ) from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputFileError(path, "ce fichier n'est pas un lot recits")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputFileError(path, "lot sans version de format")
    if not 1 <= version <= VERSION:
        newer = " : mettez recits à jour" if version > VERSION else ""
        raise InputFileError(
            path, f"lot au format {version}, ce recits lit les formats 1 à {VERSION}{newer}"
        )
    codes = data.get("codes")
    if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
        raise InputFileError(path, "lot abîmé : liste des codes manquante")
    uuids = data.get("code_uuids", {}) if version >= 2 else {}
    if not isinstance(uuids, dict) or not all(isinstance(v, str) for v in uuids.values()):
        raise InputFileError(path, "lot abîmé : identifiants des codes invalides")
    if version < 2:
        data = {**data, **{table: [] for table in _SINCE_2}}
    if version < 3:
        data = {**data, **{table: [] for table in _SINCE_3}}
        for table, fields in _FIELDS_SINCE_3.items():
            rows = data.get(table)
            if isinstance(rows, list):
                blank = dict.fromkeys(fields)
                data[table] = [{**r, **blank} if isinstance(r, dict) else r for r in rows]
    if version < 4:
        data = {**data, **{table: [] for table in _SINCE_4}}
    tables = {table: _rows(path, data, table) for table in TABLES}
    bundle = Bundle(
        version=version,
        created_at=str(data.get("created_at") or ""),
        project=str(data.get("project") or ""),
        codes=codes,
        tables=tables,
        code_uuids=uuids,
    )
    _check_consistency(path, bundle)
    return bundle


def _inflate(path: Path) -> bytes:
    try:
        with open(path, "rb") as raw_file:
            head = raw_file.read(2)
            raw_file.seek(0)
            if head != b"\x1f\x8b":
                return _capped(path, raw_file)
            with gzip.GzipFile(fileobj=raw_file, mode="rb") as gz:
                return _capped(path, gz)
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        raise InputFileError(path, "lot tronqué ou abîmé (compression incomplète)") from err
    except IsADirectoryError as err:
        raise InputFileError(path, "c'est un dossier, pas un lot") from err
    except FileNotFoundError as err:
        raise InputFileError(path, "fichier introuvable") from err
    except OSError as err:
        raise InputFileError(path, f"lecture impossible ({err.strerror or err})") from err


def _capped(path: Path, stream: Any) -> bytes:
    parts, size = [], 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise InputFileError(
                path,
                f"lot refusé : plus de {MAX_BYTES // (1024 * 1024)} Mo une fois décompressé"
                " (fichier piégé ou abîmé)",
            )
        parts.append(chunk)
    return b"".join(parts)


def _rows(path: Path, data: dict[str, Any], table: str) -> tuple[dict[str, Any], ...]:
    rows = data.get(table)
    if not isinstance(rows, list):
        raise InputFileError(path, f"lot abîmé : table « {table} » manquante")
    schema = SCHEMA[table]
    columns = set(schema)
    # Checked for the whole table at once (most bundles: one kind of row, one key order).
    if not set(map(type, rows)) <= {dict}:
        n = next(i for i, r in enumerate(rows, 1) if type(r) is not dict)
        raise InputFileError(path, f"lot abîmé : {table}, ligne {n} n'est pas un objet")
    orders = set(map(tuple, rows))
    if all(len(order) == len(columns) and set(order) == columns for order in orders):
        return _typed(path, table, rows)
    out = []
    for n, row in enumerate(rows, 1):
        if row.keys() != columns:
            missing = sorted(columns - row.keys())
            if missing:
                raise _bad_field(path, table, n, missing[0])
            row = {column: row[column] for column in schema}  # a later version's extra fields
        out.append(row)
    return _typed(path, table, out)


def _typed(path: Path, table: str, out: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    schema = SCHEMA[table]
    # Column by column: the set of the types met, checked once (bool is not an int here).
    for column, types in schema.items():
        if not set(map(type, map(itemgetter(column), out))) <= set(types):
            n = next(i for i, r in enumerate(out, 1) if type(r[column]) not in types)
            raise _bad_field(path, table, n, column)
    return tuple(out)


def _bad_field(path: Path, table: str, n: int, column: str) -> InputFileError:
    return InputFileError(
        path, f"lot abîmé : {table}, ligne {n}, champ « {column} » manquant ou invalide"
    )


def _check_consistency(path: Path, bundle: Bundle) -> None:
    """References inside the bundle, texts and offsets: what a merge relies on."""

    def broken(problem: str) -> InputFileError:
        return InputFileError(path, f"lot incohérent : {problem}")

    for table in SCHEMA:
        if table in ("turns", "italics"):
            continue
        ids = [r["id"] for r in bundle.rows(table)]
        if len(set(ids)) != len(ids):
            raise broken(f"identifiant en double dans « {table} »")
    texts = {}
    for doc in bundle.rows("documents"):
        digest = hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()
        if digest != doc["text_sha256"]:
            raise broken(
                f"le texte du document « {doc['title']} » ne correspond pas à son empreinte"
            )
        texts[doc["id"]] = doc["text"]
    people = {p["id"] for p in bundle.rows("participants")}
    coders = {c["id"] for c in bundle.rows("coders")}
    for turn in bundle.rows("turns"):
        text = texts.get(turn["document_id"])
        if text is None or not 0 <= turn["start_char"] <= turn["end_char"] <= len(text):
            raise broken("un tour de parole sort de son document")
        if turn["participant_id"] is not None and turn["participant_id"] not in people:
            raise broken("un tour de parole désigne un·e participant·e absent·e du lot")
    for event in bundle.rows("consent_events"):
        if event["participant_id"] not in people:
            raise broken("un consentement désigne un·e participant·e absent·e du lot")
    for table in ("codings", "decisions"):
        rows = bundle.rows(table)
        if not set(map(itemgetter("coder_id"), rows)) <= coders:
            raise broken(f"« {table} » désigne un·e codeur·euse absent·e du lot")
        cut = table == "codings"
        spans = itemgetter("document_id", "start_char", "end_char", "text" if cut else "id")
        for n, (document_id, start, end, written) in enumerate(map(spans, rows)):
            text = texts.get(document_id)
            if text is None or not 0 <= start < end <= len(text):
                raise broken(f"un passage de « {table} » sort de son document ({rows[n]['id']})")
            if cut and text[start:end] != written:
                raise broken(
                    f"le texte d'un extrait codé ne correspond pas au document ({rows[n]['id']})"
                )
    _check_written_and_scenes(bundle, texts, broken)
    for row in bundle.rows("name_decisions"):
        if row["participant_id"] is not None and row["participant_id"] not in people:
            raise broken("un nom relu désigne un·e participant·e absent·e du lot")
    codings = {c["id"] for c in bundle.rows("codings")}
    for row in bundle.rows("consensus_rejections"):
        pair = {row["first_coding_id"], row["second_coding_id"]} - {None}
        if row["document_id"] not in texts or not pair or not pair <= codings:
            raise broken("une décision « aucune des deux » désigne un extrait absent du lot")


def _check_written_and_scenes(
    bundle: Bundle, texts: dict[str, str], broken: Callable[[str], InputFileError]
) -> None:
    """Italics within their document; a scene's parts pointing to rows the bundle holds."""
    for row in bundle.rows("memos"):
        if row["target_type"] not in ("project", "document", "code") or (
            row["target_type"] == "document" and row["target_id"] not in texts
        ):
            raise broken("un mémo désigne un document absent du lot")
    for row in bundle.rows("italics"):
        text = texts.get(row["document_id"])
        if text is None or not 0 <= row["start_char"] < row["end_char"] <= len(text):
            raise broken("un passage en italique sort de son document")
    ids = {t: {r["id"] for r in bundle.rows(t)} for t in set(_SCENE_LINKS.values())}
    for (table, column), target in _SCENE_LINKS.items():
        for row in bundle.rows(table):
            if row[column] is not None and row[column] not in ids[target]:
                raise broken(f"« {table} » désigne une ligne absente du lot ({row['id']})")
    for row in bundle.rows("scene_sources"):
        text = texts.get(row["document_id"])
        if (
            text is None
            or text[row["start_char"] : row["end_char"]] != row["text"]
            or not (0 <= row["start_char"] < row["end_char"] <= len(text))
        ):
            raise broken(f"la source d'une scène ne correspond pas à son document ({row['id']})")
