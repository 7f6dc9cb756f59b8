"""`recits search`: full-text search over speech."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from recits.cli.common import RecitsCommand, echo_json, json_option, open_project, project_option
from recits.sources import where


@click.command(cls=RecitsCommand)
@click.argument("query")
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(min=1),
    help="Nombre maximal de résultats affichés.",
)  # fmt: skip
@click.option("--exact", is_flag=True, help="Mots exacts, sans leurs autres formes.")
@project_option
@json_option
def search(query: str, limit: int, exact: bool, project_dir: Path | None, as_json: bool) -> None:
    """Cherche QUERY dans les tours de parole (sans tenir compte des accents).

    Plusieurs mots : tous doivent être dans le tour, sauf les mots outils (le, des, de, à…),
    qui ne comptent pas seuls ; une recherche faite seulement de mots outils cherche
    l'expression telle quelle. "entre guillemets" : expression exacte. mot* : mots qui
    commencent par « mot ». Un mot trouve aussi ses autres formes (pair : paires, pair-e-s,
    pairs ; épuisé : épuisée, s'épuiser) dans les documents analysés (« recits analyse ») ;
    --exact cherche les mots tels quels.
    """
    with open_project(project_dir).store() as store:
        hits = store.search(query, limit=limit, exact=exact)
        total = store.count_hits(query, exact=exact) if len(hits) >= limit else len(hits)
    cut = f"{_results(len(hits), 'affiché')} sur {total} (--limit {limit})"
    if as_json:
        echo_json([asdict(h) for h in hits])
        if total > len(hits):
            click.echo(cut, err=True)
        return
    if not hits:
        click.echo(f"Aucun résultat pour « {query} ».")
        return
    for h in hits:
        who = h.speaker or "—"
        place = where(h.page, h.section)
        click.echo(
            f"{h.document_title}{f' ({place})' if place else ''} [{h.start_char}–{h.end_char}] "
            f"{click.style(who, bold=True)} : {h.snippet}"
        )
    click.echo(cut if total > len(hits) else _results(len(hits)))


def _results(count: int, shown: str = "") -> str:
    many = count > 1
    words = "résultats" if many else "résultat"
    if shown:
        words += f" {shown}s" if many else f" {shown}"
    return f"{count} {words}"
