"""Codebook patterns as a spaCy span_ruler over lemmas and stems, into doc.spans["recits"]."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recits.codebook import Codebook, CodebookError
from recits.inclusive import fold

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPANS_KEY = "recits"
# Stems shorter than this are ambiguous (port: porte, porter, portable): match lemmas instead.
MIN_STEM = 5
MAX_GAP = 3  # words allowed between the words of a phrase pattern ("poser ses propres limites")
MAX_FREE_ORDER = 3  # phrases of up to this many words also match in any order ("le soir, je pense")
# Words a phrase pattern leaves out: articles, prepositions, clitics, auxiliaries. Not spaCy's
# stop list, which also holds "seul", "pas", "soi", "moins": "se sentir seul" must not shrink to
# "sentir", nor "prendre sur soi" to "prendre".
FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d à au aux en dans sur par pour avec sans chez se s me m te t"
    " ne n sa son ses mon ma mes ton ta tes leur leurs notre nos votre vos et ou y que qu être"
    " avoir".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


@dataclass(frozen=True)
class Term:
    """One codebook pattern compiled for spaCy."""

    code_id: str
    text: str
    pattern: tuple[dict[str, Any], ...]
    words: int  # content words: phrases weigh more than single words
    free_order: bool = False  # a written phrase: its words may come in another order


def _line_of(path: Path, needle: str) -> int | None:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
    except OSError:
        return None
    return None


def _where(codebook: Codebook, raw: str) -> str:
    line = _line_of(codebook.path, raw.strip()[:40])
    return f"{codebook.path}" + (f", ligne {line}" if line else "")


def compile_terms(codebook: Codebook, nlp: Language | None = None) -> list[Term]:
    """Every code's patterns as span_ruler token patterns; CodebookError names file and line.

    With the French pipeline, a word written inflected in a pattern also matches its lemma
    ("vie privée": the transcripts' lemma of "privée" is "priver"; "pris": "prendre")."""
    from recits.nlp import blank

    tokenizer = blank().tokenizer
    terms: list[Term] = []
    errors: list[str] = []
    written = [p for c in codebook.codes for p in c.patterns if not _is_json(p)]
    lemmas = (
        {
            raw: {t.lower_: t.lemma_.lower() for t in doc}
            for raw, doc in zip(written, nlp.pipe(written), strict=True)
        }
        if nlp
        else {}
    )
    for code in codebook.codes:
        for raw in code.patterns:
            if _is_json(raw):
                term = _json_term(codebook, code.id, raw, errors)
            else:
                term = _text_term(code.id, raw, tokenizer, lemmas.get(raw, {}))
            if term is not None:
                terms.append(term)
    if errors:
        raise CodebookError("\n".join(errors))
    _validate(codebook, terms)
    return terms


def _is_json(raw: str) -> bool:
    return raw.lstrip().startswith(("[", "{"))


def _text_term(code_id: str, raw: str, tokenizer: Any, lemmas: dict[str, str]) -> Term | None:
    tokens = [t for t in tokenizer(raw) if not (t.is_punct or t.is_space)]
    content = [t for t in tokens if t.lower_.strip("'’") not in FUNCTION_WORDS] or tokens
    if not content:
        return None
    pattern: list[dict[str, Any]] = []
    for i, token in enumerate(content):
        if i:
            pattern.append({"OP": f"{{0,{MAX_GAP}}}"})
        word = token.text.lower()
        stemmed = stem(word)
        if len(stemmed) >= MIN_STEM and token.is_alpha:
            pattern.append({"NORM": stemmed})
        else:
            forms = {word, fold(word), lemmas.get(word, word)}
            pattern.append({"LEMMA": {"IN": sorted(forms | {fold(f) for f in forms})}})
    return Term(code_id, raw, tuple(pattern), len(content), free_order=len(content) > 1)


def _json_term(codebook: Codebook, code_id: str, raw: str, errors: list[str]) -> Term | None:
    """A pattern written in spaCy's token-pattern vocabulary: [{"LEMMA": "épuiser"}]."""
    try:
        pattern = json.loads(raw)
    except json.JSONDecodeError as err:
        errors.append(
            f"{_where(codebook, raw)} : clé « patterns » du code « {code_id} » : motif JSON"
            f" invalide « {raw} » ({err.msg}, colonne {err.colno})"
        )
        return None
    if isinstance(pattern, dict):
        pattern = [pattern]
    if (
        not isinstance(pattern, list)
        or not pattern
        or not all(isinstance(p, dict) for p in pattern)
    ):
        errors.append(
            f"{_where(codebook, raw)} : clé « patterns » du code « {code_id} » : un motif JSON"
            f' doit être une liste de jetons comme [{{"LEMMA": "épuiser"}}], pas « {raw} »'
        )
        return None
    return Term(code_id, raw, tuple(pattern), max(1, sum(1 for p in pattern if "OP" not in p)))


def _validate(codebook: Codebook, terms: Sequence[Term]) -> None:
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher

    from recits.nlp import blank

    matcher = Matcher(blank().vocab, validate=True)
    errors = []
    for term in terms:
        try:
            matcher.add("check", [list(term.pattern)])
        except (MatchPatternError, ValueError) as err:
            detail = str(err).strip().splitlines()[-1].strip("- ").strip()
            errors.append(
                f"{_where(codebook, term.text)} : clé « patterns » du code « {term.code_id} » :"
                f" motif invalide « {term.text} » ({detail})"
            )
    if errors:
        raise CodebookError("\n".join(errors))


def build_ruler(terms: Sequence[Term]) -> Language:
    """A small pipeline (recits_stems, span_ruler) to run over stored Docs."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("recits_stems"):
        Language.component("recits_stems", func=_stems_component)
    nlp = spacy.blank("fr")
    nlp.add_pipe("recits_stems")
    ruler = nlp.add_pipe(
        "span_ruler",
        config={
            "spans_key": SPANS_KEY, "validate": False, "overwrite": True,
            "phrase_matcher_attr": "NORM",
        },
    )  # fmt: skip
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": t.code_id, "id": str(i), "pattern": pattern}
            for i, t in enumerate(terms)
            for pattern in _ruler_patterns(t)
        ]
    )
    return nlp


def _ruler_patterns(term: Term) -> list[str | list[dict[str, Any]]]:
    """A single stem goes to the ruler's phrase matcher (a hash lookup per token, on NORM where
    recits_stems put the stems); phrases and lemma lists go to its token matcher, whose cost
    grows with every pattern it holds (retraining on 1M words spent 3/4 of its time there).
    A short written phrase matches in every order of its words: spoken French moves them
    ("je pense à lui le soir", "le soir, je pense à lui")."""
    if len(term.pattern) == 1 and list(term.pattern[0]) == ["NORM"]:
        value = term.pattern[0]["NORM"]
        if isinstance(value, str) and value.isalpha():
            return [value]
    if not term.free_order or term.words > MAX_FREE_ORDER:
        return [list(term.pattern)]
    words = term.pattern[::2]  # the gaps sit between the words
    gap = term.pattern[1]
    out: list[str | list[dict[str, Any]]] = []
    for order in itertools.permutations(words):
        pattern: list[dict[str, Any]] = [order[0]]
        for word in order[1:]:
            pattern += [gap, word]
        out.append(pattern)
    return out


def _stems_component(doc: Doc) -> Doc:
    """Lowercase lemmas, and stems in NORM, so that the matcher compares them natively (fast).

    Only on stored Docs read back for matching: the model never sees these values.
    """
    for token in doc:
        lemma = token.lemma_.lower() or token.lower_
        token.lemma_ = lemma
        token.norm_ = stem(lemma) if token.is_alpha else lemma
    return doc


def match(ruler: Language, doc: Doc) -> Doc:
    for _name, proc in ruler.pipeline:
        doc = proc(doc)
    return doc
