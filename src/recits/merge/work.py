"""Merge stages for the coders' work: codings and suggestion decisions, compared in one pass.

Both sides' rows are compared as tuples (the bundle's mapped onto the ids here: documents by
text, codes by UUID, coders through their merges) against the rows here, fetched as tuples:
only the rows that differ go through the field rules. A second merge of the same bundle reads
and compares everything again, so nothing is skipped, but at C speed.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from recits.merge.plan import Describe, Plan, Row

_KEY = ("document_id", "start_char", "end_char", "code_id", "coder")  # one gesture


def merge_codings(plan: Plan) -> None:
    codes = plan.bundle.codes
    current: list[Row] = [{}]

    def describe(column: str, a: Any, b: Any, kept: Any) -> str:
        row = current[0]
        where = (
            f"extrait codé {row['id'][:8]} de {row['coder']} (« {row['code_id']} »,"
            f" « {plan.doc_titles.get(row['document_id'], '?')} »)"
        )
        if column == "memo":
            return f"{where} : deux mémos, « {a} » et « {b} » (gardé : « {kept} »)"
        what = {"code_id": "code", "start_char": "début", "end_char": "fin"}[column]
        shown = (codes.get(a, a), codes.get(b, b)) if column == "code_id" else (a, b)
        return f"{where} modifié différemment : {what} {shown[0]} ou {shown[1]}"

    _by_id(plan, "codings", describe, current)


def merge_decisions(plan: Plan) -> None:
    _by_id(plan, "decisions", lambda *a: "", [{}])


def _by_id(plan: Plan, table: str, describe: Describe, current: list[Row]) -> None:
    """Local rows (on the merged coders) merged with the bundle's, by id. A coding's text is
    left out of the comparison: it is cut from its document at its offsets (both sides check
    it), and cut again here when a merge moves them."""
    columns = tuple(c for c in plan.store.work_columns(table) if c != "text")
    at = {c: i for i, c in enumerate(columns)}
    doc_i, coder_i, name_i = at["document_id"], at["coder_id"], at["coder"]
    code_is = [at[c] for c in ("code_id", "chosen_code_id") if c in at]
    view = plan.coder_view()
    original = {row[0]: row for row in plan.store.work_tuples(table, columns)}
    # Local rows whose coder was merged into another, or renamed: they follow.
    final: dict[str, tuple[Any, ...]] = {}
    for row_id, row in original.items():
        seen = view.get(row[coder_i])
        if seen is not None and (row[coder_i], row[name_i]) != seen:
            fixed = list(row)
            fixed[coder_i], fixed[name_i] = seen
            final[row_id] = tuple(fixed)
    incoming_rows = plan.bundle.rows(table)
    incoming = map(itemgetter(*columns), incoming_rows)
    if not _all_the_same(plan, view, incoming_rows):  # most merges: no row rebuilt
        doc_map, code_map = plan.doc_map, plan.code_map
        incoming = (
            _mapped(row, doc_map, code_map, view, doc_i, code_is, coder_i, name_i)
            for row in incoming
        )
    inserted: dict[str, tuple[Any, ...]] = {}
    texts: dict[str, str] = {}  # bundle coding id -> its text, for the new ones
    for n, mapped in enumerate(incoming):
        row_id = mapped[0]
        mine = final.get(row_id) or original.get(row_id)
        if mine == mapped:
            continue
        if mine is None:
            inserted[row_id] = mapped
            if table == "codings":
                texts[row_id] = incoming_rows[n]["text"]
            continue
        current[0] = dict(zip(columns, mine, strict=True))
        merged = plan.merge_row(
            table, current[0], dict(zip(columns, mapped, strict=True)), describe
        )
        final[row_id] = tuple(merged[c] for c in columns)
    changed = {i: r for i, r in final.items() if r != original[i]}
    if table == "codings" and (changed or inserted):
        _dedup_codings(columns, original, changed, inserted)
    plan.inserts[table] = [dict(zip(columns, r, strict=True)) for r in inserted.values()]
    plan.updates[table] = [
        dict(zip(columns, r, strict=True)) for i, r in changed.items() if r != original[i]
    ]
    if table == "codings":
        for row in plan.inserts[table]:
            row["text"] = texts[row["id"]]
        documents: dict[str, str] = {}
        for row in plan.updates[table]:  # offsets may have moved: the text follows them
            doc = row["document_id"]
            if doc not in documents:
                documents[doc] = plan.store.document_text(doc)
            row["text"] = documents[doc][row["start_char"] : row["end_char"]]


def _all_the_same(plan: Plan, view: dict[str, tuple[str, str]], rows: tuple[Row, ...]) -> bool:
    """Whether the rows' documents, codes and coders are all the same ids (and names) here:
    they then need no mapping."""
    coders = set(map(itemgetter("coder_id", "coder"), rows))
    return (
        all(k == v for k, v in plan.doc_map.items())
        and all(k == v for k, v in plan.code_map.items())
        and all(view.get(i, (i, name)) == (i, name) for i, name in coders)
    )


def _mapped(
    row: tuple[Any, ...],
    doc_map: dict[str, str],
    code_map: dict[str, str],
    view: dict[str, tuple[str, str]],
    doc_i: int,
    code_is: list[int],
    coder_i: int,
    name_i: int,
) -> tuple[Any, ...]:
    """A bundle row on this project's ids: documents, codes, coders."""
    fixed = list(row)
    fixed[doc_i] = doc_map[row[doc_i]]
    fixed[coder_i], fixed[name_i] = view.get(row[coder_i], (row[coder_i], row[name_i]))
    for i in code_is:
        if row[i] is not None:
            fixed[i] = code_map.get(row[i], row[i])
    return tuple(fixed)


