"""Importing REFI-QDA files (.qdpx, .qde, .qdc) into a project: codebook into the YAML, sources
through recits' own importers, selections placed on their words, users as coders, notes as
memos; all or nothing, and a report of what was adapted and what could not be placed."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from recits.codebook import load_codebook
from recits.errors import InputFileError, RecitsError
from recits.importers.refi.codebook import merge, with_codes
from recits.importers.refi.offsets import name_matches, place, to_stored
from recits.importers.refi.pdf import place_pdf
from recits.importers.refi.reading import (
    MEDIA,
    RefiProject,
    RefiSource,
    decode,
    read_refi,
)
from recits.models import NewCoding
from recits.project import Project
from recits.store import Store

SUFFIXES = (".qdpx", ".qde", ".qdc")
KIND_NAMES = {"type de document", "kind", "type"}
DATE_NAMES = {"date"}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RefiImport:
    """What an import did, and what it could not do, for the user."""

    file: Path
    documents: tuple[str, ...] = ()  # titles of documents imported
    existing: tuple[str, ...] = ()  # sources already in the project
    codings: int = 0
    codes_added: tuple[str, ...] = ()
    coders_added: tuple[str, ...] = ()
    memos: int = 0
    units: tuple[tuple[str, str], ...] = ()  # (source, offset reading)
    not_placed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    adapted: tuple[str, ...] = ()
    notes_left: int = 0
    memos_by_target: tuple[int, int, int] = (0, 0, 0)  # on documents, codes, the project

    def lines(self) -> list[str]:
        out = [
            f"{self.file.name} : {len(self.documents)} document(s) importé(s),"
            f" {len(self.existing)} déjà présent(s), {self.codings} extrait(s) codé(s),"
            f" {self.memos} mémo(s)"
        ]
        if self.codes_added:
            out.append(f"codes ajoutés à la grille ({len(self.codes_added)}) : "
                       + ", ".join(self.codes_added))  # fmt: skip
        else:
            out.append("grille : aucun code ajouté (tous déjà présents)")
        if self.coders_added:
            out.append("codeur·euses ajouté·es : " + ", ".join(self.coders_added))
        on = zip(self.memos_by_target, ("document", "code", "projet"), strict=True)
        out += [f"{n} mémo(s) de {what}" for n, what in on if n]
        out += [f"positions de « {name} » : {reading}" for name, reading in self.units]
        out += [f"adapté : {line}" for line in self.adapted]
        if self.notes_left:
            out.append(
                f"{self.notes_left} note(s) rattachée(s) à rien que recits connaisse :"
                " non importée(s)"
            )
        out += [f"non importé : {line}" for line in self.skipped]
        out += [f"non placé : {line}" for line in self.not_placed]
        return out


def import_refi(
    project: Project,
    store: Store,
    path: Path,
    *,
    coder: str | None = None,
    progress: Progress | None = None,
) -> RefiImport:
    """Read and check the whole file first, then write everything in one transaction; the
    codebook file is replaced only once the database has committed."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InputFileError(path, "format non pris en charge (attendu .qdpx, .qde ou .qdc)")
    content = read_refi(path)
    codes = content if isinstance(content, list) else list(content.codes)
    codebook = project.sync_codebook(store)
    merged = merge(codebook, store.code_uuids(), codes)
    target = project.codebook_path
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    new_text = with_codes(target.read_text(encoding="utf-8"), merged.added)
    temporary.write_text(new_text, encoding="utf-8")
    try:
        new_codebook = load_codebook(temporary)
        with store.write():
            if merged.added:
                store.sync_codes(new_codebook.codes)
                store.set_meta("codebook_sha256", new_codebook.sha256)
            if isinstance(content, list):
                result = RefiImport(path, codes_added=_labels(merged.added))
            else:
                result = _import_project(store, path, content, merged.ids, coder, progress)
                result = RefiImport(**{**result.__dict__, "codes_added": _labels(merged.added)})
            store.audit(
                "import-refi", coder, file=str(path.absolute()), documents=len(result.documents),
                codings=result.codings, codes_added=list(result.codes_added),
            )  # fmt: skip
        if merged.added:
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return result


