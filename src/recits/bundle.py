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
from pathlib import Path
from typing import Any

from recits.errors import InputFileError
from recits.models.merging import TABLES, Bundle

FORMAT = "recits-lot"
VERSION = 1
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
    },
    "turns": {
        "document_id": _STR, "position": _INT, "participant_id": _OPT, "speaker": _OPT,
        "start_char": _INT, "end_char": _INT, "timestamp": _OPT,
    },
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
    """The sha256 of a bundle's content: the same bundle merged again is known by it."""
    return hashlib.sha256(_inflate(path)).hexdigest()


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
    if version != VERSION:
        newer = " : mettez recits à jour" if version > VERSION else ""
        raise InputFileError(
            path, f"lot au format {version}, ce recits lit le format {VERSION}{newer}"
        )
    codes = data.get("codes")
    if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
        raise InputFileError(path, "lot abîmé : liste des codes manquante")
    tables = {table: _rows(path, data, table) for table in TABLES}
    bundle = Bundle(
        version=version,
        created_at=str(data.get("created_at") or ""),
        project=str(data.get("project") or ""),
        codes=codes,
        tables=tables,
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
    out = []
    for n, row in enumerate(rows, 1):
        if type(row) is not dict:
            raise InputFileError(path, f"lot abîmé : {table}, ligne {n} n'est pas un objet")
        if row.keys() != columns:
            missing = sorted(columns - row.keys())
            if missing:
                raise _bad_field(path, table, n, missing[0])
            row = {column: row[column] for column in schema}  # a later version's extra fields
        out.append(row)
    # Column by column: the set of the types met, checked once (bool is not an int here).
    for column, types in schema.items():
        if not {type(row[column]) for row in out} <= set(types):
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

    for table in ("coders", "participants", "documents", "consent_events", "codings", "decisions"):
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
        for row in bundle.rows(table):
            text = texts.get(row["document_id"])
            if text is None or not 0 <= row["start_char"] < row["end_char"] <= len(text):
                raise broken(f"un passage de « {table} » sort de son document ({row['id']})")
            if row["coder_id"] not in coders:
                raise broken(f"« {table} » désigne un·e codeur·euse absent·e du lot")
            if table == "codings" and text[row["start_char"] : row["end_char"]] != row["text"]:
                raise broken(
                    f"le texte d'un extrait codé ne correspond pas au document ({row['id']})"
                )
