"""Full-text search over speech (FTS5, accent-insensitive), with offsets and snippets."""

from __future__ import annotations

import re
from collections.abc import Callable

from recits.failures import EmptyQuery
from recits.models import SearchHit
from recits.store.analysis import AnalysisMixin

_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w", re.UNICODE)
_WORDS = re.compile(r"\w+", re.UNICODE)
# highlight() marks each matched token; runs separated only by spaces, punctuation or stop
# words merge ("réduction des risques" is one hit).
_MARKED = re.compile("\x02(.*?)\x03", re.DOTALL)
SNIPPET_CONTEXT = 60
MAX_STOP_GAP = 3  # stop words that may join two matched words into one hit
# Words that say nothing alone (articles, prepositions, clitics, conjunctions), folded: in a
# query of several words they are neither required nor expanded, and never a hit on their own
# ("des" would otherwise find every "un", "une", "de" through its lemmas).
STOP_WORDS = frozenset(
    "le la les l un une des du de d a au aux en dans sur par pour et ou que qu qui dont"
    " ce c se s je j tu il ils elle elles on nous vous me m te t y ne n lui leur leurs"
    " mon ma mes ton ta tes son sa ses notre nos votre vos".split()
)
_STRIP = ".,;:!?«»\"'()"


def _fold(text: str) -> str:
    from recits.inclusive import fold

    return fold(text)


def _is_stop(word: str) -> bool:
    return _fold(word) in STOP_WORDS


def fts_query(query: str, expand: Callable[[str], list[str]] | None = None) -> str:
    """Turn what a user types into a safe FTS5 query: words AND-ed, "phrases", prefix*.

    With `expand`, each plain word becomes the OR of the word forms it stands for. Stop
    words count only in a query made of nothing else, then as the phrase typed.
    """
    terms: list[tuple[str, str]] = []  # (kind, text): phrase | prefix | word
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            words = _WORDS.findall(phrase)
            if words:
                terms.append(("phrase", " ".join(words)))
            continue
        if word.endswith("*"):
            pieces = _WORDS.findall(word)
            if pieces:
                terms.append(("prefix", " ".join(pieces)))
            continue
        pieces = _WORDS.findall(word)
        if len(pieces) > 1 and not _inclusive(word.strip(_STRIP)):
            while len(pieces) > 1 and _is_stop(pieces[0]):  # l'épuisement, qu'on
                pieces = pieces[1:]
            if len(pieces) > 1:  # aujourd'hui, travailleur-pair: one phrase
                terms.append(("phrase", " ".join(pieces)))
                continue
            word = pieces[0]
        if pieces:
            terms.append(("word", word.strip(_STRIP)))
    if not terms:
        raise EmptyQuery(query)
    if all(kind == "word" and _is_stop(text) for kind, text in terms):
        words = [w for _kind, text in terms for w in _WORDS.findall(text)]
        return '"' + " ".join(words) + '"'
    parts: list[str] = []
    for kind, text in terms:
        if kind == "phrase":
            parts.append(f'"{text}"')
        elif kind == "prefix":
            parts.append(f'"{text}"*')
        elif _is_stop(text):
            continue
        else:
            forms = expand(text) if expand is not None else []
            if forms:
                parts.append("(" + " OR ".join(f'"{f}"' for f in forms) + ")")
            else:
                parts.extend(f'"{w}"' for w in _WORDS.findall(text))
    return " AND ".join(parts)


def _inclusive(word: str) -> bool:
    from recits.inclusive import INCLUSIVE

    return INCLUSIVE.fullmatch(word) is not None


def gender_variants(lemma: str) -> set[str]:
    """Masculine and feminine forms of a folded lemma (pair/paire, travailleur/travailleuse)."""
    if lemma.endswith("s") and len(lemma) > 3:  # a plural typed by the user: paires
        return gender_variants(lemma[:-1]) | {lemma}
    out = {lemma, lemma + "e"}
    endings = (("eur", "euse"), ("teur", "trice"), ("er", "ere"), ("if", "ive"), ("en", "enne"),
               ("on", "onne"), ("el", "elle"), ("et", "ette"), ("x", "se"))  # fmt: skip
    for masc, fem in endings:
        if lemma.endswith(masc):
            out.add(lemma[: -len(masc)] + fem)
        if lemma.endswith(fem):
            out.add(lemma[: -len(fem)] + masc)
    if lemma.endswith("e") and len(lemma) > 3:
        out.add(lemma[:-1])
    return out


