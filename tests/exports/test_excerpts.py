"""Exporting excerpts as a user would: open each format with its library and read it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest
from odf import teletype
from odf.namespaces import FONS, STYLENS, TEXTNS
from odf.opendocument import load
from odf.style import Style
from odf.text import P, Span

from recits.exports import ExportFilters, ExportRefused, preview_export, write_export
from recits.masking import fold
from tests.conftest import db_snapshot, run
from tests.publishing import build

ATTRIBUTION = "— travailleuse paire, réunion du collectif, mars 2021"
NNBSP = "\u202f"


def export(project, fmt: str, *args: str) -> Path:
    result = run(project, "export", "excerpts", "--format", fmt, *args)
    assert result.exit_code == 0, result.output + result.stderr
    written = next(line for line in result.output.splitlines() if line.startswith("Écrit : "))
    return Path(written.removeprefix("Écrit : ").split(" (sha256")[0])


def docx_text(path: Path) -> tuple[str, list[str]]:
    document = docx.Document(str(path))
    italics = [r.text for p in document.paragraphs for r in p.runs if r.italic]
    props = document.core_properties
    meta = [props.author, props.title, props.comments, props.last_modified_by, props.subject]
    return "\n".join([p.text for p in document.paragraphs] + [m or "" for m in meta]), italics


def odt_text(path: Path) -> tuple[str, list[str]]:
    document = load(str(path))
    italic_styles = {
        s.getAttrNS(STYLENS, "name")
        for s in document.automaticstyles.getElementsByType(Style)
        if any(c.getAttrNS(FONS, "font-style") == "italic" for c in s.childNodes)
    }
    italics = [
        teletype.extractText(span)
        for span in document.getElementsByType(Span)
        if span.getAttrNS(TEXTNS, "style-name") in italic_styles
    ]
    paragraphs = [teletype.extractText(p) for p in document.getElementsByType(P)]
    return "\n".join(paragraphs), italics


def test_docx_holds_consented_testimony_in_italics_with_attribution(project):
    build(project)
    text, italics = docx_text(export(project, "docx", "--code", "charge-mentale"))
    assert "Aurore" not in text  # quotes are attributed by role, never by name
    assert ATTRIBUTION in text
    quote = next(i for i in italics if "CAARUD" in i)
    assert quote.startswith("Moi je suis arrivée au CAARUD en 2018")
    assert f"Yanis m'a aidée. C'est dur{chr(0xA0)}: on est pair 24h/24{NNBSP}!" in quote
    assert f"«{NNBSP}{quote}{NNBSP}»" in text
    assert "On porte tout ça" not in text  # Karim (Yanis) refused
    assert "Charge mentale (1 extrait)" in text
    for name in ("Nadia", "Karim", "Nadou", "python-docx"):
        assert fold(name) not in fold(text)


def test_odt_holds_the_same_quotes_in_italics(project):
    build(project)
    text, italics = odt_text(export(project, "odt", "--code", "charge-mentale"))
    assert any(i.startswith("Moi je suis arrivée au CAARUD") for i in italics)
    assert ATTRIBUTION in text
    assert "Nadia" not in text and "Karim" not in text


def test_markdown_cuts_speaker_labels_out_and_marks_the_cut(project):
    build(project)
    text = export(project, "md", "--code", "formation").read_text(encoding="utf-8")
    # Two turns of Nadia's coded together: the label between them is dropped, "[…]" marks it.
    assert "sans diplôme on m'a dit non. […] Ensuite j'ai croisé Léon au comptoir" in text
    assert "Nadia" not in text and "Bruno" not in text
    # Samia's shorter coding lies inside Claire's: the passage is quoted once, in full.
    assert f"«{NNBSP}*La formation, on me […]*{NNBSP}»" not in text
    assert text.count("La formation, on me") == 1
    assert "— travailleuse paire, entretien, avril 2021" in text
    assert "## Formation (1 extrait)" in text


def test_data_exports_have_one_row_per_excerpt_with_pseudonyms(project):
    corpus = build(project)
    rows = list(csv.DictReader(io.StringIO(export(project, "csv").read_text(encoding="utf-8"))))
    data = json.loads(export(project, "json").read_text(encoding="utf-8"))
    assert [r["coding_id"] for r in rows] == [r["coding_id"] for r in data]
    first = next(r for r in data if r["code"] == "charge-mentale")
    assert first["document_id"] == corpus.meeting
    assert (first["start_char"], first["end_char"]) == corpus.nadia_turn
    assert (first["pseudonym"], first["role"]) == ("Aurore", "travailleuse paire")
    assert first["document_kind"] == "réunion du collectif"
    assert {r["pseudonym"] for r in rows} == {"Aurore"}
    assert "Karim" not in json.dumps(data, ensure_ascii=False)


def test_refused_and_withdrawn_consent_never_exported_and_reported(project):
    build(project)
    preview = preview_export(project.store(), "md", ExportFilters())
    assert preview.selection.excluded_by_pseudonym() == {"Yanis": 2}
    assert any("Yanis (2)" in line for line in preview.summary())
    assert run(project, "participants", "consent", "Aurore", "retiré").exit_code == 0
    result = run(project, "export", "excerpts", "--format", "md", "--preview")
    assert "0 extrait retenu" in result.output
    assert "Aurore (4)" in result.output


def test_withdrawing_one_scope_keeps_the_other(project):
    build(project)
    run(project, "participants", "consent", "Aurore", "accordé", "--scope", "articles,bd")
    run(project, "participants", "consent", "Aurore", "retiré", "--scope", "bd")
    with project.store() as store:
        assert preview_export(store, "md", ExportFilters(scope="bd")).count == 0
        assert preview_export(store, "md", ExportFilters(scope="articles")).count == 3


@pytest.mark.parametrize("fmt", ["md", "docx", "odt", "csv", "json"])
def test_gate_refuses_an_unreviewed_name_and_writes_nothing(project, fmt):
    build(project, review_names=False)  # "Bruno" is detected in a quoted turn, not reviewed
    before = db_snapshot(project.db_path)
    result = run(project, "export", "excerpts", "--format", fmt)
    assert result.exit_code != 0
    assert "export refusé, rien n'a été écrit" in result.stderr
    assert "« Bruno » (nom détecté non revu)" in result.stderr
    assert list(project.exports_dir.iterdir()) == []
    assert db_snapshot(project.db_path) == before
    # The way out is to review the name, not a flag.
    assert run(project, "names", "dismiss", "Bruno", "--reason", "test").exit_code == 0
    last = run(project, "export", "excerpts", "--format", fmt)
    assert last.exit_code == 0, last.stderr


def test_gate_catches_an_alias_left_in_metadata(project, monkeypatch):
    build(project)
    from recits.exports import document

    monkeypatch.setattr(document, "CREATOR", "Nadia")  # as if a bug put a name in the author
    monkeypatch.setattr("recits.exports.docx.CREATOR", "Nadia")
    with project.store() as store, pytest.raises(ExportRefused) as refused:
        write_export(store, "docx", ExportFilters(), exports_dir=project.exports_dir)
    assert any("docProps/core.xml" in leak.where for leak in refused.value.leaks)
    assert list(project.exports_dir.iterdir()) == []


def test_exports_never_overwrite_and_are_audited(project):
    build(project)
    first = export(project, "md")
    second = export(project, "md")
    assert first != second and first.parent == second.parent == project.exports_dir
    result = run(project, "export", "excerpts", "--format", "md", "--out", str(first))
    assert result.exit_code != 0 and "existe déjà" in result.stderr
    with project.store() as store:
        _at, actor, action, details = store.audit_log(limit=1)[0]
    assert (action, actor, details["count"], details["format"]) == (
        "export-excerpts",
        "Claire",
        3,
        "md",
    )
    assert details["file"] == str(second)
    import hashlib

    assert details["sha256"] == hashlib.sha256(second.read_bytes()).hexdigest()
    assert details["excluded_pseudonyms"] == {"Yanis": 2}


def test_unknown_code_is_refused_in_french(project):
    build(project)
    result = run(project, "export", "excerpts", "--format", "md", "--code", "inconnu")
    assert result.exit_code != 0 and "code inconnu" in result.stderr


def test_cut_quotations_are_marked_with_brackets():
    from recits.exports.typography import quotation_text

    assert quotation_text([("La formation, on me", False, True)]) == "La formation, on me […]"
    assert quotation_text([("on me dit", True, False)]) == "[…] on me dit"
    assert quotation_text([("Un.", False, False), ("Deux (...) trois ?", False, False)]) == (
        f"Un. […] Deux […] trois{NNBSP}?"
    )


def test_a_participant_without_pseudonym_is_a_real_name_and_blocks_the_export(project):
    """Sylvie speaks, so she is a participant, but nobody gave her a pseudonym yet: when a
    consenting speaker names her, the export is refused until she gets one."""
    from recits import participants as people
    from recits.models import NewCoding
    from tests.conftest import add_doc, parsed

    build(project)
    with project.store() as store:
        doc = add_doc(
            store,
            parsed(("Nadia", "Sylvie m'a appelée hier soir, encore."), ("Sylvie", "Oui.")),
            "Appel",
            sha256="appel" * 4,
            same=("Nadia",),
        )
        turn = store.turns(doc.id)[0]
        store.add_coding(
            NewCoding(doc.id, turn.start_char, turn.end_char, "charge-mentale", "Claire")
        )
    before = db_snapshot(project.db_path)
    refused = run(project, "export", "excerpts", "--format", "md", "--code", "charge-mentale")
    assert refused.exit_code != 0 and "Sylvie" in refused.stderr
    assert db_snapshot(project.db_path) == before
    assert not list((project.root / "exports").iterdir())
    with project.store() as store:
        people.rename(store, "Sylvie", "Odile")
    text = export(project, "md", "--code", "charge-mentale").read_text(encoding="utf-8")
    assert "Odile m'a appelée hier soir" in text and "Sylvie" not in text


def test_codings_export_is_masked_consented_and_gated_by_default(project, tmp_path):
    """Real names, titles and memos never reach a codings export unless the team asks."""
    corpus = build(project)
    with project.store() as store:
        nadia = next(
            c for c in store.codings(document_id=corpus.meeting)
            if (c.start_char, c.end_char) == corpus.nadia_turn and c.code_id == "charge-mentale"
        )  # fmt: skip
        store.set_coding_memo(nadia.id, "Vu avec Nadia et Bruno", "Claire")
    default = run(project, "codings", "export")
    assert default.exit_code == 0, default.stderr
    rows = [json.loads(line) for line in default.stdout.splitlines()]
    assert rows and all("Nadia" not in json.dumps(r, ensure_ascii=False) for r in rows)
    assert all("Bruno" not in json.dumps(r, ensure_ascii=False) for r in rows)
    assert "écarté(s) faute de consentement" in default.stderr  # Yanis refused
    assert any("Aurore" in r["memo"] and "Léon" in r["memo"] for r in rows)
    assert "texte réel" not in default.stderr

    real = run(project, "codings", "export", "--real-text")
    assert "texte réel" in real.stderr and "Nadia" in real.stdout
    inside = project.exports_dir / "codage.jsonl"
    refused = run(project, "codings", "export", "--real-text", "--out", str(inside))
    assert refused.exit_code != 0 and "exports" in refused.stderr
    assert not inside.exists()


def test_codings_export_refuses_an_unreviewed_name(project):
    build(project, review_names=False)
    before = db_snapshot(project.db_path)
    result = run(project, "codings", "export")
    assert result.exit_code != 0 and "Bruno" in result.stderr and result.stdout == ""
    assert db_snapshot(project.db_path) == before


def test_a_consent_withdrawn_while_the_export_is_built_is_honoured(project, monkeypatch):
    """The export is built before taking the write lock: a withdrawal committed by another
    connection in between makes it build again inside the lock."""
    from recits import participants as people
    from recits.exports import excerpts
    from recits.store import Store

    build(project)
    original = excerpts.preview_export
    calls = []

    def preview_then_withdraw(store, fmt, filters, **kw):
        preview = original(store, fmt, filters, **kw)
        if not calls:  # another coder withdraws Aurore's consent right after the first build
            with Store(project.db_path) as other:
                people.set_consent(other, "Aurore", "retiré", date="2021-05-01")
        calls.append(preview.count)
        return preview

    monkeypatch.setattr(excerpts, "preview_export", preview_then_withdraw)
    with project.store() as store:
        result = write_export(store, "md", ExportFilters(), exports_dir=project.exports_dir)
    assert calls[0] > 0 and len(calls) == 2
    assert result.preview.count == 0
    assert "Moi je suis arrivée" not in result.path.read_text(encoding="utf-8")


def test_a_passage_already_in_guillemets_is_not_quoted_twice(project, tmp_path):
    """A turn that is itself « … », or opens with a quotation: « « … » » in no format."""
    from recits.models import NewCoding
    from tests.conftest import add_doc, parsed

    build(project)
    whole = "« On nous demande d'être là, tout le temps. »"
    opening = "« Tu es pair », qu'il m'a dit, et je l'ai cru."
    with project.store() as store:
        doc = add_doc(
            store, parsed(("Nadia", whole), ("Nadia", opening)), "Atelier",
            sha256="atelier" * 4, kind="réunion du collectif", date="2021-03-16",
            same=("Nadia",),
        )  # fmt: skip
        turns = store.turns(doc.id)
        store.add_codings(
            [NewCoding(doc.id, t.start_char, t.end_char, "legitimite", "Claire") for t in turns]
        )
        first = turns[0]
    md = export(project, "md", "--code", "legitimite").read_text(encoding="utf-8")
    docx_body, _ = docx_text(export(project, "docx", "--code", "legitimite"))
    odt_body, _ = odt_text(export(project, "odt", "--code", "legitimite"))
    for text in (md.replace("*", ""), docx_body, odt_body):
        assert f"«{NNBSP}On nous demande d'être là, tout le temps.{NNBSP}»" in text
        assert f"«{NNBSP}“Tu es pair”, qu'il m'a dit, et je l'ai cru.{NNBSP}»" in text
        for doubled in ("««", "»»", f"«{NNBSP}«", f"»{NNBSP}»"):
            assert doubled not in text
    coded = run(project, "code", doc.id, str(first.start_char), str(first.end_char), "formation")
    assert coded.exit_code == 0, coded.stderr
    assert coded.output.startswith("« On nous demande d'être là, tout le temps. » codé")


def test_guillemets_inside_a_quotation_become_english_quotes():
    from recits.exports.typography import quotation_text

    assert quotation_text([("« Je suis pair. »", False, False)]) == "Je suis pair."
    assert quotation_text([("« Non » et « oui »", False, False)]) == "“Non” et “oui”"
    assert quotation_text([("Il a dit « non » hier.", False, False)]) == "Il a dit “non” hier."
    assert quotation_text([("« Il dit « non » »", False, False)]) == "Il dit “non”"


def test_docx_quotations_keep_line_breaks_tabs_and_markup_characters_as_text():
    """The .docx paragraphs of the quotations are written as Word's XML directly: what python-
    docx would write for them, read back the same, and no character taken for markup."""
    import io

    from recits.exports.docx import _append, _quotation_paragraphs
    from recits.exports.selection import Quotation

    said = "Moi <b>je</b> & toi\tpareil\nEt après ? « ]]> »"
    quotation = Quotation("p1", "Lou", "pair", said, "— travailleuse paire, mars 2021")
    document = docx.Document()
    _append(document, _quotation_paragraphs([quotation, quotation], "« ", " »"))
    buffer = io.BytesIO()
    document.save(buffer)
    reread = docx.Document(io.BytesIO(buffer.getvalue()))
    texts = [p.text for p in reread.paragraphs]
    assert texts == [f"« {said} »", "— travailleuse paire, mars 2021"] * 2
    italic = "".join(r.text for r in reread.paragraphs[0].runs if r.italic)
    assert italic == said.replace("\t", "").replace("\n", "")
