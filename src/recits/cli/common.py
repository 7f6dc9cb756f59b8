"""Shared pieces of the CLI: the error-handling group, --project, --json, output helpers."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from recits.errors import RecitsError
from recits.models import Document
from recits.project import Project


class FrenchFormatter(click.HelpFormatter):
    """Help pages in French: click's own headings, value types and notes are English."""

    SECTIONS = {"Commands": "Commandes", "Arguments": "Arguments", "Options": "Options"}
    TYPES = {"FLOAT RANGE": "NOMBRE", "INTEGER RANGE": "ENTIER", "INTEGER": "ENTIER",
             "TEXT": "TEXTE", "DIRECTORY": "DOSSIER", "FILE": "FICHIER",
             "PATH": "CHEMIN"}  # fmt: skip
    NOTES = {"[default: ": "[par défaut : ", "[required]": "[obligatoire]"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Utilisation : " if prefix is None else prefix)

    def section(self, name: str) -> Any:
        return super().section(self.SECTIONS.get(name, name))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        french = []
        for term, help_text in rows:
            for english, word in self.TYPES.items():
                term = re.sub(rf"(?<=\s){english}$", word, term)
            for english, note in self.NOTES.items():
                help_text = help_text.replace(english, note)
            french.append((term, help_text))
        super().write_dl(french, *args, **kwargs)


class FrenchContext(click.Context):
    formatter_class = FrenchFormatter


class FrenchHelp:
    context_class = FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option


class RecitsCommand(FrenchHelp, click.Command):
    pass


class RecitsGroup(FrenchHelp, click.Group):
    """French help; RecitsError (and a locked or broken database) shown as a French message,
    exit code 1."""

    command_class = RecitsCommand
    group_class = type  # subgroups are RecitsGroups too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecitsError as err:
            click.echo(f"Erreur : {err}", err=True)
            ctx.exit(1)
        except sqlite3.OperationalError as err:
            click.echo(f"Erreur : base de données indisponible ({err})", err=True)
            ctx.exit(1)


# click's usage errors are English: the common ones, said in French.
_USAGE_ERRORS = (
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?$"), "option inconnue : {0}"),
    (
        re.compile(r"No such option:? '?([^'\s]+?)'?\.\s+Did you mean (.+)\?"),
        "option inconnue : {0} (vouliez-vous dire {1} ?)",
    ),
    (re.compile(r"No such command '(.+)'\."), "commande inconnue : « {0} »"),
    (re.compile(r"Missing argument '(.+)'\."), "argument manquant : {0}"),
    (re.compile(r"Missing option '(.+)'\."), "option obligatoire manquante : {0}"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "argument(s) en trop : {0}"),
    (re.compile(r"Option '(.+)' requires an argument\."), "l'option {0} attend une valeur"),
    (re.compile(r"Invalid value for '(.+?)': (.+)", re.S), "valeur invalide pour {0} : {1}"),
)


def french_usage_error(err: click.UsageError) -> str:
    message = err.format_message()
    for pattern, french in _USAGE_ERRORS:
        match = pattern.search(message)
        if match:
            message = french.format(*match.groups())
            break
    command = err.ctx.command_path if err.ctx else "recits"
    return f"Erreur : {message}\nVoir « {command} --help »."


def from_group(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A group option given on the command line (`recits --project DIR status`) reaches the
    subcommands; the subcommand's own option, when given, wins; then RECITS_PROJECT."""
    name = param.name or ""
    if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
        return value
    parent = ctx.parent
    while parent is not None:
        if parent.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            return parent.params[name]
        parent = parent.parent
    return value


def project_option(func: Any) -> Any:
    return click.option(
        "--project",
        "-p",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="RECITS_PROJECT",
        callback=from_group,
        help="Dossier du projet (par défaut : le dossier courant, ou RECITS_PROJECT).",
    )(func)


def coder_option(func: Any) -> Any:
    return click.option(
        "--coder",
        callback=from_group,
        help="Qui code (par défaut : le codeur·euse du projet).",
    )(func)


def progressbar(length: int, label: str, **options: Any) -> Any:
    """A progress bar on stderr, only on a terminal: nothing at all in a log or a pipe."""
    return click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True,
        hidden=not sys.stderr.isatty(), **options,
    )  # fmt: skip


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