# Endings of a conjugated verb or a participle (folded) and the infinitive they come from: the
# lemma of a typed form the corpus does not hold ("épuisé" when only "épuisée" was said).
_VERB_ENDINGS = (
    ("e", "er"), ("es", "er"), ("ee", "er"), ("ees", "er"), ("ent", "er"), ("ons", "er"),
    ("ez", "er"), ("ant", "er"), ("ait", "er"), ("ais", "er"), ("aient", "er"), ("ai", "er"),
    ("i", "ir"), ("ie", "ir"), ("is", "ir"), ("ies", "ir"), ("it", "ir"), ("issons", "ir"),
    ("issez", "ir"), ("issent", "ir"), ("issant", "ir"), ("issait", "ir"),
    ("u", "re"), ("ue", "re"), ("us", "re"), ("ues", "re"),
)  # fmt: skip


def verb_lemmas(folded: str) -> set[str]:
    """The infinitives a folded word form may belong to (candidates: the corpus decides)."""
    return {
        folded[: -len(ending)] + infinitive
        for ending, infinitive in _VERB_ENDINGS
        if folded.endswith(ending) and len(folded) - len(ending) >= 3
    }


def _joins(gap: str) -> bool:
    """Whether the text between two matched runs keeps them one hit: nothing but spaces,
    punctuation and a few stop words ("réduction des risques")."""
    words = _WORDS.findall(gap)
    return len(words) <= MAX_STOP_GAP and all(_is_stop(w) for w in words)


def _hits_in(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The unmarked text and the spans of its marked runs, joined across stop words; a run
    of stop words alone is no hit unless nothing else matched (a query of stop words)."""
    plain = marked.replace("\x02", "").replace("\x03", "")
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(_MARKED.finditer(marked)):
        start = m.start() - 2 * i
        end = start + len(m.group(1))
        if spans and _joins(plain[spans[-1][1] : start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    meaningful = [(s, e) for s, e in spans if not all(map(_is_stop, _WORDS.findall(plain[s:e])))]
    return plain, meaningful or spans


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """The match with some context, cut at word boundaries, '…' where cut."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")


class SearchMixin(AnalysisMixin):
    """Also reads the lemma forms of the analyses, to find a word's other forms."""

    def word_forms(self, word: str) -> list[str]:
        """The forms found in the corpus that share a lemma with `word` (needs `recits analyse`).

        An empty list when the word cannot be expanded (then it is searched as typed).
        """
        from recits.inclusive import INCLUSIVE, fold, inclusive_lemma

        if INCLUSIVE.fullmatch(word):
            word = inclusive_lemma(word)
        if not word or not _WORD.search(word) or re.search(r"\W", word):
            return []
        folded = fold(word)
        lemmas: set[str] = set()
        for lemma in {folded, *self.lemmas_of_form(folded)}:
            lemmas |= gender_variants(lemma)
        # The typed form's own lemma too, even when the corpus never holds that form:
        # "épuisé" finds what "épuisée" finds ("épuisée", "s'épuiser").
        for variant in gender_variants(folded):
            lemmas |= verb_lemmas(variant)
        forms = set(self.forms_of_lemmas(sorted(lemmas)))
        return sorted(forms | {folded})

    def _matches(self, query: str, exact: bool, limit: int | None) -> list[tuple]:
        """Matching turns, best first: (turn id, document id, turn start, title, speaker,
        text with each matched token between \\x02 and \\x03)."""
        return self.conn.execute(
            "SELECT t.id, t.document_id, t.start_char, d.title, p.pseudonym, t.page, t.section,"
            " highlight(turns_fts, 0, char(2), char(3))"
            " FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid"
            " JOIN documents d ON d.id = t.document_id AND d.deleted_at IS NULL"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE turns_fts MATCH ? ORDER BY bm25(turns_fts), t.document_id, t.position"
            " LIMIT ?",
            [fts_query(query, None if exact else self.word_forms), -1 if limit is None else limit],
        ).fetchall()

    def search(self, query: str, *, limit: int = 500, exact: bool = False) -> list[SearchHit]:
        """Every match of `query` in speech, best turns first; offsets into document text.

        Unless `exact`, a word also finds its other forms (pair: paires, pair-e-s, pairs).
        """
        hits: list[SearchHit] = []
        for turn_id, doc_id, turn_start, title, speaker, page, section, marked in self._matches(
            query, exact, limit
        ):
            plain, spans = _hits_in(marked)
            for start, end in spans:
                hits.append(
                    SearchHit(
                        document_id=doc_id,
                        document_title=title,
                        turn_id=turn_id,
                        speaker=speaker,
                        start_char=turn_start + start,
                        end_char=turn_start + end,
                        snippet=snippet(plain, start, end),
                        page=page,
                        section=section,
                    )
                )
        return hits[:limit]

    def count_hits(self, query: str, *, exact: bool = False) -> int:
        """How many hits `search` would give without a limit."""
        return sum(len(_hits_in(row[-1])[1]) for row in self._matches(query, exact, None))
