"""One sentence segmentation: the coding cursor steps on the sentences suggestions are made of."""

from __future__ import annotations

from recits import nlp as core
from recits.sentences import sentence_spans, turn_sentences
from recits.session import CodingSession
from tests.conftest import add_doc, parsed

SPEECH = (
    "M. Dupont est arrivé en retard ce matin-là… Puis il a dit : « non ». Et après ? "
    "Je ne savais plus quoi faire avec lui, franchement."
)


def test_the_cursor_steps_on_the_analysed_sentences_that_suggestions_use(project, nlp):
    with project.store() as store:
        doc = add_doc(store, parsed(("Intervieweuse", "Bonjour."), ("Nadia", SPEECH)))
        core.analyse(store)
        analysed = [(s.start_char, s.end_char) for s in store.sentences(doc.id)]
        session = CodingSession(store, doc.id, "Claire")
        text = session.text
        cursor = [(p.start_char, p.end_char) for p in session.passages]
        rules = [
            span for t in session.turns for span in sentence_spans(text, t.start_char, t.end_char)
        ]
        assert rules != analysed  # the two ways to cut disagree on this text...
        assert cursor == analysed  # ...and the cursor follows the analysis
        session.select_sentence()
        assert session.selection == analysed[0]


def test_a_turn_not_analysed_falls_back_on_the_french_rules(project):
    with project.store() as store:
        doc = add_doc(store, parsed(("Nadia", SPEECH)))
        text, turns = store.document_text(doc.id), store.turns(doc.id)
        spans = [(s, e) for s, e, _ in turn_sentences(text, turns)]
        assert [text[s:e] for s, e in spans] == [
            "M. Dupont est arrivé en retard ce matin-là…",
            "Puis il a dit : « non ».",
            "Et après ?",
            "Je ne savais plus quoi faire avec lui, franchement.",
        ]


def test_a_document_opened_before_its_analysis_takes_the_analysis_sentences_when_it_lands(
    project, nlp
):
    """The coding view opened while the background analysis runs: once it lands (the view
    reloads on DataChanged), the cursor steps on the analysis's sentences, on the same words."""
    with project.store() as store:
        doc = add_doc(store, parsed(("Intervieweuse", "Bonjour."), ("Nadia", SPEECH)))
        session = CodingSession(store, doc.id, "Claire")
        before = [(p.start_char, p.end_char) for p in session.passages]
        session.move_to(len(session.passages) - 1)  # the last sentence, by rule
        last_words = session.text[session.selection[0] : session.selection[1]]
        with project.store() as other:  # the analysis worker's own connection
            core.analyse(other)
        session.reload()
        analysed = [(s.start_char, s.end_char) for s in store.sentences(doc.id)]
        assert before != analysed
        assert [(p.start_char, p.end_char) for p in session.passages] == analysed
        now = session.text[session.selection[0] : session.selection[1]]
        assert last_words in now and session.selection == analysed[session.cursor]
