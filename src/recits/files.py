"""Files the user names: only regular files are read (a FIFO or a device would hang a read);
an export is written as a new file, never over another one unless asked."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path
from typing import BinaryIO

from recits.errors import InputFileError, RecitsError

# Checked in this order; a regular file has none of these kinds.
_KINDS = (
    (stat.S_ISDIR, "un dossier"),
    (stat.S_ISFIFO, "un tube nommé (FIFO)"),
    (stat.S_ISCHR, "un périphérique"),
    (stat.S_ISBLK, "un périphérique"),
    (stat.S_ISSOCK, "une socket"),
)
# Opening never waits for a writer (FIFO) nor takes a terminal as controlling one.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is refused (French), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "un fichier spécial")
    return f"ce n'est pas un fichier ordinaire mais {kind} : seuls les fichiers ordinaires sont lus"


def _refuse(path: Path, error: OSError) -> InputFileError:
    if isinstance(error, FileNotFoundError):
        return InputFileError(path, "fichier introuvable")
    return InputFileError(path, f"lecture impossible ({error.strerror or error})")


def check_regular(path: str | Path) -> os.stat_result:
    """The file's status (links followed); InputFileError unless it is a regular file."""
    path = Path(path)
    try:
        status = path.stat()
    except OSError as error:
        raise _refuse(path, error) from None
    problem = not_regular(status.st_mode)
    if problem is not None:
        raise InputFileError(path, problem)
    return status


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for reading in binary; anything else is refused without blocking
    (the check is made on the opened file, so a file swapped for a FIFO meanwhile is caught)."""
    path = Path(path)
    check_regular(path)  # before opening: opening some devices has effects
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise _refuse(path, error) from None
    try:
        problem = not_regular(os.fstat(fd).st_mode)
        if problem is not None:
            raise InputFileError(path, problem)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, too_big: str) -> bytes:
    """A regular file's bytes; `too_big` (French) is the problem when it holds over `limit`."""
    with open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise InputFileError(path, too_big)
        try:
            data = handle.read(limit + 1)  # the file may grow meanwhile
        except OSError as error:
            raise _refuse(Path(path), error) from None
    if len(data) > limit:
        raise InputFileError(path, too_big)
    return data


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem.suffix, or stem-2, stem-3…: a name no file has yet (for default names)."""
    candidate, n = folder / f"{stem}{suffix}", 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{suffix}", n + 1
    return candidate


def write_new(path: Path, data: bytes, *, force: bool = False, in_app: str | None = None) -> None:
    """Write an export file: a new one (refused if the name is taken, `in_app` saying so in
    the app's words), or with `force` a replacement written whole before it takes the name."""
    if not path.parent.is_dir():
        raise RecitsError(f"{path.parent} : dossier introuvable")
    if not force:
        try:
            with path.open("xb") as f:
                f.write(data)
        except FileExistsError:
            raise RecitsError(
                f"{path} existe déjà : choisissez un autre nom (ou --force pour le remplacer)",
                in_app=in_app or f"{path} existe déjà : choisissez un autre nom de fichier",
            ) from None
        return
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
