"""`recits scenes candidates`: passages that tell a lived scene, with their reasons."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import (
    RecitsCommand,
    echo_json,
    json_option,
    open_project,
    project_option,
)


@click.command("candidates", cls=RecitsCommand)
@click.option("--document", help="Seulement ce document.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@project_option
@json_option
def candidates(document: str | None, limit: int, project_dir: Path | None, as_json: bool) -> None:
    """Passages qui racontent une scène vécue, classés (indices narratifs, avec raisons)."""
    from recits.scene_candidates import find_candidates

    with open_project(project_dir).store() as store:
        doc_id = store.resolve_document(document).id if document else None
        found = find_candidates(store, doc_id, limit=limit)
        titles = {d.id: d.title for d in store.documents()}
        unanalysed = (
            doc_id is None
            and not store.analysis_keys()
            or (doc_id is not None and store.analysis(doc_id) is None)
        )
    if as_json:
        echo_json([
            {"document_id": c.document_id, "start_char": c.start_char, "end_char": c.end_char,
             "score": c.score, "reasons": list(c.reasons), "text": c.text} for c in found
        ])  # fmt: skip
        return
    if not found:
        click.echo("Aucun passage ne ressemble à une scène racontée.")
    for n, c in enumerate(found, 1):
        text = " ".join(c.text.split())
        where = f"{titles.get(c.document_id, '')} [{c.start_char}–{c.end_char}]"
        shown = text[:150] + ("…" if len(text) > 150 else "")
        click.echo(f"{n}. {c.score:g}  {where}\n   « {shown} »")
        for reason in c.reasons:
            click.echo(f"   - {reason}")
    if unanalysed:
        click.echo("Attention : sans « recits analyse », les lieux et noms repérés manquent.")
