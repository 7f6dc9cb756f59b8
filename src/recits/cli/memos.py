"""`recits memos`: notes on a document, a code or the whole project (a coding's memo lives on
the coding: `recits code … --memo`)."""

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
from recits.errors import RecitsError
from recits.models.memos import Memo
from recits.project import Project
from recits.store import Store

MAX_MEMO = 20_000  # characters: a note, not a document


def _target(
    project: Project, store: Store, doc: str | None, code: str | None, whole: bool
) -> tuple[str | None, str | None, str]:
    """(target_type, target_id, how it is shown) from the options; None, None: every memo."""
    given = [x for x in (doc, code) if x is not None] + (["projet"] if whole else [])
    if len(given) > 1:
        raise RecitsError("un mémo porte sur un document, un code ou le projet : une seule option")
    if doc is not None:
        document = store.resolve_document(doc)
        return "document", document.id, f"document « {document.title} »"
    if code is not None:
        codebook = project.sync_codebook(store)
        if codebook.code(code) is None:
            raise RecitsError(f"code inconnu : « {code} » (voir « recits codebook check »)")
        return "code", code, f"code « {codebook.code(code).label} »"
    if whole:
        return "project", None, "projet"
    return None, None, "tout"


def _targets_option(func):  # type: ignore[no-untyped-def]
    func = click.option("--project-memo", "whole", is_flag=True, help="Mémos du projet.")(func)
    func = click.option("--code", "code", help="Mémos de ce code (identifiant).")(func)
    return click.option("--document", "doc", help="Mémos de ce document (id ou titre).")(func)


@click.group(cls=RecitsGroup, invoke_without_command=True)
@_targets_option
@project_option
@json_option
@click.pass_context
def memos(
    ctx: click.Context,
    doc: str | None,
    code: str | None,
    whole: bool,
    project_dir: Path | None,
    as_json: bool,
) -> None:
    """Mémos d'un document, d'un code ou du projet : les lister, en écrire, en retirer.

    Sans sous-commande, les liste (tous, ou ceux de --document, --code, --project-memo).
    """
    if ctx.invoked_subcommand is not None:
        return
    project = open_project(project_dir)
    with project.store() as store:
        kind, target, _shown = _target(project, store, doc, code, whole)
        found = store.memos(kind, target)
        titles = {d.id: d.title for d in store.documents()}
    if as_json:
        echo_json([asdict(m) for m in found])
        return
    if not found:
        click.echo("Aucun mémo.")
        return
    for memo in found:
        where = {"document": f"document « {titles.get(memo.target_id or '', '?')} »",
                 "code": f"code « {memo.target_id} »"}.get(memo.target_type, "projet")  # fmt: skip
        click.echo(f"{memo.id[:8]}  {memo.created_at[:10]}  {memo.author or '—'}  ({where})")
        click.echo(f"    {memo.text}")
    click.echo(f"{len(found)} mémo(s)")


@memos.command("add")
@click.argument("text", metavar="TEXTE")
@_targets_option
@by_option
@project_option
def memos_add(
    text: str,
    doc: str | None,
    code: str | None,
    whole: bool,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Écrit le mémo TEXTE sur un document (--document), un code (--code) ou le projet
    (--project-memo)."""
    text = text.strip()
    if not text:
        raise RecitsError("mémo vide : écrivez-en le texte")
    if len(text) > MAX_MEMO:
        raise RecitsError(f"mémo trop long ({len(text)} caractères, {MAX_MEMO} au plus)")
    project = open_project(project_dir)
    with project.store() as store:
        kind, target, shown = _target(project, store, doc, code, whole)
        if kind is None:
            raise RecitsError("dites sur quoi porte le mémo : --document, --code ou --project-memo")
        who = actor_of(project, actor)
        added = store.add_memos([Memo("", kind, target, who or "", text, "")], actor=who)
    click.echo(f"Mémo {added[0].id[:8]} écrit sur le {shown}.")


@memos.command("remove")
@click.argument("memo_id", metavar="ID")
@by_option
@project_option
def memos_remove(memo_id: str, actor: str | None, project_dir: Path | None) -> None:
    """Retire le mémo ID (son identifiant ou son début, d'au moins 4 caractères)."""
    project = open_project(project_dir)
    with project.store() as store:
        ref = memo_id.strip()
        found = [m for m in store.memos() if len(ref) >= 4 and m.id.startswith(ref)]
        if not found:
            raise RecitsError(f"mémo introuvable : « {memo_id} » (« recits memos » les liste)")
        if len(found) > 1:
            raise RecitsError(f"« {memo_id} » désigne plusieurs mémos : donnez plus de caractères")
        store.delete_memo(found[0].id, actor=actor_of(project, actor))
    click.echo(f"Mémo {found[0].id[:8]} retiré.")
