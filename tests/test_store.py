"""The store: migrations, documents and turns, codings, tombstones, search."""

from __future__ import annotations

import contextlib

import pytest

from recits.errors import RecitsError
from recits.migrations import migrations
from recits.models import NewCoding
from recits.store import Store
from tests.conftest import add_doc, db_snapshot, parsed

INTERVIEW = parsed(
    ("Intervieweuse", "Comment ça se passe avec l'équipe ?"),
    ("Nadia", "Au début les éducateurs me voyaient comme une usagère. Maintenant ça va mieux."),
    ("Intervieweuse", "Et la formation ?"),
    ("Nadia", "J'ai fait le DU, c'était dur. Les pair-e-s étaient là, on s'est soutenu·e·s."),
)


@pytest.fixture
def store(project):
    with project.store() as s:
        yield s


def test_migrations_applied_twice_change_nothing(project):
    with project.store() as store:
        before = db_snapshot(project.db_path)
        migrations.apply(store.db)
        store.migrate()
    assert db_snapshot(project.db_path) == before
    with project.store() as store:
        assert store.applied_migrations() == [
            "m001_initial_schema",
            "m002_analysis",
            "m003_publishing",
            "m004_speakers_index",
            "m005_documents_listing_index",
            "m006_document_speakers",
            "m007_coders",
            "m008_participant_identity",
            "m009_consent_ledger",
            "m012_drop_unused_memos",
            "m013_pages_and_published_sources",
            "m014_coder_ids",
            "m017_scenes",
            "m019_merge_conflicts",
            "m020_consensus_rejections",
            "m021_italics",
            "m022_consent_ledger",
            "m023_memos",
        ]


def test_opening_a_current_project_knows_the_newest_migration(project):
    """The store skips sqlite-utils when the newest migration is applied: it must be the last."""
    from recits.store.base import LATEST_MIGRATION

    assert [m.name for m in migrations._migrations][-1] == LATEST_MIGRATION


def test_an_old_project_is_migrated_when_opened(tmp_path):
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from recits.store import Store

    older = Migrations("recits")  # a project made before the newest migration shipped
    for migration in migrations._migrations[:-1]:
        older()(migration.fn)
    path = tmp_path / "ancien.db"
    db = Database(path)
    older.apply(db)
    db.close()
    with Store(path) as store:
        assert store.applied_migrations()[-1] == migrations._migrations[-1].name
        assert store.conn.execute("SELECT count(*) FROM name_decisions").fetchone() == (0,)
        assert store.coders() == []


def test_a_project_imported_before_m006_gets_who_speaks_in_each_document(project):
    import sqlite3

    from recits.store import Store

    with project.store() as store:
        add_doc(store, INTERVIEW, title="Entretien Nadia")
    conn = sqlite3.connect(project.db_path)  # back to how m005 left it
    with conn:
        conn.execute("DROP TABLE document_speakers")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_document_speakers'")
    conn.close()
    with Store(project.db_path) as store:
        with store.write():  # the store skips migrating when the newest one is applied
            migrations.apply(store.db)
        assert list(store.document_speakers().values()) == [["Intervieweuse", "Nadia"]]


