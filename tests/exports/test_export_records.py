"""Each export records whom it quotes; `recits exports` lists them to follow up a withdrawal."""

from __future__ import annotations

import json

import pytest

from recits.exports import ExportFilters, ExportRefused, write_export
from recits.exports.excerpts import quoted_in_file
from tests.conftest import db_snapshot, run
from tests.exports.test_excerpts import export
from tests.publishing import build


def listed(project, *args: str) -> list[dict]:
    result = run(project, "exports", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


def test_each_export_records_whom_it_quotes_with_its_audit_row(project):
    build(project)
    md = export(project, "md")
    csv = export(project, "csv", "--coder", "Samia")
    with project.store() as store:
        records = store.export_records()
        audit = [d for _at, _a, action, d in store.audit_log() if action == "export-excerpts"]
        aurore = next(p for p in store.participants() if p.pseudonym == "Aurore")
    assert [r.file for r in records] == [str(md), str(csv)]
    assert [d["export"] for d in reversed(audit)] == [r.id for r in records]
    first = records[0]
    assert (first.format, first.scope, first.written_by, first.quoted_known) == (
        "md", "articles", "Claire", True,
    )  # fmt: skip
    assert first.excerpts == 2 and first.quoted == ((aurore.id, 2),)  # two passages, both hers
    assert records[1].quoted == ((aurore.id, 1),)  # Samia coded one of Aurore's turns


def test_exports_for_a_participant_say_how_many_excerpts_and_if_the_file_is_still_there(project):
    build(project)
    md = export(project, "md")
    docx = export(project, "docx")
    md.unlink()
    found = listed(project, "--participant", "Aurore")
    assert [e["file"] for e in found] == [str(md), str(docx)]
    assert [e["on_disk"] for e in found] == [False, True]
    assert [e["participant_excerpts"] for e in found] == [2, 2]
    assert found[1]["participants"] == [
        {"id": found[1]["participants"][0]["id"], "pseudonym": "Aurore", "excerpts": 2}
    ]
    text = run(project, "exports", "--participant", "Aurore").output
    assert "2 extrait(s) sur 2" in text and "absent (supprimé ou déplacé)" in text
    assert str(docx) in text and "présent" in text
    assert listed(project, "--participant", "Yanis") == []  # refused: never quoted
    said = run(project, "exports", "--participant", "Yanis").output
    assert "Aucun export ne contient les propos de « Yanis »." in said
    everything = run(project, "exports").output
    assert "cite : Aurore (2)" in everything and everything.count("\n    ") == 2


def test_a_withdrawal_says_which_earlier_exports_hold_their_words(project):
    build(project)
    export(project, "md")
    export(project, "json")
    said = run(project, "participants", "consent", "Aurore", "retiré", "--scope", "bd").output
    assert "Aucun export antérieur ne contient ses propos." in said  # both were for articles
    said = run(project, "participants", "consent", "Aurore", "retiré").output
    assert "consentement retiré le" in said
    assert (
        "Ses propos figurent dans 2 exports antérieurs (2 fichiers encore présents) :"
        " « recits exports --participant Aurore » les liste, pour les reprendre."
    ) in said
    said = run(project, "participants", "consent", "Yanis", "refusé").output
    assert "Aucun export antérieur ne contient ses propos." in said
    said = run(project, "participants", "consent", "Aurore", "accordé", "--scope", "bd").output
    assert "exports" not in said  # an agreement has nothing to follow up


def test_a_refused_export_records_nothing(project):
    build(project, review_names=False)  # "Bruno" blocks every export
    before = db_snapshot(project.db_path)
    with project.store() as store, pytest.raises(ExportRefused):
        write_export(store, "md", ExportFilters(), exports_dir=project.exports_dir)
    assert db_snapshot(project.db_path) == before
    assert listed(project) == []
    assert run(project, "exports").output.strip() == "Aucun export enregistré."


def test_excerpts_counted_as_the_file_holds_them(project):
    from recits.exports import preview_export

    build(project)
    with project.store() as store:
        md = preview_export(store, "md", ExportFilters())
        data = preview_export(store, "json", ExportFilters())
    assert quoted_in_file(md)[0] == md.selection.passage_count
    assert quoted_in_file(data)[0] == data.selection.count


def test_exports_of_an_unknown_participant_is_refused_in_french(project):
    build(project)
    before = db_snapshot(project.db_path)
    result = run(project, "exports", "--participant", "Personne")
    assert result.exit_code == 1
    assert "participant·e inconnu·e : « Personne »" in result.stderr
    assert db_snapshot(project.db_path) == before


def test_exports_is_not_the_export_group():
    result = run(None, "export", "--help")
    assert "excerpts" in result.output
    result = run(None, "exports", "--help")
    assert "--participant" in result.output and result.exit_code == 0


def test_merging_two_people_keeps_the_exports_that_quoted_either(project):
    """After « Aurore » is merged into another record, her earlier exports are listed there."""
    build(project)
    md = export(project, "md")
    assert run(project, "participants", "add", "Odile").exit_code == 0
    merged = run(project, "participants", "merge", "Odile", "Aurore")
    assert merged.exit_code == 0, merged.stderr
    assert [e["file"] for e in listed(project, "--participant", "Odile")] == [str(md)]
    assert [e["participant_excerpts"] for e in listed(project, "--participant", "Odile")] == [2]
