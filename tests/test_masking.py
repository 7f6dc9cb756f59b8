"""Name matching on the quick paths the REFI-QDA export relies on: long texts, characters that
change length when read (ligatures, "…", soft hyphens), names glued to other words, elisions."""

from __future__ import annotations

from recits.candidates import find_candidates
from recits.masking import Masker, NameFinder

LONG = "on en a parlé à la réunion, " * 2000  # a name far from the start of its text


def test_a_name_inside_a_word_is_skipped_and_the_next_one_found():
    finder = NameFinder(["Nadia", "Nadia Benali"])
    text = "Benadia, puis xNadia Benali et enfin NADIA Benali."
    found = [(o.start, o.found, o.name) for o in finder.find(text)]
    assert found == [(37, "NADIA Benali", "Nadia Benali")]


def test_offsets_hold_after_characters_that_change_length():
    # "ﬁ" reads "fi", "…" reads "...", a soft hyphen reads nothing, "Na-⏎dia" reads "Nadia".
    text = LONG + "la conﬁance… avec Na\u00addia, puis Na-\ndia."
    found = NameFinder(["Nadia"]).find(text)
    assert [o.found for o in found] == ["Na\u00addia", "Na-\ndia"]
    assert all(text[o.start : o.end] == o.found for o in found)
    [word] = [c for c in find_candidates(text) if c.key == "nadia"][:1]
    assert text[word.start : word.end] in ("Na\u00addia", "Na-\ndia")


def test_elisions_are_kept_right_far_into_a_long_text():
    masker = Masker([("Aurélie", "Nadia"), ("Karim", "Yanis")])
    text = LONG + "le sac d'Aurélie, celui de Karim, qu’Aurélie a vu."
    masked = masker.mask(text)
    assert masked.endswith("le sac de Nadia, celui d’Yanis, que Nadia a vu.")
    assert masked.startswith(LONG)


def test_places_of_several_words_pass_and_unknown_capitalised_words_do_not():
    text = LONG + "Elle vit à Saint-Étienne avec Pseudo et écrit à jo.b@example.org."
    keys = {c.key: c.reason for c in find_candidates(text)}
    assert "saint" not in keys and "etienne" not in keys
    assert "pseudo" in keys
    assert any("@" in key for key in keys)


def test_a_capitalised_word_also_written_in_lower_case_anywhere_is_ordinary():
    alone = "Bref, on a vu Zorglub hier."
    assert [c.key for c in find_candidates(alone)] == ["zorglub"]
    for lower in (" Le zorglub (zorglub) part.", " Le «zorglub» part.", "\n—zorglub,l'autre"):
        assert find_candidates(LONG + alone + lower) == []
