"""Bundles carry written material: a document's source, published flag and author, its
paragraphs' pages, sections and kinds, its italics; and older bundle formats are still read."""

from __future__ import annotations

import gzip
import json
from hashlib import sha256

from recits.models import ParsedDocument, ParsedTurn
from tests.conftest import add_doc, run
from tests.test_merge import MERGE_CONFLICTS, _gz, base_project, bundle, copy_of, state

REPORT = "Rapport d'activités 2020-2021, plateforme travail pair AuRA"


def report_doc() -> ParsedDocument:
    parts = [
        ("1. Former les équipes", 3, None, "heading"),
        ("Les pairs forment les équipes depuis 2019.", 3, "1. Former les équipes", None),
        ("On m'a enfin écoutée ce jour-là, dit une paire.", 4, "1. Former les équipes", None),
        ("Voir le rapport 2019.", 4, "1. Former les équipes", "footnote"),
    ]
    text, turns = "", []
    for words, page, section, kind in parts:
        turns.append(ParsedTurn(len(text), len(text) + len(words), None, None, page, section, kind))
        text += words + "\n\n"
    start = text.index("On m'a")
    return ParsedDocument(
        text=text, turns=tuple(turns), format="pdf", italics=((start, start + 26),)
    )


def add_report(project) -> str:
    doc = report_doc()
    with project.store() as store:
        added = add_doc(store, doc, "Rapport", text_sha256=sha256(doc.text.encode()).hexdigest())
    return getattr(added, "id", None) or _doc_id(project, "Rapport")


def _doc_id(project, title: str) -> str:
    with project.store() as store:
        return next(d.id for d in store.documents() if d.title == title)


def written(project, title: str = "Rapport") -> dict:
    """What a user sees of a written document: its fields, paragraphs and italics."""
    with project.store() as store:
        doc = next(d for d in store.documents() if d.title == title)
        return {
            "source": doc.source,
            "published": doc.published,
            "author": store.document_author(doc.id),
            "turns": [(t.page, t.section, t.kind) for t in store.turns(doc.id)],
            "italics": store.italics(doc.id),
        }


def edit(project, *args: str) -> None:
    result = run(project, "documents", "edit", "Rapport", *args)
    assert result.exit_code == 0, result.output


def test_a_new_written_document_comes_with_its_source_pages_and_italics(tmp_path):
    base = base_project(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    add_report(b)
    edit(b, "--source", REPORT, "--published")
    result = run(a, "merge", str(bundle(b, tmp_path, "b")))
    assert result.exit_code == 0, result.output
    assert "passage(s) en italique : 1 ajouté(s)" in result.output
    assert written(a) == written(b)
    assert written(a)["source"] == REPORT and written(a)["published"] is True
    assert written(a)["turns"][0] == (3, None, "heading")
    assert written(a)["italics"] and written(a)["turns"][3][2] == "footnote"


def test_a_written_document_edited_on_one_copy_travels_by_its_text(tmp_path):
    """The same report imported apart on both copies (two ids): the source and the author
    given on one copy reach the other's document."""
    base = base_project(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    add_report(a)
    add_report(b)
    edit(b, "--source", REPORT, "--author", "Nadia")
    result = run(a, "merge", str(bundle(b, tmp_path, "b")))
    assert result.exit_code == 0, result.output
    with a.store() as store:
        nadia = next(p.id for p in store.participants() if p.pseudonym == "Nadia")
    assert written(a)["source"] == REPORT and written(a)["author"] == nadia
    assert "Rien de nouveau" in run(a, "merge", str(bundle(b, tmp_path, "b2"))).output


def test_two_sources_or_authors_are_conflicts_kept_fail_closed(tmp_path):
    base = base_project(tmp_path)
    add_report(base)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    edit(a, "--source", "Rapport 2020", "--published", "--author", "Nadia")
    edit(b, "--source", "Rapport 2021", "--author", "Karim")
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")
    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "« Rapport » : deux références de source, « Rapport 2020 » et « Rapport 2021 »" in (
        result.output
    )
    assert "source publiée d'un côté, pas de l'autre" in result.output
    assert "deux auteur·rice·s, « Karim » et « Nadia »" in result.output
    assert written(a)["published"] is False  # consent is still asked meanwhile
    assert run(b, "merge", str(bundle_a)).exit_code == MERGE_CONFLICTS
    assert state(a) == state(b) and written(a) == written(b)


def _older(project, tmp_path, version: int):
    data = json.loads(gzip.decompress(bundle(project, tmp_path, "neuf").read_bytes()))
    for table in ("italics", "scenes", "scene_sources", "scene_characters", "scene_panels",
                  "scene_lines", "scene_status_history", "scene_comments",
                  "scene_validations"):  # fmt: skip
        del data[table]
    for row in data["documents"]:
        for field in ("source", "published", "author"):
            del row[field]
    for row in data["turns"]:
        for field in ("page", "section", "kind"):
            del row[field]
    path = tmp_path / f"format{version}.recits"
    path.write_bytes(_gz({**data, "version": version}))
    return path


def test_a_bundle_of_format_2_is_still_read_and_changes_no_written_field(tmp_path):
    base = base_project(tmp_path)
    add_report(base)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    edit(a, "--source", REPORT, "--published", "--author", "Nadia")
    before = written(a)
    result = run(a, "merge", str(_older(b, tmp_path, 2)))
    assert result.exit_code == 0, result.output  # an older bundle knows nothing: no conflict
    assert written(a) == before
    fresh = copy_of(base, tmp_path, "c")
    result = run(fresh, "merge", str(_older(a, tmp_path, 2)))
    assert result.exit_code == 0, result.output
    assert written(fresh)["source"] is None  # what format 2 could not carry
    from recits.project import Project

    empty = Project.init(tmp_path / "vide", coder="Claire")
    with empty.store() as store:
        empty.sync_codebook(store)
    result = run(empty, "merge", str(_older(a, tmp_path, 2)))
    assert result.exit_code == 0, result.output  # its documents come, not published
    assert written(empty)["published"] is False and len(written(empty)["turns"]) == 4


def test_codes_of_projects_started_apart_share_their_uuids(tmp_path):
    from recits.project import Project

    uuids = []
    for name in ("un", "deux"):
        project = Project.init(tmp_path / name, coder="Claire")
        with project.store() as store:
            project.sync_codebook(store)
            uuids.append(store.code_uuids())
    assert uuids[0] == uuids[1] and len(uuids[0]) > 3
