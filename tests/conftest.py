"""Shared fixtures: tmp projects, a CLI runner, a byte-exact snapshot of a database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from recits.models import ParsedDocument, ParsedTurn
from recits.project import Project

# The property tests draw the same examples on every run (CI included): a failure is
# reproduced by running the suite again, not by luck. Explore other examples locally with
# `--hypothesis-seed=N`.
settings.register_profile("recits", derandomize=True, print_blob=True)
settings.load_profile("recits")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.init(tmp_path / "projet", coder="Claire")


def run(project: Project | None, *args: str, input: str | None = None) -> Result:
    """Run `recits ARGS --project P` in-process; stderr kept apart from stdout."""
    from recits.cli import cli

    extra = ["--project", str(project.root)] if project else []
    return CliRunner().invoke(cli, [*args, *extra], input=input, catch_exceptions=False)


def db_snapshot(path: Path) -> list[str]:
    """Every row of every table, as SQL: equal snapshots mean an unchanged database."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def parsed(*turns: tuple[str | None, str], fmt: str = "txt") -> ParsedDocument:
    """A ParsedDocument whose text is "Speaker : speech" lines."""
    text, out = "", []
    for speaker, speech in turns:
        prefix = f"{speaker} : " if speaker else ""
        start = len(text) + len(prefix)
        text += prefix + speech + "\n"
        out.append(ParsedTurn(start, start + len(speech), speaker))
    return ParsedDocument(text=text, turns=tuple(out), format=fmt)


def add_doc(store, doc: ParsedDocument, title: str = "Doc", *, same: tuple[str, ...] = (), **kw):
    """Store a document as an import would; `same` as `recits import --participants` (the
    speakers the team says are already known: "Nadia", "Karim=Yanis")."""
    from recits.speakers import parse_links, plan

    params = dict(
        title=title,
        kind="entretien",
        date="2021-04-12",
        source_name=f"{title}.txt",
        source_path=f"/tmp/{title}.txt",
        sha256=title * 4,
        text_sha256="x",
        word_count=10,
        imported_by="Claire",
    )
    params.update(kw)
    with store.write():
        return store.add_document(doc, **params, speakers=plan(store, doc, parse_links(same)))


@pytest.fixture(scope="session")
def nlp():
    """The French spaCy model with recits' adjustments, loaded once for the whole session."""
    from recits.nlp import load_model

    return load_model()
