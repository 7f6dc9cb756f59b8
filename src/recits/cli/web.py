"""`recits web`: the same app in a browser, one app process per browser tab."""

from __future__ import annotations

from pathlib import Path

import click

from recits.cli.common import RecitsCommand, coder_option, open_project, project_option


@click.command(cls=RecitsCommand)
@project_option
@coder_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, help="Port d'écoute.")
def web(project_dir: Path | None, coder: str | None, host: str, port: int) -> None:
    """Ouvre l'application dans un navigateur (http://HOST:PORT), un onglet par personne.

    Par défaut seule cette machine y a accès. Dès qu'un·e codeur·euse a un mot de passe
    (recits coders password), chaque onglet se connecte et code sous son nom. Sur le réseau
    (--host 0.0.0.0 ou une adresse de la machine), seulement avec des mots de passe, et sur un
    réseau de confiance : la connexion n'est pas chiffrée.
    """
    from recits.coders import logins_configured
    from recits.tui.web import serve  # the web server only when it is wanted
    from recits.tui.web_access import is_loopback

    project = open_project(project_dir)
    with project.store() as store:
        logins = logins_configured(store)
    if not is_loopback(host) and logins:
        click.echo(
            "Attention : l'application est accessible depuis le réseau, connexion non chiffrée.",
            err=True,
        )
    if logins:
        click.echo("Connexion requise : chaque onglet se connecte (nom et mot de passe).")
        if coder:
            click.echo("--coder est ignoré : chaque personne code sous son nom.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"recits dans le navigateur : http://{shown}:{port} (ctrl+c pour arrêter)")
    serve(project, coder, host, port)
