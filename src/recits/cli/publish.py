"""`recits participants`, `names`, `export excerpts` and `check-quotes`: publishing safely."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from recits.cli.common import echo_json, json_option, open_project, project_option
from recits.errors import RecitsError

_SCOPES = ("articles", "bd")


def _by_option(func: Any) -> Any:
    return click.option("--by", "actor", help="Qui fait ce changement (pour le journal).")(func)


def _actor(project: Any, actor: str | None) -> str | None:
    return actor or project.settings.coder


# -- participants ------------------------------------------------------------------------------
@click.group(invoke_without_command=True)
@project_option
@json_option
@click.pass_context
def participants(ctx: click.Context, project_dir: Path | None, as_json: bool) -> None:
    """Participant·e·s : pseudonymes, rôles, alias (noms réels) et consentement.

    Sans sous-commande, les liste.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(participants_list, project_dir=project_dir, as_json=as_json)


def _participant_json(info: Any) -> dict[str, Any]:
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
    }


@participants.command("list")
@project_option
@json_option
def participants_list(project_dir: Path | None, as_json: bool) -> None:
    """Liste les participant·e·s (pseudonyme, rôle, consentement, alias, prises de parole)."""
    from recits.participants import consent_label, list_participants

    with open_project(project_dir).store() as store:
        infos = list_participants(store)
    if as_json:
        echo_json([_participant_json(i) for i in infos])
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


@participants.command("rename")
@click.argument("name")
@click.option("--pseudonym", required=True, help="Le seul nom montré hors de la base.")
@click.option("--alias", "aliases", multiple=True, help="Autre forme du nom réel (répétable).")
@click.option("--role", help="Rôle (travailleuse paire, cadre, éducateur…).")
@_by_option
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
        p = rename(store, name, pseudonym, aliases=aliases, role=role, actor=_actor(project, actor))
    click.echo(
        f"« {p.pseudonym} » ({p.role or 'rôle à préciser'}) ; alias : {', '.join(p.aliases)}"
    )


@participants.command("add")
@click.argument("pseudonym")
@click.option("--alias", "aliases", multiple=True, help="Nom réel à masquer (répétable).")
@click.option("--role", help="Rôle (infirmier, résidente…).")
@_by_option
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
        p = add(store, pseudonym, aliases=aliases, role=role, actor=_actor(project, actor))
    click.echo(f"« {p.pseudonym} » ajouté·e ; alias : {', '.join(p.aliases) or 'aucun'}")


@participants.command("alias")
@click.argument("participant")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Retirer ces alias au lieu de les ajouter.")
@_by_option
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
        p = change(store, participant, aliases, actor=_actor(project, actor))
    click.echo(f"« {p.pseudonym} » ; alias : {', '.join(p.aliases) or 'aucun'}")


@participants.command("role")
@click.argument("participant")
@click.argument("role")
@_by_option
@project_option
def participants_role(
    participant: str, role: str, actor: str | None, project_dir: Path | None
) -> None:
    """Donne son rôle à PARTICIPANT (utilisé dans les attributions des citations)."""
    from recits.participants import set_role

    project = open_project(project_dir)
    with project.store() as store:
        p = set_role(store, participant, role, actor=_actor(project, actor))
    click.echo(f"« {p.pseudonym} » : {p.role or 'rôle effacé'}")


@participants.command("consent")
@click.argument("participant")
@click.argument("status", metavar="STATUT")
@click.option("--scope", help="Portée, séparée par des virgules : articles, bd.")
@click.option("--date", help="Date du consentement (AAAA-MM-JJ ; par défaut aujourd'hui).")
@_by_option
@project_option
def participants_consent(
    participant: str,
    status: str,
    scope: str | None,
    date: str | None,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Enregistre le consentement de PARTICIPANT : inconnu, accordé, refusé ou retiré.

    Il s'applique à tous les exports suivants ; l'historique est conservé.
    """
    from recits.participants import consent_label, set_consent

    project = open_project(project_dir)
    with project.store() as store:
        p = set_consent(
            store, participant, status, scope=scope, date=date, actor=_actor(project, actor)
        )
    click.echo(f"« {p.pseudonym} » : consentement {consent_label(p)} le {p.consent_date}")


@participants.command("history")
@click.argument("participant")
@project_option
@json_option
def participants_history(participant: str, project_dir: Path | None, as_json: bool) -> None:
    """Historique des consentements de PARTICIPANT."""
    from recits.participants import consent_history

    with open_project(project_dir).store() as store:
        events = consent_history(store, participant)
    if as_json:
        echo_json([asdict(e) for e in events])
        return
    if not events:
        click.echo("Aucun consentement enregistré.")
    for e in events:
        scope = f" ({', '.join(e.consent_scope)})" if e.consent_scope else ""
        click.echo(f"{e.consent_date}  {e.consent}{scope}  par {e.recorded_by or '?'}")


# -- names -------------------------------------------------------------------------------------
@click.group(invoke_without_command=True)
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
        )
        for m in n.mentions:
            click.echo(f"    {m.document_title} [{m.start_char}–{m.end_char}] {m.context}")


@names.command("attach")
@click.argument("name")
@click.option("--to", "participant", required=True, help="Pseudonyme de la personne.")
@_by_option
@project_option
def names_attach(name: str, participant: str, actor: str | None, project_dir: Path | None) -> None:
    """Rattache NAME à un·e participant·e : il devient un alias, remplacé par son pseudonyme."""
    from recits.names import attach

    project = open_project(project_dir)
    with project.store() as store:
        attach(store, name, participant, actor=_actor(project, actor))
    click.echo(f"« {name} » rattaché à « {participant} » (masqué dans les exports)")


@names.command("dismiss")
@click.argument("name")
@click.option("--reason", default="", help="Pourquoi (pas une personne, personnalité publique…).")
@_by_option
@project_option
def names_dismiss(name: str, reason: str, actor: str | None, project_dir: Path | None) -> None:
    """Écarte NAME : ce n'est pas une personne à protéger (il ne bloque plus les exports)."""
    from recits.names import dismiss

    project = open_project(project_dir)
    with project.store() as store:
        dismiss(store, name, reason=reason, actor=_actor(project, actor))
    click.echo(f"« {name} » écarté")


# -- exports -----------------------------------------------------------------------------------
@click.group()
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
@_by_option
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
            actor=_actor(project, actor),
        )  # fmt: skip
    for line in result.preview.summary():
        click.echo(line)
    click.echo(f"Écrit : {result.path} (sha256 {result.sha256[:16]}…)")


# -- quotes ------------------------------------------------------------------------------------
@click.command("check-quotes")
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
