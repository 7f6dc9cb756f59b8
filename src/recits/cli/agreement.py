"""`recits agreement`: how far coders agree, per code and document (κ, α, percent)."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import RecitsCommand, echo_json, json_option, open_project, project_option
from recits.errors import RecitsError


def _split(values: tuple[str, ...]) -> list[str]:
    """--code a --code b, or --code a,b: both work."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command(cls=RecitsCommand)
@click.option(
    "--coders",
    help="Codeur·euse·s à comparer, séparé·e·s par des virgules"
    " (par défaut : toutes celles et ceux qui ont codé, sauf « consensus »).",
)
@click.option("--code", "codes", multiple=True, help="Seulement ce code (répétable).")
@click.option(
    "--document",
    "documents",
    multiple=True,
    help="Seulement ce document (id, début d'id ou titre ; répétable).",
)
@click.option(
    "--unit",
    type=click.Choice(["character", "sentence", "passage"]),
    default="character",
    show_default=True,
    help="Unité comparée : caractère, phrase, ou passage (tour de parole, paragraphe).",
)
@json_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Écrit le tableau (.csv ou .md) pour la partie méthodes d'un article ; un nom"
    " sans dossier va dans exports/.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier --out s'il existe.")
@project_option
def agreement(
    coders: str | None, codes: tuple[str, ...], documents: tuple[str, ...], unit: str,
    as_json: bool, out: Path | None, force: bool, project_dir: Path | None,
) -> None:  # fmt: skip
    """Accord entre codeur·euse·s : pourcentage d'accord, κ de Cohen (deux codeur·euse·s),
    α de Krippendorff (nominal, données manquantes admises).

    Par code et par document, par code, par document et en tout. Chaque code est un oui/non
    sur chaque unité ; un·e codeur·euse qui n'a rien codé dans un document ne l'a pas codé
    (donnée manquante). L'unité « caractère » compte tout le texte, codé ou non.
    """
    from recits.agreement import for_project

    project = open_project(project_dir)
    fmt = None
    if out is not None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "md"):
            raise RecitsError(f"{out} : format inconnu « {out.suffix} » (.csv ou .md)")
        if out.parent == Path():
            out = project.exports_dir / out.name
        if out.exists() and not force:
            raise RecitsError(f"{out} existe déjà : choisissez un autre nom ou ajoutez --force")
    with project.store() as store:
        project.sync_codebook(store)
        rows = for_project(
            store, coders=_split((coders,) if coders else ()), codes=_split(codes),
            documents=documents, unit=unit,
        )  # fmt: skip
        if out is not None and fmt is not None:
            from recits.exports.agreement import agreement_table

            data = agreement_table(store, rows, fmt)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(data, encoding="utf-8")
            with store.write():
                store.audit("export-agreement", project.settings.coder, file=str(out),
                            format=fmt, unit=unit, coders=list(rows[0].coders))  # fmt: skip
        labels = {c.id: c.label for c in store.codes()}
        titles = {d.id: d.title for d in store.documents()}
    if as_json:
        echo_json([r.as_json() for r in rows])
    else:
        _print(rows, labels, titles)
    if out is not None:
        numbers = ", ".join(f"{i} = {c}" for i, c in enumerate(rows[0].coders, start=1))
        click.echo(f"Tableau écrit dans {out} (codeur·euse {numbers}).", err=True)


def _print(rows, labels: dict[str, str], titles: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from recits.agreement import UNIT_NAMES
    from recits.exports.agreement import figure

    first = rows[0]
    click.echo(f"Accord entre {', '.join(first.coders)} — unité : {UNIT_NAMES[first.unit]}")
    click.echo(f"{'Code':28} {'Document':30} {'accord':>7} {'κ':>7} {'α':>7} {'unités':>9}")
    for r in rows:
        code = "tous les codes" if r.code is None else labels.get(r.code, r.code)
        doc = "tous les documents" if r.document is None else titles.get(r.document, r.document)
        line = (
            f"{code[:28]:28} {doc[:30]:30} {figure(r.percent_agreement, True):>6}%"
            f" {figure(r.kappa):>7} {figure(r.alpha):>7} {r.units:>9}"
        )
        click.echo(click.style(line, bold=True) if r.code is None and r.document is None else line)
