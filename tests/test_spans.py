"""The one overlap rule shared by suggestions, their queue and exports."""

from recits.spans import mostly_overlaps, overlap, touches


def test_overlap_counts_shared_characters_only():
    assert overlap((0, 10), (5, 20)) == 5
    assert overlap((0, 10), (10, 20)) == 0  # touching spans share nothing
    assert not touches((0, 10), (10, 20))
    assert touches((0, 10), (9, 20))


def test_same_passage_when_half_of_the_shorter_is_shared():
    sentence, turn = (100, 140), (0, 400)
    assert mostly_overlaps(sentence, turn) and mostly_overlaps(turn, sentence)
    assert mostly_overlaps((0, 10), (5, 15))  # exactly half
    assert not mostly_overlaps((0, 10), (6, 16))
    assert not mostly_overlaps((0, 10), (10, 10))  # an empty span is no passage
