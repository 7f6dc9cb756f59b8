"""`recits export excerpts` and `recits check-quotes`: publishing safely."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from recits.cli.common import (
    RecitsCommand,
    RecitsGroup,
    actor_of,
    by_option,
    echo_json,
    json_option,
    open_project,
    project_option,
)
from recits.errors import RecitsError

_SCOPES = ("articles", "bd")


# -- exports -----------------------------------------------------------------------------------
@click.group(cls=RecitsGroup)
def export() -> None:
    """Exports pour les articles et l'analyse (pseudonymisés, consentis)."""


@export.command("excerpts")
@click.option("--code", "codes", multiple=True, help="Seulement ce code (répétable).")
@click.option("--document", "documents", multiple=True, help="Seulement ce document (répétable).")
@click.option("--kind", help="Seulement ce type de document (entretien…).")
@click.option("--coder", help="Seulement les extraits de ce codeur·euse.")
@click.option(
    "--scope", type=click.Choice(_SCOPES), default="articles", show_default=True,
    help="Usage pour lequel le consentement est exigé.",
)  # fmt: skip
@click.option(
    "--format", "fmt", required=True, type=click.Choice(["md", "docx", "odt", "csv", "json"])
)
@click.option("--out", type=click.Path(path_type=Path), help="Fichier (défaut : exports/…).")
@click.option("--force", is_flag=True, help="Remplacer --out s'il existe déjà.")
@click.option("--preview", is_flag=True, help="Construire et contrôler sans rien écrire.")
@by_option
@project_option
def export_excerpts(
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    kind: str | None,
    coder: str | None,
    scope: str,
    fmt: str,
    out: Path | None,
    force: bool,
    preview: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Exporte les extraits codés par thème, seulement consentis et pseudonymisés.

    Avant d'écrire, l'export est relu : s'il contient un alias ou un nom non revu, rien
    n'est écrit.
    """
    from recits.exports import ExportFilters, preview_export, write_export

    project = open_project(project_dir)
    with project.store() as store:
        project.sync_codebook(store)
        known = set(store.code_ids())
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise RecitsError(f"code inconnu : « {unknown[0]} » (voir « recits codebook check »)")
        filters = ExportFilters(
            codes=tuple(dict.fromkeys(codes)),
            documents=tuple(dict.fromkeys(store.resolve_document(d).id for d in documents)),
            kind=kind,
            coder=coder,
            scope=scope,
        )
        if preview:
            built = preview_export(store, fmt, filters)
            for line in built.summary():
                click.echo(line)
            for leak in built.leaks:
                click.echo(f"  - {leak.describe()}", err=True)
            click.echo("Aperçu : rien n'a été écrit.")
            if built.leaks:
                sys.exit(1)
            return
        result = write_export(
            store, fmt, filters, exports_dir=project.exports_dir, out=out, force=force,
            actor=actor_of(project, actor),
        )  # fmt: skip
    for line in result.preview.summary():
        click.echo(line)
    click.echo(f"Écrit : {result.path} (sha256 {result.sha256[:16]}…)")


# -- quotes ------------------------------------------------------------------------------------
@click.command("check-quotes", cls=RecitsCommand)
@click.argument("draft", type=click.Path(path_type=Path))
@click.option(
    "--scope", type=click.Choice(_SCOPES), default="articles", show_default=True,
    help="Usage pour lequel le consentement est exigé.",
)  # fmt: skip
@project_option
@json_option
def check_quotes(draft: Path, scope: str, project_dir: Path | None, as_json: bool) -> None:
    """Retrouve chaque citation de DRAFT (.docx .odt .md .txt) dans le corpus.

    Pour chacune : source, fidélité, consentement, présence d'un nom. Code de sortie non nul
    si une citation est introuvable, non consentie ou contient un nom.
    """
    from recits.quotes import check_quotes as check

    with open_project(project_dir).store() as store:
        checks = check(store, draft, scope=scope)
    if as_json:
        echo_json([_check_json(c) for c in checks])
    else:
        for c in checks:
            _echo_check(c)
        bad = sum(1 for c in checks if not c.ok)
        click.echo(f"{len(checks)} citation(s) vérifiée(s), {bad} à reprendre")
    if any(not c.ok for c in checks):
        sys.exit(1)


def _check_json(c: Any) -> dict[str, Any]:
    return {
        "index": c.quote.index, "quote": c.quote.text, "mark": c.quote.mark,
        "paragraph": c.quote.paragraph, "found": c.found, "fidelity": c.fidelity,
        "score": c.score, "document_id": c.document_id, "document_title": c.document_title,
        "start_char": c.start_char, "end_char": c.end_char, "speaker": c.speaker,
        "consent": c.consent, "consented": c.consented, "names": list(c.names),
        "differences": [{"draft": d.draft, "source": d.source} for d in c.differences],
        "ok": c.ok, "problems": c.problems,
    }  # fmt: skip


def _echo_check(c: Any) -> None:
    text = c.quote.text if len(c.quote.text) <= 70 else c.quote.text[:69] + "…"
    mark = click.style("OK", fg="green") if c.ok else click.style("À REPRENDRE", fg="red")
    click.echo(f"{c.quote.index}. [{mark}] « {text} » (§ {c.quote.paragraph})")
    if c.found:
        click.echo(
            f"   source : {c.document_title} [{c.start_char}–{c.end_char}], {c.speaker or '—'} ;"
            f" fidélité {c.fidelity} ({c.score:g} %) ; consentement {c.consent or 'inconnu'}"
        )
        for d in c.differences:
            click.echo(f"   diffère : « {d.draft or '∅'} » ≠ source « {d.source or '∅'} »")
    for problem in c.problems:
        click.echo(f"   {problem}")
