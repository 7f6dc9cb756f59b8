"""Merge stage for comic-strip scenes: every part by UUID, tombstones win, history and comments
united; a scene's status follows its latest move, its panels' order is a conflict when the
two copies hold them in different orders."""

from __future__ import annotations

from typing import Any

from recits.merge.plan import Plan, Row, conflict

PARTS = (
    "scenes", "scene_sources", "scene_characters", "scene_panels", "scene_lines",
    "scene_status_history", "scene_comments", "scene_validations",
)  # fmt: skip
_WHAT = {
    ("scenes", "title"): "deux titres", ("scenes", "synopsis"): "deux synopsis",
    ("scenes", "place"): "deux lieux", ("scenes", "time"): "deux moments",
    ("scenes", "created_by"): "deux auteur·rice·s",
    ("scene_characters", "name"): "un personnage a deux noms",
    ("scene_characters", "participant_id"): "un personnage désigne deux participant·e·s",
    ("scene_characters", "composite"): "un personnage est composite d'un côté seulement",
    ("scene_characters", "description"): "un personnage a deux descriptions",
    ("scene_panels", "picture"): "une vignette a deux descriptions d'image",
    ("scene_panels", "caption"): "une vignette a deux récitatifs",
    ("scene_lines", "text"): "une bulle a deux textes",
    ("scene_lines", "character_id"): "une bulle a deux personnages",
    ("scene_lines", "source_id"): "une bulle a deux sources",
    ("scene_status_history", "note"): "un changement de statut a deux notes",
    ("scene_comments", "text"): "un commentaire a deux textes",
}  # fmt: skip


def merge_scenes(plan: Plan) -> None:
    """Every part of every scene, each table after those it points to."""
    code_here = {uuid: code for code, uuid in plan.store.code_uuid_map().items()}
    theirs = plan.bundle.code_uuids
    local = {t: {r["id"]: r for r in plan.store.work_rows(t)} for t in PARTS}
    incoming: dict[str, list[Row]] = {t: list(plan.bundle.rows(t)) for t in PARTS}
    incoming["scenes"] = [
        {**r, "themes": [code_here.get(theirs.get(c, ""), c) for c in r["themes"]]}
        for r in incoming["scenes"]
    ]
    incoming["scene_sources"] = [
        {**r, "document_id": plan.doc_map[r["document_id"]]} for r in incoming["scene_sources"]
    ]
    titles = {r["id"]: r["title"] for r in incoming["scenes"]}
    titles.update({i: r["title"] for i, r in local["scenes"].items()})
    scene_of = _scene_of(local, incoming)
    current = [""]

    for table in PARTS:

        def describe(column: str, a: Any, b: Any, kept: Any, table: str = table) -> str:
            title = titles.get(scene_of.get(current[0], current[0]), "?")
            what = _WHAT.get((table, column), f"{column} : deux valeurs")
            return f"scène « {title} » : {what}, « {a} » et « {b} » (gardé : « {kept} »)"

        for row in incoming[table]:
            current[0] = row["id"]
            plan.merge_table(table, local[table], [row], describe)
    final = {t: _final(plan, t, local[t]) for t in PARTS}
    _statuses(plan, local, incoming, final)
    _panel_orders(plan, local, incoming, final)


def _scene_of(local: dict[str, dict[str, Row]], incoming: dict[str, list[Row]]) -> dict[str, str]:
    """Each part's scene (a line's through its panel), for the conflicts' messages."""
    rows = [r for t in PARTS for r in (*local[t].values(), *incoming[t])]
    scene_of = {r["id"]: r["scene_id"] for r in rows if "scene_id" in r}
    for row in rows:
        if "panel_id" in row:
            scene_of[row["id"]] = scene_of.get(row["panel_id"], "")
    return scene_of


def _final(plan: Plan, table: str, local: dict[str, Row]) -> dict[str, Row]:
    final = dict(local)
    for row in plan.inserts[table] + plan.updates[table]:
        final[row["id"]] = row
    return final


def _put(plan: Plan, table: str, row: Row, local: dict[str, Row]) -> None:
    """A row changed again by this stage; dropped from the plan if it is back as it was."""
    if local.get(row["id"]) == row:
        plan.updates[table] = [r for r in plan.updates[table] if r["id"] != row["id"]]
    else:
        plan.replace(table, row, row["id"] in local)


