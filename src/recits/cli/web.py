"""`recits web`: the same app in a browser, one app process per browser tab."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import open_project, project_option


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
    from recits.tui.web import serve  # the web server only when it is wanted

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("Attention : l'application est accessible depuis le réseau.", err=True)
    click.echo(f"recits dans le navigateur : http://{host}:{port} (ctrl+c pour arrêter)")
    serve(project, coder, host, port)
