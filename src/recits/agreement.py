"""Agreement between coders: percent agreement, Cohen's κ, Krippendorff's α (pure statistics).

Each code is a yes/no judgement on every unit (a character, a sentence, a passage): the coder
applied the code to (part of) the unit or not. A coder who has no coding at all in a document
did not code it: their judgements there are missing (α takes them as such; κ and the percent
only count the units both coders judged). The character unit counts every character of the
documents, coded or not. Everything is computed on run-length intervals with numpy: a run of
characters that every coder treats alike is one weighted unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from recits.errors import RecitsError

if TYPE_CHECKING:
    from recits.store import Store

UNITS = ("character", "sentence", "passage")
UNIT_NAMES = {"character": "caractère", "sentence": "phrase", "passage": "passage"}

# The additive tally behind every figure, as the columns of one float array.
UNITS_, AGREED, BOTH, FIRST, SECOND, NEITHER, O00, O01, O11 = range(9)
_FIXED = 9


@dataclass(frozen=True)
class DocumentUnits:
    """One document: its length and, for the sentence and passage units, its units as
    (start_char, end_char) in text order (None for the character unit)."""

    id: str
    length: int
    units: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class Span:
    """A coding as agreement reads it."""

    document_id: str
    start_char: int
    end_char: int
    code_id: str
    coder: str


@dataclass(frozen=True)
class AgreementRow:
    """The figures for one code (None: all codes) in one document (None: all documents)."""

    code: str | None
    document: str | None
    unit: str
    coders: tuple[str, ...]
    percent_agreement: float | None
    kappa: float | None  # two coders only
    alpha: float | None
    units: int  # units judged by at least two coders (characters for the character unit)
    agreements: int  # of those, units where every coder judged alike
    coded_by: tuple[int, ...]  # per coder: units they applied the code to (among `units`)
    both: int | None = None  # two coders: the 2×2 table behind κ
    first_only: int | None = None
    second_only: int | None = None
    neither: int | None = None

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "document": self.document,
            "unit": self.unit,
            "coders": list(self.coders),
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "units": self.units,
            "agreements": self.agreements,
            "coded_by": dict(zip(self.coders, self.coded_by, strict=True)),
        }
        if len(self.coders) == 2:
            data.update(both=self.both, first_only=self.first_only,
                        second_only=self.second_only, neither=self.neither)  # fmt: skip
        return data


def kappa(both: float, first: float, second: float, neither: float) -> float | None:
    """Cohen's κ of two coders' yes/no judgements; None when chance agreement is total."""
    n = both + first + second + neither
    if n <= 0:
        return None
    observed = (both + neither) / n
    p1, p2 = (both + first) / n, (both + second) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    if expected >= 1 - 1e-12:
        return None
    return float((observed - expected) / (1 - expected))


def alpha(o00: float, o01: float, o11: float) -> float | None:
    """Krippendorff's α (nominal, two values) from the coincidence matrix [[o00, o01],
    [o01, o11]]; None when the values do not vary (no expected disagreement)."""
    n0, n1 = o00 + o01, o11 + o01
    n = n0 + n1
    if n0 <= 0 or n1 <= 0:
        return None
    return float(1 - (n - 1) * o01 / (n0 * n1))


def covered(starts: np.ndarray, ends: np.ndarray, span_starts: np.ndarray,
            span_ends: np.ndarray) -> np.ndarray:  # fmt: skip
    """Which units (sorted, not overlapping) share at least one character with a span."""
    n = len(starts)
    first = np.searchsorted(ends, span_starts, side="right")
    last = np.searchsorted(starts, span_ends, side="left")
    keep = first < last
    diff = np.bincount(first[keep], minlength=n + 1) - np.bincount(last[keep], minlength=n + 1)
    return np.cumsum(diff[:n]) > 0


def measure(
    documents: Sequence[DocumentUnits],
    spans: Sequence[Span],
    coders: Sequence[str],
    codes: Sequence[str],
    unit: str,
) -> list[AgreementRow]:
    """Rows per code × document, per document (all codes), per code (all documents), and
    overall; documents fewer than two coders coded have no rows (nothing to compare)."""
    if unit not in UNITS:
        raise ValueError(unit)
    k = len(coders)
    doc_index = {d.id: i for i, d in enumerate(documents)}
    offsets = np.zeros(len(documents) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([d.length for d in documents])
    coder_index = {c: i for i, c in enumerate(coders)}
    code_index = {c: i for i, c in enumerate(codes)}
    kept = [s for s in spans if s.coder in coder_index and s.document_id in doc_index]
    present = np.zeros((k, len(documents)), dtype=bool)  # who coded (anything in) which document
    for s in kept:
        present[coder_index[s.coder], doc_index[s.document_id]] = True
    by_code: dict[int, list[Span]] = {}
    for s in kept:
        if s.code_id in code_index:
            by_code.setdefault(code_index[s.code_id], []).append(s)

    shared = None if unit == "character" else _given_units(documents, offsets)
    tallies = np.zeros((len(codes), len(documents), _FIXED + k))
    for ci in range(len(codes)):
        mine = by_code.get(ci, [])
        g_start = np.array([offsets[doc_index[s.document_id]] + s.start_char for s in mine],
                           dtype=np.int64)  # fmt: skip
        g_end = np.array([offsets[doc_index[s.document_id]] + s.end_char for s in mine],
                         dtype=np.int64)  # fmt: skip
        who = np.array([coder_index[s.coder] for s in mine], dtype=np.int64)
        if shared is None:
            u_start, u_end, u_doc, weight = _character_units(offsets, g_start, g_end)
        else:
            u_start, u_end, u_doc, weight = shared
        values = np.zeros((k, len(u_start)), dtype=bool)
        for c in range(k):
            chosen = who == c
            values[c] = covered(u_start, u_end, g_start[chosen], g_end[chosen])
        tallies[ci] = _tally(values, present[:, u_doc], u_doc, weight, len(documents))

    rows: list[AgreementRow] = []
    pairable = present.sum(axis=0) >= 2
    for ci, code in enumerate(codes):
        for di, document in enumerate(documents):
            if pairable[di]:
                rows.append(_row(code, document.id, unit, coders, tallies[ci, di]))
        rows.append(_row(code, None, unit, coders, tallies[ci].sum(axis=0)))
    for di, document in enumerate(documents):
        if pairable[di]:
            rows.append(_row(None, document.id, unit, coders, tallies[:, di].sum(axis=0)))
    rows.append(_row(None, None, unit, coders, tallies.sum(axis=(0, 1))))
    return rows


def _given_units(
    documents: Sequence[DocumentUnits], offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    starts, ends, docs = [], [], []
    for i, d in enumerate(documents):
        units = sorted(d.units or ())
        starts.extend(offsets[i] + s for s, _e in units)
        ends.extend(offsets[i] + e for _s, e in units)
        docs.extend([i] * len(units))
    u_start = np.array(starts, dtype=np.int64)
    u_end = np.array(ends, dtype=np.int64)
    return u_start, u_end, np.array(docs, dtype=np.int64), np.ones(len(starts))


def _character_units(
    offsets: np.ndarray, g_start: np.ndarray, g_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Runs of characters between two consecutive coding or document boundaries: within a
    run every coder judges every character alike, so a run is one unit weighing its length."""
    bounds = np.unique(np.concatenate([offsets, g_start, g_end]))
    u_start, u_end = bounds[:-1], bounds[1:]
    u_doc = np.searchsorted(offsets, u_start, side="right") - 1
    return u_start, u_end, u_doc, (u_end - u_start).astype(float)


