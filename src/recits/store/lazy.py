"""sqlite-utils, imported only when the store first writes (reading needs only sqlite3)."""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def database(conn: sqlite3.Connection) -> Database:
    """A sqlite-utils Database over an open connection."""
    import_sqlite_utils()
    from sqlite_utils import Database

    return Database(conn)


def import_sqlite_utils() -> None:
    """sqlite-utils imports numpy only to map numpy dtypes to column types; recits never stores
    numpy values, and numpy costs about 0.1 s. Hide it for that import only: spaCy and
    scikit-learn import it normally later."""
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
