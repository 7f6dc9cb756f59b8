"""A testimony a typeset report sets in italics (without « ») is attributed as a testimony
the report quotes, like one between « »: the PDF's italics are kept through the import."""

from __future__ import annotations

import pytest

from recits.models import NewCoding
from recits.names import detected_names, dismiss
from tests.conftest import run
from tests.exports.test_excerpts import export
from tests.pdf_report import INLINE_TESTIMONY, ITALIC_TESTIMONIES, SENTENCES, TUNED, write_pdf

SOURCE = "Rapport d'activités 2020-2021, plateforme travail pair AuRA"
QUOTED = f"— témoignage de pair·e cité dans {SOURCE}, p. "
CITED = f"— {SOURCE}, p. "


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("italics") / "rapport.pdf"
    return path, write_pdf(path, TUNED, paragraphs=20, seed=7)


def imported(project, path) -> tuple[str, str]:
    result = run(project, "import", str(path), "--source", SOURCE, "--published")
    assert result.exit_code == 0, result.stderr
    with project.store() as store:
        (document,) = store.documents()
        return document.id, store.document_text(document.id)


def test_the_pdf_italics_are_kept_through_the_import(project, report):
    document_id, text = imported(project, report[0])
    with project.store() as store:
        shown = [text[a:b] for a, b in store.italics(document_id)]
    assert ITALIC_TESTIMONIES[1] in shown  # a paragraph of its own
    assert INLINE_TESTIMONY in shown  # a phrase inside a paragraph, over two lines
    assert not any(SENTENCES[0] in phrase for phrase in shown)  # the roman text is not


def test_a_testimony_in_italics_is_attributed_as_one(project, report):
    document_id, text = imported(project, report[0])
    fact = SENTENCES[1]
    spans = {
        "legitimite": ITALIC_TESTIMONIES[1],
        "charge-mentale": INLINE_TESTIMONY,
        "formation": fact,
    }
    with project.store() as store:
        store.add_codings(
            [
                NewCoding(document_id, text.index(s), text.index(s) + len(s), code, "Claire")
                for code, s in spans.items()
            ]
        )
        for name in detected_names(store):
            dismiss(store, name.name)
    md = export(project, "md").read_text(encoding="utf-8")
    blocks = md.split("\n\n")

    def attribution_after(words: str) -> str:
        at = next(i for i, b in enumerate(blocks) if words[:40] in b.replace("\u202f", " "))
        return next(b for b in blocks[at:] if b.startswith("—"))

    assert attribution_after(ITALIC_TESTIMONIES[1]).startswith(QUOTED)
    assert attribution_after(INLINE_TESTIMONY).startswith(QUOTED)
    assert attribution_after(fact).startswith(CITED)
