"""Agreement: the statistics against a worked example and the reference implementations."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from recits.agreement import DocumentUnits, Span, measure

krippendorff = pytest.importorskip("krippendorff")


def overall(rows, code=None, document=None):
    return next(r for r in rows if r.code == code and r.document == document)


def test_a_worked_example_computed_by_hand():
    # Ten characters; Nadia codes 0–4, Karim 2–6: 2 characters only hers, 2 both, 2 only
    # his, 4 neither. po = 6/10; each coded 4/10, so pe = .4×.4 + .6×.6 = .52;
    # κ = (.6 − .52) / (1 − .52) = 1/6.
    # Coincidences (each character a unit of two values): o00 = 2×4 = 8, o11 = 2×2 = 4,
    # o01 = 2 + 2 = 4; n0 = 12, n1 = 8, n = 20; α = 1 − 19 × 4 / (12 × 8) = 20/96.
    doc = DocumentUnits("d", 10)
    spans = [Span("d", 0, 4, "x", "Nadia"), Span("d", 2, 6, "x", "Karim")]
    rows = measure([doc], spans, ["Nadia", "Karim"], ["x"], "character")
    row = overall(rows, "x", "d")
    assert row.percent_agreement == pytest.approx(0.6)
    assert row.kappa == pytest.approx(1 / 6)
    assert row.alpha == pytest.approx(20 / 96)
    assert (row.units, row.agreements, row.coded_by) == (10, 6, (4, 4))
    assert (row.both, row.first_only, row.second_only, row.neither) == (2, 2, 2, 4)
    assert overall(rows) == replace(row, code=None, document=None)
    assert overall(rows, "x") == replace(row, document=None)
    json_row = overall(rows).as_json()
    assert json_row["code"] is None and json_row["document"] is None
    assert json_row["coded_by"] == {"Nadia": 4, "Karim": 4}


def test_sentences_and_passages_count_a_unit_touched_by_a_coding():
    # Three units; Nadia's coding touches the first two, Karim's the second only.
    doc = DocumentUnits("d", 30, ((0, 10), (10, 20), (20, 30)))
    spans = [Span("d", 8, 12, "x", "Nadia"), Span("d", 15, 16, "x", "Karim")]
    row = overall(measure([doc], spans, ["Nadia", "Karim"], ["x"], "sentence"), "x", "d")
    assert (row.units, row.agreements, row.both, row.first_only, row.neither) == (3, 2, 1, 1, 1)


def test_a_coder_who_did_not_code_a_document_is_missing_there():
    docs = [DocumentUnits("a", 10), DocumentUnits("b", 10)]
    spans = [Span("a", 0, 5, "x", "N"), Span("a", 0, 5, "x", "K"), Span("b", 0, 5, "x", "N")]
    rows = measure(docs, spans, ["N", "K"], ["x"], "character")
    assert [r.document for r in rows if r.code == "x"] == ["a", None]  # b: only one coder
    assert overall(rows).units == 10 and overall(rows).percent_agreement == 1.0
    assert overall(rows).kappa == pytest.approx(1.0)


def test_nobody_used_the_code_leaves_kappa_and_alpha_undefined():
    spans = [Span("d", 0, 5, "x", "N"), Span("d", 0, 5, "x", "K")]
    row = overall(measure([DocumentUnits("d", 10)], spans, ["N", "K"], ["x", "y"], "character"),
                  "y")  # fmt: skip
    assert row.percent_agreement == 1.0 and row.kappa is None and row.alpha is None


def per_character(length, spans, coders):
    values = np.zeros((len(coders), length), dtype=int)
    for s in spans:
        values[coders.index(s.coder), s.start_char : s.end_char] = 1
    return values


coding = st.tuples(st.integers(0, 59), st.integers(1, 30))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
@settings(max_examples=60, deadline=None)
@given(
    st.lists(coding, min_size=1, max_size=6), st.lists(coding, min_size=1, max_size=6),
    st.integers(20, 60),
)  # fmt: skip
def test_two_coders_match_sklearn_and_krippendorff(first, second, length):
    spans = [
        Span("d", min(s, length - 1), min(s + n, length), "x", coder)
        for coder, chosen in (("A", first), ("B", second))
        for s, n in chosen
    ]
    row = overall(measure([DocumentUnits("d", length)], spans, ["A", "B"], ["x"], "character"))
    values = per_character(length, spans, ["A", "B"])
    assert row.percent_agreement == pytest.approx(np.mean(values[0] == values[1]))
    if len(np.unique(values)) > 1:
        expected = krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
        assert row.alpha == pytest.approx(expected)
    reference = cohen_kappa_score(values[0], values[1], labels=[0, 1])
    if math.isnan(reference):
        assert row.kappa is None
    else:
        assert row.kappa == pytest.approx(reference)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("uv"), coding), max_size=18),
    st.lists(st.integers(5, 40), min_size=1, max_size=3),
)
def test_three_coders_with_missing_documents_match_krippendorff(codings, lengths):
    docs = [DocumentUnits(f"d{i}", n) for i, n in enumerate(lengths)]
    spans = []
    for i, (coder, _doc, (s, n)) in enumerate(codings):
        d = docs[i % len(docs)]
        spans.append(Span(d.id, min(s, d.length - 1), min(s + n, d.length), "x", coder))
    coders = ["A", "B", "C"]
    rows = measure(docs, spans, coders, ["x"], "character")
    columns = []
    for d in docs:
        values = per_character(d.length, [s for s in spans if s.document_id == d.id], coders)
        values = values.astype(float)
        for c, coder in enumerate(coders):
            if not any(s.coder == coder and s.document_id == d.id for s in spans):
                values[c] = np.nan
        if np.sum(~np.isnan(values[:, 0])) >= 2:
            columns.append(values)
    row = overall(rows)
    assert row.kappa is None
    if not columns:
        assert row.units == 0 and row.alpha is None
        return
    data = np.concatenate(columns, axis=1)
    judged = data[~np.isnan(data)]
    if len(np.unique(judged)) < 2:
        assert row.alpha is None
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert row.alpha == pytest.approx(expected)
