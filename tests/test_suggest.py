"""Suggestions: patterns on word forms, reasons, decisions, learning, bad codebooks."""

from __future__ import annotations

import pytest

from recits import nlp as core
from recits import suggest
from recits.codebook import CodebookError, load_codebook
from recits.models import NewCoding
from tests.conftest import add_doc, parsed

LOW = suggest.FLOOR  # the queue's uncertain end: short crafted turns score low

CODEBOOK = """\
name: Essai
codes:
  - id: fatigue
    label: Fatigue
    description: La fatigue et l'épuisement dus au travail.
    examples:
      - "Le soir je suis vidée, je n'en peux plus de ce boulot."
    patterns:
      - épuiser
      - poser des limites
  - id: formation
    label: Formation
    description: Les formations et les diplômes.
    examples:
      - "J'ai suivi une formation à la fac l'an dernier."
    patterns:
      - formation
      - diplôme
"""

TURNS = (
    ("Nadia", "Je suis complètement épuisée après les maraudes de nuit."),
    ("Karim", "L'épuisement, on en parle jamais en réunion d'équipe."),
    ("Nadia", "Il faudrait apprendre à poser ses propres limites avec les gens."),
    ("Karim", "On m'a proposé une formation, mais il faut un diplôme pour y entrer."),
    ("Nadia", "Le jardin du foyer a été repeint en vert la semaine dernière."),
    ("Karim", "Les gars ont planté des tomates et des courgettes au printemps."),
)


@pytest.fixture
def crafted(project, nlp):
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    store = project.store()
    codebook = project.sync_codebook(store)
    doc = add_doc(store, parsed(*TURNS), title="Réunion")
    core.analyse(store)
    yield store, codebook, doc
    store.close()


def codes_at(suggestions, text, fragment):
    start = text.index(fragment)
    return {s.code_id for s in suggestions if s.start_char <= start < s.end_char}


def test_patterns_match_inflected_and_derived_forms_with_true_reasons(crafted):
    store, codebook, doc = crafted
    # One matched word in a ten-word turn stays well under the default 0.5 (short turns rarely
    # carry a code), but it is proposed at the queue's uncertain end.
    found = suggest.prepare(store, codebook).for_coder(store, "Claire", min_score=LOW)
    text = store.document_text(doc.id)
    assert "fatigue" in codes_at(found, text, "épuisée après")
    assert "fatigue" in codes_at(found, text, "L'épuisement")
    assert "fatigue" in codes_at(found, text, "poser ses propres limites")
    assert "formation" in codes_at(found, text, "une formation")
    assert not codes_at(found, text, "Le jardin")
    for s in found:
        assert s.text == text[s.start_char : s.end_char]
        assert s.model_version
        terms = [r for r in s.reasons if r.kind == "terms"]
        assert terms, s
        for term in terms[0].terms:
            assert term in s.text  # the matched words are really in the passage


def test_a_rejected_suggestion_never_comes_back(crafted):
    store, codebook, doc = crafted
    sg = suggest.prepare(store, codebook)
    first = sg.queue(store, "Claire", refresh=True, min_score=LOW)[0]
    suggest.reject(store, first, "Claire")
    same = (first.start_char, first.end_char, first.code_id)
    for _ in range(2):  # also after retraining on the decision
        sg = suggest.prepare(store, codebook)
        again = sg.queue(store, "Claire", refresh=True, min_score=LOW)
        assert same not in {(s.start_char, s.end_char, s.code_id) for s in again}
    others = suggest.prepare(store, codebook).queue(store, "Samia", refresh=True, min_score=LOW)
    assert same in {(s.start_char, s.end_char, s.code_id) for s in others}


def test_accepting_creates_a_coding_from_a_suggestion_with_the_model_version(crafted):
    store, codebook, doc = crafted
    sg = suggest.prepare(store, codebook)
    target = sg.queue(store, "Claire", refresh=True, min_score=LOW)[0]
    decision = suggest.accept(store, target, "Claire")
    coding = store.codings(document_id=doc.id)[0]
    assert (coding.origin, coding.coder, coding.code_id) == ("suggestion", "Claire", target.code_id)
    assert coding.text == target.text
    assert decision.coding_id == coding.id and decision.model_version == target.model_version
    again = suggest.prepare(store, codebook).queue(store, "Samia", refresh=True, min_score=LOW)
    assert (target.start_char, target.code_id) not in {(s.start_char, s.code_id) for s in again}


