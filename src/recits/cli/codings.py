"""`recits codings import|export`: codings as JSON lines or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from recits.cli.common import RecitsGroup, from_group, open_project, project_option
from recits.errors import InputFileError, RecitsError
from recits.files import read_regular
from recits.models import NewCoding
from recits.store import Store
from recits.store.codings import ORIGINS

MAX_IMPORT_BYTES = 100 * 1024 * 1024


@click.group(cls=RecitsGroup)
def codings() -> None:
    """Extraits codés : import et export (JSON lines, CSV)."""


@codings.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fichier de sortie.")
@click.option("--force", is_flag=True, help="Remplacer le fichier de sortie s'il existe.")
@click.option("--coder", help="Seulement les extraits de ce codeur·euse.")
@click.option("--code", "code_id", help="Seulement ce code.")
@click.option("--document", "doc", help="Seulement ce document.")
@click.option(
    "--scope", type=click.Choice(["articles", "bd"]), default="articles", show_default=True,
    help="Usage pour lequel le consentement est exigé (texte masqué).",
)  # fmt: skip
@click.option(
    "--real-text",
    is_flag=True,
    help="Texte réel, noms réels et extraits non consentis : pour l'équipe seulement (jamais"
    " dans exports/).",
)
@project_option
def export(
    fmt: str,
    out: Path | None,
    force: bool,
    coder: str | None,
    code_id: str | None,
    doc: str | None,
    scope: str,
    real_text: bool,
    project_dir: Path | None,
) -> None:
    """Exporte les extraits codés, une ligne par extrait (vers la sortie standard ou --out).

    Comme tout export : seulement les extraits consentis, noms réels remplacés par les
    pseudonymes (titres, mémos, codeur·euse compris), refusé si un nom non revu passerait.
    --real-text exporte tout, tel quel, pour l'équipe : jamais dans le dossier exports/.
    """
    from recits.exports.codings import REAL_TEXT_WARNING, export_codings

    if out is not None and out.exists() and not force:
        raise RecitsError(f"{out} existe déjà : choisissez un autre nom ou ajoutez --force")
    project = open_project(project_dir)
    if real_text and out is not None and out.absolute().is_relative_to(project.exports_dir):
        raise RecitsError(
            f"{out} : le texte réel ne va jamais dans le dossier des exports publiables"
            f" ({project.exports_dir}) ; choisissez un fichier ailleurs"
        )
    with project.store() as store:
        document_id = store.resolve_document(doc).id if doc else None
        result = export_codings(
            store, fmt, document_id=document_id, code_id=code_id, coder=coder, scope=scope,
            real_text=real_text,
        )  # fmt: skip
        if real_text:
            click.echo(REAL_TEXT_WARNING, err=True)
        if out is None:
            click.echo(result.data, nl=False)
        else:
            out.write_text(result.data, encoding="utf-8")
            with store.write():
                store.audit(
                    "export-codings", coder, file=str(out), format=fmt, count=len(result.rows),
                    filters={"coder": coder, "code": code_id, "document": document_id},
                    real_text=real_text, scope=None if real_text else scope,
                )  # fmt: skip
    if result.left_out:
        click.echo(
            f"{result.left_out} extrait(s) écarté(s) faute de consentement « accordé » pour"
            f" « {scope} » (--real-text pour l'équipe)",
            err=True,
        )
    if out is not None:
        click.echo(f"{len(result.rows)} extrait(s) exporté(s) dans {out}", err=True)


@codings.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--coder", callback=from_group, help="Codeur·euse des lignes qui n'en donnent pas.")
@project_option
def import_(file: Path, coder: str | None, project_dir: Path | None) -> None:
    """Importe des extraits codés depuis un fichier JSON lines (tout ou rien).

    Une ligne par extrait : {"document": id ou titre, "start_char", "end_char", "code",
    "coder", "memo"} ; "text", s'il est donné, doit être le texte exact de l'extrait.
    """
    project = open_project(project_dir)
    with project.store() as store:
        project.sync_codebook(store)
        items = list(read_codings_file(store, file, coder or project.settings.coder))
        try:
            added = store.add_codings(items, actor=coder or project.settings.coder)
        except RecitsError as err:
            raise InputFileError(file, str(err)) from err
    click.echo(f"{file} : {len(added)} extrait(s) codé(s) importé(s)")


def read_codings_file(store: Store, file: Path, default_coder: str | None) -> list[NewCoding]:
    """Parse and check every line before anything is written; errors name file and line."""
    data = read_regular(file, MAX_IMPORT_BYTES, "fichier trop volumineux (plus de 100 Mo)")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(file, "le fichier doit être en UTF-8 (JSON lines)") from err
    items: list[NewCoding] = []
    known = _Known(store)
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(_coding_line(line, default_coder, known))
        except RecitsError as err:
            raise InputFileError(file, f"ligne {number} : {err}") from err
    if not items:
        raise InputFileError(file, "fichier vide : aucun extrait codé")
    return items


class _Known:
    """The project's codes and the documents named so far (id and text), read once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.codes = set(store.code_ids())
        self.documents: dict[str, tuple[str, str, str]] = {}  # ref -> (id, title, text)

    def document(self, ref: str) -> tuple[str, str, str]:
        if ref not in self.documents:
            document = self.store.resolve_document(ref)
            text = self.store.document_text(document.id)
            self.documents[ref] = (document.id, document.title, text)
        return self.documents[ref]


def _coding_line(line: str, default_coder: str | None, known: _Known) -> NewCoding:
    """One line checked as the store would check it, so that each error names its line."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as err:
        raise RecitsError(f"JSON invalide ({err.msg})") from err
    if not isinstance(data, dict):
        raise RecitsError("chaque ligne doit être un objet JSON {…}")
    missing = [k for k in ("document", "start_char", "end_char", "code") if k not in data]
    if missing:
        raise RecitsError(f"champ(s) manquant(s) : {', '.join(missing)}")
    start, end = data["start_char"], data["end_char"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        raise RecitsError("start_char et end_char doivent être des nombres entiers")
    ref = data["document"]
    if not isinstance(ref, str | int) or isinstance(ref, bool):
        raise RecitsError("« document » doit être un identifiant ou un titre")
    document_id, title, text = known.document(str(ref))
    if not 0 <= start < end <= len(text):
        raise RecitsError(
            f"position invalide : {start}–{end} (« {title} » fait {len(text)} caractères ;"
            " il faut 0 ≤ start_char < end_char ≤ longueur)"
        )
    if "text" in data and text[start:end] != data["text"]:
        raise RecitsError(
            f"le texte ne correspond pas aux positions {start}–{end} : attendu"
            f" « {_clip(str(data['text']))} », trouvé « {_clip(text[start:end])} »"
        )
    code = data["code"]
    if not isinstance(code, str) or code not in known.codes:
        raise RecitsError(f"code inconnu : « {code} » (voir « recits codebook check »)")
    origin = data.get("origin") or "manual"
    if origin not in ORIGINS:
        raise RecitsError(f"origine inconnue : « {origin} » ({', '.join(ORIGINS)})")
    coder = data.get("coder") or default_coder
    if not isinstance(coder, str) or not coder.strip():
        raise RecitsError("champ « coder » manquant (ou donnez --coder)")
    memo = data.get("memo") or ""
    if not isinstance(memo, str):
        raise RecitsError("« memo » doit être un texte")
    return NewCoding(
        document_id=document_id,
        start_char=start,
        end_char=end,
        code_id=code,
        coder=coder,
        origin=origin,
        memo=memo,
    )


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
