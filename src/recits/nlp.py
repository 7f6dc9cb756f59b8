"""spaCy for recits: the French model loaded lazily, inclusive writing, per-document analysis."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recits.errors import RecitsError
from recits.inclusive import INCLUSIVE, fold, inclusive_lemma, is_inclusive

__all__ = ["INCLUSIVE", "fold", "inclusive_lemma", "is_inclusive", "load_model", "analyse"]
from recits.models import Document, Entity, Sentence, StoredAnalysis, Turn
from recits.workers import die_with_parent

if TYPE_CHECKING:  # spaCy is heavy: imported only when a function needs it
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from recits.store import Store

MODEL_NAME = "fr_core_news_sm"
PIPELINE_VERSION = "recits-1"  # bump when the tokenizer or stored attributes change
DOCBIN_ATTRS = ["ORTH", "LEMMA", "POS", "SENT_START", "ENT_IOB", "ENT_TYPE"]
# Analysis goes to two worker processes when there is enough text to pay for loading the
# model twice more (about 4 s each).
PARALLEL_MIN_WORDS = 150_000
WORKERS = 2
# Turns per nlp.pipe batch. The model's arrays grow with the batch and the allocator keeps the
# peak: analysing 100,000 words grew the process by 193 MB at 256, 49 MB at 64, 48 MB at 16,
# for the same speed (bench/analyse.py measures the whole at 1,000,000 words).
BATCH_SIZE = 64

# -- the model --------------------------------------------------------------------------------
_lock = threading.Lock()
_nlp: Language | None = None


def model_loaded() -> bool:
    return _nlp is not None


def load_model() -> Language:
    """The French pipeline with recits' adjustments; loaded once, safe to call from a worker."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _build()
        return _nlp


def _build() -> Language:
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as err:
        raise RecitsError(
            f"le modèle français de spaCy « {MODEL_NAME} » n'est pas installé ; réinstallez"
            " recits (make run ou pip install -e .), il en fait partie"
        ) from err
    previous = nlp.tokenizer.token_match

    def token_match(text: str) -> Any:
        return INCLUSIVE.fullmatch(text) or (previous(text) if previous else None)

    nlp.tokenizer.token_match = token_match
    if not Language.has_factory("recits_inclusive"):
        Language.component("recits_inclusive", func=_inclusive_component)
    nlp.add_pipe("recits_inclusive", after="lemmatizer")
    return nlp


def _inclusive_component(doc: Doc) -> Doc:
    """Inclusive forms get their masculine singular lemma (pair-e-s -> pair)."""
    for token in doc:
        if token.is_alpha or len(token) < 4:
            continue
        if INCLUSIVE.fullmatch(token.text):
            token.lemma_ = inclusive_lemma(token.text)
    return doc


def model_version(nlp: Language | None = None) -> str:
    if nlp is not None:
        return f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}+{PIPELINE_VERSION}"
    from importlib.metadata import version

    return f"{MODEL_NAME}-{version(MODEL_NAME.replace('_', '-'))}+{PIPELINE_VERSION}"


_blank: Language | None = None


def blank() -> Language:
    """A French tokenizer and vocabulary without the model (fast to load)."""
    global _blank
    with _lock:
        if _blank is None:
            import spacy

            _blank = spacy.blank("fr")
            previous = _blank.tokenizer.token_match
            _blank.tokenizer.token_match = lambda text: (
                INCLUSIVE.fullmatch(text) or (previous(text) if previous else None)
            )
        return _blank


def vocab() -> Vocab:
    """The vocabulary to read stored analyses with (the model's if loaded)."""
    return _nlp.vocab if _nlp is not None else blank().vocab


# -- analysing documents ----------------------------------------------------------------------
def content_lemmas(doc: Doc) -> list[str]:
    """Lowercase lemmas of the words that carry meaning (no stop words, punctuation, numbers)."""
    return [
        t.lemma_.lower()
        for t in doc
        if not (t.is_stop or t.is_punct or t.is_space or t.like_num) and t.lemma_.strip()
    ]


