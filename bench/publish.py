"""Publishing on a 1,000,000-word project: check-quotes (50 quotations), a 1,000-excerpt .docx
export against python-docx alone writing the same paragraphs, what the name gate adds to it,
`recits names` over the whole corpus, and the memory with the name lists loaded, as JSON."""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SPEAKERS, turns  # noqa: E402

from recits import participants as people  # noqa: E402
from recits.exports import ExportFilters, write_export  # noqa: E402
from recits.exports.excerpts import (
    publishable,  # noqa: E402
    template,  # noqa: E402
)
from recits.exports.gate import Guard, check  # noqa: E402
from recits.exports.selection import select  # noqa: E402
from recits.exports.typography import attribution, guillemets  # noqa: E402
from recits.lexicon import lexicon  # noqa: E402
from recits.models import Entity, NewCoding, ParsedDocument, ParsedTurn, StoredAnalysis  # noqa: E402
from recits.names import detected_names, name_index  # noqa: E402
from recits.project import Project  # noqa: E402
from recits.quotes import check_quotes  # noqa: E402
from recits.speakers import parse_links, plan  # noqa: E402

WORDS = 1_000_000
DOCUMENTS = 100
EXCERPTS = 1_000
QUOTES = 50
REPEATS = 3
CODES = ("charge-mentale", "legitimite", "reduction-des-risques", "formation")
DETECTED = ("Rachid", "Stéphanie", "Julien", "Patrice", "Mme Roux", "Thierry", "Gérard")


def document(rng: random.Random, words: int) -> ParsedDocument:
    text, out = "", []
    for speaker, speech in turns(rng, words):
        start = len(text) + len(speaker) + 3
        text += f"{speaker} : {speech}\n"
        out.append(ParsedTurn(start, start + len(speech), speaker))
    return ParsedDocument(text=text, turns=tuple(out), format="txt")


