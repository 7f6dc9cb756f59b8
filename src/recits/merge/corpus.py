"""Merge stages for what the work is made on: documents (matched by their text) and codes
(matched by UUID, so that a code renamed on one side is the same code on the other)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from recits.errors import RecitsError
from recits.merge.plan import Plan


def merge_documents(plan: Plan) -> None:
    """Documents by id, else by their text; a document imported on both sides is the local
    one, its written fields (source, published, author) merged like the others."""
    rows = plan.store.work_rows("documents")
    local = {r["id"]: r for r in rows}
    by_text: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r["deleted_at"] is not None, r["id"])):
        by_text.setdefault(row["text_sha256"], row["id"])
    plan.doc_titles = {r["id"]: r["title"] for r in rows}
    people = {r["id"]: r["pseudonym"] for r in plan.store.work_rows("participants")}
    people.update({r["id"]: r["pseudonym"] for r in plan.bundle.rows("participants")})

    current = [""]

    def describe(column: str, a: Any, b: Any, kept: Any) -> str:
        if column not in _WRITTEN:
            return f"document « {kept} » : {column} « {a} » ou « {b} »"
        return f"« {plan.doc_titles[current[0]]} » : " + _described(people, column, a, b, kept)

    same, incoming, written = [], [], {}
    for row in plan.bundle.rows("documents"):
        plan.doc_titles.setdefault(row["id"], row["title"])
        if row["id"] in local:
            same.append(row)
            plan.doc_map[row["id"]] = row["id"]
        elif row["text_sha256"] in by_text:  # imported on both sides: the local one
            here = plan.doc_map[row["id"]] = by_text[row["text_sha256"]]
            if row["deleted_at"] is None and here not in written:
                written[here] = {**local[here], **{f: row[f] for f in _WRITTEN}}
        else:
            incoming.append(row)
            plan.doc_map[row["id"]] = row["id"]
            by_text[row["text_sha256"]] = row["id"]
    ids = {r["id"] for r in same}
    for row in [*same, *(r for i, r in written.items() if i not in ids)]:
        current[0] = row["id"]
        plan.merge_table("documents", local, [row], describe)
    known = set(local) | {r["id"] for r in incoming}
    for row in incoming:
        previous = plan.doc_map.get(row["previous_id"] or "")
        plan.inserts["documents"].append(
            {
                **row,
                "previous_id": previous if previous in known else None,
                "published": row["published"] or 0,  # unknown in an older bundle: not published
            }
        )
    new = {r["id"] for r in incoming}
    plan.inserts["turns"] = [t for t in plan.bundle.rows("turns") if t["document_id"] in new]
    plan.inserts["italics"] = [i for i in plan.bundle.rows("italics") if i["document_id"] in new]


_WRITTEN = ("source", "published", "author")


def _described(people: dict[str, str], column: str, a: Any, b: Any, kept: Any) -> str:
    """A written field met with two values, in French, saying how to choose."""
    if column == "source":
        return (
            f"deux références de source, « {a} » et « {b} » (gardée pour l'instant :"
            f" « {kept} » ; choisissez avec « recits documents edit … --source »)"
        )
    if column == "published":
        return (
            "source publiée d'un côté, pas de l'autre (gardé pour l'instant : non publiée,"
            " le consentement reste exigé ; choisissez avec « recits documents edit …"
            " --published »)"
        )
    names = sorted(people.get(v, v) for v in (a, b))
    return (
        f"deux auteur·rice·s, « {names[0]} » et « {names[1]} » (gardé pour l'instant :"
        f" « {people.get(kept, kept)} » ; choisissez avec « recits documents edit … --author »)"
    )


def map_codes(plan: Plan) -> None:
    """Each code the bundle names -> the code here: the one with its UUID, else the one with
    its id (a bundle of format 1, or a project started apart from the same codebook). Nothing
    is merged if a live coding's code is not live here."""
    bundle, store = plan.bundle, plan.store
    by_uuid = {uuid: code_id for code_id, uuid in store.code_uuid_map().items()}
    live, known = set(store.code_labels()), store.all_code_ids()
    used = Counter((r["code_id"], r["deleted_at"] is None) for r in bundle.rows("codings"))
    named = {code for code, _live in used}
    for row in bundle.rows("decisions"):
        named.update(c for c in (row["code_id"], row["chosen_code_id"]) if c is not None)
    plan.code_map = {code: by_uuid.get(bundle.code_uuids.get(code, ""), code) for code in named}
    unknown: dict[str, int] = {}
    for (code, is_live), n in used.items():
        if plan.code_map[code] not in (live if is_live else known):
            unknown[code] = unknown.get(code, 0) + n
    for code in named - {code for code, _live in used}:
        if plan.code_map[code] not in known:
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
