"""`recits web`: the same app in a browser (textual-serve), one app process per browser tab."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from recits.cli.common import open_project, project_option
from recits.errors import RecitsError


@click.command()
@project_option
@click.option("--coder", help="Qui code (par défaut : le codeur·euse du projet).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, help="Port d'écoute.")
def web(project_dir: Path | None, coder: str | None, host: str, port: int) -> None:
    """Ouvre l'application dans un navigateur (http://HOST:PORT).

    Par défaut seule cette machine y a accès : les données sont sensibles, n'écoutez sur le
    réseau (--host 0.0.0.0) que sur un réseau de confiance.
    """
    project = open_project(project_dir)
    from textual_serve.server import Server  # aiohttp only when serving

    command = [sys.executable, "-m", "recits", "app", "--project", str(project.root)]
    if coder or project.settings.coder:
        command += ["--coder", coder or project.settings.coder or ""]
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("Attention : l'application est accessible depuis le réseau.", err=True)
    click.echo(f"recits dans le navigateur : http://{host}:{port} (ctrl+c pour arrêter)")
    try:
        Server(shlex.join(command), host=host, port=port, title="recits").serve()
    except OSError as err:
        raise RecitsError(
            f"impossible d'écouter sur {host}:{port} ({err.strerror or err}) : port déjà utilisé ?"
            " essayez --port avec un autre numéro"
        ) from err