def build(root: Path, rng: random.Random) -> tuple[Project, list[tuple[str, ParsedTurn, str]]]:
    project = Project.init(root, coder="Claire")
    spans = []
    with project.store() as store:
        for i in range(DOCUMENTS):
            parsed = document(rng, WORDS // DOCUMENTS)
            with store.write():  # the same people in every meeting, as the team confirmed
                known = plan(store, parsed, parse_links(SPEAKERS))
                doc = store.add_document(
                    parsed, title=f"Réunion {i}", kind="réunion du collectif",
                    date=f"2021-{i % 12 + 1:02}-15", source_name=f"r{i}.txt",
                    source_path="/tmp", sha256=f"{i:064}", text_sha256="x",
                    word_count=WORDS // DOCUMENTS, imported_by="bench", speakers=known,
                )  # fmt: skip
            spans += [(doc.id, t, parsed.text) for t in parsed.turns]
            names = [Entity(doc.id, 0, 1, "PER", rng.choice(DETECTED))]
            store.save_analysis(StoredAnalysis(doc.id, f"k{i}", "bench", (), b"", 0), [], names, {})
        chosen = rng.sample(spans, EXCERPTS)
        store.add_codings(
            NewCoding(doc_id, t.start_char, t.end_char, CODES[n % len(CODES)], "Claire")
            for n, (doc_id, t, _text) in enumerate(chosen)
        )
        for n, speaker in enumerate(SPEAKERS):
            pseudonym = f"Pseudo{n}"
            people.rename(store, speaker, pseudonym, role="travailleuse paire")
            people.set_consent(store, pseudonym, "accordé", scope="articles")
    return project, chosen


def draft(path: Path, rng: random.Random, spans: list[tuple[str, ParsedTurn, str]]) -> Path:
    """50 quotations: exact, cut with […], typo'd, and a few invented ones."""
    lines = ["# Article", ""]
    for n in range(QUOTES):
        _doc, turn, text = rng.choice(spans)
        words = text[turn.start_char : turn.end_char].split()[:30]
        if n % 10 == 9:
            words = ["la", "lune", "est", "un", "fromage", "que", "mangent", "les", "mouettes"]
        elif n % 3 == 1 and len(words) > 12:
            words = words[:5] + ["[…]"] + words[9:]
        elif n % 3 == 2 and len(words) > 4:
            words[3] = words[3][:-1] + "x"
        lines += [f"Elle dit : « {' '.join(words)} »", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def reference_docx(project: Project, out: Path) -> float:
    """python-docx alone writing the same headings and paragraphs (texts already at hand)."""
    with project.store() as store:
        sources = store.coded_sources()
    items = [(s.code_label, s.coding.text, attribution("travailleuse paire", "réunion", "2021-03"))
             for s in sources]  # fmt: skip
    opening, closing = guillemets()
    start = time.perf_counter()
    document = docx.Document()
    document.add_heading("Extraits codés", level=1)
    current = None
    for label, text, attributed in items:
        if label != current:
            document.add_heading(label, level=2)
            current = label
        paragraph = document.add_paragraph()
        paragraph.add_run(opening)
        paragraph.add_run(text).italic = True
        paragraph.add_run(closing)
        document.add_paragraph(attributed)
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(buffer.getvalue())
    return time.perf_counter() - start


def gate_seconds(store, data: bytes) -> float:
    """What the gate does in an export, timed alone: the names to look for, the template's
    words, the unmasked sources and every part of the rendered file checked."""
    start = time.perf_counter()
    index = name_index(store)
    guard = Guard(index, template("docx"))
    gate_s = time.perf_counter() - start
    selection = select(store, ExportFilters(), index.masker())
    start = time.perf_counter()
    leaks = check(publishable(selection, "docx", data), guard)
    assert not leaks, leaks[:3]
    return gate_s + time.perf_counter() - start


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        start = time.perf_counter()
        project, spans = build(tmp_path / "project", rng)
        built = time.perf_counter() - start
        path = draft(tmp_path / "article.md", rng, spans)
        with project.store() as store:
            start = time.perf_counter()
            checks = check_quotes(store, path)
            quotes_s = time.perf_counter() - start
        # Best of REPEATS for both, alternating, on a machine shared with others.
        references, exports, gates = [], [], []
        for n in range(REPEATS):
            references.append(reference_docx(project, tmp_path / f"reference-{n}.docx"))
            with project.store() as store:
                start = time.perf_counter()
                result = write_export(
                    store, "docx", ExportFilters(), exports_dir=project.exports_dir, actor="bench"
                )
                exports.append(time.perf_counter() - start)
            with project.store() as store:
                gates.append(gate_seconds(store, result.preview.data))
        reference, export_s, gate_s = min(references), min(exports), min(gates)
        with project.store() as store:
            start = time.perf_counter()
            review = detected_names(store)
            names_s = time.perf_counter() - start
        lexicon.cache_clear()
        start = time.perf_counter()
        lexicon()
        lists_s = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = sum(1 for c in checks if c.found)
    print(
        json.dumps(
            {
                "benchmark": "publish",
                "words": WORDS,
                "setup_s": round(built, 2),
                "check_quotes": {
                    "quotations": len(checks),
                    "found": found,
                    "invented": QUOTES // 10,
                    "seconds": round(quotes_s, 3),
                    "budget_s": 3.0,
                    "within_budget": quotes_s <= 3.0,
                },
                "export_docx": {
                    "excerpts": result.preview.count,
                    "best_of": REPEATS,
                    "reference_python_docx_s": round(reference, 3),
                    "recits_s": round(export_s, 3),
                    "ratio": round(export_s / reference, 3),
                    "budget_ratio": 2.0,
                    "within_budget": export_s / reference <= 2.0,
                },
                "gate": {
                    "seconds_added_to_the_export": round(gate_s, 3),
                    "budget_s": 1.0,
                    "within_budget": gate_s <= 1.0,
                },
                "names": {
                    "to_review": len(review),
                    "seconds": round(names_s, 2),
                    "budget_s": 10.0,
                    "within_budget": names_s <= 10.0,
                },
                "name_lists": {"load_s": round(lists_s, 3)},
                "peak_memory_mb": round(peak_mb),
                "memory_budget_mb": 600,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