def test_accept_with_another_code_and_skip(crafted):
    store, codebook, doc = crafted
    sg = suggest.prepare(store, codebook)
    queue = sg.queue(store, "Claire", refresh=True, min_score=LOW)
    other = next(s for s in queue if s.code_id == "fatigue")
    suggest.accept_other(store, other, "Claire", "formation")
    assert [c.code_id for c in store.codings()] == ["formation"]
    queue = suggest.prepare(store, codebook).queue(store, "Claire", refresh=True, min_score=LOW)
    skipped = queue[0]
    suggest.skip(store, skipped, "Claire")
    queue = suggest.prepare(store, codebook).queue(store, "Claire", min_score=LOW)
    assert queue[-1].id == skipped.id
    kinds = sorted(d.decision for d in store.decisions(coder="Claire"))
    assert kinds == ["other", "skip"]


def test_a_turn_whose_code_is_already_on_one_of_its_sentences_is_not_suggested_again(crafted):
    store, codebook, _doc = crafted
    long_turn = (
        "Je suis complètement épuisée après les maraudes de nuit, je dors plus du tout. "
        "Le soir je rentre chez moi, je pense encore à eux, à ceux qui dorment dehors. "
        "Je suis épuisée, vidée, et je n'arrive plus du tout à poser des limites avec les gens."
    )
    doc = add_doc(store, parsed(("Nadia", long_turn)), title="Maraude", sha256="m" * 64)
    core.analyse(store)
    sg = suggest.prepare(store, codebook)
    before = sg.for_coder(store, "Claire", document_id=doc.id, min_score=LOW)
    fatigue = [s for s in before if s.code_id == "fatigue"]
    assert fatigue and fatigue[0].text.startswith("Je suis complètement épuisée")
    # Samia codes the last sentence only: a third of the suggested passage.
    text = store.document_text(doc.id)
    start = text.index("Je suis épuisée, vidée")
    end = text.index("avec les gens.") + len("avec les gens.")
    store.add_codings([NewCoding(doc.id, start, end, "fatigue", "Samia")])
    for coder in ("Claire", "Samia"):
        after = suggest.prepare(store, codebook).for_coder(
            store, coder, document_id=doc.id, min_score=LOW
        )
        assert "fatigue" not in {s.code_id for s in after}, coder


def test_the_queue_puts_confident_suggestions_first_then_uncertain_ones(crafted):
    store, codebook, _doc = crafted
    queue = suggest.prepare(store, codebook).queue(store, "Claire", min_score=0.2, refresh=True)
    confident = [s.score for s in queue if s.score >= suggest.CONFIDENT]
    assert [s.score for s in queue[: len(confident)]] == sorted(confident, reverse=True)
    rest = [abs(s.score - 0.5) for s in queue[len(confident) :]]
    assert rest == sorted(rest)