MIN_SENTENCE_WORDS = 4


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Sentences as token ranges; fragments ("Bon.", "euh,") join a neighbouring sentence."""
    bounds: list[list[int]] = []
    carry: int | None = None
    for sent in doc.sents:
        words = sum(1 for t in sent if t.is_alpha or INCLUSIVE.fullmatch(t.text))
        first = carry if carry is not None else sent.start
        if words >= MIN_SENTENCE_WORDS:
            bounds.append([first, sent.end])
            carry = None
        elif bounds and carry is None:
            bounds[-1][1] = sent.end
        else:
            carry = first
    if carry is not None:
        if bounds:
            bounds[-1][1] = len(doc)
        else:
            bounds.append([carry, len(doc)])
    out = []
    for first, last in bounds:  # trim spaces at both ends
        while first < last and doc[first].is_space:
            first += 1
        while last > first and doc[last - 1].is_space:
            last -= 1
        if first < last:
            out.append((first, last))
    return out


def analysis_key(text: str, turns: Sequence[Turn], version: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(repr([(t.start_char, t.end_char) for t in turns]).encode())
    digest.update(version.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class DocumentResult:
    """A document analysed, ready for the store."""

    analysis: StoredAnalysis
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    forms: dict[tuple[str, str], int]
    french: bool  # False when the words do not look French (the model then reads it poorly)


# French prose has 35-50 % of its words in spaCy's French stop list ("de", "je", "pas"); English
# or Arabic prose, under 10 %. Below this share, with enough words, a document is not French.
FRENCH_STOP_SHARE = 0.2
FRENCH_MIN_WORDS = 30


def _result(
    doc_id: str, key: str, version: str, starts: Sequence[int], docs: Sequence[Doc]
) -> DocumentResult:
    from spacy.tokens import DocBin

    sentences: list[Sentence] = []
    entities: list[Entity] = []
    forms: Counter[tuple[str, str]] = Counter()
    tokens = alpha = stop = 0
    for position, (start, doc) in enumerate(zip(starts, docs, strict=True)):
        tokens += len(doc)
        for first, last in sentence_bounds(doc):
            span = doc[first:last]
            sentences.append(
                Sentence(
                    doc_id,
                    position,
                    start + span.start_char,
                    start + span.end_char,
                    " ".join(content_lemmas(span)),
                )
            )
        for ent in doc.ents:
            entities.append(
                Entity(doc_id, start + ent.start_char, start + ent.end_char, ent.label_, ent.text)
            )
        for token in doc:
            if token.is_alpha:
                alpha += 1
                stop += token.is_stop
                forms[(fold(token.text), fold(token.lemma_))] += 1
            elif INCLUSIVE.fullmatch(token.text):
                base = INCLUSIVE.fullmatch(token.text).group("base")  # type: ignore[union-attr]
                forms[(fold(base), fold(token.lemma_))] += 1
    docbin = DocBin(attrs=DOCBIN_ATTRS, docs=docs)
    analysis = StoredAnalysis(doc_id, key, version, tuple(starts), docbin.to_bytes(), tokens)
    french = alpha < FRENCH_MIN_WORDS or stop / alpha >= FRENCH_STOP_SHARE
    return DocumentResult(analysis, tuple(sentences), tuple(entities), dict(forms), french)


@dataclass(frozen=True)
class _Job:
    document_id: str
    key: str
    starts: tuple[int, ...]
    texts: tuple[str, ...]
    words: int


def _jobs(store: Store, documents: Sequence[Document], version: str) -> list[_Job]:
    jobs = []
    for document in documents:
        text = store.document_text(document.id)
        turns = store.turns(document.id)
        turns = [t for t in turns if text[t.start_char : t.end_char].strip()]
        key = analysis_key(text, turns, version)
        jobs.append(
            _Job(
                document.id,
                key,
                tuple(t.start_char for t in turns),
                tuple(text[t.start_char : t.end_char] for t in turns),
                document.word_count,
            )
        )
    return jobs


def _pipe_jobs(nlp: Language, jobs: Sequence[_Job], version: str) -> Iterator[DocumentResult]:
    """One nlp.pipe stream over every turn of every job; a result per job, in order."""
    stream = ((text, i) for i, job in enumerate(jobs) for text in job.texts)
    docs = nlp.pipe(stream, as_tuples=True, batch_size=BATCH_SIZE)
    for job in jobs:
        mine = [next(docs)[0] for _ in job.texts]
        yield _result(job.document_id, job.key, version, job.starts, mine)


# Worker processes (spawn): each loads the model once, and ends with the process that started
# it, even when that one is killed (kill -9).
def _init_worker(owner: int) -> None:
    die_with_parent(owner)
    load_model()


def _work(jobs: list[_Job]) -> list[DocumentResult]:
    nlp = load_model()
    return list(_pipe_jobs(nlp, jobs, model_version(nlp)))


def _parallel(jobs: Sequence[_Job], version: str) -> Iterator[DocumentResult]:
    context = multiprocessing.get_context("spawn")
    chunks: list[list[_Job]] = []
    for job in jobs:  # chunks of about 20k words keep both workers busy till the end
        if not chunks or sum(j.words for j in chunks[-1]) >= 20_000:
            chunks.append([])
        chunks[-1].append(job)
    pool = ProcessPoolExecutor(
        WORKERS, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
    )
    try:
        pool.submit(os.getpid).result()
    except (OSError, ValueError):
        # Some hosts cannot start processes (a terminal app whose standard streams were
        # replaced: "bad value(s) in fds_to_keep"): analyse in this process instead.
        pool.shutdown(cancel_futures=True)
        nlp = load_model()
        yield from _pipe_jobs(nlp, jobs, model_version(nlp))
        return
    with pool:
        for results in pool.map(_work, chunks):
            yield from results


@dataclass(frozen=True)
class AnalyseReport:
    analysed: int
    reused: int
    unchanged: int
    words: int
    not_french: tuple[Document, ...] = ()  # analysed, but their words do not look French


def pending_documents(store: Store, documents: Sequence[Document] | None = None) -> list[Document]:
    """Documents whose text, turns or pipeline changed since their last analysis."""
    documents = store.documents() if documents is None else documents
    keys = store.analysis_keys()
    version = model_version()
    pending = []
    for document in documents:
        if document.id not in keys:
            pending.append(document)
            continue
        text = store.document_text(document.id)
        turns = [t for t in store.turns(document.id) if t.text.strip()]
        if keys[document.id] != analysis_key(text, turns, version):
            pending.append(document)
    return pending


def analyse(
    store: Store,
    documents: Sequence[Document] | None = None,
    *,
    progress: Callable[[Document], None] | None = None,
    parallel: bool | None = None,
) -> AnalyseReport:
    """Analyse the documents that changed (all live documents by default); parse each once."""
    pending = pending_documents(store, documents)
    total = len(documents) if documents is not None else len(store.documents())
    if not pending:
        return AnalyseReport(0, 0, total, 0)
    version = model_version()
    jobs = _jobs(store, pending, version)
    by_id = {d.id: d for d in pending}
    reused, todo = 0, []
    for job in jobs:
        same = store.analysis_by_key(job.key)
        if same is not None and same.document_id != job.document_id:
            _copy(store, same, job.document_id)
            reused += 1
            if progress:
                progress(by_id[job.document_id])
        else:
            todo.append(job)
    words = sum(j.words for j in todo)
    if parallel is None:
        parallel = words >= PARALLEL_MIN_WORDS and (os.cpu_count() or 1) >= 2
    results: Iterable[DocumentResult]
    if parallel and len(todo) > 1:
        results = _parallel(todo, version)
    else:
        nlp = load_model()
        results = _pipe_jobs(nlp, todo, model_version(nlp))
    not_french = []
    for result in results:
        store.save_analysis(result.analysis, result.sentences, result.entities, result.forms)
        if not result.french:
            not_french.append(by_id[result.analysis.document_id])
        if progress:
            progress(by_id[result.analysis.document_id])
    return AnalyseReport(len(todo), reused, total - len(pending), words, tuple(not_french))


def not_french_message(document: Document) -> str:
    return (
        f"« {document.title} » ne semble pas écrit en français : le modèle français l'a"
        " analysé, mais ses phrases, ses lemmes et ses suggestions seront peu fiables"
    )


def _copy(store: Store, same: StoredAnalysis, document_id: str) -> None:
    docs = load_docs(same)
    result = _result(document_id, same.key, same.model, same.turn_starts, docs)
    store.save_analysis(result.analysis, result.sentences, result.entities, result.forms)


def load_docs(analysis: StoredAnalysis) -> list[Doc]:
    """The stored Docs of a document (one per turn); offsets are relative to their turn."""
    from spacy.tokens import DocBin

    return list(DocBin(attrs=DOCBIN_ATTRS).from_bytes(analysis.docs).get_docs(vocab()))