def _labels(added: tuple[dict[str, str], ...]) -> tuple[str, ...]:
    return tuple(entry["label"] for entry in added)


def _coder_names(
    store: Store, project: RefiProject, fallback: str
) -> tuple[dict[str, str], list[str]]:
    """Each user's coder name, the coders table completed with those missing."""
    from recits.coders import add_coder, clean_name, find_coder

    names: dict[str, str] = {}
    added: list[str] = []
    for user_guid, raw in project.users.items():
        try:
            name = clean_name(raw or f"utilisateur·rice {user_guid[:8]}")
        except RecitsError:
            name = f"utilisateur·rice {user_guid[:8]}"
        if find_coder(store, name) is None:
            add_coder(store, name)
            added.append(name)
        names[user_guid] = name
    names[""] = fallback
    return names, added


def _safe_name(name: str, suffix: str) -> str:
    stem = re.sub(r"[\\/:\x00-\x1f]+", " ", name).strip(" .") or "source"
    stem = stem[:120]
    return stem if stem.lower().endswith(suffix) else f"{stem}{suffix}"


def _import_project(
    store: Store,
    path: Path,
    project: RefiProject,
    code_ids: dict[str, str],
    coder: str | None,
    progress: Progress | None,
) -> RefiImport:
    from recits.ingest import ImportOptions, check_date, import_paths

    fallback = coder or "import REFI-QDA"
    coders, coders_added = _coder_names(store, project, fallback)
    memo_of: dict[str, list[str]] = {}
    for note_guid, selection_guid in project.links:
        memo_of.setdefault(selection_guid, []).append(note_guid)
    used_notes: set[str] = set()
    documents, existing, not_placed, skipped, units = [], [], [], [], []
    adapted = list(project.adapted)
    items: list[NewCoding] = []
    memos = 0
    document_of: dict[str, str] = {}  # source guid -> document id
    with tempfile.TemporaryDirectory(prefix="recits-refi-") as folder:
        for done, source in enumerate(project.sources, 1):
            if progress:
                progress(done - 1, len(project.sources))
            if source.element not in ("TextSource", "PDFSource"):
                what = MEDIA.get(source.element, source.element)
                skipped.append(
                    f"« {source.name} » (source {what}, {source.media_selections} sélection(s))"
                )
                continue
            if source.data is None:
                count = len(source.selections) + len(source.areas)
                not_placed.append(
                    f"« {source.name} » : fichier absent de l'archive"
                    f" ({source.path or 'sans chemin'}), {count} sélection(s)"
                )
                continue
            values = {project.variables.get(g, "").lower(): v for g, v in source.variables}
            kind = next((values[k] for k in KIND_NAMES if values.get(k)), None)
            date = next((values[k][:10] for k in DATE_NAMES if values.get(k)), None)
            try:
                date = check_date(date)
            except RecitsError:
                date = None
            file = Path(folder) / f"{done:05d}" / _safe_name(source.name, source.suffix)
            file.parent.mkdir()
            file.write_bytes(source.data)
            title = re.sub(r"\.(txt|docx|odt|md|pdf)$", "", source.name, flags=re.IGNORECASE)
            options = ImportOptions(kind=kind, date=date, title=title or None, coder=coder)
            outcome = import_paths(store, [file], options)[0]
            if outcome.failed or outcome.document is None:
                not_placed.append(f"« {source.name} » : {outcome.message}")
                continue
            document = outcome.document
            document_of[source.guid] = document.id
            (documents if outcome.status != "unchanged" else existing).append(document.title)
            if not source.selections and not source.areas:
                continue
            stored = store.document_text(document.id)
            if source.element == "PDFSource":
                spans, areas, reading, problems = place_pdf(source, stored)
                spans += areas
                if reading:
                    units.append((source.name, reading))
            else:
                spans, reading, problems = _place(source, stored)
                units.append((source.name, reading))
            not_placed += [p for p in problems if not p.startswith("~")]
            adapted += [p[1:] for p in problems if p.startswith("~")]
            for selection, span in zip((*source.selections, *source.areas), spans, strict=True):
                if span is None:
                    continue
                notes = [*selection.notes, *memo_of.get(selection.guid, [])]
                memo = "\n\n".join(project.notes[n] for n in notes if project.notes.get(n))
                used_notes.update(notes)
                for code_guid, user in selection.codings:
                    code_id = code_ids.get(code_guid)
                    if code_id is None:
                        not_placed.append(
                            f"« {source.name} » : codage d'un code inconnu ({code_guid})"
                        )
                        continue
                    who = coders.get(user or "", fallback)
                    items.append(NewCoding(document.id, *span, code_id, who, "manual", memo))
                    memos += bool(memo)
        if progress:
            progress(len(project.sources), len(project.sources))
    added = store.add_codings(items, actor=coder)
    targets = [
        *(("document", document_of.get(s.guid), n) for s in project.sources for n in s.notes),
        *(("code", code_ids.get(c.guid), n) for c in project.codes for n in c.notes),
        *(("project", None, n) for n in project.project_notes),
    ]
    by_target = _add_memos(store, project, targets, coders, fallback, coder)
    used_notes.update(n for kind, target, n in targets if kind == "project" or target)
    return RefiImport(
        path, tuple(documents), tuple(existing), len(added), (), tuple(coders_added), memos,
        tuple(units), tuple(not_placed), tuple(skipped), tuple(adapted),
        len(set(project.notes) - used_notes), by_target,
    )  # fmt: skip


