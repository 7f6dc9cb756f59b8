"""The app in a browser: textual-serve starts one app process per browser tab."""

from __future__ import annotations

import shlex
import sys

from textual_serve.server import Server

from recits.errors import RecitsError
from recits.project import Project


def serve(project: Project, coder: str | None, host: str, port: int) -> None:
    """Serve until ctrl+c; a busy port is a French error."""
    command = [sys.executable, "-m", "recits", "app", "--project", str(project.root)]
    if coder or project.settings.coder:
        command += ["--coder", coder or project.settings.coder or ""]
    try:
        Server(shlex.join(command), host=host, port=port, title="recits").serve()
    except OSError as err:
        raise RecitsError(
            f"impossible d'écouter sur {host}:{port} ({err.strerror or err}) : port déjà utilisé ?"
            " essayez --port avec un autre numéro"
        ) from err
