"""Reported speech: « il m'a dit : « … » » inside a told sentence becomes its own dialogue line
when a source is split into panels, said by the person quoted when the sentence names them."""

from __future__ import annotations

import json

from recits import scenes
from recits.masking import NameFinder
from recits.reported_speech import QUOTED_PERSON, utterances
from tests.conftest import add_doc, parsed
from tests.test_scenes import ok

TOLD = (
    "Le premier jour, la cheffe m'a dit : « Ici, tu n'es pas éducatrice. Tu es usagère. »"
    " Je suis sortie fumer. Après, Karim m'a dit : « Tiens bon. » C'était un « pair-aidant »."
)


def pieces(text: str) -> list[tuple[str, bool]]:
    return [(text[u.start : u.end], u.quoted) for u in utterances(text, 0, len(text))]


def test_a_reported_line_is_cut_out_of_the_sentence():
    assert pieces("Il m'a dit : « Tiens bon. »") == [("Il m'a dit :", False), ("Tiens bon.", True)]
    assert pieces("« Tu rentres ? », m'a-t-elle demandé.") == [
        ("Tu rentres ?", True),
        ("m'a-t-elle demandé.", False),
    ]
    assert pieces('Elle répond "non, merci" et elle part.') == [
        ("Elle répond", False),
        ("non, merci", True),
        ("et elle part.", False),
    ]


def test_a_word_in_quotation_marks_is_not_speech():
    for text in ("On dit « pair-aidant » ici.", "C'est un « travailleur pair ».", "Rien."):
        assert pieces(text) == [(text, False)]
    assert pieces("Il m'a dit : « jamais") == [("Il m'a dit : « jamais", False)]  # never closed


def test_who_said_it_is_the_pseudonym_named_nearest_before_the_quote():
    from recits.reported_speech import quoted_name

    finder = NameFinder(["Karim", "Léa"])
    text = "Léa était là, et KARIM m'a dit : « Tiens bon. » Puis Léa est partie."
    quote = next(u for u in utterances(text, 0, len(text)) if u.quoted)
    assert quoted_name(text, 0, len(text), quote, finder) == "Karim"
    text = "« Tiens bon », m'a dit Lea."
    quote = next(u for u in utterances(text, 0, len(text)) if u.quoted)
    assert quoted_name(text, 0, len(text), quote, finder) == "Léa"
    text = "Elle m'a dit : « Karim est là. »"  # a name inside the quote says nothing
    quote = next(u for u in utterances(text, 0, len(text)) if u.quoted)
    assert quoted_name(text, 0, len(text), quote, finder) is None


def test_splitting_a_source_gives_each_reported_line_its_speaker(project):
    with project.store() as store:
        doc = add_doc(store, parsed(("Nadia", TOLD), ("Karim", "Oui, je lui ai dit.")))
        text = store.document_text(doc.id)
        scene = scenes.create(store, "Le premier jour")
        start = text.index("Le premier jour")
        scenes.add_source(store, scene, doc.id, start, start + len(TOLD))
    ok(project, "scenes", "panels", "split", "Le premier jour")
    shown = json.loads(ok(project, "scenes", "show", "Le premier jour", "--json"))
    panels = [p["lines"] for p in shown["panels"]]
    # The quotation spans two sentences: one panel, never cut in two.
    assert panels == [
        [
            {"speaker": "Nadia", "text": "Le premier jour, la cheffe m'a dit :"},
            {"speaker": QUOTED_PERSON, "text": "Ici, tu n'es pas éducatrice. Tu es usagère."},
        ],
        [{"speaker": "Nadia", "text": "Je suis sortie fumer."}],
        [
            {"speaker": "Nadia", "text": "Après, Karim m'a dit :"},
            {"speaker": "Karim", "text": "Tiens bon."},
        ],
        [{"speaker": "Nadia", "text": "C'était un « pair-aidant »."}],
    ]
    characters = {c["name"]: c for c in shown["characters"]}
    assert set(characters) == {"Nadia", "Karim", QUOTED_PERSON}
    assert characters[QUOTED_PERSON]["participant_id"] is None  # for the team to set
