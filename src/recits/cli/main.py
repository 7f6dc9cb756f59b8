"""The `recits` command group and its project, document and coding commands."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from recits import __version__
from recits.cli.agreement import agreement
from recits.cli.analysis import analyse, suggest
from recits.cli.bundle import bundle, merge
from recits.cli.codebook import COMMANDS as CODEBOOK_EDITS
from recits.cli.coders import coders
from recits.cli.codings import codings
from recits.cli.common import (
    RecitsGroup,
    coder_option,
    document_json,
    echo_json,
    french_usage_error,
    from_group,
    json_option,
    open_project,
    progressbar,
    project_option,
)
from recits.cli.documents import documents
from recits.cli.exports import exports
from recits.cli.memos import memos
from recits.cli.names import names
from recits.cli.participants import participants
from recits.cli.publish import check_quotes, export
from recits.cli.refi import export_qdc, export_qdpx, import_refi_files
from recits.cli.scenes import scenes
from recits.cli.search import search
from recits.cli.storyboard import storyboard
from recits.cli.web import web
from recits.codebook import load_codebook
from recits.errors import RecitsError
from recits.ingest import ImportOptions, collect_files, import_paths
from recits.models import NewCoding, Participant
from recits.project import Project, default_codebook_path
from recits.sources import where


@click.group(cls=RecitsGroup, invoke_without_command=True)
@click.version_option(
    __version__, prog_name="recits", message="%(prog)s %(version)s",
    help="Affiche la version et quitte.",
)  # fmt: skip
@project_option
@coder_option
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, coder: str | None) -> None:
    """recits : analyse qualitative collaborative de récits de pairs.

    Sans commande, ouvre l'application sur le projet.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(app, project_dir=project_dir, coder=coder)


@cli.command()
@project_option
@coder_option
def app(project_dir: Path | None, coder: str | None) -> None:
    """Ouvre l'application (terminal) sur le projet."""
    project = open_project(project_dir)
    from recits.tui.app import RecitsApp  # Textual only when the app is wanted

    RecitsApp(project, coder).run()


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Nom du projet (par défaut : le nom du dossier).")
@click.option("--coder", help="Codeur·euse par défaut.")
def init(directory: Path, name: str | None, coder: str | None) -> None:
    """Crée un projet dans DIRECTORY (base, grille de codage, corpus/, exports/)."""
    project = Project.init(directory, name=name, coder=coder)
    click.echo(f"Projet « {project.settings.name} » créé dans {project.root}")
    click.echo(f"Grille de codage : {project.settings.codebook}")
    click.echo(f"Importez des transcriptions : recits import --project {directory} FICHIERS…")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", help="Type de document (réunion du collectif, entretien…).")
