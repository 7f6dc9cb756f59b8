"""`recits export storyboard`: the scenes as planches for the illustrators."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import (
    RecitsCommand,
    actor_of,
    by_option,
    open_project,
    project_option,
)


@click.command("storyboard", cls=RecitsCommand)
@click.option("--scene", "scene_refs", multiple=True, help="Cette scène (répétable ; défaut :"
              " les scènes validées ou plus loin).")  # fmt: skip
@click.option("--format", "fmt", required=True, type=click.Choice(["html", "pdf"]))
@click.option("--out", type=click.Path(path_type=Path), help="Fichier (défaut : exports/…).")
@click.option("--force", is_flag=True, help="Remplacer --out s'il existe déjà.")
@by_option
@project_option
def storyboard(
    scene_refs: tuple[str, ...],
    fmt: str,
    out: Path | None,
    force: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Storyboard pour l'illustration : une page par planche, pseudonymisé, consentement bd.

    Avant d'écrire, tout le fichier est relu : un nom non revu, un alias ou une scène qui
    cite quelqu'un sans consentement « bd » et rien n'est écrit.
    """
    from recits.exports.storyboard import summary, write_storyboard

    project = open_project(project_dir)
    with project.store() as store:
        path, digest, board = write_storyboard(
            store, fmt, scene_refs, exports_dir=project.exports_dir, out=out, force=force,
            actor=actor_of(project, actor),
        )  # fmt: skip
    click.echo(summary(board))
    click.echo(f"Écrit : {path} (sha256 {digest[:16]}…)")
