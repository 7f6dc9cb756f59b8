"""`recits analyse` and `recits suggest`: spaCy analysis and code suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from recits.cli.common import RecitsCommand, open_project, progressbar, project_option
from recits.errors import RecitsError
from recits.models import Document, Suggestion
from recits.project import Project
from recits.store import Store


def _analyse(project: Project, store: Store, documents: list[Document] | None) -> None:
    """Analyse what changed, with a progress bar on stderr."""
    from recits import nlp

    pending = nlp.pending_documents(store, documents)
    if not pending:
        return
    click.echo("Chargement du modèle français de spaCy…", err=True)
    nlp.load_model()
    with progressbar(len(pending), "Analyse") as bar:
        report = nlp.analyse(store, pending, progress=lambda _doc: bar.update(1))
    for document in report.not_french:
        click.echo(f"Attention : {nlp.not_french_message(document)}.", err=True)


@click.command(cls=RecitsCommand)
@click.argument("docs", nargs=-1)
@project_option
def analyse(docs: tuple[str, ...], project_dir: Path | None) -> None:
    """Analyse les documents (spaCy) qui ont changé depuis la dernière analyse.

    Sans DOCS, tous les documents du projet. Chaque document n'est analysé qu'une fois.
    """
    from recits import nlp

    project = open_project(project_dir)
    with project.store() as store:
        documents = [store.resolve_document(d) for d in docs] if docs else store.documents()
        if not documents:
            click.echo("Aucun document. Importez-en avec « recits import FICHIERS… ».")
            return
        pending = nlp.pending_documents(store, documents)
        _analyse(project, store, pending)
        words = sum(d.word_count for d in pending)
    click.echo(
        f"{len(pending)} document(s) analysé(s) ({words} mots),"
        f" {len(documents) - len(pending)} déjà à jour"
    )


def suggestion_json(s: Suggestion, title: str) -> dict[str, object]:
    from recits.store.analysis import reasons_to_json

    return {
        "document": s.document_id,
        "document_title": title,
        "start_char": s.start_char,
        "end_char": s.end_char,
        "text": s.text,
        "code": s.code_id,
        "score": s.score,
        "reasons": json.loads(reasons_to_json(s.reasons)),
        "model_version": s.model_version,
    }


@click.command(cls=RecitsCommand)
@click.option("--document", "doc", help="Seulement ce document (id, début d'id ou titre).")
@click.option("--code", "code_id", help="Seulement ce code.")
@click.option("--coder", help="Pour qui (par défaut : le codeur·euse du projet).")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Score minimal (0 à 1).")
@click.option("--json", "as_json", is_flag=True, help="Une ligne JSON par suggestion.")
@click.option(
    "--blind",
    is_flag=True,
    help="À l'aveugle : rien du travail des autres (modèle appris sur vos seuls codages).",
)
@project_option
def suggest(
    doc: str | None,
    code_id: str | None,
    coder: str | None,
    min_score: float | None,
    as_json: bool,
    blind: bool,
    project_dir: Path | None,
) -> None:
    """Propose des codes pour des passages, avec leurs raisons.

    Affiche exactement les suggestions que l'application montrerait, dans l'ordre de la file :
    analyse et réentraînement d'abord si des documents, codages ou décisions ont changé.
    """
    from recits import suggest as core

    project = open_project(project_dir)
    coder = coder or project.settings.coder
    with project.store() as store:
        codebook = project.sync_codebook(store)
        if code_id is not None and codebook.code(code_id) is None:
            raise RecitsError(f"code inconnu : « {code_id} » (voir « recits codebook check »)")
        document = store.resolve_document(doc) if doc else None
        _analyse(project, store, None)
        if blind:
            suggester = core.prepare_blind(store, codebook, coder or "")
        else:
            if core.needs_training(store, codebook):
                click.echo("Apprentissage sur les codages du projet…", err=True)
            suggester = core.prepare(store, codebook)
        titles = {d.id: d.title for d in store.documents()}
        found = suggester.queue(
            store,
            coder or "",
            document_id=document.id if document else None,
            code_id=code_id,
            min_score=core.DEFAULT_MIN_SCORE if min_score is None else min_score,
            refresh=True,
        )
    if as_json:
        for s in found:
            click.echo(json.dumps(suggestion_json(s, titles[s.document_id]), ensure_ascii=False))
        return
    if not found:
        click.echo("Aucune suggestion.")
        return
    for s in found:
        click.echo(
            f"{titles[s.document_id]} [{s.start_char}–{s.end_char}] "
            + click.style(s.code_id, bold=True)
            + f" ({s.score:.2f}) : {' '.join(s.text.split())}"
        )
        for reason in s.reasons:
            click.echo(f"    – {reason.detail}")
    click.echo(f"{len(found)} suggestion(s) · modèle {suggester.version}")
