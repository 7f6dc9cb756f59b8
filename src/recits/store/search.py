"""Full-text search over speech (FTS5, accent-insensitive), with offsets and snippets."""

from __future__ import annotations

import re
from collections.abc import Callable

from recits.errors import RecitsError
from recits.models import SearchHit
from recits.store.base import StoreBase

_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w", re.UNICODE)
# highlight() marks each matched token; runs separated only by spaces or punctuation merge.
_MARKED = re.compile("\x02(.*?)\x03", re.DOTALL)
SNIPPET_CONTEXT = 60


def fts_query(query: str, expand: Callable[[str], list[str]] | None = None) -> str:
    """Turn what a user types into a safe FTS5 query: words AND-ed, "phrases", prefix*.

    With `expand`, each plain word becomes the OR of the word forms it stands for.
    """
    parts: list[str] = []
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            words = [w for w in re.split(r"\W+", phrase) if w]
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        prefix = word.endswith("*")
        if expand is not None and not prefix:
            forms = expand(word.strip(".,;:!?«»\"'()"))
            if forms:
                parts.append("(" + " OR ".join(f'"{f}"' for f in forms) + ")")
                continue
        for w in re.split(r"\W+", word):
            if w:
                parts.append(f'"{w}"')
        if prefix and parts:
            parts[-1] += "*"
    if not parts:
        raise RecitsError(f"recherche vide : « {query} » ne contient aucun mot")
    return " AND ".join(parts)


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


def _hits_in(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The unmarked text and the spans of its marked runs; runs with no word between merge."""
    plain = marked.replace("\x02", "").replace("\x03", "")
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(_MARKED.finditer(marked)):
        start = m.start() - 2 * i
        end = start + len(m.group(1))
        if spans and not _WORD.search(plain[spans[-1][1] : start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return plain, spans


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


class SearchMixin(StoreBase):
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
        for lemma in {folded, *self.lemmas_of_form(folded)}:  # type: ignore[attr-defined]
            lemmas |= gender_variants(lemma)
        forms = set(self.forms_of_lemmas(sorted(lemmas)))  # type: ignore[attr-defined]
        return sorted(forms | {folded})

    def search(self, query: str, *, limit: int = 500, exact: bool = False) -> list[SearchHit]:
        """Every match of `query` in speech, best turns first; offsets into document text.

        Unless `exact`, a word also finds its other forms (pair: paires, pair-e-s, pairs).
        """
        rows = self.conn.execute(
            "SELECT t.id, t.document_id, t.start_char, d.title, p.pseudonym,"
            " highlight(turns_fts, 0, char(2), char(3))"
            " FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid"
            " JOIN documents d ON d.id = t.document_id AND d.deleted_at IS NULL"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            " WHERE turns_fts MATCH ? ORDER BY bm25(turns_fts), t.document_id, t.position"
            " LIMIT ?",
            [fts_query(query, None if exact else self.word_forms), limit],
        ).fetchall()
        hits: list[SearchHit] = []
        for turn_id, doc_id, turn_start, title, speaker, marked in rows:
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
                    )
                )
        return hits[:limit]
