"""Merging a bundle of 100,000 codings into a project, then merging it again (known by its
digest), again after a write in the project, and again after editing 1,000 of its codings'
memos and removing 1,000 of them here (each time read and compared in full), against a bare
executemany insert of the same coding rows into an empty SQLite table, as JSON."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SPEAKERS, turns  # noqa: E402

from recits.bundle import write_bundle  # noqa: E402
from recits.coders import add_coder  # noqa: E402
from recits.merge import FORMAT_VERSION, merge_file  # noqa: E402
from recits.models.merging import Bundle  # noqa: E402
from recits.project import Project  # noqa: E402

CODINGS = 100_000
DOCUMENTS = 50
WORDS = 1_000_000
CODES = ("charge-mentale", "legitimite", "reduction-des-risques", "formation")
STAMP = "2024-05-01T10:00:00.000+00:00"
SCENES, PANELS = 100, 6


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_bundle(rng: random.Random) -> Bundle:
    coders = [
        {"id": uid(rng), "name": name, "colour": colour, "created_at": STAMP,
         "deleted_at": None, "merged_into": None}
        for name, colour in (("Samia", "#e6194b"), ("Jo", "#3cb44b"))
    ]  # fmt: skip
    people = {
        name: {"id": uid(rng), "pseudonym": name, "role": None, "aliases": [],
               "same_label_as": None, "merged_into": None, "created_at": STAMP,
               "deleted_at": None}
        for name in SPEAKERS
    }  # fmt: skip
    documents, all_turns, codings, seen = [], [], [], set()
    per_doc = CODINGS // DOCUMENTS
    for n in range(DOCUMENTS):
        doc_id, text, spans = uid(rng), "", []
        for position, (speaker, speech) in enumerate(turns(rng, WORDS // DOCUMENTS)):
            start = len(text) + len(speaker) + 3
            text += f"{speaker} : {speech}\n"
            all_turns.append(
                {"document_id": doc_id, "position": position,
                 "participant_id": people[speaker]["id"], "speaker": speaker,
                 "start_char": start, "end_char": start + len(speech), "timestamp": None,
                 "page": None, "section": None, "kind": None}
            )  # fmt: skip
            spans.append((start, start + len(speech)))
        documents.append(
            {"id": doc_id, "title": f"Réunion {n + 1}", "kind": "réunion du collectif",
             "date": f"2023-{n % 12 + 1:02}-01", "format": "txt", "source_name": f"r{n}.txt",
             "source_path": None, "sha256": hashlib.sha256(f"r{n}".encode()).hexdigest(),
             "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text,
             "word_count": WORDS // DOCUMENTS, "version": 1, "previous_id": None,
             "imported_at": STAMP, "imported_by": "Samia", "deleted_at": None,
             "source": None, "published": 0, "author": None}
        )  # fmt: skip
        while len(codings) < per_doc * (n + 1):
            lo, hi = rng.choice(spans)
            start = rng.randrange(lo, hi - 1)
            end = min(hi, start + rng.randint(20, 300))
            code, coder = rng.choice(CODES), rng.choice(coders)
            if (doc_id, start, end, code, coder["name"]) in seen:
                continue
            seen.add((doc_id, start, end, code, coder["name"]))
            codings.append(
                {"id": uid(rng), "document_id": doc_id, "start_char": start, "end_char": end,
                 "text": text[start:end], "code_id": code, "coder": coder["name"],
                 "coder_id": coder["id"], "origin": "manual", "memo": "",
                 "created_at": STAMP, "deleted_at": None, "deleted_by": None}
            )  # fmt: skip
    tables = {"coders": tuple(coders), "participants": tuple(people.values()),
              "documents": tuple(documents), "turns": tuple(all_turns), "consent_events": (),
              "codings": tuple(codings), "decisions": (), **scenes(rng, codings)}  # fmt: skip
    return Bundle(FORMAT_VERSION, STAMP, "bench", {c: c for c in CODES}, tables)


def scenes(rng: random.Random, codings: list[dict]) -> dict[str, tuple[dict, ...]]:
    """SCENES scenes, each built from a coding, with PANELS panels of two balloons."""
    rows: dict[str, list[dict]] = {"scenes": [], "scene_sources": [], "scene_panels": [],
                                   "scene_lines": [], "scene_status_history": []}  # fmt: skip
    for n in range(SCENES):
        scene_id, coding = uid(rng), rng.choice(codings)
        rows["scenes"].append(
            {"id": scene_id, "title": f"Scène {n}", "synopsis": "", "place": "", "time": "",
             "themes": [coding["code_id"]], "status": "proposée", "created_by": "Samia",
             "created_at": STAMP, "updated_at": STAMP, "deleted_at": None}
        )  # fmt: skip
        rows["scene_status_history"].append(
            {"id": uid(rng), "scene_id": scene_id, "status": "proposée", "previous": None,
             "changed_by": "Samia", "changed_at": STAMP, "note": "", "deleted_at": None}
        )  # fmt: skip
        rows["scene_sources"].append(
            {"id": uid(rng), "scene_id": scene_id, "document_id": coding["document_id"],
             "start_char": coding["start_char"], "end_char": coding["end_char"],
             "text": coding["text"], "coding_id": coding["id"], "added_by": "Samia",
             "added_at": STAMP, "deleted_at": None}
        )  # fmt: skip
        for position in range(PANELS):
            panel_id = uid(rng)
            rows["scene_panels"].append(
                {"id": panel_id, "scene_id": scene_id, "position": position,
                 "picture": "La cour", "caption": "Ce jour-là", "created_at": STAMP,
                 "deleted_at": None}
            )  # fmt: skip
            rows["scene_lines"].extend(
                {"id": uid(rng), "panel_id": panel_id, "position": line,
                 "character_id": None, "text": "Bonjour", "source_id": None,
                 "created_at": STAMP, "deleted_at": None}
                for line in range(2)
            )  # fmt: skip
    return {table: tuple(r) for table, r in rows.items()}


def reference(path: Path, codings: tuple[dict, ...]) -> float:
    """A bare executemany of the same rows into an empty table, committed."""
    conn = sqlite3.connect(path)
    columns = list(codings[0])
    conn.execute(f"CREATE TABLE codings ({', '.join(columns)})")
    started = time.perf_counter()
    with conn:
        conn.executemany(
            f"INSERT INTO codings VALUES ({', '.join('?' * len(columns))})",
            [tuple(row.values()) for row in codings],
        )
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = make_bundle(rng)
        path = root / "lot.recits"
        size = write_bundle(path, data)
        project = Project.init(root / "projet", coder="Claire")
        with project.store() as store:
            project.sync_codebook(store)
        timings = {}
        for run in ("first", "again", "again_full", "again_edited"):
            if run == "again_full":  # a write here since: the bundle is read and compared
                with project.store() as store:
                    add_coder(store, "Quelqu'un")
            if run == "again_edited":  # the bundle's own codings changed here
                with project.store() as store, store.write():
                    ids = [r[0] for r in store.conn.execute("SELECT id FROM codings")]
                    for coding_id in ids[:1000]:
                        store.set_coding_memo(coding_id, "relu", "Claire")
                    for coding_id in ids[1000:2000]:
                        store.remove_coding(coding_id, "Claire")
            started, cpu = time.perf_counter(), time.process_time()
            with project.store() as store:
                report = merge_file(store, path, "Claire")
            timings[run] = time.perf_counter() - started
            timings[f"{run}_cpu"] = time.process_time() - cpu
            timings[f"{run}_added"] = report.added.get("codings", 0)
        with project.store() as store:
            live = len(store.codings())
        bare = reference(root / "ref.db", data.rows("codings"))
    print(
        json.dumps(
            {
                "benchmark": "merge",
                "codings": CODINGS,
                "scenes": SCENES,
                "panels": SCENES * PANELS,
                "documents": DOCUMENTS,
                "words": WORDS,
                "bundle_bytes": size,
                "merge_s": round(timings["first"], 3),
                "merge_again_s": round(timings["again"], 3),
                "merge_again_after_a_local_write_s": round(timings["again_full"], 3),
                "merge_again_after_local_edits_s": round(timings["again_edited"], 3),
                "merge_cpu_s": round(timings["first_cpu"], 3),
                "merge_again_cpu_s": round(timings["again_cpu"], 3),
                "merge_again_after_a_local_write_cpu_s": round(timings["again_full_cpu"], 3),
                "merge_again_after_local_edits_cpu_s": round(timings["again_edited_cpu"], 3),
                "added": timings["first_added"],
                "added_again": timings["again_added"]
                + timings["again_full_added"]
                + timings["again_edited_added"],
                "live_codings_after": live,
                "reference_executemany_s": round(bare, 3),
                "merge_vs_reference": round(timings["first"] / bare, 1),
                "budget_merge_s": 10,
                "budget_merge_again_s": 2,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
