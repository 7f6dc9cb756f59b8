"""Importing files into a project: one transaction per file, a report per file."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from recits.errors import InputFileError, RecitsError
from recits.importers import SUPPORTED_SUFFIXES, parse_file
from recits.models import Document
from recits.store import Store

DEFAULT_KIND = "non précisé"
_WORD = re.compile(r"\w+(?:[-·'’]\w+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def check_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; French error otherwise."""
    if value is None or value == "":
        return None
    try:
        return Date.fromisoformat(str(value)).isoformat()
    except ValueError as err:
        raise RecitsError(f"date invalide : « {value} » (attendu AAAA-MM-JJ)") from err


@dataclass(frozen=True)
class ImportOptions:
    kind: str | None = None
    date: str | None = None
    title: str | None = None
    participants: tuple[str, ...] = ()
    coder: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: imported, new-version, unchanged or failed."""

    path: Path
    status: str
    message: str
    document: Document | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: given files as is, folders searched for supported formats."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            raise InputFileError(path, "fichier ou dossier introuvable")
    return files


def import_file(store: Store, path: Path, options: ImportOptions) -> Outcome:
    """Import one file in one transaction; never leaves a partial document."""
    try:
        raw_sha = _sha256_file(path)
        same = store.document_by_sha256(raw_sha)
        if same is not None:
            return Outcome(path, "unchanged", f"déjà importé, identique à « {same.title} »", same)
        parsed = parse_file(path)
        previous = store.latest_version(path.name)
        title = options.title or parsed.title or path.stem
        if previous is not None:
            title = f"{title} (version {previous.version + 1})"
        title = _free_title(store, title)
        document = store.add_document(
            parsed,
            title=title,
            kind=options.kind or parsed.kind or DEFAULT_KIND,
            date=check_date(options.date) or _file_date(path, parsed.date),
            source_name=path.name,
            source_path=str(path.absolute()),
            sha256=raw_sha,
            text_sha256=hashlib.sha256(parsed.text.encode("utf-8")).hexdigest(),
            word_count=count_words(parsed.text),
            imported_by=options.coder,
            previous=previous,
            participants=options.participants or parsed.participants,
        )
    except RecitsError as err:
        message = err.problem if isinstance(err, InputFileError) else str(err)
        return Outcome(path, "failed", message)
    except OSError as err:
        return Outcome(path, "failed", f"lecture impossible ({err.strerror or err})")
    if previous is not None:
        return Outcome(
            path, "new-version", f"nouvelle version de « {previous.title} » : {title}", document
        )
    return Outcome(
        path, "imported", f"importé : « {title} » ({document.word_count} mots)", document
    )


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    options: ImportOptions,
    progress: Callable[[Path], None] | None = None,
) -> list[Outcome]:
    files = collect_files(paths)
    if options.title and len(files) > 1:
        raise RecitsError("--title ne s'applique qu'à l'import d'un seul fichier")
    check_date(options.date)
    outcomes: list[Outcome] = []
    for path in files:
        outcomes.append(import_file(store, path, options))
        if progress:
            progress(path)
    return outcomes


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_date(path: Path, value: str | None) -> str | None:
    try:
        return check_date(value)
    except RecitsError as err:
        raise InputFileError(path, str(err)) from err


def _free_title(store: Store, title: str) -> str:
    candidate, n = title, 2
    while store.title_taken(candidate):
        candidate, n = f"{title} ({n})", n + 1
    return candidate
