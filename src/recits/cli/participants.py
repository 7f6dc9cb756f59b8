"""`recits participants`: pseudonyms, aliases, roles, consent, identity, registers."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

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

_SCOPES = ("articles", "bd")


# -- participants ------------------------------------------------------------------------------
@click.group(cls=RecitsGroup, invoke_without_command=True)
@project_option
@json_option
@click.pass_context
def participants(ctx: click.Context, project_dir: Path | None, as_json: bool) -> None:
    """Participant·e·s : pseudonymes, rôles, alias (noms réels) et consentement.

    Sans sous-commande, les liste.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(participants_list, project_dir=project_dir, as_json=as_json)


def _participant_json(info: Any, to_confirm: str | None = None) -> dict[str, Any]:
    p = info.participant
    return {
        "id": p.id,
        "pseudonym": p.pseudonym,
        "role": p.role,
        "aliases": list(p.aliases),
        "consent": p.consent,
        "consent_scope": list(p.consent_scope),
        "consent_date": p.consent_date,
        "labels": list(info.labels),
        "turns": info.turns,
        "documents": info.documents,
        "same_label_as": p.same_label_as,
        "to_confirm": to_confirm,
    }


@participants.command("list")
@project_option
@json_option
def participants_list(project_dir: Path | None, as_json: bool) -> None:
    """Liste les participant·e·s (pseudonyme, rôle, consentement, alias, prises de parole)."""
    from recits.identity import flag
    from recits.participants import consent_label, list_participants

    with open_project(project_dir).store() as store:
        infos = list_participants(store)
    people = {i.participant.id: i.participant for i in infos}
    flags = {p.id: flag(p, people) for p in people.values()}
    if as_json:
        echo_json([_participant_json(i, flags[i.participant.id]) for i in infos])
        return
    if not infos:
        click.echo(
            "Aucun·e participant·e : ils et elles apparaissent à l'import des transcriptions."
        )
    for info in infos:
        p = info.participant
        aliases = ", ".join(p.aliases) or "—"
        click.echo(
            f"{p.id[:8]}  {click.style(p.pseudonym, bold=True):24}  {p.role or 'rôle ?':22.22}"
            f"  {consent_label(p):22}  {info.turns:4} tours  alias : {aliases}"
        )
        if flags[p.id]:
            click.echo(click.style(f"          {flags[p.id]}", fg="yellow"))


