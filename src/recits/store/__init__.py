"""The store: the only place with SQL (sqlite-utils, migrations, FTS5) behind recits.db."""

from __future__ import annotations

import sys


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite-utils imports numpy only to map numpy dtypes to column types; recits never stores
    numpy values, and numpy costs about 0.1 s of the app's start-up. Hide it for that import
    only: spaCy and scikit-learn import it normally later."""
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()

from recits.models import Status  # noqa: E402
from recits.store.analysis import AnalysisMixin  # noqa: E402
from recits.store.codings import CodingsMixin  # noqa: E402
from recits.store.documents import DocumentsMixin  # noqa: E402
from recits.store.publishing import PublishingMixin  # noqa: E402
from recits.store.search import SearchMixin  # noqa: E402

__all__ = ["Store"]


class Store(DocumentsMixin, CodingsMixin, SearchMixin, AnalysisMixin, PublishingMixin):
    """A connection to a project's database; one per thread."""

    def status(self) -> Status:
        def count(sql: str) -> int:
            return self.db.execute(sql).fetchone()[0]

        by_coder = self.db.execute(
            "SELECT coder, count(*) FROM codings WHERE deleted_at IS NULL"
            " GROUP BY coder ORDER BY coder"
        ).fetchall()
        return Status(
            documents=count("SELECT count(*) FROM documents WHERE deleted_at IS NULL"),
            words=count(
                "SELECT coalesce(sum(word_count), 0) FROM documents WHERE deleted_at IS NULL"
            ),
            participants=count("SELECT count(*) FROM participants WHERE deleted_at IS NULL"),
            codes=count("SELECT count(*) FROM codes WHERE deleted_at IS NULL"),
            codings_by_coder=tuple((c, n) for c, n in by_coder),
        )
