"""`recits export qdc|qdpx`: REFI-QDA files for NVivo, ATLAS.ti, MAXQDA, QualCoder."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import (
    RecitsCommand,
    actor_of,
    by_option,
    open_project,
    progressbar,
    project_option,
)
from recits.errors import RecitsError


@click.command("qdc", cls=RecitsCommand)
@click.option("--out", type=click.Path(path_type=Path), help="Fichier (défaut : exports/…).")
@click.option("--force", is_flag=True, help="Remplacer --out s'il existe déjà.")
@by_option
@project_option
def export_qdc(out: Path | None, force: bool, actor: str | None, project_dir: Path | None) -> None:
    """Exporte la grille de codage au format REFI-QDA (.qdc)."""
    from recits.exports.refi import build_qdc
    from recits.exports.refi.files import write_refi

    project = open_project(project_dir)
    with project.store() as store:
        project.sync_codebook(store)
        result = build_qdc(store)
        path = write_refi(
            store, result, exports_dir=project.exports_dir, out=out, force=force,
            actor=actor_of(project, actor),
        )  # fmt: skip
    for line in result.summary():
        click.echo(line)
    click.echo(f"Écrit : {path}")


@click.command("qdpx", cls=RecitsCommand)
@click.option("--out", type=click.Path(path_type=Path), help="Fichier (défaut : exports/…).")
@click.option("--force", is_flag=True, help="Remplacer --out s'il existe déjà.")
@click.option(
    "--scope", type=click.Choice(["articles", "bd"]), default="articles", show_default=True,
    help="Usage pour lequel le consentement est exigé.",
)  # fmt: skip
@click.option(
    "--internal", is_flag=True,
    help="Copie interne complète (texte réel, noms réels, propos non consentis) : pour"
    " l'équipe seulement, avec --out hors du dossier exports/.",
)  # fmt: skip
@by_option
@project_option
def export_qdpx(
    out: Path | None,
    force: bool,
    scope: str,
    internal: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Exporte le projet au format REFI-QDA (.qdpx) pour NVivo, ATLAS.ti, MAXQDA, QualCoder.

    Comme tout export : sources pseudonymisées et masquées, seulement les propos consentis
    (les autres remplacés par « [passage retiré] »), refusé si un nom non revu passerait.
    """
    from recits.exports.refi import INTERNAL_WARNING, build_qdpx
    from recits.exports.refi.files import check_internal_path, write_refi

    project = open_project(project_dir)
    if internal:
        check_internal_path(out, project.exports_dir)
    with project.store() as store:
        project.sync_codebook(store)
        with progressbar(1, "Export") as bar:

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            result = build_qdpx(
                store, project.settings.name, scope=scope, internal=internal, progress=progress
            )
        path = write_refi(
            store, result, exports_dir=project.exports_dir, out=out, force=force, scope=scope,
            actor=actor_of(project, actor),
        )  # fmt: skip
    if internal:
        click.echo(INTERNAL_WARNING, err=True)
    for line in result.summary():
        click.echo(line)
    click.echo(f"Écrit : {path}")


def import_refi_files(project, files: list[Path], coder: str | None) -> bool:  # type: ignore[no-untyped-def]
    """`recits import` of REFI-QDA files; False when one was refused."""
    from recits.importers.refi import import_refi

    ok = True
    with project.store() as store:
        for file in files:
            try:
                report = import_refi(project, store, file, coder=coder)
            except RecitsError as err:
                click.echo(click.style(f"Erreur : {err}", fg="red"), err=True)
                ok = False
                continue
            for line in report.lines():
                click.echo(line)
    return ok
