"""Bundles carry comic-strip scenes: every part by UUID, merged in either order to one state,
twice is once, tombstones win, history and comments united, panels' order a conflict."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recits import scenes
from recits.merge import bundle_of, merge_bundle
from recits.project import Project
from tests.conftest import db_snapshot, run
from tests.test_merge import MERGE_CONFLICTS, base_project, bundle, copy_of, state

PARTS = (
    "scenes", "scene_sources", "scene_characters", "scene_panels", "scene_lines",
    "scene_status_history", "scene_comments", "scene_validations",
)  # fmt: skip


def scene_state(project) -> dict:
    """Every row of every scene table, and what a reader sees: each live scene's panels in
    order with their lines."""
    conn = sqlite3.connect(project.db_path)
    try:
        rows = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in PARTS}
    finally:
        conn.close()
    with project.store() as store:
        shown = {
            s.title: [(p.caption, [line.text for line in p.lines]) for p in store.panels(s.id)]
            for s in store.scenes()
        }
    return {**rows, "shown": shown, **state(project)}


def with_scene(tmp_path):
    """The base project with one scene built from its first turns: Nadia speaks in it."""
    base = base_project(tmp_path)
    with base.store() as store:
        doc = store.documents()[0]
        scene = scenes.create(store, "Le dimanche", synopsis="Un appel", actor="Claire")
        scenes.add_source(store, scene, doc.id, 0, 30, actor="Claire")
        for caption in ("un", "deux", "trois"):
            store.add_panel(scene.id, picture=f"image {caption}", caption=caption)
    return base, scene.id


def test_a_scene_made_on_one_copy_comes_whole_and_twice_is_once(tmp_path):
    base, scene_id = with_scene(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with b.store() as store:
        doc = store.documents()[0]
        scene = scenes.create(store, "Au CHRS", themes=["formation"], actor="Samia")
        source = scenes.add_source(store, scene, doc.id, 49, 80, actor="Samia")
        karim = store.scene_characters(scene.id)[0]
        panel = store.add_panel(scene.id, picture="La cour", caption="Ce jour-là")
        store.add_line(panel.id, "La légitimité vient", character_id=karim.id, source_id=source.id)
        store.add_scene_comment(scene.id, "À montrer au collectif", "Samia")
        scenes.move(store, scene.id, "en écriture", actor="Samia")
        store.add_scene_validation(scene.id, karim.participant_id, "2024-05-02", "Samia")
        store.add_scene_comment(scene_id, "Plus court ?", "Samia")
    made = bundle(b, tmp_path, "b")
    result = run(a, "merge", str(made))
    assert result.exit_code == 0, result.output
    assert "scène(s) : 1 ajouté(s)" in result.output and "bulle(s) : 1 ajouté(s)" in result.output
    with a.store() as store:
        came = store.scene_detail(scene.id)
        assert came is not None and came.scene.status == "en écriture"
        assert came.scene.themes == ("formation",)
        assert [p.lines[0].text for p in came.panels] == ["La légitimité vient"]
        assert len(came.history) == 2 and len(came.validations) == 1
        assert [c.text for c in store.scene_comments(scene_id)] == ["Plus court ?"]
    assert scene_state(a) == scene_state(b)
    before = db_snapshot(a.db_path)
    assert "Rien de nouveau" in run(a, "merge", str(made)).output
    assert db_snapshot(a.db_path) == before
    assert "Rien de nouveau" in run(a, "merge", str(b.root)).output


def test_panels_reordered_differently_are_a_conflict_with_one_order_both_ways(tmp_path):
    base, scene_id = with_scene(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    for project, (start, to) in ((a, (1, 3)), (b, (3, 1))):
        with project.store() as store:
            scenes.move_panel(store, store.scene(scene_id), start, to)
    with b.store() as store:
        store.add_panel(scene_id, caption="quatre", at=1)  # one more, after the first
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")
    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "scène « Le dimanche » : les vignettes ont été réordonnées différemment" in (
        result.output
    )
    assert run(b, "merge", str(bundle_a)).exit_code == MERGE_CONFLICTS
    assert scene_state(a) == scene_state(b)
    shown = scene_state(a)["shown"]["Le dimanche"]
    assert sorted(c for c, _ in shown) == ["deux", "quatre", "trois", "un"]


def test_a_scene_moved_on_both_copies_is_a_conflict_and_removed_wins(tmp_path):
    base, scene_id = with_scene(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with a.store() as store:
        scenes.move(store, scene_id, "en écriture", actor="Claire")
        panel = store.panels(scene_id)[0]
        store.remove_panel(scene_id, panel.id)
    with b.store() as store:
        scenes.move(store, scene_id, "en écriture", actor="Jo")
        scenes.move(store, scene_id, "à valider par les pair·e·s", actor="Jo")
        store.update_panel(panel.id, caption="un, réécrit")
    result = run(b, "merge", str(bundle(a, tmp_path, "a")))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "scène « Le dimanche » : déplacée des deux côtés" in result.output
    with b.store() as store:
        assert [p.caption for p in store.panels(scene_id)] == ["deux", "trois"]
        assert len(store.scene_history(scene_id)) == 4  # all the moves, both sides'


# -- property: random scene edits on two copies ------------------------------------------------
edit = st.one_of(
    st.tuples(st.just("panel"), st.integers(0, 4), st.sampled_from(("a", "b", "c"))),
    st.tuples(st.just("move"), st.integers(0, 4), st.integers(0, 4)),
    st.tuples(st.just("remove"), st.integers(0, 4)),
    st.tuples(st.just("caption"), st.integers(0, 4), st.sampled_from(("x", "y"))),
    st.tuples(st.just("line"), st.integers(0, 4), st.sampled_from(("Salut", "Bonjour"))),
    st.tuples(st.just("comment"), st.sampled_from(("ok", "non"))),
    st.tuples(st.just("status"), st.sampled_from(("proposée", "en écriture"))),
    st.tuples(st.just("title"), st.sampled_from(("Le dimanche", "Un dimanche"))),
    st.tuples(st.just("drop"),),
)  # fmt: skip


def apply(project: Project, scene_id: str, edits: list[tuple]) -> None:
    with project.store() as store:
        for op, *args in edits:
            panels = store.panels(scene_id)
            at = args[0] if args and isinstance(args[0], int) else 0
            pick = panels[at % len(panels)] if panels else None
            if op == "panel":
                store.add_panel(scene_id, caption=args[1], at=args[0])
            elif op == "move" and panels:
                scenes.move_panel(
                    store, store.scene(scene_id), args[0] % len(panels) + 1,
                    args[1] % len(panels) + 1,
                )  # fmt: skip
            elif op == "remove" and pick:
                store.remove_panel(scene_id, pick.id)
            elif op == "caption" and pick:
                store.update_panel(pick.id, caption=args[1])
            elif op == "line" and pick:
                store.add_line(pick.id, args[1])
            elif op == "comment":
                store.add_scene_comment(scene_id, args[0], "Claire")
            elif op == "status" and store.scene(scene_id).status != args[0]:
                scenes.move(store, scene_id, args[0], actor="Claire")
            elif op == "title":
                store.update_scene(scene_id, "Claire", title=args[0])
            elif op == "drop":
                with store.write():
                    store.conn.execute(
                        "UPDATE scene_lines SET deleted_at = '2024-06-01' WHERE deleted_at"
                        " IS NULL AND rowid = (SELECT min(rowid) FROM scene_lines"
                        " WHERE deleted_at IS NULL)"
                    )


def merged(into: Project, other: Project) -> None:
    with other.store() as theirs:
        made = bundle_of(theirs, "autre", "2024-01-01")
    with into.store() as mine:
        merge_bundle(mine, made, "Claire")


def ids(project: Project, table: str) -> set[str]:
    conn = sqlite3.connect(project.db_path)
    try:
        return {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
    finally:
        conn.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, max_size=7), st.lists(edit, max_size=7))
def test_scene_merges_are_commutative_idempotent_and_lose_nothing(edits_a, edits_b):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base, scene_id = with_scene(root)
        copies = {}
        for name, edits in (("a", edits_a), ("b", edits_b)):
            shutil.copytree(base.root, root / name)
            copies[name] = Project.open(root / name)
            apply(copies[name], scene_id, edits)
        for name in ("a", "b"):
            shutil.copytree(root / name, root / f"{name}-merged")
        ab, ba = Project.open(root / "a-merged"), Project.open(root / "b-merged")
        merged(ab, copies["b"])
        merged(ba, copies["a"])
        assert scene_state(ab) == scene_state(ba)
        for table in PARTS:  # nothing lost: every row of both copies is there
            assert ids(copies["a"], table) | ids(copies["b"], table) == ids(ab, table)
        before = scene_state(ab)
        merged(ab, copies["b"])  # twice is once
        merged(ab, ba)
        assert scene_state(ab) == before


def test_a_scene_pointing_outside_the_bundle_is_refused_and_changes_nothing(tmp_path):
    import gzip
    import json

    from tests.test_merge import _gz

    base, scene_id = with_scene(tmp_path)
    other = copy_of(base, tmp_path, "autre")
    data = json.loads(gzip.decompress(bundle(other, tmp_path, "bon").read_bytes()))
    words = data["scene_sources"][0]["text"]
    data["scene_sources"][0]["text"] = "Rachid Benali"  # not the document's words
    path = tmp_path / "lot.recits"
    path.write_bytes(_gz(data))
    before = db_snapshot(base.db_path)
    result = run(base, "merge", str(path))
    assert result.exit_code == 1
    assert "la source d'une scène ne correspond pas à son document" in result.output
    data["scene_sources"][0]["text"] = words
    data["scene_panels"][0]["scene_id"] = "ailleurs"
    path.write_bytes(_gz(data))
    result = run(base, "merge", str(path))
    assert result.exit_code == 1 and "« scene_panels » désigne une ligne absente" in result.output
    assert db_snapshot(base.db_path) == before