@participants.command("rename")
@click.argument("name")
@click.option("--pseudonym", required=True, help="Le seul nom montré hors de la base.")
@click.option("--alias", "aliases", multiple=True, help="Autre forme du nom réel (répétable).")
@click.option("--role", help="Rôle (travailleuse paire, cadre, éducateur…).")
@by_option
@project_option
def participants_rename(
    name: str,
    pseudonym: str,
    aliases: tuple[str, ...],
    role: str | None,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Donne le pseudonyme P à NAME ; NAME devient un alias, masqué dans tous les exports."""
    from recits.participants import rename

    project = open_project(project_dir)
    with project.store() as store:
        p = rename(
            store, name, pseudonym, aliases=aliases, role=role, actor=actor_of(project, actor)
        )
    click.echo(
        f"« {p.pseudonym} » ({p.role or 'rôle à préciser'}) ; alias : {', '.join(p.aliases)}"
    )


@participants.command("add")
@click.argument("pseudonym")
@click.option("--alias", "aliases", multiple=True, help="Nom réel à masquer (répétable).")
@click.option("--role", help="Rôle (infirmier, résidente…).")
@by_option
@project_option
def participants_add(
    pseudonym: str,
    aliases: tuple[str, ...],
    role: str | None,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Ajoute une personne citée dans les transcriptions (collègue, résident·e…), pour masquer
    son nom réel par PSEUDONYM."""
    from recits.participants import add

    project = open_project(project_dir)
    with project.store() as store:
        p = add(store, pseudonym, aliases=aliases, role=role, actor=actor_of(project, actor))
    click.echo(f"« {p.pseudonym} » ajouté·e ; alias : {', '.join(p.aliases) or 'aucun'}")


@participants.command("load")
@click.argument("register", type=click.Path(dir_okay=False, path_type=Path))
@by_option
@project_option
def participants_load(register: Path, actor: str | None, project_dir: Path | None) -> None:
    """Applique un registre YAML : pseudonymes, rôles, alias, consentements datés, personnes
    citées et noms écartés (tout ou rien)."""
    from recits.register import apply_register

    project = open_project(project_dir)
    with project.store() as store:
        done = apply_register(store, register, actor=actor_of(project, actor))
    click.echo(
        f"{register} : {done.participants} participant·e(s), {done.decisions} décision(s) de"
        f" consentement, {done.people_added} personne(s) citée(s) ajoutée(s),"
        f" {done.names_reviewed} nom(s) écarté(s)"
    )


@participants.command("alias")
@click.argument("participant")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Retirer ces alias au lieu de les ajouter.")
@by_option
@project_option
def participants_alias(
    participant: str,
    aliases: tuple[str, ...],
    remove: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Ajoute des alias (surnom, nom de famille, « M. … ») à PARTICIPANT."""
    from recits.participants import add_aliases, remove_aliases

    project = open_project(project_dir)
    change = remove_aliases if remove else add_aliases
    with project.store() as store:
        p = change(store, participant, aliases, actor=actor_of(project, actor))
    click.echo(f"« {p.pseudonym} » ; alias : {', '.join(p.aliases) or 'aucun'}")


@participants.command("role")
@click.argument("participant")
@click.argument("role")
@by_option
@project_option
def participants_role(
    participant: str, role: str, actor: str | None, project_dir: Path | None
) -> None:
    """Donne son rôle à PARTICIPANT (utilisé dans les attributions des citations)."""
    from recits.participants import set_role

    project = open_project(project_dir)
    with project.store() as store:
        p = set_role(store, participant, role, actor=actor_of(project, actor))
    click.echo(f"« {p.pseudonym} » : {p.role or 'rôle effacé'}")


@participants.command("consent")
@click.argument("participant")
@click.argument("status", metavar="STATUT")
@click.option("--scope", help="Portée, séparée par des virgules : articles, bd.")
@click.option(
    "--date",
    help="Date à laquelle la décision prend effet (AAAA-MM-JJ ; par défaut aujourd'hui).",
)
@by_option
@project_option
def participants_consent(
    participant: str,
    status: str,
    scope: str | None,
    date: str | None,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Enregistre une décision de PARTICIPANT : inconnu, accordé, refusé ou retiré.

    Le statut est la dernière décision par date (pas par ordre de saisie) : une décision
    datée d'avant celle en vigueur entre dans l'historique sans la remplacer. Il s'applique
    à tous les exports suivants ; après un retrait, les exports antérieurs qui contiennent
    ses propos sont signalés (« recits exports --participant »).
    """
    from recits.exports.history import follow_up
    from recits.participants import set_consent

    project = open_project(project_dir)
    with project.store() as store:
        result = set_consent(
            store, participant, status, scope=scope, date=date, actor=actor_of(project, actor)
        )
        after = follow_up(store, result)
    click.echo(result.describe())
    if after:
        click.echo(after)


@participants.command("history")
@click.argument("participant")
@project_option
@json_option
def participants_history(participant: str, project_dir: Path | None, as_json: bool) -> None:
    """Registre des consentements de PARTICIPANT, par date d'effet, avec les validations de
    scènes (datées ; elles ne changent pas le consentement)."""
    from recits.consent import LedgerEntry, decision_label, validation_label
    from recits.participants import consent_ledger

    with open_project(project_dir).store() as store:
        entries = consent_ledger(store, participant)
    if as_json:
        echo_json(
            [
                {
                    "kind": "consentement",
                    "date": e.event.consent_date,
                    **asdict(e.event),
                    "in_force": e.in_force,
                    "status": {"consent": e.status.consent, "scope": list(e.status.scope)},
                }
                if isinstance(e, LedgerEntry)
                else {"kind": "validation", "date": e.validated_on, **asdict(e)}
                for e in entries
            ]
        )
        return
    if not entries:
        click.echo("Aucun consentement enregistré.")
    for e in entries:
        if not isinstance(e, LedgerEntry):
            click.echo(
                f"{e.validated_on}  {validation_label(e)}  (saisi par {e.recorded_by or '?'}"
                f" le {e.recorded_at[:10]})"
            )
            continue
        label = decision_label(e.event)
        status = f" → {e.status.label()}" if e.status.label() != label else ""
        mark = click.style("  ◀ en vigueur", bold=True) if e.in_force else ""
        click.echo(
            f"{e.event.consent_date}  {label}{status}  (saisi par {e.event.recorded_by or '?'}"
            f" le {e.event.recorded_at[:10]}){mark}"
        )


def _merged_message(merged: Any) -> str:
    p = merged.participant
    line = f"« {merged.gone.pseudonym} » fusionné·e dans « {p.pseudonym} »"
    line += f" ; alias : {', '.join(p.aliases) or 'aucun'}"
    return line + (f"\nConsentement : {merged.consent_note}" if merged.consent_note else "")


@participants.command("confirm")
@click.argument("participant")
@click.option("--same", "same", flag_value=True, default=None, help="Même personne : fusionner.")
@click.option("--different", "same", flag_value=False, help="Personne différente.")
@by_option
@project_option
def participants_confirm(
    participant: str, same: bool | None, actor: str | None, project_dir: Path | None
) -> None:
    """Répond pour PARTICIPANT, marqué·e « à confirmer » (même nom qu'un·e autre) : --same
    (c'est la même personne : ses paroles et son historique la rejoignent) ou --different."""
    from recits.errors import RecitsError
    from recits.identity import Merged, confirm

    if same is None:
        raise RecitsError("précisez --same (même personne) ou --different (autre personne)")
    project = open_project(project_dir)
    with project.store() as store:
        done = confirm(store, participant, same=same, actor=actor_of(project, actor))
    if isinstance(done, Merged):
        click.echo(_merged_message(done))
    elif same:
        click.echo(f"« {done.pseudonym} » : une seule personne dans tous ses documents, confirmé")
    else:
        click.echo(
            f"« {done.pseudonym} » : personne différente, confirmé ; donnez-lui un pseudonyme"
            " (« recits participants rename »)"
        )


@participants.command("merge")
@click.argument("keep", metavar="A")
@click.argument("gone", metavar="B")
@by_option
@project_option
def participants_merge(keep: str, gone: str, actor: str | None, project_dir: Path | None) -> None:
    """B est la même personne que A : les tours de parole, alias, consentements et noms
    rattachés de B passent à A ; B disparaît de la liste."""
    from recits.identity import merge

    project = open_project(project_dir)
    with project.store() as store:
        merged = merge(store, keep, gone, actor=actor_of(project, actor))
    click.echo(_merged_message(merged))


@participants.command("split")
@click.argument("participant")
@click.option("--document", "document", required=True, help="Document (id, début d'id, titre).")
@click.option("--pseudonym", required=True, help="Pseudonyme de l'autre personne.")
@by_option
@project_option
def participants_split(
    participant: str, document: str, pseudonym: str, actor: str | None, project_dir: Path | None
) -> None:
    """Les tours de PARTICIPANT dans DOCUMENT sont ceux d'une autre personne : elle devient
    un·e participant·e à part (PSEUDONYM), au consentement inconnu."""
    from recits.identity import split

    project = open_project(project_dir)
    with project.store() as store:
        new = split(store, participant, document, pseudonym, actor=actor_of(project, actor))
    click.echo(f"« {new.pseudonym} » séparé·e de « {participant} » ; consentement : inconnu")
