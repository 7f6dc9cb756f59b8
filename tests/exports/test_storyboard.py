"""The storyboard as the illustrators get it: one page per planche, pseudonyms only, sources
by kind and month, nothing from outside, and nothing written when a name or a consent fails."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from recits import participants as people
from recits.masking import fold
from tests.conftest import db_snapshot, run
from tests.test_scenes import ok, scene_from_two_documents

CHROMIUM = Path("/usr/bin/chromium")


def two_planches(project) -> None:
    scene_from_two_documents(project)
    ok(project, "scenes", "panels", "add", "Le comptoir", "--picture", "Le comptoir, le soir,"
       " une file de personnes.", "--caption", "Ce soir-là, au CAARUD.")  # fmt: skip
    ok(project, "scenes", "panels", "split", "Le comptoir")
    ok(project, "scenes", "create", "La réunion", "--place", "salle de réunion")
    ok(project, "scenes", "character", "La réunion", "La cheffe", "--composite")
    ok(project, "scenes", "panels", "add", "La réunion", "--picture", "Une table, six chaises.",
       "--line", "La cheffe : Bienvenue, on commence.")  # fmt: skip


def export(project, fmt: str, out: Path, *scenes: str):
    args = [a for s in scenes for a in ("--scene", s)]
    return run(project, "export", "storyboard", "--format", fmt, "--out", str(out), *args)


def consent_bd(project) -> None:
    with project.store() as store:
        people.set_consent(store, "Aurore", "accordé", scope=["articles", "bd"])


def test_without_bd_consent_nothing_is_written(project, tmp_path):
    two_planches(project)  # Aurore consented for articles only
    before = db_snapshot(project.db_path)
    result = export(project, "html", tmp_path / "sb.html", "Le comptoir", "La réunion")
    assert result.exit_code != 0
    assert "« Aurore » n'a pas donné son consentement pour la BD" in result.stderr
    assert not (tmp_path / "sb.html").exists()
    assert db_snapshot(project.db_path) == before


def test_the_html_is_self_contained_pseudonymised_and_recorded(project, tmp_path):
    two_planches(project)
    consent_bd(project)
    out = tmp_path / "sb.html"
    result = export(project, "html", out, "Le comptoir", "La réunion")
    assert result.exit_code == 0, result.output + result.stderr
    page = out.read_text(encoding="utf-8")
    # No outside request: no URL, no link, no script, no font or image to fetch.
    assert not re.search(r"https?:|//|<link|<script|<img|@import|url\(", page)
    assert page.count('class="planche"') == 2 and 'class="planche sources"' in page
    assert "Planche 1 — Le comptoir" in page and "Planche 2 — La réunion" in page
    assert "Aurore :</span> Ensuite j&#x27;ai croisé Léon au comptoir" in page  # alias masked
    assert "La cheffe (personnage composite)" in page
    assert "réunion du collectif, mars 2021; entretien, avril 2021" in page.replace(" ;", ";")
    for name in ("Nadia", "Nadou", "Bruno", "Karim"):
        assert fold(name) not in fold(page)
    records = json.loads(run(project, "exports", "--json").output)
    assert [(r["format"], r["scope"], r["file"]) for r in records] == [
        ("storyboard-html", "bd", str(out))
    ]
    assert [p["pseudonym"] for p in records[0]["participants"]] == ["Aurore"]


def test_a_name_in_a_dialogue_line_blocks_the_export(project, tmp_path):
    two_planches(project)
    consent_bd(project)
    ok(project, "scenes", "panels", "add", "La réunion",
       "--line", "La cheffe : C'est Mehdi qui remplace Sofiane demain.")  # fmt: skip
    before = db_snapshot(project.db_path)
    for fmt in ("html", "pdf"):
        result = export(project, fmt, tmp_path / f"sb.{fmt}", "La réunion")
        assert result.exit_code != 0
        assert "export refusé, rien n'a été écrit" in result.stderr
        assert "Mehdi" in result.stderr and "Sofiane" in result.stderr
        assert "planche 1" in result.stderr  # where to look
        assert not (tmp_path / f"sb.{fmt}").exists()
    assert db_snapshot(project.db_path) == before
    ok(project, "names", "dismiss", "Mehdi")
    ok(project, "names", "dismiss", "Sofiane")
    assert export(project, "html", tmp_path / "sb.html", "La réunion").exit_code == 0


def test_the_pdf_has_one_page_per_planche_and_the_sources_last(project, tmp_path):
    two_planches(project)
    consent_bd(project)
    ok(project, "scenes", "status", "Le comptoir", "ecriture")
    ok(project, "scenes", "status", "Le comptoir", "a-valider")
    ok(project, "scenes", "status", "Le comptoir", "validee")
    out = tmp_path / "sb.pdf"
    result = export(project, "pdf", out)  # no --scene: the scenes validated or further on
    assert result.exit_code == 0, result.output + result.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 2  # « Le comptoir », then the sources
    assert "Planche 1 — Le comptoir" in pages[0]
    assert "Vignette 1" in pages[0] and "Aurore :" in pages[0]
    assert "Léon" in pages[0] and "Bruno" not in pages[0]
    assert "Sources" in pages[1] and "entretien, avril 2021" in pages[1]
    assert all("Nadia" not in p for p in pages)


def test_a_long_planche_still_fits_one_pdf_page(project, tmp_path):
    two_planches(project)
    consent_bd(project)
    for n in range(12):
        ok(project, "scenes", "panels", "add", "La réunion", "--picture",
           f"Plan {n} : la table vue de haut, les chaises vides, la fenêtre. " * 4,
           "--line", "La cheffe : On reprend depuis le début, tout le monde est là ?")  # fmt: skip
    out = tmp_path / "sb.pdf"
    assert export(project, "pdf", out, "La réunion").exit_code == 0
    assert len(PdfReader(str(out)).pages) == 2


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Chromium absent ({CHROMIUM}) : « make"
    " test » l'installe quand il est root, sinon « apt-get install chromium »",
)
def test_chromium_prints_one_page_per_planche(project, tmp_path):
    two_planches(project)
    consent_bd(project)
    out = tmp_path / "sb.html"
    assert export(project, "html", out, "Le comptoir", "La réunion").exit_code == 0
    printed = tmp_path / "sb-chromium.pdf"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={printed}", out.as_uri()],
        check=True, capture_output=True, timeout=120, start_new_session=True,
    )  # fmt: skip
    pages = [p.extract_text() for p in PdfReader(str(printed)).pages]
    assert len(pages) == 3  # two planches, then the sources
    assert "Le comptoir" in pages[0] and "La réunion" in pages[1] and "Sources" in pages[2]
