"""`recits bundle` and `recits merge`: work done apart, brought together by UUID."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import (
    RecitsCommand,
    actor_of,
    by_option,
    echo_json,
    json_option,
    open_project,
    project_option,
)
from recits.errors import RecitsError

# `recits merge` exits with this code when it met conflicts (kept aside for the team).
CONFLICTS_EXIT = 3
_NOUNS = {
    "coders": "codeur·euse(s)", "participants": "participant·e(s)", "documents": "document(s)",
    "turns": "tour(s) de parole", "consent_events": "décision(s) de consentement",
    "codings": "extrait(s) codé(s)", "decisions": "décision(s) sur des suggestions",
    "italics": "passage(s) en italique", "memos": "mémo(s)", "scenes": "scène(s)",
    "scene_sources": "source(s) de scène", "scene_characters": "personnage(s)",
    "scene_panels": "vignette(s)", "scene_lines": "bulle(s)",
    "scene_status_history": "changement(s) de statut de scène",
    "scene_comments": "commentaire(s) de scène", "scene_validations": "validation(s) de scène",
}  # fmt: skip


@click.command("bundle", cls=RecitsCommand)
@click.argument("file", metavar="FICHIER", type=click.Path(path_type=Path))
@click.option(
    "--into-exports",
    is_flag=True,
    help="Autorise l'écriture dans le dossier exports/ (déconseillé : le lot contient les"
    " vrais noms).",
)
@project_option
def bundle(file: Path, into_exports: bool, project_dir: Path | None) -> None:
    """Écrit tout le travail du projet dans le lot FICHIER, à fusionner ailleurs.

    Le lot contient les textes entiers, les extraits codés, les participant·e·s avec leurs
    alias (les vrais noms), le registre des consentements, les décisions sur les suggestions,
    les codeur·euse·s et les suppressions : il circule dans l'équipe, jamais au-dehors. Le
    modèle appris n'y est pas (il se réentraîne).
    """
    from recits.bundle import write_bundle
    from recits.merge import bundle_of
    from recits.store.base import now

    project = open_project(project_dir)
    target = file.resolve()
    exports = project.exports_dir.resolve()
    if exports in target.parents and not into_exports:
        raise RecitsError(
            f"{file} : un lot contient les vrais noms des participant·e·s, il ne va pas dans"
            " exports/ (ce qui en sort est publiable) ; choisissez un autre dossier, ou"
            " --into-exports si vous savez ce que vous faites"
        )
    if target.is_dir():
        raise RecitsError(
            f"{file} : c'est un dossier ; donnez un nom de fichier (ex. : lot.recits)"
        )
    with project.store() as store:
        data = bundle_of(store, project.settings.name or project.root.name, now())
    size = write_bundle(target, data)
    counts = ", ".join(
        f"{len(data.rows(t))} {_NOUNS[t]}"
        for t in ("documents", "codings", "participants", "coders")
    )
    click.echo(f"Lot écrit : {file} ({size // 1024} Ko ; {counts}).")
    click.echo(
        "Attention : il contient les vrais noms (alias) des participant·e·s et les textes"
        " entiers ; il reste dans l'équipe, jamais publié.",
        err=True,
    )


@click.command("merge", cls=RecitsCommand)
@click.argument(
    "source", metavar="FICHIER_OU_PROJET", type=click.Path(path_type=Path), required=False
)
@click.option("--settle", metavar="ID", help="Marque le conflit ID comme tranché par l'équipe.")
@project_option
@by_option
@json_option
@click.pass_context
def merge(
    ctx: click.Context,
    source: Path | None,
    settle: str | None,
    project_dir: Path | None,
    actor: str | None,
    as_json: bool,
) -> None:
    """Fusionne dans ce projet le travail d'un lot (« recits bundle ») ou d'un autre projet.

    Fusionner deux fois revient à fusionner une fois, et l'ordre des fusions ne change pas le
    résultat. Les conflits (un pseudonyme différent, deux décisions de consentement à la même
    date, un extrait modifié différemment) sont listés et gardés pour l'équipe ; la commande
    se termine alors avec le code 3.
    """
    from recits.merge import bundle_of, merge_bundle, merge_file
    from recits.project import Project
    from recits.store.base import now

    project = open_project(project_dir)
    if settle is not None:
        with project.store() as store:
            settled = store.settle_conflict(settle, actor_of(project, actor))
        click.echo(f"Conflit tranché : {settled['message']}")
        return
    if source is None:
        with project.store() as store:
            _show_open(ctx, store.open_conflicts(), set(), as_json)
        return
    if source.is_dir():
        other = Project.open(source)
        if other.db_path.resolve() == project.db_path.resolve():
            raise RecitsError(f"{source} : c'est ce projet-ci ; rien à fusionner")
        with other.store() as store:
            data = bundle_of(store, other.settings.name or other.root.name, now())
    else:
        data = None
    with project.store() as store:
        if data is None:
            report = merge_file(store, source, actor_of(project, actor))
        else:
            report = merge_bundle(store, data, actor_of(project, actor))
        still_open = store.open_conflicts()
    met = {c.id for c in report.conflicts}
    if as_json:
        echo_json(
            {
                "added": report.added,
                "updated": report.updated,
                "conflicts": [
                    {"id": c.id, "kind": c.kind, "message": c.message, "kept": c.kept}
                    for c in report.conflicts
                ],
                "open": [dict(c) for c in still_open],
            }
        )
    elif not report.changed:
        click.echo(f"Rien de nouveau dans {source} : tout est déjà là.")
    else:
        click.echo(f"Fusionné depuis {source} :")
        for table, noun in _NOUNS.items():
            added, updated = report.added.get(table, 0), report.updated.get(table, 0)
            if added or updated:
                click.echo(f"  {noun} : {added} ajouté(s), {updated} mis à jour")
    if report.conflicts and not as_json:
        click.echo(f"{len(report.conflicts)} conflit(s) à trancher par l'équipe :")
        for conflict in report.conflicts:
            click.echo(f"  - [{conflict.id[:8]}] {conflict.message}")
    _show_open(ctx, still_open, met, as_json)


def _show_open(ctx: click.Context, conflicts: list[dict], met: set[str], as_json: bool) -> None:
    """Conflicts still waiting for the team; exit code 3 while there are any."""
    others = [c for c in conflicts if c["id"] not in met]
    if others and not as_json:
        click.echo(f"{len(others)} conflit(s) toujours à trancher (des fusions précédentes) :")
        for conflict in others:
            click.echo(f"  - [{conflict['id'][:8]}] {conflict['message']}")
    if conflicts:
        if not as_json:
            click.echo("Une fois tranché : recits merge --settle ID")
        ctx.exit(CONFLICTS_EXIT)
    if not met and not as_json and not ctx.params.get("source"):
        click.echo("Aucun conflit à trancher.")