def test_retraining_on_codings_changes_the_suggestions(crafted):
    store, codebook, _doc = crafted
    closing = [
        ("A", "Voilà, c'est tout pour aujourd'hui, merci à vous."),
        ("B", "Merci, bonne soirée, on se revoit le mois prochain."),
    ]
    garden = [
        ("A", "Le jardin partagé du foyer nous fait du bien à tous."),
        ("B", "On a planté des tomates dans le jardin avec les résidents."),
        ("A", "Le potager du jardin, c'est là qu'on parle le mieux avec les gars."),
        ("B", "Les courgettes du jardin ont poussé très vite cette année."),
        ("A", "Au jardin, les résidents arrosent les tomates le matin."),
        ("B", "Le jardin du foyer a besoin de nouvelles graines de courgettes."),
        ("A", "On récolte les tomates du potager ensemble au jardin."),
        ("B", "Le jardin, les tomates, les courgettes : tout le monde s'y met."),
        ("A", "Le potager a donné beaucoup de tomates au jardin cet été."),
        ("B", "Dans le jardin du foyer on a aussi planté des courgettes."),
    ]
    # Two documents coded alike: what is learnt from one is measured on the other.
    others = [
        add_doc(store, parsed(*closing, *garden[:5]), title="Jardin", sha256="j" * 64),
        add_doc(store, parsed(*closing, *garden[5:]), title="Potager", sha256="p" * 64),
    ]
    core.analyse(store)
    before = suggest.prepare(store, codebook)
    version = before.version
    target = next(d for d in store.documents() if d.id not in {o.id for o in others})
    assert not [s for s in before.for_coder(store, "Claire", document_id=target.id, min_score=0.2)
                if "jardin" in s.text.lower() and s.code_id == "formation"]  # fmt: skip
    store.add_codings(
        [
            NewCoding(other.id, t.start_char, t.end_char, "formation", "Samia")
            for other in others
            for t in store.turns(other.id)[2:]
        ]
    )
    after = suggest.prepare(store, codebook)
    assert after.version != version
    assert after.scorer.weight > 0.5, after.scorer.measure
    found = after.for_coder(store, "Claire", document_id=target.id, min_score=0.2)
    garden_found = [s for s in found if "jardin" in s.text.lower() and s.code_id == "formation"]
    assert garden_found, [(s.text, s.score) for s in found]
    model = next(r for r in garden_found[0].reasons if r.kind == "model")
    assert f"poids {after.scorer.weight:.1f}, mesuré sur vos codages" in model.detail
    example = next(r for r in garden_found[0].reasons if r.kind == "example")
    assert example.document_id in {o.id for o in others}
    text = store.document_text(example.document_id)
    assert "jardin" in text[example.start_char : example.end_char].lower()


def test_an_invalid_pattern_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "grille.yaml"
    path.write_text(
        CODEBOOK.replace("      - diplôme", """      - '[{"LEMMAX": "diplôme"}]'"""),
        encoding="utf-8",
    )
    line = CODEBOOK.splitlines().index("      - diplôme") + 1
    codebook = load_codebook(path)
    with pytest.raises(CodebookError) as err:
        suggest.patterns.compile_terms(codebook)
    message = str(err.value)
    assert str(path) in message and f"ligne {line}" in message and "formation" in message
    path.write_text(CODEBOOK.replace("      - diplôme", "      - '[{\"LEMMA\": '"), "utf-8")
    with pytest.raises(CodebookError, match="JSON invalide"):
        suggest.patterns.compile_terms(load_codebook(path))


def test_english_and_empty_documents_get_no_nonsense(project, nlp):
    store = project.store()
    codebook = project.sync_codebook(store)
    english = add_doc(
        store,
        parsed(("Jane", "The weather was nice and we planted tomatoes in the garden.")),
        title="English",
    )
    empty = add_doc(store, parsed(), title="Vide")
    core.analyse(store)
    sg = suggest.prepare(store, codebook)
    assert sg.for_coder(store, "Claire", document_id=english.id) == []
    assert sg.for_coder(store, "Claire", document_id=empty.id) == []
    store.close()


def suggested_on(project, codebook_yaml, *turns):
    """A project with this codebook and one analysed document of these turns: what a coder is
    proposed (down to the queue's uncertain end), and the document's text."""
    project.codebook_path.write_text(codebook_yaml, encoding="utf-8")
    with project.store() as store:
        codebook = project.sync_codebook(store)
        doc = add_doc(store, parsed(*turns), title="Réunion")
        core.analyse(store)
        found = suggest.prepare(store, codebook).for_coder(store, "Claire", min_score=LOW)
        return found, store.document_text(doc.id)


PHRASES = """\
name: Essai
codes:
  - id: charge
    label: Charge
    description: Le poids du travail.
    patterns:
      - se sentir seul
      - penser le soir
      - vie privée
"""


