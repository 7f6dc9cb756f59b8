"""The gate holds on names nobody declared, and on known names in disguise, in every format.

The names come from a list the gate never saw (nomquamgender's first names, a test-only
dependency): recits' own lists are Faker's and pyspellchecker's. Names that are also ordinary
French words ("Rose", "Constance") or cities are left out of the draw: those are caught only
when they are in recits' list of first names or follow a title (tested apart, below).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recits import participants as people
from recits.exports.excerpts import FORMATS, preview_export
from recits.exports.gate import Guard, rendered_texts
from recits.exports.selection import ExportFilters
from recits.lexicon import lexicon
from recits.masking import fold
from recits.models import NewCoding
from recits.names import name_index
from recits.project import Project
from tests.conftest import add_doc, parsed

SENTENCES = (
    "On en a parlé avec {} hier soir, après la maraude.",
    "{} m'a dit de tenir bon, que le poste était fait pour moi.",
    "Franchement, c'est grâce à {}.",
    "Je l'ai appelé, {}, et il est venu au CAARUD le lendemain.",
)


@cache
def held_out_names() -> tuple[str, ...]:
    """Common first names of every origin, minus ordinary French words and recits' own."""
    # The data file alone: importing the package would load it a second time.
    spec = importlib.util.find_spec("nomquamgender")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0])
    raw = (folder / "name_data.json").read_text("utf-8")
    lex = lexicon()
    names = [
        name.capitalize()
        for name, counts in json.loads(raw).items()
        if counts[1] >= 2000
        and 4 <= len(name) <= 10
        and name.isascii()
        and name.isalpha()
        and name not in lex.words
        and name not in lex.places  # "Sydney", "Dakar": a city first (see the README)
    ]
    return tuple(sorted(names))


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "x": "х", "y": "у"}


def disguise(name: str, surname: str, how: str, cut: int) -> str:
    """The name as it may be written in a transcript or a document."""
    cut = 1 + cut % (len(name) - 1)
    if how == "soft hyphen":
        return name[:cut] + "\u00ad" + name[cut:]
    if how == "zero width":
        return name[:cut] + "\u200b" + name[cut:]
    if how == "line-end hyphen":
        return name[:cut] + "-\n" + name[cut:]
    if how == "e-mail":
        return f"{name.lower()}_{surname.lower()}@caarud.fr"
    if how == "joined":
        return name + surname
    if how == "full width":
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in name)
    if how == "look-alike":
        for i, c in enumerate(name):
            if c in _HOMOGLYPHS:
                return name[:i] + _HOMOGLYPHS[c] + name[i + 1 :]
        return name.upper()
    if how == "capitals":
        return surname.upper()
    if how == "full name":
        return f"{name} {surname}"
    return name


DISGUISES = (
    "plain", "soft hyphen", "zero width", "line-end hyphen", "e-mail", "joined", "full width",
    "look-alike", "capitals", "full name",
)  # fmt: skip


def reader_text(text: str) -> str:
    """What a reader sees, computed here independently of recits: folded, no disguise."""
    text = re.sub(r"-\s*\n\s*", "", text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if c not in "\u00ad\u200b\u200c\u200d\u2060\ufeff")
    text = text.translate({ord(v): k for k, v in _HOMOGLYPHS.items()})
    text = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def project_with(tmp: Path, speech: str, alias: str | None) -> Project:
    project = Project.init(tmp / "projet", name="gate", coder="Claire")
    with project.store() as store:
        doc = add_doc(store, parsed(("Nadia", speech)), "Entretien", date="2021-04-12")
        text = store.document_text(doc.id)
        start = text.index(speech[:10])
        store.add_codings([NewCoding(doc.id, start, start + len(speech), "formation", "Claire")])
        people.rename(store, "Nadia", "Aurore", role="travailleuse paire")
        if alias:
            people.add_aliases(store, "Aurore", [alias])
        people.set_consent(store, "Aurore", "accordé", scope="articles", date="2021-03-01")
    return project


