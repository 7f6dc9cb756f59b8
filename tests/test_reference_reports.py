"""The second suggestion reference (bench/rapports): written reports, no speakers, whose gold
codings fit the imported text exactly. It is held out: no threshold or lexicon is tuned on it."""

from __future__ import annotations

import json
from collections import Counter

from recits.ingest import ImportOptions, import_paths
from tests.conftest import REPO

REPORTS = REPO / "bench" / "rapports"


def test_the_reports_are_paragraphs_without_speakers_and_their_gold_fits_them(project):
    with project.store() as store:
        import_paths(store, [REPORTS], ImportOptions())
        docs = {d.title: d for d in store.documents()}
        assert len(docs) == 6
        turns = {d.id: store.turns(d.id) for d in docs.values()}
        assert sum(len(t) for t in turns.values()) >= 100
        assert not {t.speaker for ts in turns.values() for t in ts} - {None}
        gold = [json.loads(line) for line in (REPORTS / "codings.jsonl").open(encoding="utf-8")]
        for g in gold:
            doc = docs[g["document"]]
            text = store.document_text(doc.id)
            assert text[g["start_char"] : g["end_char"]] == g["text"]
            assert any(
                t.start_char <= g["start_char"] and g["end_char"] <= t.end_char
                for t in turns[doc.id]
            ), g["text"]
    by_code = Counter(g["code"] for g in gold)
    assert set(by_code) == {"charge-mentale", "legitimite", "reduction-des-risques", "formation"}
    assert min(by_code.values()) >= 20
