"""Merge properties on random work done apart: both orders agree, twice is once, nothing lost."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recits.merge import bundle_of, merge_bundle
from recits.models import NewCoding
from recits.project import Project
from tests.test_merge import base_project, state

CODERS = ("Claire", "Samia", "Jo", "claire")
CODES = ("formation", "legitimite", "charge-mentale")
SPANS = ((0, 5), (8, 30), (52, 62), (8, 12))
edit = st.one_of(
    st.tuples(st.just("code"), st.sampled_from(CODERS), st.sampled_from(SPANS),
              st.sampled_from(CODES), st.sampled_from(("", "mémo a", "mémo b"))),
    st.tuples(st.just("uncode"), st.integers(0, 20)),
    st.tuples(st.just("memo"), st.integers(0, 20), st.sampled_from(("", "vu", "relu"))),
    st.tuples(st.just("consent"), st.sampled_from(("Nadia", "Karim")),
              st.sampled_from(("accordé", "refusé", "retiré")),
              st.sampled_from(("2024-01-10", "2024-02-20"))),
    st.tuples(st.just("pseudonym"), st.sampled_from(("Nadia", "Karim")),
              st.sampled_from(("Aïcha", "Inès"))),
    st.tuples(st.just("alias"), st.sampled_from(("Nadia", "Karim")),
              st.sampled_from(("N. B.", "Karim B."))),
)  # fmt: skip


def apply(project: Project, edits: list[tuple]) -> None:
    with project.store() as store:
        doc = store.documents()[0]
        people = {p.pseudonym: p for p in store.participants()}
        first = {name: p for name, p in people.items()}
        for op, *args in edits:
            live = store.codings()
            if op == "code":
                coder, (start, end), code, memo = args
                store.add_coding(NewCoding(doc.id, start, end, code, coder, memo=memo))
            elif op == "uncode" and live:
                store.remove_coding(live[args[0] % len(live)].id, "Claire")
            elif op == "memo" and live:
                store.set_coding_memo(live[args[0] % len(live)].id, args[1], "Claire")
            elif op == "consent":
                who, consent, date = args
                scope = ["articles"] if consent == "accordé" else []
                store.record_consent(first[who].id, consent, scope, date, "Claire")
            elif op == "pseudonym":
                store.update_participant(
                    first[args[0]].id, actor="Claire", action="rename", pseudonym=args[1]
                )
            elif op == "alias":
                current = store.participant(first[args[0]].id)
                store.update_participant(
                    first[args[0]].id, actor="Claire", action="alias",
                    aliases=[*current.aliases, args[1]],
                )  # fmt: skip


def merged(into: Project, other: Project) -> None:
    with other.store() as theirs:
        bundle = bundle_of(theirs, "autre", "2024-01-01")
    with into.store() as mine:
        merge_bundle(mine, bundle, "Claire")


def unregistered(project: Project) -> list[tuple[str, str]]:
    """Live codings whose coder is not a live coder of that name (`recits coders list` relies
    on there being none)."""
    with project.store() as store:
        return store.conn.execute(
            "SELECT c.id, c.coder FROM codings c LEFT JOIN coders k ON k.id = c.coder_id"
            " AND k.deleted_at IS NULL AND k.name = c.coder"
            " WHERE c.deleted_at IS NULL AND k.id IS NULL"
        ).fetchall()


def coding_ids(project: Project) -> set[str]:
    with project.store() as store:
        return {r[0] for r in store.conn.execute("SELECT id FROM codings")}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, max_size=8), st.lists(edit, max_size=8))
def test_merge_is_commutative_idempotent_and_loses_nothing(edits_a, edits_b):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = base_project(root)
        copies = {}
        for name in ("a", "b"):
            shutil.copytree(base.root, root / name)
            copies[name] = Project.open(root / name)
        apply(copies["a"], edits_a)
        apply(copies["b"], edits_b)
        for name in ("a", "b"):
            shutil.copytree(root / name, root / f"{name}-merged")
        ab, ba = Project.open(root / "a-merged"), Project.open(root / "b-merged")
        merged(ab, copies["b"])  # A then B
        merged(ba, copies["a"])  # B then A
        assert state(ab) == state(ba)
        assert coding_ids(copies["a"]) | coding_ids(copies["b"]) == coding_ids(ab)
        assert unregistered(ab) == [] and unregistered(ba) == []
        before = state(ab)
        merged(ab, copies["b"])  # twice is once
        merged(ab, ba)
        assert state(ab) == before