names = st.deferred(lambda: st.sampled_from(held_out_names()))
# A name written in a sentence, in a disguise: both properties draw the same way.
placed = given(
    name=names, surname=names, how=st.sampled_from(DISGUISES),
    sentence=st.sampled_from(SENTENCES), cut=st.integers(0, 20),
)  # fmt: skip
examples = settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@examples
@placed
def test_a_name_nobody_declared_blocks_every_format(tmp_path_factory, name, surname, how,
                                                    sentence, cut):  # fmt: skip
    written = disguise(name, surname, how, cut)
    project = project_with(tmp_path_factory.mktemp("p"), sentence.format(written), alias=None)
    with project.store() as store:
        for fmt in FORMATS:
            preview = preview_export(store, fmt, ExportFilters(scope="articles"))
            assert preview.count == 1
            assert not preview.ok, (fmt, written)


@examples
@placed
def test_a_declared_name_never_leaves_in_disguise(tmp_path_factory, name, surname, how,
                                                  sentence, cut):  # fmt: skip
    """Alias "Name Surname": masked when the gate can, refused otherwise; never written."""
    if fold(name) == fold(surname):
        return
    written = disguise(name, surname, how, cut)
    alias = f"{name} {surname}"
    project = project_with(tmp_path_factory.mktemp("p"), sentence.format(written), alias)
    with project.store() as store:
        for fmt in FORMATS:
            preview = preview_export(store, fmt, ExportFilters(scope="articles"))
            if not preview.ok:
                continue
            for part, text in rendered_texts(fmt, preview.data):
                seen = reader_text(text)
                for word in (name, surname):
                    assert not re.search(rf"(?<![a-z]){fold(word)}(?![a-z])", seen), (fmt, part)


@pytest.mark.parametrize(
    "speech, name",
    [
        ("Ma fille Rose ne sait rien de tout ça.", "Rose"),
        ("On a vu Madame Petit au service, elle a dit oui.", "Petit"),
        ("C'est Karim Boulanger qui m'a parlé du poste.", "Boulanger"),
        ("J'en ai parlé à Constance, la cheffe de service.", "Constance"),
        ("Je l'ai dit à mehdi, il a compris.", "mehdi"),
        ("Écris-moi sur @samira.k75 si tu veux.", "@samira.k75"),
    ],
)
def test_names_that_look_like_words_are_caught_by_their_position(tmp_path, speech, name):
    project = project_with(tmp_path, speech, alias=None)
    with project.store() as store:
        preview = preview_export(store, "md", ExportFilters(scope="articles"))
    assert name in {leak.found for leak in preview.leaks}


def test_ordinary_words_institutions_and_inclusive_writing_do_not_block(tmp_path):
    speech = (
        "Les certain-e-s pair-e-s du CAARUD n’ont pas été reçu·e·s par l'Aide Sociale à"
        " l'Enfance. Alors on est allés à la Croix-Rouge, en France comme en Algérie, avec"
        " les travailleur·euse·s de Médecins du Monde. Accompagner, c'est écouter. Bah oui."
    )
    project = project_with(tmp_path, speech, alias=None)
    with project.store() as store:
        preview = preview_export(store, "docx", ExportFilters(scope="articles"))
    assert preview.ok, [leak.describe() for leak in preview.leaks]


def test_an_alias_made_of_hex_letters_is_not_found_inside_identifiers(tmp_path):
    """UUIDs are random: an alias like « Dace » turns up in some, and the data exports were
    refused at random. Inside an identifier it is not a name; in the text it still is."""
    project = project_with(tmp_path, "J'ai vu Dace hier, au CAARUD.", alias="Dace")
    with project.store() as store:
        guard = Guard(name_index(store))
        assert guard.scan("00000000-1dac-4e00-8000-00000dace000,Aurore", "ligne") == []
        assert [leak.found for leak in guard.scan("vu par Dace", "ligne")] == ["Dace"]
        for fmt in ("csv", "json"):
            preview = preview_export(store, fmt, ExportFilters(scope="articles"))
            assert preview.ok and "Dace" not in preview.data.decode()