def _dedup_codings(
    columns: tuple[str, ...],
    original: dict[str, tuple[Any, ...]],
    changed: dict[str, tuple[Any, ...]],
    inserted: dict[str, tuple[Any, ...]],
) -> None:
    """The same coding made on both sides (same coder, passage and code): one stays, the
    smallest id; the other is a tombstone, its memo kept if the first has none.

    The live codings here are already unique on that key (an index says so): a group of two
    or more holds a row that came or changed, so only their keys are looked for."""
    at = {c: i for i, c in enumerate(columns)}
    key_of = itemgetter(*(at[c] for c in _KEY))
    dead_i, memo_i, made_i, by_i = (
        at["deleted_at"], at["memo"], at["created_at"], at["deleted_by"]
    )  # fmt: skip
    touched = {
        key_of(r) for rows in (changed, inserted) for r in rows.values() if r[dead_i] is None
    }
    if not touched:
        return
    groups: dict[tuple[Any, ...], list[str]] = {}
    for rows in (changed, inserted, original):
        for coding_id, row in rows.items():
            if row[dead_i] is None and (rows is not original or coding_id not in changed):
                key = key_of(row)
                if key in touched:
                    groups.setdefault(key, []).append(coding_id)

    def get(i: str) -> tuple[Any, ...]:
        return inserted.get(i) or changed.get(i) or original[i]

    def put(row: tuple[Any, ...]) -> None:
        (inserted if row[0] in inserted else changed)[row[0]] = row

    for ids in groups.values():
        if len(ids) < 2:
            continue
        winner, stamp = min(ids), max(get(i)[made_i] or "" for i in ids)
        memos = sorted({get(i)[memo_i] for i in ids if get(i)[memo_i]})
        if memos and not get(winner)[memo_i]:
            put(_with(get(winner), {memo_i: memos[-1]}))
        for loser in ids:
            if loser != winner:
                put(_with(get(loser), {dead_i: stamp, by_i: "fusion"}))


def _with(row: tuple[Any, ...], values: dict[int, Any]) -> tuple[Any, ...]:
    fixed = list(row)
    for i, v in values.items():
        fixed[i] = v
    return tuple(fixed)
