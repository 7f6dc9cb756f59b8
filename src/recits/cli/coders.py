"""`recits coders`: the team's coders, their colours and their web app passwords."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recits.cli.common import (
    RecitsGroup,
    actor_of,
    by_option,
    echo_json,
    json_option,
    open_project,
    project_option,
)
from recits.errors import RecitsError


@click.group(cls=RecitsGroup, invoke_without_command=True)
@project_option
@json_option
@click.pass_context
def coders(ctx: click.Context, project_dir: Path | None, as_json: bool) -> None:
    """Codeur·euse·s de l'équipe : noms, couleurs, mots de passe de l'application web.

    Sans sous-commande, les liste.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(coders_list, project_dir=project_dir, as_json=as_json)


@coders.command("list")
@project_option
@json_option
def coders_list(project_dir: Path | None, as_json: bool) -> None:
    """Liste les codeur·euse·s (couleur, mot de passe, extraits codés)."""
    from recits.coders import name_key

    with open_project(project_dir).store() as store:
        team = store.coders()
        by_coder = dict(store.status().codings_by_coder)
    counts: dict[str, int] = {}
    for coder, n in by_coder.items():
        counts[name_key(coder)] = counts.get(name_key(coder), 0) + n
    if as_json:
        echo_json(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "colour": c.colour,
                    "password": c.has_password,
                    "codings": counts.get(name_key(c.name), 0),
                    "created_at": c.created_at,
                }
                for c in team
            ]
        )
        return
    if not team:
        click.echo("Aucun·e codeur·euse enregistré·e. Ajoutez-en avec « recits coders add NOM ».")
    for c in team:
        login = "mot de passe : oui" if c.has_password else "mot de passe : non"
        click.echo(
            f"{click.style('■', fg=_rgb(c.colour))} {click.style(f'{c.name:30}', bold=True)}"
            f" {c.colour}"
            f"  {login:20}  {counts.get(name_key(c.name), 0):5} extrait(s) codé(s)"
        )


@coders.command("add")
@click.argument("name", metavar="NOM")
@click.option("--colour", help="Couleur #rrggbb (par défaut : la suivante de la palette).")
@project_option
@by_option
def coders_add(name: str, colour: str | None, project_dir: Path | None, actor: str | None) -> None:
    """Ajoute le ou la codeur·euse NOM."""
    from recits.coders import add_coder

    project = open_project(project_dir)
    with project.store() as store:
        coder = add_coder(store, name, colour, actor_of(project, actor))
    click.echo(f"Codeur·euse « {coder.name} » ajouté·e ({coder.colour}).")
    click.echo(f"Pour se connecter à « recits web » : recits coders password {_quoted(coder.name)}")


@coders.command("rename")
@click.argument("old", metavar="ANCIEN")
@click.argument("new", metavar="NOUVEAU")
@project_option
@by_option
def coders_rename(old: str, new: str, project_dir: Path | None, actor: str | None) -> None:
    """Renomme ANCIEN en NOUVEAU ; ses extraits codés et décisions le suivent."""
    from recits.coders import get_coder, rename_coder

    project = open_project(project_dir)
    with project.store() as store:
        before = get_coder(store, old).name
        coder = rename_coder(store, old, new, actor_of(project, actor))
    click.echo(f"Codeur·euse « {before} » renommé·e « {coder.name} » (son travail le·la suit).")


@coders.command("password")
@click.argument("name", metavar="NOM")
@click.option("--remove", is_flag=True, help="Retire le mot de passe (plus de connexion).")
@project_option
@by_option
def coders_password(name: str, remove: bool, project_dir: Path | None, actor: str | None) -> None:
    """Donne un mot de passe à NOM pour se connecter à « recits web ».

    Le mot de passe est demandé deux fois sans être affiché ; dans un script, donnez-le sur
    l'entrée standard (une ligne, ou deux lignes identiques).
    """
    from recits.coders import check_password, get_coder, set_password

    project = open_project(project_dir)
    with project.store() as store:
        get_coder(store, name)  # an unknown name is said before any prompt
        password = None
        if not remove:
            password = _read_new_password()
            check_password(password)
        coder = set_password(store, name, password, actor_of(project, actor))
    if remove:
        click.echo(f"Mot de passe de « {coder.name} » retiré.")
    else:
        click.echo(f"Mot de passe de « {coder.name} » enregistré.")


def _read_new_password() -> str:
    """Twice, hidden, at a terminal; from standard input otherwise (scripts, tests)."""
    if sys.stdin.isatty():
        first = click.prompt("Mot de passe", hide_input=True, default="", show_default=False)
        second = click.prompt(
            "Mot de passe (confirmation)", hide_input=True, default="", show_default=False
        )
    else:
        lines = sys.stdin.read().splitlines()
        first = lines[0] if lines else ""
        second = lines[1] if len(lines) > 1 else first
    if first != second:
        raise RecitsError("les deux mots de passe diffèrent : rien n'est changé")
    return first


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name