def _add_memos(
    store: Store,
    project: RefiProject,
    targets: list[tuple[str, str | None, str]],
    coders: dict[str, str],
    fallback: str,
    actor: str | None,
) -> tuple[int, int, int]:
    """Notes on a source, a code or the project as memos (one already there, same target and
    text, is not added again): how many on documents, codes, the project."""
    from recits.exports.refi.schema import timestamp
    from recits.models.memos import MEMO_TARGETS, Memo

    present = {(m.target_type, m.target_id, m.text) for m in store.memos()}
    new: list[Memo] = []
    for kind, target, note in targets:
        text = (project.notes.get(note) or "").strip()
        if not text or (kind != "project" and target is None):
            continue
        if (kind, target, text) in present:
            continue
        present.add((kind, target, text))
        user, date = project.note_authors.get(note, (None, None))
        author = coders.get(user or "", fallback)
        new.append(Memo("", kind, target, author, text, timestamp(date) if date else ""))
    store.add_memos(new, actor=actor)
    count = {kind: sum(m.target_type == kind for m in new) for kind in MEMO_TARGETS}
    return count["document"], count["code"], count["project"]


def _place(source: RefiSource, stored: str) -> tuple[list[tuple[int, int] | None], str, list[str]]:
    """The selections' spans in the stored text, the reading used, the problems."""
    assert source.data is not None
    raw = decode(source.data)
    reading, text, spans = place(raw, source.selections)
    convert = to_stored(text, stored)
    out: list[tuple[int, int] | None] = []
    problems: list[str] = []
    differ = 0
    for selection, span in zip(source.selections, spans, strict=True):
        where = f"« {source.name} » : sélection {selection.start}–{selection.end}"
        found: tuple[int, int] | None = None
        if span is not None and convert is not None:
            start, end = convert(span[0]), convert(span[1])
            found = (start, end) if start < end else None
        elif span is not None and selection.name:  # the stored text differs: find the words
            wanted = " ".join(selection.name.split()).removesuffix("…").rstrip()
            hit = stored.find(wanted)
            found = (hit, hit + len(wanted)) if hit >= 0 else None
        if found is None:
            problems.append(f"{where} hors du texte")
        elif selection.name and not name_matches(stored[found[0] : found[1]], selection.name):
            differ += 1
        out.append(found)
    if differ:
        problems.append(
            "~" + f"« {source.name} » : {differ} sélection(s) dont le texte diffère de leur nom"
            " (placées selon leurs positions)"
        )
    return out, reading.describe(), problems
