"""spaCy analysis: inclusive writing, sentences, entities, one parse per text, bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recits import nlp as core
from tests.conftest import add_doc, parsed

INCLUSIVE = [
    ("pair-e-s", "pair"),
    ("pair·e·s", "pair"),
    ("pair·es", "pair"),
    ("pair.e.s", "pair"),
    ("travailleur-euse-s", "travailleur"),
    ("travailleur·euse·s", "travailleur"),
    ("travailleurs·euses", "travailleur"),
    ("concerné-e-s", "concerné"),
    ("concerné·e·s", "concerné"),
    ("usager·ère·s", "usager"),
    ("intervenant·e", "intervenant"),
    ("animateur·rice·s", "animateur"),
    ("accompagnateur-rice", "accompagnateur"),
    ("tou·te·s", "tout"),
    ("tous·tes", "tout"),
    ("Pair·e·s", "pair"),
    ("éducateur•rice•s", "éducateur"),
]


@pytest.mark.parametrize(("form", "lemma"), INCLUSIVE)
def test_inclusive_forms_are_one_token_with_the_masculine_singular_lemma(nlp, form, lemma):
    doc = nlp(f"Les {form} du collectif étaient là, peut-être.")
    tokens = [t.text for t in doc]
    assert form in tokens
    assert doc[tokens.index(form)].lemma_ == lemma


@pytest.mark.parametrize(
    "sentence",
    [
        "Il viendra peut-être demain.",
        "Les équipes sont-elles prêtes ?",
        "Elle est aide-soignante la nuit.",
        "Dis-le au cadre, prends-les avec toi.",
        "A-t-elle répondu ? C'est-à-dire non.",
        "Il fallait vingt-quatre heures.",
    ],
)
def test_ordinary_hyphenated_words_are_tokenized_as_by_spacy(nlp, sentence):
    import spacy

    plain = spacy.load("fr_core_news_sm", exclude=["tok2vec", "parser", "ner"]).tokenizer
    assert [t.text for t in nlp.tokenizer(sentence)] == [t.text for t in plain(sentence)]


def test_importing_the_cli_and_the_store_does_not_import_spacy():
    code = (
        "import sys\nimport recits.cli, recits.store, recits.nlp, recits.suggest\n"
        "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _doc(store, title="Entretien", *turns):
    return add_doc(store, parsed(*turns), title=title)


def test_analysis_stores_sentences_and_person_entities_once(project, nlp):
    with project.store() as store:
        doc = _doc(
            store,
            "Entretien",
            ("Intervieweuse", "Bonjour. Comment ça se passe au travail en ce moment ?"),
            ("Nadia", "Je travaille avec Karim Benali depuis deux ans à Marseille. Bon, euh. "
             "Les pair·e·s sont épuisé·e·s par les horaires de nuit."),
        )  # fmt: skip
        report = core.analyse(store)
        assert report.analysed == 1
        text = store.document_text(doc.id)
        sentences = store.sentences(doc.id)
        assert [text[s.start_char : s.end_char] for s in sentences] == [
            "Bonjour. Comment ça se passe au travail en ce moment ?",
            "Je travaille avec Karim Benali depuis deux ans à Marseille. Bon, euh.",
            "Les pair·e·s sont épuisé·e·s par les horaires de nuit.",
        ]
        assert "pair" in sentences[-1].lemmas.split()
        people = store.entities(label="PER")
        assert [(e.text, text[e.start_char : e.end_char]) for e in people] == [
            ("Karim Benali", "Karim Benali")
        ]
        assert people[0].document_id == doc.id
        assert any(e.label == "LOC" for e in store.entities(document_id=doc.id))
        assert core.analyse(store).analysed == 0  # unchanged: not parsed again


def test_an_identical_text_reuses_the_stored_analysis(project, nlp):
    with project.store() as store:
        turns = ("Nadia", "On a parlé de la formation des pairs hier soir avec Samia.")
        _doc(store, "Premier", turns)
        core.analyse(store)
        second = add_doc(store, parsed(turns), title="Second", sha256="autre" * 8)
        report = core.analyse(store)
        assert (report.analysed, report.reused) == (0, 1)
        assert len(store.sentences(second.id)) == 1
        assert [e.text for e in store.entities(label="PER", document_id=second.id)] == ["Samia"]


def test_empty_and_english_documents_do_not_break_the_analysis(project, nlp):
    with project.store() as store:
        empty = add_doc(store, parsed(), title="Vide")
        english = _doc(
            store,
            "English",
            ("Interviewer", "How do peer workers cope with burnout in shelters?"),
            ("Jane", "Honestly, I am exhausted. Nobody listens to us in team meetings."),
        )
        core.analyse(store)
        assert store.sentences(empty.id) == []
        assert len(store.sentences(english.id)) >= 2


def test_the_two_process_analysis_stores_what_the_serial_one_does(
    project, tmp_path, nlp, monkeypatch
):
    from recits.project import Project

    pools = []
    real = core._parallel
    monkeypatch.setattr(core, "_parallel", lambda *a: pools.append(a) or real(*a))

    turns = [
        (("Nadia", "Les pair·e·s du CAARUD sont épuisé·e·s. On en parle avec Karim Benali."),
         ("Karim", "La formation à Lyon coûte cher, mais le diplôme compte pour le poste.")),
        (("Samia", "Au foyer, l'alcool est interdit dans les chambres depuis longtemps."),
         ("Claire", "Bon. Et les travailleur·euse·s pair·e·s, ils en pensent quoi ?")),
    ]  # fmt: skip
    other = Project.init(tmp_path / "serie", coder="Claire")
    found = []
    for proj, parallel in ((project, True), (other, False)):
        with proj.store() as store:
            for i, doc in enumerate(turns):
                add_doc(store, parsed(*doc), title=f"Doc{i}", sha256=f"{i}" * 64)
            report = core.analyse(store, parallel=parallel)
            assert (report.analysed, report.reused) == (2, 0)
            titles = {d.id: d.title for d in store.documents()}
            sentences = sorted(
                (titles[s.document_id], s.start_char, s.end_char, s.lemmas)
                for s in store.sentences()
            )
            entities = sorted(
                (titles[e.document_id], e.start_char, e.label) for e in store.entities()
            )
            found.append((sentences, entities, sorted(store.analysis_keys().values())))
            assert core.analyse(store).analysed == 0
    assert len(pools) == 1  # the first project really went through the worker processes
    assert found[0] == found[1]
    assert found[0][0] and any("pair" in s[3].split() for s in found[0][0])