def _tally(
    values: np.ndarray, present: np.ndarray, u_doc: np.ndarray, weight: np.ndarray, n_docs: int
) -> np.ndarray:
    """Per document, the additive counts: units, agreements, the 2×2 table, the coincidences
    (o00, o01, o11), and per coder the units coded."""
    k = values.shape[0]
    judged = values & present
    m = present.sum(axis=0)
    ones = judged.sum(axis=0)
    zeros = m - ones
    pair = m >= 2
    w = np.where(pair, weight, 0.0)
    pairs = np.maximum(m - 1, 1)
    columns = [
        w,
        w * ((ones == 0) | (ones == m)),
        np.zeros_like(w), np.zeros_like(w), np.zeros_like(w), np.zeros_like(w),
        w * zeros * (zeros - 1) / pairs,
        w * ones * zeros / pairs,
        w * ones * (ones - 1) / pairs,
    ]  # fmt: skip
    if k == 2:
        a, b = judged
        columns[BOTH] = w * (a & b)
        columns[FIRST] = w * (a & ~b)
        columns[SECOND] = w * (~a & b)
        columns[NEITHER] = w * (~a & ~b)
    columns += [w * judged[c] for c in range(k)]
    out = np.zeros((n_docs, len(columns)))
    for j, column in enumerate(columns):
        out[:, j] = np.bincount(u_doc, weights=column, minlength=n_docs)
    return out


def _row(
    code: str | None, document: str | None, unit: str, coders: Sequence[str], t: np.ndarray
) -> AgreementRow:
    units = int(round(t[UNITS_]))
    two = len(coders) == 2

    def count(j: int) -> int | None:
        return int(round(t[j])) if two else None

    return AgreementRow(
        code=code,
        document=document,
        unit=unit,
        coders=tuple(coders),
        percent_agreement=float(t[AGREED] / t[UNITS_]) if units else None,
        kappa=kappa(t[BOTH], t[FIRST], t[SECOND], t[NEITHER]) if two else None,
        alpha=alpha(t[O00], t[O01], t[O11]),
        units=units,
        agreements=int(round(t[AGREED])),
        coded_by=tuple(int(round(x)) for x in t[_FIXED:]),
        both=count(BOTH),
        first_only=count(FIRST),
        second_only=count(SECOND),
        neither=count(NEITHER),
    )


