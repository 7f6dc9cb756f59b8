"""Merging a bundle into a project: by UUID, idempotent, commutative, conflicts kept aside.

Every field has one rule, the same whichever side is local, so that A then B gives B then A:
a removal wins (the earliest tombstone), lists are united, an empty value takes the other
one; two different values are a conflict, stored for the team, and the greatest of the two
stands meanwhile (a deterministic choice, never a silent one: the merge says so and exits 3).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recits.errors import RecitsError
from recits.masking import name_key
from recits.models.merging import TABLES, Bundle, Conflict, MergeReport

if TYPE_CHECKING:
    from recits.store import Store

FORMAT_VERSION = 1
Row = dict[str, Any]

# column -> rule; columns not listed are kept as they are locally (they never change).
_RULES: dict[str, dict[str, str]] = {
    "coders": {"name": "conflict", "colour": "conflict", "created_at": "min",
               "deleted_at": "min", "merged_into": "greatest"},
    "participants": {"pseudonym": "conflict", "role": "fill", "aliases": "union",
                     "same_label_as": "greatest", "merged_into": "greatest",
                     "created_at": "min", "deleted_at": "min"},
    "documents": {"title": "conflict", "kind": "conflict", "date": "fill", "deleted_at": "min"},
    "codings": {"code_id": "conflict", "start_char": "conflict", "end_char": "conflict",
                "memo": "fill", "created_at": "min", "deleted_at": "min"},
    "decisions": {"deleted_at": "min"},
}  # fmt: skip
_COMPANION = {"codings": {"deleted_at": "deleted_by"}}  # taken with the column they go with
_KINDS = {
    "coders": "coder",
    "participants": "participant",
    "documents": "document",
    "codings": "coding",
}


def bundle_of(store: Store, project: str, created_at: str) -> Bundle:
    """The project's work as a bundle (the learnt model stays behind: it is retrained)."""
    tables = {table: tuple(store.work_rows(table, with_text=True)) for table in TABLES}
    return Bundle(FORMAT_VERSION, created_at, project, store.code_labels(), tables)


def merge_bundle(store: Store, bundle: Bundle, actor: str | None = None) -> MergeReport:
    """Bring the bundle's work into the project in one transaction; nothing is written if a
    code is unknown here."""
    _check_codes(store, bundle)
    merger = _Merger(store, bundle)
    merger.run()
    settled = store.settled_conflicts()
    met = [c for c in merger.conflicts.values() if c.id not in settled]
    report = MergeReport(
        added={t: len(rows) for t, rows in merger.inserts.items() if rows},
        updated={t: len(rows) for t, rows in merger.updates.items() if rows},
        conflicts=tuple(sorted(met, key=lambda c: (c.kind, c.message))),
    )
    if report.changed or report.conflicts:
        summary = {
            "from": bundle.project,
            "added": report.added,
            "updated": report.updated,
            "conflicts": len(report.conflicts),
        }
        store.apply_merge(
            merger.inserts,
            merger.updates,
            report.conflicts,
            sorted(merger.consent_refresh),
            actor,
            summary,
        )
    return report


def merge_file(store: Store, path: Path, actor: str | None = None) -> MergeReport:
    """Merge a bundle file. One already merged, with nothing written here since, is known by
    its digest and changes nothing (merging twice is once) without being read again."""
    from recits.bundle import bundle_digest, read_bundle

    digest = bundle_digest(path)
    key = f"merged-bundle:{digest}"
    if store.get_meta(key) == str(store.last_audit_id()):
        return MergeReport()
    report = merge_bundle(store, read_bundle(path), actor)
    store.set_meta(key, str(store.last_audit_id()))
    return report


def _check_codes(store: Store, bundle: Bundle) -> None:
    live, known = set(store.code_labels()), store.all_code_ids()
    unknown: dict[str, int] = {}
    for row in bundle.rows("codings"):
        if row["code_id"] not in (live if row["deleted_at"] is None else known):
            unknown[row["code_id"]] = unknown.get(row["code_id"], 0) + 1
    for row in bundle.rows("decisions"):
        for code in (row["code_id"], row["chosen_code_id"]):
            if code is not None and code not in known:
                unknown.setdefault(code, 0)
    if unknown:
        listed = ", ".join(
            f"« {code} »"
            + (f" ({bundle.codes[code]})" if code in bundle.codes else "")
            + f" : {n} extrait(s) codé(s)"
            for code, n in sorted(unknown.items())
        )
        raise RecitsError(
            "le lot a été codé avec une autre grille de codage ; codes inconnus ici : "
            f"{listed}. Ajoutez-les à la grille du projet (codebooks/) puis fusionnez à"
            " nouveau : rien n'a été fusionné."
        )


