"""Exporting excerpts: build, pass the gate, write a new file, record it and whom it quotes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from recits.errors import RecitsError
from recits.exports.document import header
from recits.exports.gate import (
    Guard,
    Leak,
    Publishable,
    Template,
    check,
)
from recits.exports.selection import ExportedExcerpt, ExportFilters, Selection, select
from recits.exports.typography import plural
from recits.files import unused_path, write_new
from recits.masking import name_key
from recits.names import name_index
from recits.store import Store

FORMATS = ("md", "docx", "odt", "csv", "json")
REASONS = {
    "no-speaker": "sans locuteur·rice identifié·e",
    "no-speech": "hors des tours de parole",
    "unconfirmed": "locuteur·rice à confirmer (même nom qu'un·e autre participant·e)",
}


class ExportRefused(RecitsError):
    """The gate found names in the export: nothing was written."""

    def __init__(self, leaks: list[Leak] | tuple[Leak, ...]) -> None:
        self.leaks = tuple(leaks)
        found = plural(len(self.leaks), "occurrence de nom", "occurrences de noms")
        counts: dict[str, int] = {}
        for leak in self.leaks:
            counts[leak.name] = counts.get(leak.name, 0) + 1
        lines = [
            f"export refusé, rien n'a été écrit : {found} dans la sortie",
            "  noms en cause : " + ", ".join(f"{n} ({c})" for n, c in counts.items()),
            *(f"  - {leak.describe()}" for leak in self.leaks),
        ]
        fix = (
            "Rattachez chaque nom à un·e participant·e (« recits names attach NOM --to"
            " PSEUDONYME » ou « recits participants alias », touche F9 puis « a » dans"
            " l'application) ou écartez-le s'il n'est pas le nom d'une personne à protéger"
            " (« recits names dismiss NOM », F9 puis « e ») : il n'y a pas d'autre moyen de"
            " passer ce contrôle."
        )
        in_app = (
            "Rattachez chaque nom à un·e participant·e (écran F9, touche a ; ou un alias en F8)"
            " ou écartez-le s'il n'est pas le nom d'une personne à protéger (F9, touche e) :"
            " il n'y a pas d'autre moyen de passer ce contrôle."
        )
        super().__init__("\n".join([*lines, fix]), in_app="\n".join([*lines, in_app]))


@dataclass(frozen=True)
class ExportPreview:
    """An export built in memory and checked by the gate; `data` is the file to write."""

    format: str
    selection: Selection
    leaks: tuple[Leak, ...]
    warnings: tuple[str, ...]
    app_warnings: tuple[str, ...]  # the same, told with the app's keys and screens
    data: bytes
    names_checked: int  # how many aliases and names the gate looked for

    @property
    def ok(self) -> bool:
        return not self.leaks

    @property
    def count(self) -> int:
        return self.selection.count

    def summary(self, *, in_app: bool = False) -> list[str]:
        """The gate's summary, in French, for the CLI and (`in_app`) the export screen."""
        sel = self.selection
        scope = sel.filters.scope
        counts = ", ".join(f"{s.label} {len(s.passages)}" for s in sel.sections)
        lines = [
            f"{plural(sel.passage_count, 'extrait retenu', 'extraits retenus')}"
            + (f" ({counts})" if counts else "")
        ]
        if sel.count > sel.passage_count:
            lines.append(
                f"({plural(sel.count, 'extrait codé', 'extraits codés')} : les passages codés"
                " par plusieurs personnes ne sont cités qu'une fois)"
            )
        refused = sel.excluded_count("consent")
        if refused:
            who = ", ".join(f"{p} ({n})" for p, n in sel.excluded_by_pseudonym().items())
            lines.append(
                f"{plural(refused, 'extrait écarté', 'extraits écartés')} faute de consentement"
                f" « accordé » pour « {scope} » : {who}"
            )
        for reason, label in REASONS.items():
            n = sel.excluded_count(reason)
            if n:
                lines.append(f"{plural(n, 'extrait écarté', 'extraits écartés')} : {label}")
        if sel.excluded_count("no-speaker"):
            lines.append(
                "  un document écrit se cite par sa référence s'il est publié, ou avec le"
                " consentement de qui l'a écrit : "
                + (
                    "écran Corpus (F2), touche e"
                    if in_app
                    else "« recits documents edit DOC --source … --published » ou « --author"
                    " PARTICIPANT »"
                )
            )
        if self.leaks:
            lines.append(
                f"contrôle des noms : {plural(len(self.leaks), 'nom trouvé', 'noms trouvés')}"
                " — l'export sera refusé"
            )
        else:
            lines.append(
                "contrôle des noms : aucun trouvé"
                f" ({plural(self.names_checked, 'nom connu', 'noms connus')}"
                ", et tout mot pouvant être un nom)"
            )
        warnings = self.app_warnings if in_app else self.warnings
        return lines + [f"attention : {w}" for w in warnings]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    preview: ExportPreview