# -- reading a project ---------------------------------------------------------------------------
CONSENSUS = "consensus"  # the adjudication's coder: not one of the coders compared by default


def for_project(
    store: Store,
    *,
    coders: Sequence[str] = (),
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    unit: str = "character",
) -> list[AgreementRow]:
    """The agreement rows of a project; bad choices are refused with a French message."""
    if unit not in UNITS:
        raise RecitsError(f"unité inconnue : « {unit} » ({', '.join(UNITS)})")
    docs = [store.resolve_document(ref) for ref in documents]
    lengths = store.document_lengths()
    doc_ids = list(dict.fromkeys(d.id for d in docs)) or list(lengths)
    rows = store.coding_spans(doc_ids if documents else ())
    if not rows:
        raise RecitsError("aucun extrait codé dans ces documents : rien à comparer")
    chosen_codes = _codes(store, codes)
    chosen_coders = _coders(store, coders, {r[4] for r in rows})
    doc_ids = [d for d in lengths if d in set(doc_ids)]
    spans = [Span(*r) for r in rows]
    pairable = _pairable(spans, chosen_coders, doc_ids)
    if not pairable:
        raise RecitsError(
            "aucun document n'a été codé par au moins deux de ces codeur·euse·s ("
            + ", ".join(chosen_coders) + ") : rien à comparer"
        )  # fmt: skip
    units = [_document_units(store, d, lengths[d], unit) for d in doc_ids]
    return measure(units, spans, chosen_coders, chosen_codes, unit)


def _codes(store: Store, wanted: Sequence[str]) -> list[str]:
    known = store.codes()
    if not wanted:
        return [c.id for c in known]
    by_key = {c.id.casefold(): c.id for c in known} | {c.label.casefold(): c.id for c in known}
    out = []
    for ref in wanted:
        code_id = by_key.get(ref.strip().casefold())
        if code_id is None:
            raise RecitsError(
                f"code inconnu : « {ref.strip()} » (voir « recits codebook check »)",
                in_app=f"code inconnu : « {ref.strip()} »",
            )
        out.append(code_id)
    return list(dict.fromkeys(out))


def _coders(store: Store, wanted: Sequence[str], coded: set[str]) -> list[str]:
    from recits.masking import name_key

    everyone = store.coders_with_codings()
    if not wanted:
        chosen = [c for c in everyone if c in coded and name_key(c) != name_key(CONSENSUS)]
        if len(chosen) < 2:
            who = f" (seul·e « {chosen[0]} » a codé)" if chosen else ""
            raise RecitsError(
                "l'accord se mesure entre deux codeur·euse·s au moins" + who
                + " ; chacun·e code les mêmes documents, en aveugle, puis on compare"
            )  # fmt: skip
        return chosen
    by_key = {name_key(c): c for c in everyone}
    team = {name_key(c.name): c.name for c in store.coders()}
    chosen = []
    for ref in wanted:
        name = by_key.get(name_key(ref))
        if name is None and name_key(ref) in team:
            raise RecitsError(f"« {team[name_key(ref)]} » n'a codé aucun extrait : rien à comparer")
        if name is None:
            known = ", ".join(f"« {c} »" for c in everyone)
            raise RecitsError(f"codeur·euse inconnu·e : « {ref.strip()} » (ont codé : {known})")
        if name in chosen:
            raise RecitsError(f"« {name} » est donné·e deux fois")
        chosen.append(name)
    if len(chosen) < 2:
        raise RecitsError(
            f"une seule codeur·euse (« {chosen[0]} ») : l'accord se mesure entre deux"
            " codeur·euse·s au moins (ex. : --coders Nadia,Karim)",
            in_app=f"une seule codeur·euse (« {chosen[0]} ») : choisissez-en deux",
        )
    return chosen


def _pairable(spans: Sequence[Span], coders: Sequence[str], doc_ids: Sequence[str]) -> list[str]:
    chosen, wanted = set(coders), set(doc_ids)
    seen: dict[str, set[str]] = {}
    for s in spans:
        if s.coder in chosen and s.document_id in wanted:
            seen.setdefault(s.document_id, set()).add(s.coder)
    return [d for d, who in seen.items() if len(who) >= 2]


def _document_units(store: Store, document_id: str, length: int, unit: str) -> DocumentUnits:
    if unit == "character":
        return DocumentUnits(document_id, length)
    turns = store.turns(document_id)
    if unit == "passage":
        return DocumentUnits(document_id, length, tuple((t.start_char, t.end_char) for t in turns))
    from recits.sentences import turn_sentences

    analysed = [(s.start_char, s.end_char) for s in store.sentences(document_id)]
    text = store.document_text(document_id)
    spans = turn_sentences(text, turns, analysed)
    return DocumentUnits(document_id, length, tuple((s, e) for s, e, _turn in spans))
