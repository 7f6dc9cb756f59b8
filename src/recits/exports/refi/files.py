"""Writing a REFI-QDA export: a new file (never over another unless asked), recorded with whom
it quotes; an internal copy never in exports/."""

from __future__ import annotations

import hashlib
from datetime import date as Date
from pathlib import Path

from recits.errors import RecitsError
from recits.exports.refi import RefiExport
from recits.files import unused_path, write_new
from recits.store import Store


def check_internal_path(out: Path | None, exports_dir: Path) -> None:
    """An internal copy needs a file named by the user, outside the publishable exports."""
    if out is None:
        raise RecitsError(
            "--internal demande --out FICHIER (hors du dossier exports/) : la copie interne"
            " contient le texte réel et les noms réels",
            in_app="la copie interne demande un fichier hors du dossier exports/ : elle"
            " contient le texte réel et les noms réels",
        )
    if out.absolute().is_relative_to(exports_dir.absolute()):
        raise RecitsError(
            f"{out} : une copie interne ne va jamais dans le dossier des exports publiables"
            f" ({exports_dir}) ; choisissez un fichier ailleurs"
        )


def default_path(exports_dir: Path, fmt: str) -> Path:
    stem = ("grille" if fmt == "qdc" else "projet") + f"-{Date.today().isoformat()}"
    return unused_path(exports_dir, stem, f".{fmt}")


def write_refi(
    store: Store,
    result: RefiExport,
    *,
    exports_dir: Path,
    out: Path | None = None,
    force: bool = False,
    scope: str | None = None,
    actor: str | None = None,
) -> Path:
    """Write the file and record it (audit; a public project export as an export record)."""
    if result.internal:
        check_internal_path(out, exports_dir)
    path = out if out is not None else default_path(exports_dir, result.format)
    if path.exists() and path.is_dir():
        raise RecitsError(f"{path} est un dossier : donnez un nom de fichier")
    digest = hashlib.sha256(result.data).hexdigest()
    written = False
    try:
        with store.write():
            write_new(path, result.data, force=force)
            written = True
            export_id = None
            if result.format == "qdpx" and not result.internal:
                export_id = store.record_export(
                    file=str(path.absolute()), fmt="qdpx", sha256=digest, scope=scope,
                    filters={}, excerpts=result.codings, quoted=dict(result.quoted), actor=actor,
                )  # fmt: skip
            store.audit(
                f"export-{result.format}", actor, file=str(path.absolute()), sha256=digest,
                internal=result.internal, documents=result.documents, codings=result.codings,
                export=export_id,
            )  # fmt: skip
    except BaseException:
        if written and not force:
            path.unlink(missing_ok=True)
        raise
    return path