@click.option("--date", help="Date du document (AAAA-MM-JJ).")
@click.option("--title", help="Titre (un seul fichier).")
@click.option(
    "--participants",
    help="Qui parle, quand c'est une personne déjà connue, séparé par des virgules :"
    " « Nadia » (la Nadia du projet), « Karim=Yanis » (l'étiquette Karim est Yanis). Sans"
    " cela, un nom déjà connu crée une nouvelle fiche « à confirmer ».",
)
@click.option(
    "--source",
    help="Référence d'un document écrit, telle qu'elle sera citée (« Rapport d'activités"
    " 2020-2021, plateforme travail pair AuRA »).",
)
@click.option(
    "--published",
    is_flag=True,
    help="Le document est une publication (avec --source) : ses extraits sont cités avec sa"
    " référence et sa page, sans consentement de participant·e.",
)
@click.option(
    "--author",
    help="Participant·e qui a écrit ce document sans locuteur·rice : son consentement vaut pour"
    " ses paragraphes.",
)
@click.option("--coder", callback=from_group, help="Qui importe (pour le journal).")
@project_option
def import_(
    paths: tuple[Path, ...],
    kind: str | None,
    date: str | None,
    title: str | None,
    participants: str | None,
    source: str | None,
    published: bool,
    author: str | None,
    coder: str | None,
    project_dir: Path | None,
) -> None:
    """Importe des fichiers ou dossiers (.txt .md .docx .odt .vtt .srt .pdf), ou un projet ou
    une grille REFI-QDA (.qdpx .qde .qdc : NVivo, ATLAS.ti, MAXQDA, QualCoder)."""
    project = open_project(project_dir)
    refi = [p for p in paths if p.suffix.lower() in (".qdpx", ".qde", ".qdc") and not p.is_dir()]
    if refi:  # REFI-QDA projects and codebooks (NVivo, ATLAS.ti, MAXQDA, QualCoder)
        if len(refi) < len(paths):
            raise RecitsError("importez les fichiers REFI-QDA (.qdpx .qde .qdc) à part")
        if not import_refi_files(project, refi, coder or project.settings.coder):
            sys.exit(1)
        return
    options = ImportOptions(
        kind=kind,
        date=date,
        title=title,
        participants=tuple(p.strip() for p in (participants or "").split(",") if p.strip()),
        coder=coder or project.settings.coder,
        source=source,
        published=published,
        author=author,
    )
    files = collect_files(paths)
    if title and len(files) > 1:
        raise RecitsError("--title ne s'applique qu'à l'import d'un seul fichier")
    if not files:
        raise RecitsError("aucun fichier à importer (formats : .txt .md .docx .odt .vtt .srt .pdf)")
    with (
        project.store() as store,
        progressbar(len(files), "Import", item_show_func=_short) as bar,
    ):
        flagged = {p.id for p in store.participants() if p.same_label_as}
        outcomes = import_paths(store, files, options, progress=lambda path: bar.update(1, path))
        people = store.participants()
        new_flags = [p for p in people if p.same_label_as and p.id not in flagged]
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        line = f"{outcome.path} : {outcome.message}"
        click.echo(click.style(line, fg="red") if outcome.failed else line, err=outcome.failed)
    click.echo(
        f"{counts.get('imported', 0)} importé(s), {counts.get('new-version', 0)} nouvelle(s)"
        f" version(s), {counts.get('unchanged', 0)} inchangé(s), {counts.get('failed', 0)}"
        " refusé(s)"
    )
    if new_flags:
        _echo_flags(new_flags, people)
    if counts.get("failed"):
        sys.exit(1)


def _echo_flags(flagged: list[Participant], people: list[Participant]) -> None:
    """Speakers whose label is already someone's name: separate until the team says."""
    from recits.identity import flag

    by_id = {p.id: p for p in people}
    click.echo(f"{len(flagged)} participant·e(s) à confirmer, exclu·e(s) des exports d'ici là :")
    for p in flagged:
        click.echo(f"  « {p.pseudonym} » ({p.id[:8]}) : {flag(p, by_id)}")
    click.echo(
        "Même personne : « recits participants confirm PSEUDONYME --same » ; sinon"
        " « --different » (ou l'écran Participant·e·s, F8, touche v). Pour les lier dès"
        " l'import : --participants."
    )


def _short(path: Path | None) -> str:
    return path.name if path else ""


@cli.command()
@project_option
@json_option
def status(project_dir: Path | None, as_json: bool) -> None:
    """Résumé du projet : documents, mots, codes, extraits par codeur·euse."""
    project = open_project(project_dir)
    with project.store() as store:
        warning = None
        try:
            project.sync_codebook(store)
        except RecitsError as err:
            warning = str(err)
        st = store.status()
    if as_json:
        data = asdict(st)
        data["codings_by_coder"] = dict(st.codings_by_coder)
        echo_json({"project": project.settings.name, **data})
        return
    click.echo(f"Projet « {project.settings.name} » ({project.root})")
    click.echo(f"  documents      : {st.documents}")
    click.echo(f"  mots           : {st.words}")
    click.echo(f"  participant·e·s : {st.participants}")
    click.echo(f"  codes          : {st.codes} ({project.settings.codebook})")
    total = sum(n for _c, n in st.codings_by_coder)
    click.echo(f"  extraits codés : {total}")
    for coder, n in st.codings_by_coder:
        click.echo(f"    {coder} : {n}")
    if warning:
        click.echo(f"Attention : {warning}", err=True)


