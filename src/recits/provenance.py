"""Provenance of a written passage: where in the corpus it was said, by whom, word for word."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from recits.masking import fold_with_map
from recits.models import Turn
from recits.store import Store

CANDIDATES = 25
NEIGHBOURS = 2  # paragraphs of the same speaker a passage may run into, on each side
WIDENED = 5  # the best imperfect places looked at with their neighbouring paragraphs
TIE = 0.5  # scores this close are the same match found twice: the speaker decides
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Difference:
    draft: str
    source: str


@dataclass(frozen=True)
class Source:
    """Where a passage was found: document offsets of its first to its last matched word."""

    document_id: str
    title: str
    turns: tuple[Turn, ...]  # the turns the passage runs through, in order
    score: float  # 0–100, case, accents and punctuation set aside
    start: int
    end: int
    text: str  # the source around the passage (its turns, as in the document)
    differences: tuple[Difference, ...]

    @property
    def turn(self) -> Turn:
        return self.turns[0]


Preference = Callable[[Source], tuple]


def words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of text."""
    folded, origin = fold_with_map(text)
    out = []
    for m in _WORD.finditer(folded):
        start, end = m.start(), m.end()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        out.append((m.group(), start, end))
    return out


def _fts(folded: list[str]) -> list[str]:
    """FTS queries, most selective first: three-word phrases, then the longest words."""
    queries = []
    if len(folded) >= 3:
        step = max(1, (len(folded) - 2) // 8)
        phrases = [" ".join(folded[i : i + 3]) for i in range(0, len(folded) - 2, step)]
        queries.append(" OR ".join(f'"{p}"' for p in phrases))
    longest = sorted(set(folded), key=len, reverse=True)[:6]
    queries.append(" OR ".join(f'"{w}"' for w in longest))
    return queries


@dataclass
class Corpus:
    """The store, with the document texts read so far (one check reads each once)."""

    store: Store
    _texts: dict[str, str] = field(default_factory=dict)

    def text(self, document_id: str) -> str:
        if document_id not in self._texts:
            self._texts[document_id] = self.store.document_text(document_id)
        return self._texts[document_id]

    def around(self, turn: Turn) -> list[Turn]:
        """The turn with up to NEIGHBOURS turns of the same speaker before and after it: a
        passage may run over a paragraph break."""
        near = self.store.turns_near(turn.document_id, turn.position, NEIGHBOURS)
        index = next(i for i, t in enumerate(near) if t.id == turn.id)
        lo = hi = index
        while lo > 0 and near[lo - 1].participant_id == turn.participant_id:
            lo -= 1
        while hi < len(near) - 1 and near[hi + 1].participant_id == turn.participant_id:
            hi += 1
        return near[lo : hi + 1]


@dataclass(frozen=True)
class _Candidate:
    """A place that may hold the passage, scored before its words are aligned."""

    window: tuple[Turn, ...]
    title: str
    score: float
    rank: int  # the search index's order
    words: list[tuple[str, int, int]]  # the window's words, document offsets
    first: int  # rough range of the passage in `words`
    last: int


def _window_words(window: tuple[Turn, ...]) -> list[tuple[str, int, int]]:
    """The words of consecutive turns, with document offsets."""
    out = []
    for turn in window:
        out += [(w, turn.start_char + s, turn.start_char + e) for w, s, e in words(turn.text)]
    return out


def _aligned(draft: list[str], source: list[str], first: int, last: int) -> tuple[int, int]:
    """The source words [start, end) that the draft's words stand for, near the rough
    character alignment [first, last]: from the first to the last word found in both, and
    as many words beyond as the draft has unmatched words at its ends (typos there)."""
    margin = 3 + len(draft) // 2
    lo, hi = max(0, first - margin), min(len(source), last + 1 + margin)
    matcher = difflib.SequenceMatcher(a=draft, b=source[lo:hi], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return first, last + 1
    # A lone word found far from the rest ("de", "on") is a coincidence, not the edge.
    while len(blocks) > 1 and blocks[0].size == 1 and _apart(blocks[0], blocks[1]):
        blocks.pop(0)
    while len(blocks) > 1 and blocks[-1].size == 1 and _apart(blocks[-2], blocks[-1]):
        blocks.pop()
    start, end = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size
    start = max(lo, start - blocks[0].a)
    end = min(hi, end + len(draft) - (blocks[-1].a + blocks[-1].size))
    return start, end


def _apart(before: difflib.Match, after: difflib.Match) -> bool:
    """More source words than draft words between two matched runs (by more than two)."""
    return (after.b - before.b - before.size) > (after.a - before.a - before.size) + 2


def _differences(draft: str, source: list[tuple[str, int, int]], text: str) -> list[Difference]:
    """Words that differ, as written in the draft and in the source."""
    mine = words(draft)
    matcher = difflib.SequenceMatcher(
        a=[f for f, _s, _e in mine], b=[f for f, _s, _e in source], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            written = draft[mine[i1][1] : mine[i2 - 1][2]] if i2 > i1 else ""
            said = text[source[j1][1] : source[j2 - 1][2]] if j2 > j1 else ""
            out.append(Difference(written, said))
    return out


def _candidate(
    window: tuple[Turn, ...], title: str, needle: str, rank: int, near: Source | None
) -> _Candidate | None:
    from rapidfuzz import fuzz

    window_words = _window_words(window)
    if not window_words:
        return None
    haystack = " ".join(w for w, _s, _e in window_words)
    if len(haystack) < len(needle):
        # partial_ratio would find the short text inside the passage and call it 100 %: the
        # rest of the passage must count ("Avant, j'étais seule." is not all of it).
        score = fuzz.ratio(needle, haystack)
        if score < 50:
            return None
        first, last = 0, len(window_words) - 1
    else:
        alignment = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=50)
        if alignment is None:
            return None
        first = haystack[: alignment.dest_start].count(" ")
        last = haystack[: max(alignment.dest_end - 1, alignment.dest_start)].count(" ")
        score = alignment.score
    if near is not None and window[0].document_id == near.document_id:
        score += 2  # the rest of a cut quotation is most likely in the same place
    return _Candidate(window, title, score, rank, window_words, first, last)


def _source(corpus: Corpus, found: _Candidate, fragment: str, folded: list[str]) -> Source:
    start, end = _aligned(folded, [w for w, _s, _e in found.words], found.first, found.last)
    span = found.words[start:end] or found.words[found.first : found.last + 1]
    begin, finish = span[0][1], span[-1][2]
    window = found.window
    text = corpus.text(window[0].document_id)
    turns = tuple(t for t in window if t.start_char < finish and t.end_char > begin)
    return Source(
        document_id=window[0].document_id,
        title=found.title,
        turns=turns or window[:1],
        score=found.score,
        start=begin,
        end=finish,
        text=text[window[0].start_char : window[-1].end_char],
        differences=tuple(_differences(fragment, span, text)),
    )


def find(
    corpus: Corpus, fragment: str, prefer: Preference, near: Source | None = None
) -> Source | None:
    """Where `fragment` was said: the best-scoring place; between places found equally well
    (the same words in two documents), the one `prefer` ranks first."""
    folded = [w for w, _s, _e in words(fragment)]
    if not folded:
        return None
    needle = " ".join(folded)
    found: list[_Candidate] = []
    seen: set[int] = set()
    for query in _fts(folded):
        for turn, title in corpus.store.turn_candidates(query, CANDIDATES):
            if turn.id not in seen:
                seen.add(turn.id)
                candidate = _candidate((turn,), title, needle, len(found), near)
                if candidate is not None:
                    found.append(candidate)
        if found and max(c.score for c in found) >= 99:
            break
    if not found:
        return None
    # The best places, imperfect: the passage may go on in the next paragraph.
    imperfect = sorted((c for c in found if c.score < 99), key=lambda c: -c.score)
    for candidate in imperfect[:WIDENED]:
        window = tuple(corpus.around(candidate.window[0]))
        if len(window) > 1:
            wider = _candidate(window, candidate.title, needle, candidate.rank, near)
            if wider is not None and wider.score > candidate.score:
                found.append(wider)
    best = max(c.score for c in found)
    tied = [(_source(corpus, c, fragment, folded), c.rank) for c in found if c.score >= best - TIE]
    return min(tied, key=lambda item: (prefer(item[0]), -item[0].score, item[1]))[0]
