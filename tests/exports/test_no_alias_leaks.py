"""Property: whatever the names, no alias ever appears in any export format."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import docx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from odf import teletype
from odf.opendocument import load
from odf.text import H, P

from recits import participants as people
from recits.exports import FORMATS, ExportFilters, ExportRefused, write_export
from recits.exports.data import FIELDS
from recits.exports.typography import MONTHS
from recits.models import NewCoding
from recits.project import Project, default_codebook_path
from tests.conftest import add_doc, parsed

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâîïôöùûüçœ"
# Words every export holds anyway (headings, code definitions, column names, attribution): an
# alias equal to one of them is rightly refused by the gate, which is not what is tested here.
TEMPLATE = " ".join(
    [
        default_codebook_path().read_text(encoding="utf-8"),
        " ".join(FIELDS),
        "Extraits codés Export du extraits consentement accordé pour articles Citations verbatim"
        " pseudonymisées attribution par rôle et situation Code pair réunion du collectif"
        " recits odfpy fr",
        " ".join(MONTHS),
    ]
)
name = st.text(alphabet=LETTERS, min_size=3, max_size=9).map(str.capitalize)


def plain(text: str) -> str:
    """Folded independently of recits: no accents, lower case, one kind of apostrophe."""
    text = unicodedata.normalize("NFD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def present(alias: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(plain(alias)) + r"(?!\w)", plain(text)) is not None


def read_back(fmt: str, path: Path) -> str:
    if fmt == "docx":
        document = docx.Document(str(path))
        props = document.core_properties
        meta = [props.author, props.title, props.subject, props.comments, props.last_modified_by]
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells + [m or "" for m in meta])
    if fmt == "odt":
        document = load(str(path))
        parts = [teletype.extractText(e) for e in document.getElementsByType(P)]
        parts += [teletype.extractText(e) for e in document.getElementsByType(H)]
        return "\n".join(parts + [teletype.extractText(document.meta)])
    return path.read_text(encoding="utf-8")


def speech(aliases: list[str], other: list[str]) -> str:
    a, b = aliases[-1], other[0]
    return (
        f"Bonjour {b.upper()}, c'est {a} ; le carnet d'{a} et de {b}. {b}'s idea,"
        f" {a.lower()} le sait : « {plain(b)} » ! Merci {a}."
    )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(name, min_size=1, max_size=3, unique_by=plain),
    second=st.lists(name, min_size=1, max_size=3, unique_by=plain),
    pseudonyms=st.tuples(name, name),
)
def test_no_alias_ever_appears_in_any_export(first, second, pseudonyms):
    every = [*first, *second]
    keys = {plain(n) for n in every}
    assume(len(keys) == len(every))  # one name cannot belong to two people
    assume(plain(pseudonyms[0]) != plain(pseudonyms[1]))
    assume(not {plain(p) for p in pseudonyms} & keys)
    assume(not any(present(n, TEMPLATE) for n in every))
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "p", coder="Claire")
        with project.store() as store:
            doc = parsed((first[0], speech(first, second)), (second[0], speech(second, first)))
            document = add_doc(store, doc, "Réunion", kind="réunion du collectif")
            store.add_codings(
                [
                    NewCoding(document.id, t.start_char, t.end_char, "formation", "Claire")
                    for t in doc.turns
                ]
                + [NewCoding(document.id, 0, len(doc.text), "legitimite", "Samia")]
            )
            for aliases, pseudonym in ((first, pseudonyms[0]), (second, pseudonyms[1])):
                people.rename(store, aliases[0], pseudonym, aliases=aliases[1:], role="pair")
                people.set_consent(store, pseudonym, "accordé", scope="articles")
            written = 0
            for fmt in FORMATS:
                try:
                    result = write_export(
                        store, fmt, ExportFilters(), exports_dir=project.exports_dir
                    )
                except ExportRefused:
                    continue  # refused means nothing written: nothing can leak
                written += 1
                text = read_back(fmt, result.path)
                assert "pair" in text
                leaked = [a for a in every if present(a, text)]
                assert not leaked, (fmt, leaked, text)
            # Masking works: the gate has no reason to refuse these (no vacuous success).
            assert written == len(FORMATS)