@cli.command()
@click.argument("doc")
@project_option
@json_option
def show(doc: str, project_dir: Path | None, as_json: bool) -> None:
    """Affiche un document (id, début d'id ou titre exact) tour par tour."""
    with open_project(project_dir).store() as store:
        document = store.resolve_document(doc)
        text = store.document_text(document.id)
        turns = store.turns(document.id)
        memos = store.memos("document", document.id)
    if as_json:
        data = document_json(document)
        data["text"] = text
        data["memos"] = [
            {"id": m.id, "author": m.author, "created_at": m.created_at, "text": m.text}
            for m in memos
        ]
        data["turns"] = [
            {
                "position": t.position,
                "speaker": t.speaker,
                "participant_id": t.participant_id,
                "start_char": t.start_char,
                "end_char": t.end_char,
                "timestamp": t.timestamp,
                "text": t.text,
                "page": t.page,
                "section": t.section,
                "kind": t.kind,
            }
            for t in turns
        ]
        echo_json(data)
        return
    click.echo(f"{document.title} — {document.kind}, {document.date or 'date inconnue'}")
    click.echo(f"id {document.id} · {document.word_count} mots · {len(turns)} tours\n")
    for t in turns:
        who = click.style(t.speaker, bold=True) if t.speaker else "¶"
        place = where(t.page, t.section)
        who += f" ({place})" if place else ""
        click.echo(f"[{t.start_char}–{t.end_char}] {who} : {t.text}")
    if memos:
        click.echo(f"\nMémos du document ({len(memos)}) :")
    for m in memos:
        click.echo(f"  {m.author}, {m.created_at[:10]} : {m.text}")


@cli.group()
def codebook() -> None:
    """Grille de codage (YAML)."""


@codebook.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@project_option
def codebook_check(file: Path | None, project_dir: Path | None) -> None:
    """Vérifie une grille de codage et en affiche le résumé."""
    if file is None:
        try:
            file = open_project(project_dir).codebook_path
        except RecitsError:
            file = default_codebook_path()
    cb = load_codebook(file)
    click.echo(f"{file} : grille valide « {cb.name} », {len(cb.codes)} code(s)")
    for code in cb.codes:
        indent = "    " if code.parent_id else "  "
        click.echo(
            f"{indent}{code.id:24} {code.label:28} {len(code.examples)} exemple(s),"
            f" {len(code.patterns)} motif(s)"
        )


@cli.command()
@click.argument("doc")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("code")
@coder_option
@click.option("--memo", default="", help="Mémo sur cet extrait.")
@project_option
def code(
    doc: str,
    start: int,
    end: int,
    code: str,
    coder: str | None,
    memo: str,
    project_dir: Path | None,
) -> None:
    """Code l'extrait START–END (caractères) du document DOC avec CODE."""
    project = open_project(project_dir)
    coder = coder or project.settings.coder
    if not coder:
        raise RecitsError("indiquez qui code avec --coder NOM")
    with project.store() as store:
        project.sync_codebook(store)
        document = store.resolve_document(doc)
        coding = store.add_coding(
            NewCoding(document.id, start, end, code, coder, origin="manual", memo=memo)
        )
    from recits.exports.typography import in_guillemets

    shown = in_guillemets(coding.text)
    click.echo(f"{shown} codé {coding.code_id} par {coding.coder} ({coding.id[:8]})")


for _edit_command in CODEBOOK_EDITS:
    codebook.add_command(_edit_command)
cli.add_command(codings)
cli.add_command(coders)
cli.add_command(search)
cli.add_command(web)
cli.add_command(analyse)
cli.add_command(suggest)
cli.add_command(participants)
cli.add_command(names)
cli.add_command(memos)
cli.add_command(export)
export.add_command(export_qdc)
export.add_command(export_qdpx)
cli.add_command(exports)
cli.add_command(check_quotes)
cli.add_command(bundle)
cli.add_command(merge)
cli.add_command(agreement)
cli.add_command(documents)
cli.add_command(scenes)
export.add_command(storyboard)


def main() -> None:
    """The console script: click's own errors in French too."""
    try:
        # Outside standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(prog_name="recits", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.UsageError as err:
        click.echo(french_usage_error(err), err=True)
        sys.exit(err.exit_code)
    except click.ClickException as err:
        click.echo(f"Erreur : {err.format_message()}", err=True)
        sys.exit(err.exit_code)
    except click.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(1)