def _statuses(
    plan: Plan,
    local: dict[str, dict[str, Row]],
    incoming: dict[str, list[Row]],
    final: dict[str, dict[str, Row]],
) -> None:
    """A scene's status: the one of its latest move, both copies' moves united. Two copies
    that each moved it elsewhere: a conflict (the latest move stands meanwhile)."""
    moves: dict[str, set[str]] = {}
    for row in incoming["scene_status_history"]:
        if row["deleted_at"] is None:
            moves.setdefault(row["scene_id"], set()).add(row["id"])
    history = final["scene_status_history"]
    for scene_id, theirs in moves.items():
        mine = {
            i for i, r in local["scene_status_history"].items()
            if r["scene_id"] == scene_id and r["deleted_at"] is None
        }  # fmt: skip
        scene = final["scenes"].get(scene_id)
        if scene is None or theirs <= mine:
            continue
        moved = [history[i] for i in mine | theirs if history[i]["deleted_at"] is None]
        if not moved:
            continue
        latest = max(moved, key=lambda r: (r["changed_at"], r["id"]))
        statuses = sorted({_latest(history, mine), _latest(history, theirs)})
        if not mine <= theirs and len(statuses) > 1:
            plan.add_conflict(
                conflict(
                    "scene", "scenes", scene_id, "status", statuses, latest["status"],
                    f"scène « {scene['title']} » : déplacée des deux côtés, vers"
                    f" « {' » et « '.join(statuses)} » (gardé : le dernier changement,"
                    f" « {latest['status']} » ; changez-le avec « recits scenes »)",
                )
            )  # fmt: skip
        if scene["status"] != latest["status"]:
            _put(plan, "scenes", {**scene, "status": latest["status"]}, local["scenes"])


def _latest(history: dict[str, Row], ids: set[str]) -> str:
    rows = [history[i] for i in ids]
    return max(rows, key=lambda r: (r["changed_at"], r["id"]))["status"] if rows else ""


def _panel_orders(
    plan: Plan,
    local: dict[str, dict[str, Row]],
    incoming: dict[str, list[Row]],
    final: dict[str, dict[str, Row]],
) -> None:
    """Each scene's live panels in one order: that of the copy which touched the scene last
    (the same whichever side is local, and again after the merge, which keeps that date);
    the other copy's own panels go in after the panel they follow there. The panels both
    hold, in two orders: a conflict, met once per scene."""
    panels = final["scene_panels"]
    live = {i for i, r in panels.items() if r["deleted_at"] is None}
    theirs_by_scene: dict[str, list[Row]] = {}
    for row in incoming["scene_panels"]:
        theirs_by_scene.setdefault(row["scene_id"], []).append(row)
    touched = {r["id"]: r["updated_at"] for r in incoming["scenes"]}
    for scene_id, theirs in theirs_by_scene.items():
        mine = [r for r in local["scene_panels"].values() if r["scene_id"] == scene_id]
        a, b = _order(mine, live), _order(theirs, live)
        if a == b:
            continue
        here = local["scenes"].get(scene_id, {}).get("updated_at") or ""
        mine_wins = (here, a) > (touched.get(scene_id, ""), b)
        kept, other = (a, b) if mine_wins else (b, a)
        both = set(a) & set(b)
        if [i for i in a if i in both] != [i for i in b if i in both]:
            title = final["scenes"][scene_id]["title"]
            plan.add_conflict(
                conflict(
                    "scene", "scene_panels", scene_id, "position", [], None,
                    f"scène « {title} » : les vignettes ont été réordonnées différemment sur"
                    " les deux copies (gardé : l'ordre de la copie qui a touché la scène en"
                    " dernier ; vérifiez-le dans l'éditeur de scène)",
                )
            )  # fmt: skip
        order = list(kept)
        for n, panel_id in enumerate(other):
            if panel_id not in order:
                before = next((p for p in reversed(other[:n]) if p in order), None)
                order.insert(0 if before is None else order.index(before) + 1, panel_id)
        for position, panel_id in enumerate(order):
            if panels[panel_id]["position"] != position:
                row = {**panels[panel_id], "position": position}
                panels[panel_id] = row
                _put(plan, "scene_panels", row, local["scene_panels"])


def _order(rows: list[Row], live: set[str]) -> list[str]:
    """A copy's live panels in reading order (ties: the oldest first, then by id)."""
    kept = [r for r in rows if r["id"] in live]
    return [r["id"] for r in sorted(kept, key=lambda r: (r["position"], r["created_at"], r["id"]))]