def test_phrase_patterns_keep_their_words_and_match_in_any_order(project, nlp):
    found, text = suggested_on(
        project,
        PHRASES,
        ("Nadia", "Le soir, je pense encore à lui, est-ce qu'il a trouvé une place."),
        ("Karim", "Dans l'équipe je me sens pas toute seule, on se parle beaucoup."),
        ("Nadia", "Je sens bien que le projet avance, on verra la suite en mars."),
        ("Karim", "Le boulot déborde sur ma vie privée, même le dimanche."),
    )
    terms = {t for s in found for r in s.reasons if r.kind == "terms" for t in r.terms}
    assert "charge" in codes_at(found, text, "Le soir, je pense")  # words in another order
    assert "charge" in codes_at(found, text, "sens pas toute seule")
    # "se sentir seul" keeps "seul": a bare "sentir" is not the pattern.
    assert not codes_at(found, text, "Je sens bien")
    # "privée" is lemmatised "priver" in the transcripts: the pattern's word matches it too.
    assert "charge" in codes_at(found, text, "ma vie privée")
    assert any("soir" in t and "pense" in t for t in terms)  # the reason shows the phrase
    assert any("sens" in t and "seule" in t for t in terms)


def test_the_speaker_who_mostly_asks_questions_is_told_apart():
    from recits.models import Sentence
    from recits.suggest.turns import asking, group

    text = "Comment ça va ? Et le travail ? Bien. Trop de choses. Pourquoi ?"
    parts = ["Comment ça va ?", "Et le travail ?", "Bien.", "Trop de choses.", "Pourquoi ?"]
    spans = [(text.index(p), text.index(p) + len(p)) for p in parts]
    positions = [0, 0, 1, 1, 2]
    sentences = [Sentence("d", p, a, b, "") for p, (a, b) in zip(positions, spans, strict=True)]
    rate, own = asking(sentences, group(sentences), text, {0: "interviewer", 1: "pair", 2: "pair"})
    assert rate.tolist() == [1.0, 1 / 3, 1 / 3]
    assert own.tolist() == [1.0, 0.0, 1.0]


INCLUDES = """\
name: Essai
codes:
  - id: charge
    label: Charge
    description: Le poids du travail.
    include:
      - La personne parle de son téléphone personnel qui sonne le week-end.
    examples:
      - "Je rentre vidée le soir, je n'en peux plus."
    patterns:
      - téléphone
"""


def test_a_reason_says_whether_it_is_an_example_or_an_inclusion(project, nlp):
    found, _text = suggested_on(
        project,
        INCLUDES,
        ("Nadia", "Mon téléphone personnel sonne tout le week-end, même le dimanche."),
    )
    details = [r.detail for s in found for r in s.reasons if r.kind == "codebook-example"]
    assert details == [
        "proche d'une inclusion de la grille : « La personne parle de son téléphone personnel"
        " qui sonne le week-end. »"
    ]


def test_an_answer_takes_some_of_the_theme_of_the_question_and_says_so(project, nlp):
    found, text = suggested_on(
        project,
        CODEBOOK,
        ("Intervieweuse", "Et la formation, tu en as suivi une depuis que tu es là ?"),
        ("Nadia", "J'hésite. Un diplôme, peut-être, mais je sais pas si j'ai le niveau."),
        ("Karim", "Moi aussi un diplôme, un jour, si on me laisse le temps de souffler."),
    )
    by_start = {s.start_char: s for s in found if s.code_id == "formation"}
    answer = by_start[text.index("J'hésite")]
    [reason] = [r for r in answer.reasons if r.kind == "question"]
    assert text[reason.start_char : reason.end_char].startswith("Et la formation, tu en as")
    assert reason.detail.startswith("répond à une question sur ce thème (« formation ») : « Et la")
    assert reason.terms == ("formation",)  # the codebook's terms the question names
    # Karim answers no question (Nadia asked none): his suggestion has no such reason.
    later = by_start[text.index("Moi aussi")]
    assert not [r for r in later.reasons if r.kind == "question"]
    assert answer.score > later.score  # the same evidence, plus the question's theme
