"""REFI-QDA exports as another tool reads them: valid, masked, consented, exact offsets."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from recits.exports.refi.schema import schema
from recits.masking import fold
from tests.conftest import db_snapshot, run
from tests.publishing import build

NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
REAL_NAMES = ("Nadia", "Karim", "Bruno", "Nadou")


def export(project, *args: str) -> Path:
    result = run(project, "export", *args)
    assert result.exit_code == 0, result.output + result.stderr
    line = next(x for x in result.output.splitlines() if x.startswith("Écrit : "))
    return Path(line.removeprefix("Écrit : "))


def read_qdpx(path: Path) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {
            n.removeprefix("sources/"): archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("sources/")
        }
    return root, texts


def memo(project, text: str) -> None:
    with project.store() as store:
        coding = next(c for c in store.codings() if c.coder == "Samia" and "formation" in c.code_id)
        store.set_coding_memo(coding.id, text, "Samia")


def test_qdpx_validates_and_holds_only_masked_consented_speech(project):
    build(project)
    memo(project, "Revoir avec Nadia ce passage.")
    root, texts = read_qdpx(export(project, "qdpx"))
    assert schema("project").validate(root), schema("project").error_log
    everything = etree.tostring(root, encoding="unicode") + "\n".join(texts.values())
    for name in REAL_NAMES:
        assert fold(name) not in fold(everything)
    assert "On porte tout ça" not in everything  # Yanis (Karim) refused
    assert "Rachid" not in everything  # in Claire's turn: she never answered
    assert "[passage retiré]" in everything
    assert "Aurore : Moi je suis arrivée au CAARUD en 2018 ; Yanis m'a aidée." in everything
    notes = root.findall(".//q:Note/q:PlainTextContent", NS)
    assert [n.text for n in notes] == ["Revoir avec Aurore ce passage."]
    cases = [c.get("name") for c in root.findall(".//q:Case", NS)]
    assert cases == ["Aurore"]


def test_offsets_are_code_points_on_the_text_written(project):
    """Nadia → Aurore and Bruno → Léon change lengths: every selection still lands on its
    text, counted in code points, end exclusive."""
    build(project)
    root, texts = read_qdpx(export(project, "qdpx"))
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 3
    selected = []
    for source in root.findall(".//q:TextSource", NS):
        text = texts[source.get("plainTextPath").removeprefix("internal://")]
        for sel in source.findall("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            selected.append(text[start:end])
            name = sel.get("name")  # the text, cut with "…" when long
            assert text[start:end] == name or text[start:end].startswith(name[:-1])
    assert any(s.endswith("Léon au comptoir, il m'a dit de tenir bon.") for s in selected)
    assert any(s.startswith("Moi je suis arrivée au CAARUD en 2018 ; Yanis") for s in selected)


def test_qdc_validates_with_hierarchy_colours_descriptions(project, tmp_path):
    build(project)
    out = tmp_path / "grille.qdc"
    export(project, "qdc", "--out", str(out))
    root = etree.fromstring(out.read_bytes())
    assert schema("codebook").validate(root), schema("codebook").error_log
    codes = root.findall(".//c:Code", NS)
    assert [c.get("name") for c in codes][:2] == ["Charge mentale", "Légitimité"]
    assert codes[0].get("color") == "#d64541"
    assert codes[0].find("c:Description", NS).text.startswith("Le poids psychologique")


def test_unreviewed_name_refuses_the_export_and_writes_nothing(project, tmp_path):
    build(project, review_names=False)
    before = db_snapshot(project.db_path)
    out = tmp_path / "projet.qdpx"
    result = run(project, "export", "qdpx", "--out", str(out))
    assert result.exit_code != 0
    assert "Bruno" in result.stderr and "export refusé" in result.stderr
    assert not out.exists()
    assert db_snapshot(project.db_path) == before


def test_internal_copy_is_explicit_warned_and_never_in_exports(project, tmp_path):
    build(project)
    refused = run(project, "export", "qdpx", "--internal")
    assert refused.exit_code != 0 and "--out" in refused.stderr
    inside = project.exports_dir / "copie.qdpx"
    refused = run(project, "export", "qdpx", "--internal", "--out", str(inside))
    assert refused.exit_code != 0 and "exports" in refused.stderr and not inside.exists()
    out = tmp_path / "copie.qdpx"
    result = run(project, "export", "qdpx", "--internal", "--out", str(out))
    assert result.exit_code == 0 and "copie interne" in result.stderr
    root, texts = read_qdpx(out)
    assert schema("project").validate(root)
    joined = "\n".join(texts.values())
    assert "On porte tout ça" in joined and "Nadia" in joined
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 5


def test_codings_kept_are_those_the_excerpts_export_keeps(project):
    from recits.exports.selection import ExportFilters, select
    from recits.names import name_index

    build(project)
    root, _texts = read_qdpx(export(project, "qdpx"))
    with project.store() as store:
        selection = select(store, ExportFilters(), name_index(store).masker())
    assert {c.get("guid") for c in root.findall(".//q:Coding", NS)} == {
        e.coding_id for e in selection.excerpts
    }


def test_a_new_file_each_time_never_over_another_unless_forced(project, tmp_path):
    build(project)
    first, second = export(project, "qdc"), export(project, "qdc")
    assert first.parent == second.parent == project.exports_dir
    assert second.name == first.name.replace(".qdc", "-2.qdc")
    out = tmp_path / "grille.qdc"
    out.write_text("à garder", encoding="utf-8")
    refused = run(project, "export", "qdc", "--out", str(out))
    assert refused.exit_code != 0 and "existe déjà" in refused.stderr
    assert out.read_text(encoding="utf-8") == "à garder"
    export(project, "qdc", "--out", str(out), "--force")
    assert schema("codebook").validate(etree.fromstring(out.read_bytes()))
