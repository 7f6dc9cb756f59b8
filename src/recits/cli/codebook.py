"""`recits codebook create/rename/color/define/move/merge/split/remove`: the team edits the codebook
(the YAML is written back with its comments; codings follow; the audit log says who)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from recits.cli.common import RecitsCommand, actor_of, by_option, open_project, project_option
from recits.errors import RecitsError

if TYPE_CHECKING:
    from recits.codebook_edits import CodebookEditor, EditResult


def _edit(
    project_dir: Path | None, actor: str | None, change: Callable[[CodebookEditor], EditResult]
) -> None:
    from recits.codebook_edits import CodebookEditor

    project = open_project(project_dir)
    who = actor_of(project, actor)
    if not who:
        raise RecitsError("indiquez qui fait ce changement avec --by NOM (pour le journal)")
    with project.store() as store:
        codebook = project.sync_codebook(store)
        result = change(CodebookEditor(store, codebook, who))
    click.echo(result.message)


def _command(name: str) -> Callable[[Any], click.Command]:
    def decorate(func: Any) -> click.Command:
        return click.command(name, cls=RecitsCommand)(by_option(project_option(func)))

    return decorate


@_command("create")
@click.argument("code_id", metavar="ID")
@click.option("--label", required=True, help="Libellé affiché (ex. « Charge mentale »).")
@click.option("--parent", help="Code parent (le nouveau code devient son sous-code).")
@click.option("--color", help="Couleur #rrggbb.")
@click.option("--description", default="", help="Ce que le code recouvre.")
def create(code_id: str, label: str, parent: str | None, color: str | None, description: str,
           project_dir: Path | None, actor: str | None) -> None:  # fmt: skip
    """Crée le code ID (à la fin de la grille, ou sous --parent)."""
    _edit(project_dir, actor, lambda e: e.create(code_id, label, parent=parent, color=color,
                                                 description=description))  # fmt: skip


@_command("rename")
@click.argument("code_id", metavar="ID")
@click.option("--label", help="Nouveau libellé.")
@click.option("--id", "new_id", help="Nouvel identifiant (les extraits codés suivent).")
def rename(code_id: str, label: str | None, new_id: str | None, project_dir: Path | None,
           actor: str | None) -> None:  # fmt: skip
    """Renomme le code ID (libellé et/ou identifiant) ; ses extraits codés le suivent."""
    _edit(project_dir, actor, lambda e: e.rename(code_id, label=label, new_id=new_id))


@_command("color")
@click.argument("code_id", metavar="ID")
@click.argument("color", metavar="COULEUR")
def color(code_id: str, color: str, project_dir: Path | None, actor: str | None) -> None:
    """Change la couleur du code ID (#rrggbb)."""
    _edit(project_dir, actor, lambda e: e.recolour(code_id, color))


@_command("define")
@click.argument("code_id", metavar="ID")
@click.option("--description", help="Nouvelle description.")
@click.option("--include", multiple=True, help="À inclure (répétable ; remplace la liste).")
@click.option("--exclude", multiple=True, help="À exclure (répétable ; remplace la liste).")
@click.option("--example", multiple=True, help="Exemple (répétable ; remplace la liste).")
@click.option("--pattern", multiple=True, help="Motif (répétable ; remplace la liste).")
def define(code_id: str, description: str | None, include: tuple[str, ...],
           exclude: tuple[str, ...], example: tuple[str, ...], pattern: tuple[str, ...],
           project_dir: Path | None, actor: str | None) -> None:  # fmt: skip
    """Redéfinit le code ID : description, inclusions, exclusions, exemples, motifs.

    Une liste donnée remplace toute la liste (--include "" la vide).
    """
    fields = {"description": description, "include": include or None,
              "exclude": exclude or None, "examples": example or None,
              "patterns": pattern or None}  # fmt: skip
    _edit(project_dir, actor, lambda e: e.redefine(code_id, **fields))


@_command("move")
@click.argument("code_id", metavar="ID")
@click.option("--parent", help="Nouveau code parent.")
@click.option("--top", is_flag=True, help="Au premier niveau (sans parent).")
def move(code_id: str, parent: str | None, top: bool, project_dir: Path | None,
         actor: str | None) -> None:  # fmt: skip
    """Déplace le code ID sous --parent, ou au premier niveau avec --top."""
    if bool(parent) == top:
        raise RecitsError("indiquez soit --parent CODE, soit --top")
    _edit(project_dir, actor, lambda e: e.move(code_id, None if top else parent))


@_command("merge")
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="CIBLE")
def merge(source: str, target: str, project_dir: Path | None, actor: str | None) -> None:
    """Fusionne SOURCE dans CIBLE : ses extraits codés, sous-codes, inclusions, exemples et
    motifs passent à CIBLE (doublons réunis), puis SOURCE quitte la grille."""
    _edit(project_dir, actor, lambda e: e.merge(source, target))


@_command("split")
@click.argument("code_id", metavar="ID")
@click.argument("new_id", metavar="NOUVEL_ID")
@click.option("--label", required=True, help="Libellé du nouveau code.")
@click.option("--under", is_flag=True, help="Le nouveau code devient un sous-code de ID.")
@click.option("--color", help="Couleur #rrggbb.")
@click.option("--description", default="", help="Ce que le nouveau code recouvre.")
def split(code_id: str, new_id: str, label: str, under: bool, color: str | None,
          description: str, project_dir: Path | None, actor: str | None) -> None:  # fmt: skip
    """Scinde ID : crée NOUVEL_ID à côté (ou dessous avec --under). Les extraits codés restent
    sur ID : recodez ceux qui relèvent du nouveau code."""
    _edit(project_dir, actor, lambda e: e.split(code_id, new_id, label, under=under,
                                                color=color, description=description))  # fmt: skip


@_command("remove")
@click.argument("code_id", metavar="ID")
def remove(code_id: str, project_dir: Path | None, actor: str | None) -> None:
    """Retire le code ID de la grille (refusé s'il a des extraits codés ou des sous-codes)."""
    _edit(project_dir, actor, lambda e: e.remove(code_id))


COMMANDS = (create, rename, color, define, move, merge, split, remove)