def _conflict(
    kind: str, table: str, row_id: str, field: str, values: list[Any], kept: Any, message: str
) -> Conflict:
    shown = sorted(json.dumps(v, ensure_ascii=False) for v in values)
    digest = hashlib.sha256(json.dumps([table, row_id, field, shown]).encode()).hexdigest()
    return Conflict(
        digest[:32],
        kind,
        table,
        row_id,
        field,
        tuple(shown),
        None if kept is None else str(kept),
        message,
    )


def _greatest(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return max(a, b, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))


class _Merger:
    def __init__(self, store: Store, bundle: Bundle) -> None:
        self.store, self.bundle = store, bundle
        self.inserts: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.updates: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.conflicts: dict[str, Conflict] = {}
        self.consent_refresh: set[str] = set()
        self.doc_map: dict[str, str] = {}
        self.doc_titles: dict[str, str] = {}
        self.coder_final: dict[str, Row] = {}

    def run(self) -> None:
        self._coders()
        self._participants()
        self._documents()
        self._consent()
        self._codings()
        self._decisions()

    # -- rows, field by field ----------------------------------------------------------------
    def _merge_row(
        self, table: str, local: Row, incoming: Row, describe: Callable[..., str]
    ) -> Row:
        merged = dict(local)
        for column, rule in _RULES[table].items():
            a, b = local[column], incoming[column]
            if a == b:
                continue
            if rule == "min":
                chosen = min((v for v in (a, b) if v is not None), default=None)
                merged[column] = chosen
                companion = _COMPANION.get(table, {}).get(column)
                if companion and chosen == b:
                    merged[companion] = incoming[companion]
            elif rule == "union":
                merged[column] = sorted(set(a) | set(b))
            elif rule == "greatest":
                merged[column] = _greatest(a, b)
            elif rule == "fill" and (a in (None, "") or b in (None, "")):
                merged[column] = b if a in (None, "") else a
            else:  # conflict, or fill with two values
                merged[column] = _greatest(a, b)
                found = _conflict(
                    _KINDS[table],
                    table,
                    local["id"],
                    column,
                    [a, b],
                    merged[column],
                    describe(column, a, b, merged[column]),
                )
                self.conflicts[found.id] = found
        return merged

    def _merge_table(
        self, table: str, local: dict[str, Row], incoming: Any, describe: Callable[..., str]
    ) -> dict[str, Row]:
        """Rows merged by id; returns the final rows that changed or came (id -> row)."""
        touched: dict[str, Row] = {}
        for row in incoming:
            mine = local.get(row["id"])
            if mine is None:
                self.inserts[table].append(row)
                touched[row["id"]] = row
                continue
            merged = self._merge_row(table, mine, row, describe)
            if merged != mine:
                self.updates[table].append(merged)
                touched[row["id"]] = merged
        return touched

    # -- coders ------------------------------------------------------------------------------
    def _coders(self) -> None:
        local = {r["id"]: r for r in self.store.work_rows("coders")}

        def describe(column: str, a: Any, b: Any, kept: Any) -> str:
            what = "deux noms" if column == "name" else "deux couleurs"
            return f"un·e même codeur·euse a {what} : « {a} » et « {b} » (gardé : « {kept} »)"

        self._merge_table("coders", local, self.bundle.rows("coders"), describe)
        final = {**local}
        for row in self.inserts["coders"] + self.updates["coders"]:
            final[row["id"]] = row
        # The same person added in both copies: one coder, the smallest id (whichever side).
        groups: dict[str, list[str]] = {}
        for coder_id, row in final.items():
            if row["deleted_at"] is None:
                groups.setdefault(name_key(row["name"]), []).append(coder_id)
        for ids in groups.values():
            if len(ids) < 2:
                continue
            winner, stamp = min(ids), max(final[i]["created_at"] for i in ids)
            for loser in ids:
                if loser != winner:
                    final[loser] = {**final[loser], "merged_into": winner, "deleted_at": stamp}
                    self._replace("coders", final[loser], loser in local)
        self.coder_final = final

    def _replace(self, table: str, row: Row, exists: bool) -> None:
        """Put a changed row in the plan (instead of its earlier version, if any)."""
        bucket = self.updates[table] if exists else self.inserts[table]
        bucket[:] = [r for r in bucket if r["id"] != row["id"]]
        bucket.append(row)

    def _coder(self, coder_id: str) -> Row:
        row, seen = self.coder_final[coder_id], {coder_id}
        while row["merged_into"] in self.coder_final and row["merged_into"] not in seen:
            seen.add(row["merged_into"])
            row = self.coder_final[row["merged_into"]]
        return row

    # -- participants and their consent ------------------------------------------------------
    def _participants(self) -> None:
        local = {r["id"]: r for r in self.store.work_rows("participants")}

        def describe(column: str, a: Any, b: Any, kept: Any) -> str:
            if column == "pseudonym":
                return (
                    f"la même personne a deux pseudonymes : « {a} » et « {b} » (gardé pour"
                    f" l'instant : « {kept} » ; choisissez avec « recits participants"
                    " rename … --pseudonym »)"
                )
            return f"« {local[self._pid]['pseudonym']} » a deux rôles : « {a} » et « {b} »"

        self._pid = ""
        for row in self.bundle.rows("participants"):
            self._pid = row["id"]
            self._merge_table("participants", local, [row], describe)
        self.consent_refresh.update(r["id"] for r in self.inserts["participants"])
        live = {
            r["id"]: r
            for r in [*local.values(), *self.inserts["participants"]]
            if r["deleted_at"] is None
        }
        by_key: dict[str, list[str]] = {}
        for pid, row in live.items():
            by_key.setdefault(name_key(row["pseudonym"]), []).append(pid)
        new = {r["id"] for r in self.inserts["participants"]}
        for ids in by_key.values():
            if len(ids) > 1 and new & set(ids) and set(ids) - new:
                names = sorted(live[i]["pseudonym"] for i in ids)
                found = _conflict(
                    "pseudonym",
                    "participants",
                    ",".join(sorted(ids)),
                    "pseudonym",
                    names,
                    None,
                    f"deux participant·e·s différent·e·s portent le pseudonyme"
                    f" « {names[0]} » : la même personne (« recits participants"
                    " merge ») ou deux (« recits participants rename … --pseudonym ») ?",
                )
                self.conflicts[found.id] = found

    def _consent(self) -> None:
        local = {r["id"]: r for r in self.store.work_rows("consent_events")}
        incoming = {r["id"]: r for r in self.bundle.rows("consent_events")}
        mine_only = [r for i, r in local.items() if i not in incoming]
        theirs_only = [r for i, r in incoming.items() if i not in local]
        self.inserts["consent_events"] = theirs_only
        self.consent_refresh.update(r["participant_id"] for r in theirs_only)
        pseudonyms = {r["id"]: r["pseudonym"] for r in self.store.work_rows("participants")}
        pseudonyms.update({r["id"]: r["pseudonym"] for r in self.inserts["participants"]})
        dated: dict[tuple[str, str], list[Row]] = {}
        for row in mine_only:
            if row["consent_date"]:
                dated.setdefault((row["participant_id"], row["consent_date"]), []).append(row)
        for theirs in theirs_only:
            key = (theirs["participant_id"], theirs["consent_date"] or "")
            for mine in dated.get(key, ()):
                a = f"{mine['consent']} ({', '.join(mine['consent_scope']) or '-'})"
                b = f"{theirs['consent']} ({', '.join(theirs['consent_scope']) or '-'})"
                if a == b:
                    continue
                who = pseudonyms.get(key[0], key[0])
                found = _conflict(
                    "consent",
                    "consent_events",
                    ",".join(sorted([mine["id"], theirs["id"]])),
                    "consent",
                    [a, b],
                    None,
                    f"« {who} » : deux décisions de consentement le {key[1]} : {min(a, b)} et"
                    f" {max(a, b)} ; vérifiez avec « recits participants history »",
                )
                self.conflicts[found.id] = found
        live = {r["id"] for r in self.store.work_rows("participants") if r["deleted_at"] is None}
        live.update(r["id"] for r in self.inserts["participants"] if r["deleted_at"] is None)
        dead = {r["id"] for r in self.updates["participants"] if r["deleted_at"] is not None}
        self.consent_refresh &= live - dead

    # -- documents ---------------------------------------------------------------------------
    def _documents(self) -> None:
        rows = self.store.work_rows("documents")
        local = {r["id"]: r for r in rows}
        by_text: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: (r["deleted_at"] is not None, r["id"])):
            by_text.setdefault(row["text_sha256"], row["id"])
        self.doc_titles = {r["id"]: r["title"] for r in rows}

        def describe(column: str, a: Any, b: Any, kept: Any) -> str:
            return f"document « {kept} » : {column} « {a} » ou « {b} »"

        same, incoming = [], []
        for row in self.bundle.rows("documents"):
            self.doc_titles.setdefault(row["id"], row["title"])
            if row["id"] in local:
                same.append(row)
                self.doc_map[row["id"]] = row["id"]
            elif row["text_sha256"] in by_text:  # imported on both sides: the local one
                self.doc_map[row["id"]] = by_text[row["text_sha256"]]
            else:
                incoming.append(row)
                self.doc_map[row["id"]] = row["id"]
                by_text[row["text_sha256"]] = row["id"]
        self._merge_table("documents", local, same, describe)
        known = set(local) | {r["id"] for r in incoming}
        for row in incoming:
            previous = self.doc_map.get(row["previous_id"] or "")
            self.inserts["documents"].append(
                {**row, "previous_id": previous if previous in known else None}
            )
        new = {r["id"] for r in incoming}
        self.inserts["turns"] = [t for t in self.bundle.rows("turns") if t["document_id"] in new]

    # -- codings and decisions ---------------------------------------------------------------
    def _with_coder(self, row: Row) -> Row:
        if row["coder_id"] not in self.coder_final:
            return row
        coder = self._coder(row["coder_id"])
        if row["coder_id"] == coder["id"] and row["coder"] == coder["name"]:
            return row
        return {**row, "coder_id": coder["id"], "coder": coder["name"]}

    def _rows_by_id(self, table: str, describe: Callable[..., str]) -> None:
        """Local rows (on the merged coders) merged with the bundle's, by id."""
        original = {r["id"]: r for r in self.store.work_rows(table)}
        final = {i: self._with_coder(r) for i, r in original.items()}
        inserted: dict[str, Row] = {}
        for row in self.bundle.rows(table):
            row = self._with_coder({**row, "document_id": self.doc_map[row["document_id"]]})
            self._current = final.get(row["id"], row)
            if row["id"] in final:
                final[row["id"]] = self._merge_row(table, final[row["id"]], row, describe)
            else:
                inserted[row["id"]] = row
        if table == "codings":
            self._dedup_codings(final, inserted)
        self.inserts[table] = list(inserted.values())
        self.updates[table] = [r for i, r in final.items() if r != original[i]]

    def _codings(self) -> None:
        codes = self.bundle.codes

        def describe(column: str, a: Any, b: Any, kept: Any) -> str:
            row = self._current
            where = (
                f"extrait codé {row['id'][:8]} de {row['coder']} (« {row['code_id']} »,"
                f" « {self.doc_titles.get(row['document_id'], '?')} »)"
            )
            if column == "memo":
                return f"{where} : deux mémos, « {a} » et « {b} » (gardé : « {kept} »)"
            what = {"code_id": "code", "start_char": "début", "end_char": "fin"}[column]
            shown = (codes.get(a, a), codes.get(b, b)) if column == "code_id" else (a, b)
            return f"{where} modifié différemment : {what} {shown[0]} ou {shown[1]}"

        self._rows_by_id("codings", describe)

    def _dedup_codings(self, final: dict[str, Row], inserted: dict[str, Row]) -> None:
        """The same coding made on both sides (same coder, passage and code): one stays, the
        smallest id; the other is a tombstone, its memo kept if the first has none."""
        groups: dict[tuple[Any, ...], list[str]] = {}
        for rows in (final, inserted):
            for coding_id, row in rows.items():
                if row["deleted_at"] is None:
                    key = (
                        row["document_id"],
                        row["start_char"],
                        row["end_char"],
                        row["code_id"],
                        row["coder"],
                    )
                    groups.setdefault(key, []).append(coding_id)
        for ids in groups.values():
            if len(ids) < 2:
                continue

            def get(i: str) -> Row:
                return final[i] if i in final else inserted[i]

            def put(row: Row) -> None:
                (final if row["id"] in final else inserted)[row["id"]] = row

            winner, stamp = min(ids), max(get(i)["created_at"] or "" for i in ids)
            memos = sorted({get(i)["memo"] for i in ids if get(i)["memo"]})
            if memos and not get(winner)["memo"]:
                put({**get(winner), "memo": memos[-1]})
            for loser in ids:
                if loser != winner:
                    put({**get(loser), "deleted_at": stamp, "deleted_by": "fusion"})

    def _decisions(self) -> None:
        self._rows_by_id("decisions", lambda *a: "")
