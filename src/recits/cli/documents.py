"""`recits documents`: list the documents; say where a written one comes from, who wrote it."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import (
    RecitsGroup,
    actor_of,
    by_option,
    document_json,
    echo_json,
    json_option,
    open_project,
    project_option,
)
from recits.errors import RecitsError
from recits.models import Document
from recits.sources import SourceChange, edit_document


@click.group(cls=RecitsGroup, invoke_without_command=True)
@project_option
@json_option
@click.pass_context
def documents(ctx: click.Context, project_dir: Path | None, as_json: bool) -> None:
    """Liste les documents du projet ; « documents edit » dit d'où vient un document écrit.

    Sans sous-commande, les liste.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(documents_list, project_dir=project_dir, as_json=as_json)


@documents.command("list")
@project_option
@json_option
def documents_list(project_dir: Path | None, as_json: bool) -> None:
    """Liste les documents du projet."""
    with open_project(project_dir).store() as store:
        docs = store.documents()
    if as_json:
        echo_json([document_json(d) for d in docs])
        return
    if not docs:
        click.echo("Aucun document. Importez-en avec « recits import FICHIERS… ».")
    for d in docs:
        click.echo(
            f"{d.id[:8]}  {d.date or '—':10}  {d.kind:22.22}  {d.word_count:6} mots  {d.title}"
            + _source(d)
        )


def _source(d: Document) -> str:
    if not d.source:
        return ""
    return f"  [{'publié' if d.published else 'source'} : {d.source}]"


@documents.command("edit")
@click.argument("doc")
@click.option(
    "--source",
    help="Référence du document, telle qu'elle sera citée (« Rapport d'activités 2020-2021,"
    " plateforme travail pair AuRA »).",
)
@click.option("--no-source", is_flag=True, help="Retire la référence.")
@click.option(
    "--published/--not-published",
    default=None,
    help="Le document est lui-même une publication : ses extraits sont cités avec sa référence"
    " et sa page, sans consentement de participant·e.",
)
@click.option(
    "--author",
    help="Participant·e qui a écrit ce document sans locuteur·rice (notes, compte rendu) : son"
    " consentement vaut pour ses paragraphes.",
)
@click.option("--no-author", is_flag=True, help="Retire l'auteur·rice.")
@by_option
@project_option
def documents_edit(
    doc: str,
    source: str | None,
    no_source: bool,
    published: bool | None,
    author: str | None,
    no_author: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Référence, statut publié et auteur·rice d'un document (id, début d'id ou titre)."""
    if source is not None and no_source:
        raise RecitsError("--source et --no-source s'excluent")
    if author is not None and no_author:
        raise RecitsError("--author et --no-author s'excluent")
    if source is not None and not source.strip():
        raise RecitsError("référence vide : pour la retirer, --no-source")
    if source is None and not no_source and published is None and author is None and not no_author:
        raise RecitsError(
            "rien à changer : --source, --no-source, --published, --not-published, --author"
            " ou --no-author"
        )
    project = open_project(project_dir)
    change = SourceChange(
        source="" if no_source else source,
        published=published,
        author="" if no_author else author,
    )
    with project.store() as store:
        document = edit_document(
            store, store.resolve_document(doc), change, actor=actor_of(project, actor)
        )
        author_id = store.document_author(document.id)
        who = next((p.pseudonym for p in store.participants() if p.id == author_id), None)
    click.echo(f"« {document.title} »")
    click.echo(f"  source : {document.source or '—'}")
    click.echo(
        "  publié : "
        + ("oui (cité par sa référence et sa page, sans consentement à demander)"
           if document.published else "non")
    )  # fmt: skip
    click.echo(f"  auteur·rice : {who or '—'}")
