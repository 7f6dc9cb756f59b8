"""`recits names`: the words that may be a person's name, to attach to someone or dismiss."""

from __future__ import annotations

from dataclasses import asdict
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


@click.group(cls=RecitsGroup, invoke_without_command=True)
@click.option("--all", "include_reviewed", is_flag=True, help="Aussi les noms déjà revus.")
@project_option
@json_option
@click.pass_context
def names(
    ctx: click.Context, include_reviewed: bool, project_dir: Path | None, as_json: bool
) -> None:
    """Noms de personnes trouvés dans les transcriptions (à rattacher ou écarter).

    Un nom non revu bloque tout export qui le contient.
    """
    if ctx.invoked_subcommand is not None:
        return
    from recits.names import detected_names

    with open_project(project_dir).store() as store:
        found = detected_names(store, include_reviewed=include_reviewed)
        unanalysed = len(store.documents()) - len(store.analysis_keys())
    if as_json:
        echo_json([{k: v for k, v in asdict(n).items() if k != "key"} for n in found])
        return
    if unanalysed:
        click.echo(
            f"Attention : {unanalysed} document(s) sans analyse ; lancez « recits analyse »"
            " pour y chercher les noms.",
            err=True,
        )
    if not found:
        click.echo("Aucun nom à revoir.")
    for n in found:
        status = n.status + (f" → {n.pseudonym}" if n.pseudonym else "")
        status += f" ({n.reason})" if n.reason else ""
        click.echo(
            f"{click.style(n.name, bold=True)} : {n.count} fois, {n.documents} doc. — {status}"
            + (f" — pris pour un nom : {n.why}" if n.why else "")
        )
        for m in n.mentions:
            click.echo(f"    {m.document_title} [{m.start_char}–{m.end_char}] {m.context}")


@names.command("attach")
@click.argument("name")
@click.option("--to", "participant", required=True, help="Pseudonyme de la personne.")
@by_option
@project_option
def names_attach(name: str, participant: str, actor: str | None, project_dir: Path | None) -> None:
    """Rattache NAME à un·e participant·e : il devient un alias, remplacé par son pseudonyme."""
    from recits.names import attach

    project = open_project(project_dir)
    with project.store() as store:
        attach(store, name, participant, actor=actor_of(project, actor))
    click.echo(f"« {name} » rattaché à « {participant} » (masqué dans les exports)")


@names.command("dismiss")
@click.argument("name")
@click.option("--reason", default="", help="Pourquoi (pas une personne, personnalité publique…).")
@by_option
@project_option
def names_dismiss(name: str, reason: str, actor: str | None, project_dir: Path | None) -> None:
    """Écarte NAME : ce n'est pas une personne à protéger (il ne bloque plus les exports)."""
    from recits.names import dismiss

    project = open_project(project_dir)
    with project.store() as store:
        dismiss(store, name, reason=reason, actor=actor_of(project, actor))
    click.echo(f"« {name} » écarté")
