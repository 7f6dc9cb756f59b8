"""The store: the only place with SQL (sqlite-utils, migrations, FTS5) behind recits.db."""

from __future__ import annotations

from recits.models import Status
from recits.store.agreement import AgreementMixin
from recits.store.analysis import AnalysisMixin
from recits.store.bundles import BundlesMixin
from recits.store.codebook import CodebookMixin
from recits.store.coders import CodersMixin
from recits.store.codings import CodingsMixin
from recits.store.documents import DocumentsMixin
from recits.store.exports import ExportsMixin
from recits.store.identity import IdentityMixin
from recits.store.memos import MemosMixin
from recits.store.publishing import PublishingMixin
from recits.store.scenes import ScenesMixin
from recits.store.search import SearchMixin

__all__ = ["Store"]


# A mixin that uses another's methods inherits it (search -> analysis -> codings -> documents),
# so each is listed before those it builds on.
class Store(
    ScenesMixin, BundlesMixin, SearchMixin, AnalysisMixin, CodebookMixin, CodingsMixin,
    DocumentsMixin, PublishingMixin, CodersMixin, ExportsMixin, IdentityMixin, AgreementMixin,
    MemosMixin,
):  # fmt: skip
    """A connection to a project's database; one per thread."""

    def status(self) -> Status:
        def count(sql: str) -> int:
            return self.conn.execute(sql).fetchone()[0]

        by_coder = self.conn.execute(
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
