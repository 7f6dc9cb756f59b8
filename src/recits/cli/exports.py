"""`recits exports`: the exports already written and whose words they hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from recits.cli.common import RecitsCommand, echo_json, json_option, open_project, project_option


@click.command("exports", cls=RecitsCommand)
@click.option("--participant", help="Seulement les exports qui contiennent ses propos.")
@project_option
@json_option
def exports(participant: str | None, project_dir: Path | None, as_json: bool) -> None:
    """Exports déjà écrits : date, fichier, format, extraits, et si le fichier existe encore.

    Avec --participant, ceux qui contiennent les propos de cette personne, pour donner suite à
    un retrait de consentement (« recits export excerpts » écrit les exports).
    """
    from recits.exports.history import earlier_exports
    from recits.participants import resolve

    with open_project(project_dir).store() as store:
        person = resolve(store, participant) if participant is not None else None
        found = earlier_exports(store, person.id if person else None)
        names = {p.id: p.pseudonym for p in store.participants()}
    if as_json:
        echo_json([_export_json(e, names) for e in found])
        return
    if not found:
        click.echo(
            f"Aucun export ne contient les propos de « {person.pseudonym} »."
            if person
            else "Aucun export enregistré."
        )
        return
    for e in found:
        r = e.record
        if person is None:
            held = f"{r.excerpts:4} extrait(s)  cite : {_quoted(r.quoted, names, r.quoted_known)}"
        elif e.excerpts_of is None:
            held = f"{r.excerpts:4} extrait(s), dont les siens : non enregistré (à vérifier)"
        else:
            held = f"{e.excerpts_of:4} extrait(s) sur {r.excerpts}"
        state = "présent" if e.on_disk else click.style("absent (supprimé ou déplacé)", fg="yellow")
        click.echo(
            f"{e.written_on}  {r.format:4}  {r.scope or '?':8}  {held}  {state}\n    {r.file}"
        )


def _quoted(quoted: tuple[tuple[str, int], ...], names: dict[str, str], known: bool) -> str:
    if not known:
        return "non enregistré (export plus ancien)"
    return ", ".join(f"{names.get(pid, pid[:8])} ({n})" for pid, n in quoted) or "personne"


def _export_json(e: Any, names: dict[str, str]) -> dict[str, Any]:
    r = e.record
    return {
        "id": r.id, "written_at": r.written_at, "written_by": r.written_by, "file": r.file,
        "format": r.format, "scope": r.scope, "sha256": r.sha256, "excerpts": r.excerpts,
        "on_disk": e.on_disk, "quoted_known": r.quoted_known,
        "participants": [
            {"id": pid, "pseudonym": names.get(pid), "excerpts": n} for pid, n in r.quoted
        ] if r.quoted_known else None,
        "participant_excerpts": e.excerpts_of,
    }  # fmt: skip
