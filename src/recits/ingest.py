"""Importing files into a project: one transaction per file, a report per file."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date as Date
from pathlib import Path

from recits.errors import InputFileError, RecitsError
from recits.files import open_regular
from recits.importers import SUPPORTED_SUFFIXES, parse_and_count
from recits.models import Document, ParsedDocument
from recits.sources import author_of, check_published, check_source
from recits.speakers import Link, Speakers, check_links, parse_links
from recits.store import Store
from recits.workers import die_with_parent

DEFAULT_KIND = "non précisé"
# Parsing goes to worker processes when there is enough of it to pay for starting them.
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
PARSE_WORKERS = 2
PARSER_MODULES = ("text", "docx", "odt", "captions", "pdf")


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
    # "Nadia" or "Karim=Karim B.": the team says who these speakers are (see recits.speakers).
    participants: tuple[str, ...] = ()
    coder: str | None = None
    source: str | None = None  # the reference of a written source (« Rapport …, 2021 »)
    published: bool = False  # the document is a publication: cited by its source
    author: str | None = None  # who wrote a document without speakers (a participant)


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
    """The files to import: given files as is, folders searched for supported formats (a FIFO
    or a device found there is kept, to be refused with its own message, not skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if not p.is_dir()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            raise InputFileError(path, "fichier ou dossier introuvable")
    return files


def _parser_pool(files: list[Path]) -> ProcessPoolExecutor | None:
    """Worker processes for parsing (both cores) when there is enough to parse to pay for them;
    started at once, so they boot while the caller checks which files are new."""
    if len(files) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return None
    if sum(f.stat().st_size for f in files if f.is_file()) < PARALLEL_MIN_BYTES:
        return None
    # A fork server, not a plain fork: safe beside the app's threads; it imports only the
    # importers (not the caller's main module), and workers fork from it ready to parse.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        [*(f"recits.importers.{m}" for m in PARSER_MODULES), "recits.workers"]
    )
    # The workers end with this process, even when it is killed (kill -9, a closed terminal).
    pool = ProcessPoolExecutor(
        PARSE_WORKERS, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )
    try:
        for _ in range(PARSE_WORKERS):
            pool.submit(os.getpid)  # boot the workers now
    except (OSError, ValueError):
        # Some hosts cannot start processes (e.g. a terminal app whose standard streams were
        # replaced: "bad value(s) in fds_to_keep"); parsing then stays in this process.
        pool.shutdown(cancel_futures=True)
        return None
    return pool


def import_file(store: Store, path: Path, options: ImportOptions) -> Outcome:
    """Import one file in one transaction; never leaves a partial document."""
    return import_paths(store, [path], options)[0]


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    options: ImportOptions,
    progress: Callable[[Path], None] | None = None,
) -> list[Outcome]:
    """Import files and folders, each file in its own transaction; one outcome per file."""
    files = collect_files(paths)
    if options.title and len(files) > 1:
        raise RecitsError("--title ne s'applique qu'à l'import d'un seul fichier")
    check_date(options.date)
    options = _written(store, options)
    links = parse_links(options.participants)
    check_links(store, links)
    speakers = Speakers(store)
    pool = _parser_pool(files)
    try:
        outcomes: dict[Path, Outcome] = {}
        hashes: dict[Path, str] = {}
        for path in files:
            try:
                hashes[path] = _sha256_file(path)
            except InputFileError as err:  # a FIFO, a device, a file gone meanwhile
                outcomes[path] = Outcome(path, "failed", err.problem)
                continue
            except OSError as err:
                message = f"lecture impossible ({err.strerror or err})"
                outcomes[path] = Outcome(path, "failed", message)
                continue
            same = store.document_by_sha256(hashes[path])
            if same is not None:
                message = f"déjà importé, identique à « {same.title} »"
                outcomes[path] = Outcome(path, "unchanged", message, same)
            if path in outcomes and progress:
                progress(path)
        to_parse = [f for f in files if f not in outcomes]
        parsed_files = (
            pool.map(parse_and_count, to_parse, chunksize=2)
            if pool is not None
            else map(parse_and_count, to_parse)
        )
        stored_here: set[str] = set()
        for path, parsed in zip(to_parse, parsed_files, strict=True):
            outcomes[path] = _store(
                store, path, parsed, hashes[path], options, links, speakers, stored_here
            )
            if progress:
                progress(path)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return [outcomes[f] for f in files]


def _store(
    store: Store,
    path: Path,
    result: tuple[ParsedDocument, int] | str,
    sha256: str,
    options: ImportOptions,
    links: tuple[Link, ...],
    speakers: Speakers,
    stored_here: set[str],
) -> Outcome:
    """Store one parsed file; `stored_here` holds the hashes this import has stored so far."""
    if isinstance(result, str):
        return Outcome(path, "failed", result)
    parsed, words = result
    try:
        # The "already imported" check, the version and the title are read inside the write
        # transaction (BEGIN IMMEDIATE): two imports of the same file at the same time queue
        # here, and the second one finds the first one's document.
        with store.write():
            same = store.document_by_sha256(sha256)
            if same is not None:
                message = (
                    "déjà importé (fichier en double dans cet import)"
                    if sha256 in stored_here
                    else f"déjà importé, identique à « {same.title} »"
                )
                return Outcome(path, "unchanged", message, same)
            previous = store.latest_version(path.name)
            title = options.title or parsed.title or path.stem
            if previous is not None:
                title = f"{title} (version {previous.version + 1})"
            title = _free_title(store, title)
            # Who speaks is decided on the participants as they are now.
            if options.author and any(t.speaker for t in parsed.turns):
                raise InputFileError(
                    path,
                    "a des tours de parole : un·e auteur·rice ne se donne qu'à un document"
                    " sans locuteur·rice (rapport, notes, compte rendu)",
                )
            who = speakers.plan(
                parsed, links, parsed.participants, previous.id if previous else None
            )
            document = store.add_document(
                parsed,
                title=title,
                kind=options.kind or parsed.kind or DEFAULT_KIND,
                date=check_date(options.date) or _file_date(path, parsed.date),
                source_name=path.name,
                source_path=str(path.absolute()),
                sha256=sha256,
                text_sha256=hashlib.sha256(parsed.text.encode("utf-8")).hexdigest(),
                word_count=words,
                imported_by=options.coder,
                previous=previous,
                speakers=who,
                source=options.source,
                published=options.published,
            )
            if options.author:
                store.set_document_author(document.id, options.author, actor=options.coder)
        stored_here.add(sha256)
        speakers.learn(who)
    except InputFileError as err:
        return Outcome(path, "failed", err.problem)
    except RecitsError as err:  # e.g. a label naming several people: say which
        return Outcome(path, "failed", str(err))
    notes = "".join(f"\n  attention, {warning}" for warning in parsed.warnings)
    if previous is not None:
        message = f"nouvelle version de « {previous.title} » : {title}"
        return Outcome(path, "new-version", message + notes, document)
    message = f"importé : « {title} » ({document.word_count} mots)"
    return Outcome(path, "imported", message + notes, document)


def _written(store: Store, options: ImportOptions) -> ImportOptions:
    """The source checked and the author resolved to a participant id, before any file."""
    source = check_source(options.source) or None if options.source else None
    check_published(source, options.published)
    author = author_of(store, options.author).id if options.author else None
    return replace(options, source=source, author=author)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as f:
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