def test_the_corpus_lists_documents_and_their_progress_from_indexes(store):
    """At start-up, never through the documents' text (the columns after it sit past its
    overflow pages) nor the turns."""
    add_doc(store, parsed(("Nadia", "bonjour.")), "a")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    assert len(store.documents()) == 1
    store.document_speakers()
    store.conn.set_trace_callback(None)
    for sql in statements:
        plan = " ".join(row[-1] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "SCAN documents" not in plan and "SCAN turns" not in plan, plan
        # who speaks: the few rows per document written at import, in their key's order
        assert "COVERING INDEX" in plan or "SCAN s" in plan, plan


def test_wal_and_foreign_keys_are_on(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_document_turns_and_participants(store):
    doc = add_doc(store, INTERVIEW, title="Entretien Nadia")
    turns = store.turns(doc.id)
    assert [t.speaker for t in turns] == ["Intervieweuse", "Nadia", "Intervieweuse", "Nadia"]
    text = store.document_text(doc.id)
    assert all(text[t.start_char : t.end_char] == t.text for t in turns)
    assert "pair-e-s" in turns[3].text and "soutenu·e·s" in turns[3].text
    assert sorted(p.pseudonym for p in store.participants()) == ["Intervieweuse", "Nadia"]
    # The same speakers in a second document: the same people only when the team says so.
    add_doc(store, INTERVIEW, title="Autre", same=("Nadia", "Intervieweuse"))
    assert len(store.participants()) == 2
    add_doc(store, INTERVIEW, title="Encore")
    flagged = [p for p in store.participants() if p.same_label_as]
    assert sorted(p.pseudonym for p in flagged) == ["Locuteur·rice 2", "Locuteur·rice 3"]


def test_a_paragraph_keeps_its_page_section_and_kind(store):
    from recits.models import ParsedDocument, ParsedTurn

    lines = ["Bilan", "Les pair·e·s ont été recruté·e·s.", "1. Voir annexe."]
    text = "\n".join(lines) + "\n"
    starts = [text.index(line) for line in lines]
    spans = [(s, s + len(line)) for s, line in zip(starts, lines, strict=True)]
    doc = add_doc(
        store,
        ParsedDocument(
            text=text,
            turns=(
                ParsedTurn(*spans[0], page=3, section=None, kind="heading"),
                ParsedTurn(*spans[1], page=3, section="Bilan"),
                ParsedTurn(*spans[2], page=4, section="Bilan", kind="footnote"),
            ),
            format="pdf",
        ),
        title="Rapport",
    )
    turns = store.turns(doc.id)
    assert [(t.page, t.section, t.kind) for t in turns] == [
        (3, None, "heading"),
        (3, "Bilan", None),
        (4, "Bilan", "footnote"),
    ]
    assert [t.text for t in turns] == [
        "Bilan",
        "Les pair·e·s ont été recruté·e·s.",
        "1. Voir annexe.",
    ]
    stored = store.document(doc.id)
    assert stored is not None and stored.published is False and stored.source is None


def test_resolve_document_by_id_prefix_and_title(store):
    doc = add_doc(store, INTERVIEW, title="Entretien Nadia")
    assert store.resolve_document(doc.id).id == doc.id
    assert store.resolve_document(doc.id[:8]).id == doc.id
    assert store.resolve_document("Entretien Nadia").id == doc.id
    with pytest.raises(RecitsError, match="document introuvable : « Inconnu »"):
        store.resolve_document("Inconnu")


def test_coding_stores_text_and_is_idempotent(project, store):
    project.sync_codebook(store)
    doc = add_doc(store, INTERVIEW)
    text = store.document_text(doc.id)
    start = text.index("J'ai fait le DU")
    end = start + len("J'ai fait le DU, c'était dur.")
    coding = store.add_coding(NewCoding(doc.id, start, end, "formation", "Claire"))
    assert coding.text == "J'ai fait le DU, c'était dur." == text[start:end]
    again = store.add_coding(NewCoding(doc.id, start, end, "formation", "Claire"))
    assert again.id == coding.id
    other = store.add_coding(NewCoding(doc.id, start, end, "formation", "Samia"))
    assert other.id != coding.id
    assert store.status().codings_by_coder == (("Claire", 1), ("Samia", 1))


def test_coding_progress_is_the_share_of_turns_coded_per_coder(project, store):
    project.sync_codebook(store)
    coded = add_doc(store, parsed(("Nadia", "un."), ("Karim", "deux."), ("Nadia", "trois.")), "a")
    add_doc(store, parsed(("Nadia", "rien de codé.")), "b")
    assert store.coding_progress() == {}
    store.add_coding(NewCoding(coded.id, 0, 10, "formation", "Claire"))  # "Nadia : un."
    removed = store.add_coding(NewCoding(coded.id, 12, 25, "formation", "Samia"))
    store.remove_coding(removed.id, by="Samia")
    assert store.coding_progress() == {coded.id: {"Claire": 1 / 3}}
    text = store.document_text(coded.id)
    # From the middle of the first turn to the middle of the second: both count, once each.
    store.add_coding(NewCoding(coded.id, 9, text.index("deux") + 2, "formation", "Léo"))
    store.add_coding(NewCoding(coded.id, 8, 10, "legitimite", "Léo"))
    assert store.coding_progress() == {coded.id: {"Claire": 1 / 3, "Léo": 2 / 3}}


def test_removed_coding_is_a_tombstone(project, store):
    project.sync_codebook(store)
    doc = add_doc(store, INTERVIEW)
    coding = store.add_coding(NewCoding(doc.id, 0, 5, "legitimite", "Claire"))
    store.remove_coding(coding.id, by="Claire")
    assert store.codings() == []
    row = store.db.execute(
        "SELECT deleted_at, deleted_by FROM codings WHERE id = ?", [coding.id]
    ).fetchone()
    assert row[0] and row[1] == "Claire"
    with pytest.raises(RecitsError, match="introuvable"):
        store.remove_coding(coding.id, by="Claire")


@pytest.mark.parametrize(
    ("start", "end", "code", "message"),
    [
        (5, 5, "formation", "position invalide"),
        (-1, 4, "formation", "position invalide"),
        (0, 10_000, "formation", "position invalide"),
        (0, 4, "inexistant", "code inconnu : « inexistant »"),
    ],
)
def test_bad_codings_are_refused_and_nothing_written(project, store, start, end, code, message):
    project.sync_codebook(store)
    doc = add_doc(store, INTERVIEW)
    good = NewCoding(doc.id, 0, 4, "formation", "Claire")
    before = db_snapshot(project.db_path)
    with pytest.raises(RecitsError, match=message):
        store.add_codings([good, NewCoding(doc.id, start, end, code, "Claire")])
    assert db_snapshot(project.db_path) == before


def test_search_ignores_accents_and_gives_offsets(store):
    doc = add_doc(store, INTERVIEW)
    text = store.document_text(doc.id)
    hits = store.search("educateurs")
    assert len(hits) == 1
    hit = hits[0]
    assert text[hit.start_char : hit.end_char] == "éducateurs"
    assert hit.speaker == "Nadia" and hit.document_id == doc.id
    assert "éducateurs" in hit.snippet
    assert [text[h.start_char : h.end_char] for h in store.search("FORMATION")] == ["formation"]


def test_search_phrases_prefixes_and_inclusive_writing(store):
    doc = add_doc(store, INTERVIEW)
    text = store.document_text(doc.id)
    phrase = store.search('"comme une usagère"')
    assert [text[h.start_char : h.end_char] for h in phrase] == ["comme une usagère"]
    assert [text[h.start_char : h.end_char] for h in store.search("usag*")] == ["usagère"]
    assert [text[h.start_char : h.end_char] for h in store.search("pair")] == ["pair"]
    assert store.search("absent") == []
    with pytest.raises(RecitsError, match="recherche vide"):
        store.search(' " ; ')


def test_search_query_syntax_cannot_break_fts(store):
    add_doc(store, INTERVIEW)
    for query in ["NEAR(", "a OR", '"unbalanced', "col:value", "*", "AND"]:
        with contextlib.suppress(RecitsError):
            store.search(query)


def test_each_thread_opens_its_own_connection(project):
    s = Store(project.db_path)
    assert s.db.conn is not Store(project.db_path).db.conn


def test_the_unused_memos_table_is_gone_unless_it_holds_something(project):
    import sqlite3

    from recits.store import Store

    with project.store() as store:  # m023 made a new memos table, empty
        assert store.db["memos"].count == 0
    conn = sqlite3.connect(project.db_path)  # an older project, whose memos someone filled
    with conn:
        conn.execute("DROP TABLE memos")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm023_memos'")
        conn.execute("CREATE TABLE memos (id TEXT PRIMARY KEY, target_type TEXT, text TEXT)")
        conn.execute("INSERT INTO memos VALUES ('m', 'project', 'note')")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_drop_unused_memos'")
    conn.close()
    with Store(project.db_path) as store, store.write():
        migrations.apply(store.db)
        assert store.db["memos"].count == 1  # kept: nothing is lost
        assert [(m.target_type, m.text) for m in store.memos()] == [("project", "note")]