def _render(fmt: str, selection: Selection, generated_on: str) -> bytes:
    # The format libraries are imported only for the format asked for.
    if fmt == "md":
        from recits.exports.markdown import render
    elif fmt == "docx":
        from recits.exports.docx import render
    elif fmt == "odt":
        from recits.exports.odt import render
    elif fmt in ("csv", "json"):
        from recits.exports.data import render_csv, render_json

        return (render_csv if fmt == "csv" else render_json)(selection)
    else:
        raise RecitsError(f"format d'export inconnu : « {fmt} » ({', '.join(FORMATS)})")
    return render(selection, header(selection, generated_on))


_TEMPLATES: dict[str, Template] = {}


def template(fmt: str) -> Template:
    """What the format writes in an export holding no excerpt (computed once)."""
    if fmt not in _TEMPLATES:
        _TEMPLATES[fmt] = Template.of(fmt, _render(fmt, Selection(ExportFilters(), (), ()), ""))
    return _TEMPLATES[fmt]


def _warnings(
    store: Store,
    selection: Selection,
    unanalysed: tuple[str, ...],
    labels: dict[str, tuple[str, ...]],
) -> list[tuple[str, str]]:
    """What to check before publishing: (for the CLI, for the app) pairs."""
    warnings = []
    exported = {e.document_id for e in selection.excerpts}
    missing = exported & set(unanalysed)
    if missing:
        names = (
            f"les noms de {plural(len(missing), 'document exporté', 'documents exportés')} n'ont"
            " pas été détectés"
        )
        warnings.append((
            f"{names} : lancez « recits analyse » pour un contrôle complet",
            f"{names} : l'analyse se fait en arrière-plan dès que le modèle de langue est"
            " chargé, puis l'aperçu se met à jour",
        ))  # fmt: skip
    quoted = {q.participant_id for e in selection.excerpts for q in e.quotations} - {None}
    same = sorted(
        p.pseudonym
        for p in store.participants()
        if p.id in quoted
        and name_key(p.pseudonym) in {name_key(label) for label in labels.get(p.id, ())}
    )
    if same:
        same_name = "pseudonyme encore identique au nom écrit dans la transcription : "
        same_name += ", ".join(same)
        warnings.append((
            same_name + " (« recits participants rename NOM --pseudonym P »)",
            same_name + " (écran F8, touche p)",
        ))  # fmt: skip
    return warnings


def _where(ex: ExportedExcerpt) -> str:
    return (
        f"extrait {ex.coding_id[:8]} (« {ex.document_title} », caractères"
        f" {ex.start_char}–{ex.end_char})"
    )


def publishable(selection: Selection, fmt: str, data: bytes) -> Publishable:
    """The excerpts' file as the gate reads it: each excerpt's masked fields and its speech."""
    fields: list[tuple[str, str]] = []
    sources: list[tuple[str, str]] = []
    for section in selection.sections:
        fields.append((f"code « {section.label} »", f"{section.label}\n{section.description}"))
        for ex in section.excerpts:
            pieces = [ex.document_title, ex.document_kind, ex.coder, ex.code_label]
            pieces += [ex.source or "", ex.section or ""]
            for q in ex.quotations:
                pieces += [q.text, q.attribution, q.pseudonym, q.role or ""]
            fields.append((_where(ex), "\n".join(pieces)))
            sources.append((_where(ex), "\n".join(ex.source_texts)))
    return Publishable(fmt, data, tuple(fields), tuple(sources), selection.filters.scope)


