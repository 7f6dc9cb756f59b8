"""Written documents: a published source's reference, its author, set at import or later."""

from __future__ import annotations

import json

from tests.conftest import db_snapshot, run

REPORT = (
    "# Rapport d'activités\n\nLe collectif s'est réuni six fois cette année.\n\n"
    "Les pair·e·s ont choisi les thèmes des réunions.\n"
)
SOURCE = "Rapport d'activités 2020-2021, plateforme travail pair AuRA"


def write_report(tmp_path, name="rapport.md", text=REPORT):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_declares_a_published_source(project, tmp_path):
    result = run(project, "import", str(write_report(tmp_path)), "--source", SOURCE, "--published")
    assert result.exit_code == 0, result.output
    docs = json.loads(run(project, "documents", "--json").output)
    assert (docs[0]["source"], docs[0]["published"]) == (SOURCE, True)
    assert f"[publié : {SOURCE}]" in run(project, "documents").output


def test_documents_edit_sets_source_published_and_author_with_the_audit_log(project, tmp_path):
    run(project, "import", str(write_report(tmp_path)))
    run(project, "participants", "add", "Aurore", "--role", "travailleuse paire")
    result = run(project, "documents", "edit", "rapport", "--source", SOURCE, "--published",
                 "--by", "Samia")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "publié : oui" in result.output
    with project.store() as store:
        doc = store.documents()[0]
        assert (doc.source, doc.published) == (SOURCE, True)
        log = store.audit_log()
        assert (log[0][1], log[0][2]) == ("Samia", "document-source")
    result = run(project, "documents", "edit", "rapport", "--not-published", "--author", "Aurore")
    assert result.exit_code == 0, result.output
    assert "auteur·rice : Aurore" in result.output
    with project.store() as store:
        doc = store.documents()[0]
        assert not doc.published and doc.source == SOURCE
        assert {t.speaker for t in store.turns(doc.id)} == {"Aurore"}
        assert store.audit_log()[0][2] == "document-author"
    run(project, "documents", "edit", "rapport", "--no-author", "--no-source")
    with project.store() as store:
        doc = store.documents()[0]
        assert doc.source is None
        assert {t.participant_id for t in store.turns(doc.id)} == {None}


def test_bad_source_edits_are_refused_in_french_and_change_nothing(project, tmp_path):
    run(project, "import", str(write_report(tmp_path)))
    transcript = write_report(tmp_path, "entretien.txt", "Nadia : Bonjour.\nKarim : Salut.\n")
    run(project, "import", str(transcript))
    before = db_snapshot(project.db_path)
    cases = [
        (("documents", "edit", "rapport", "--published"), "donnez-la avec --source"),
        (("documents", "edit", "rapport", "--author", "Personne"), "participant·e inconnu·e"),
        (("documents", "edit", "entretien", "--author", "Nadia"), "a des tours de parole"),
        (("documents", "edit", "rapport"), "rien à changer"),
        (("documents", "edit", "rapport", "--source", "  "), "référence vide"),
        (("documents", "edit", "rapport", "--source", "x" * 400), "trop longue"),
        (("documents", "edit", "inconnu", "--source", SOURCE), "document introuvable"),
    ]
    for args, message in cases:
        result = run(project, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    assert db_snapshot(project.db_path) == before


def test_import_refuses_a_published_document_without_its_reference(project, tmp_path):
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(write_report(tmp_path)), "--published")
    assert result.exit_code != 0
    assert "--source" in result.output
    assert db_snapshot(project.db_path) == before


def test_import_gives_an_author_to_a_document_without_speakers_only(project, tmp_path):
    run(project, "participants", "add", "Aurore")
    notes = write_report(tmp_path, "notes.md")
    transcript = write_report(tmp_path, "entretien.txt", "Nadia : Bonjour.\nKarim : Salut.\n")
    result = run(project, "import", str(notes), str(transcript), "--author", "Aurore")
    assert result.exit_code == 1
    assert "entretien.txt : a des tours de parole" in result.output
    with project.store() as store:
        (doc,) = store.documents()
        assert {t.speaker for t in store.turns(doc.id)} == {"Aurore"}
        assert store.document_author(doc.id) is not None


def test_search_and_show_say_on_which_page_and_in_which_section(project):
    from tests.exports.test_published_sources import add_report

    add_report(project)
    found = run(project, "search", "témoignage")
    assert "Rapport (p. 12 · 1. Le collectif) [" in found.output
    hits = json.loads(run(project, "search", "témoignage", "--json").output)
    assert (hits[0]["page"], hits[0]["section"]) == (12, "1. Le collectif")
    shown = run(project, "show", "Rapport")
    assert "¶ (p. 11 · 1. Le collectif) : Six réunions" in shown.output
    turns = json.loads(run(project, "show", "Rapport", "--json").output)["turns"]
    assert [t["kind"] for t in turns] == ["heading", None, None]


def test_check_quotes_needs_no_consent_for_a_published_source(project, tmp_path):
    from tests.exports.test_published_sources import TESTIMONY, add_report

    add_report(project)
    draft = tmp_path / "brouillon.md"
    draft.write_text(f"Comme le dit une paire : « {TESTIMONY} »\n", encoding="utf-8")
    result = run(project, "check-quotes", str(draft), "--json")
    assert result.exit_code == 0, result.output
    (check,) = json.loads(result.output)
    assert (check["found"], check["consented"], check["consent"]) == (True, True, "source publiée")
    with project.store() as store:
        store.set_document_source(store.documents()[0].id, source=None, published=False, actor=None)
    assert run(project, "check-quotes", str(draft)).exit_code != 0  # nobody consented
