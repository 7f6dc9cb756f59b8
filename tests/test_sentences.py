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