def preview_export(
    store: Store, fmt: str, filters: ExportFilters, *, generated_on: str | None = None
) -> ExportPreview:
    """Build an export in memory and run the gate; writes nothing (for previews and tests)."""
    if fmt not in FORMATS:
        raise RecitsError(f"format d'export inconnu : « {fmt} » ({', '.join(FORMATS)})")
    labels = store.speaker_labels()
    index = name_index(store, labels)
    guard = Guard(index, template(fmt))
    selection = select(store, filters, index.masker())
    data = _render(fmt, selection, generated_on or Date.today().isoformat())
    warnings = _warnings(store, selection, index.unanalysed, labels)
    leaks = check(publishable(selection, fmt, data), guard)
    return ExportPreview(
        format=fmt,
        selection=selection,
        leaks=tuple(leaks),
        warnings=tuple(cli for cli, _app in warnings),
        app_warnings=tuple(app for _cli, app in warnings),
        data=data,
        names_checked=len({name_key(n) for n in (*index.known, *index.unattached)}),
    )


def default_path(exports_dir: Path, fmt: str, filters: ExportFilters) -> Path:
    """exports/extraits[-code]-AAAA-MM-JJ.ext, with -2, -3… rather than replacing a file."""
    stem = "extraits" + (f"-{filters.codes[0]}" if len(filters.codes) == 1 else "")
    stem += f"-{Date.today().isoformat()}"
    return unused_path(exports_dir, stem, f".{fmt}")


def write_export(
    store: Store,
    fmt: str,
    filters: ExportFilters,
    *,
    exports_dir: Path,
    out: Path | None = None,
    force: bool = False,
    actor: str | None = None,
) -> ExportResult:
    """Build, check and write an export, recorded (with whom it quotes) in the same
    transaction as its audit row; refused if a name leaks.

    Built and rendered before taking the write lock (other writers are not kept waiting);
    if anyone wrote to the project meanwhile (a consent withdrawn, a name attached), it is
    built again inside the lock, so that what is written always matches the project.
    """
    path: Path | None = None
    written = False
    version = store.data_version()
    preview = preview_export(store, fmt, filters)
    try:
        with store.write():
            if store.data_version() != version:
                preview = preview_export(store, fmt, filters)
            if preview.leaks:
                raise ExportRefused(preview.leaks)
            path = out if out is not None else default_path(exports_dir, fmt, filters)
            if path.exists() and path.is_dir():
                raise RecitsError(f"{path} est un dossier : donnez un nom de fichier")
            write_new(
                path, preview.data, force=force,
                in_app=f"{path} existe déjà (écrit entre-temps) : ctrl+s écrit un nouveau"
                " fichier à côté",
            )  # fmt: skip
            written = True
            digest = hashlib.sha256(preview.data).hexdigest()
            sel = preview.selection
            held, quoted = quoted_in_file(preview)
            export_id = store.record_export(
                file=str(path.absolute()), fmt=fmt, sha256=digest, scope=filters.scope,
                filters=filters.as_dict(), excerpts=held, quoted=quoted, actor=actor,
            )  # fmt: skip
            store.audit(
                "export-excerpts", actor, format=fmt, file=str(path.absolute()), sha256=digest,
                count=sel.count, filters=filters.as_dict(), excluded=len(sel.excluded),
                excluded_pseudonyms=sel.excluded_by_pseudonym(), export=export_id,
            )  # fmt: skip
    except BaseException:
        if written and path is not None and not force:
            path.unlink(missing_ok=True)
        raise
    return ExportResult(path, digest, preview)


def quoted_in_file(preview: ExportPreview) -> tuple[int, dict[str, int]]:
    """How many excerpts the file holds, and how many of them quote each participant: the
    article formats print each passage once, the data formats every coding."""
    sel = preview.selection
    held = (
        sel.excerpts
        if preview.format in ("csv", "json")
        else [e for section in sel.sections for e in section.passages]
    )
    quoted: dict[str, int] = {}
    for excerpt in held:
        for participant_id in {q.participant_id for q in excerpt.quotations} - {None}:
            assert participant_id is not None
            quoted[participant_id] = quoted.get(participant_id, 0) + 1
    return len(held), quoted
