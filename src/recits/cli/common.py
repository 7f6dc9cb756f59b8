"""Shared pieces of the CLI: the error-handling group, --project, --json, output helpers."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from recits.errors import RecitsError
from recits.models import Document
from recits.project import Project


class RecitsGroup(click.Group):
    """Shows RecitsError (and a locked or broken database) as a French message, exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecitsError as err:
            click.echo(f"Erreur : {err}", err=True)
            ctx.exit(1)
        except sqlite3.OperationalError as err:
            click.echo(f"Erreur : base de données indisponible ({err})", err=True)
            ctx.exit(1)


def project_option(func: Any) -> Any:
    return click.option(
        "--project",
        "-p",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="RECITS_PROJECT",
        help="Dossier du projet (par défaut : le dossier courant).",
    )(func)


def json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Sortie JSON (stable).")(func)


def open_project(project_dir: Path | None) -> Project:
    return Project.open(project_dir or Path.cwd())


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def document_json(doc: Document) -> dict[str, Any]:
    data = asdict(doc)
    data.pop("text")
    return data


def by_option(func: Any) -> Any:
    """--by: who makes a change, for the audit log (default: the project's coder)."""
    return click.option("--by", "actor", help="Qui fait ce changement (pour le journal).")(func)


def actor_of(project: Project, actor: str | None) -> str | None:
    return actor or project.settings.coder
