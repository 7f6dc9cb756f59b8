"""Where a REFI-QDA PDF source's selections land on the text recits rebuilt from the PDF.

A PDFSelection is a page area (page, coordinates): it cannot be placed on the rebuilt text by
itself. When the PDFSource carries a text Representation (the text another tool read out of
the PDF, with its PlainTextSelections), each selection is placed by searching its text (the
representation's words at its offsets, else its `name`; for an area, its own Representation's
content, else its name) in the rebuilt text, spaces, line ends and line-end hyphens aside; the
occurrence nearest the selection's relative position wins. Without a Representation, nothing
is placed: the selections are counted in the report."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from recits.importers.refi.offsets import place
from recits.importers.refi.reading import RefiSelection, RefiSource, decode

Span = tuple[int, int]
_CUT_HYPHEN = re.compile(r"-[^\S\n]*\r?\n\s*")
_APOSTROPHES = "'’ʼ"


def pattern(words: str) -> re.Pattern[str] | None:
    """A search for `words` that ignores how spaces, line ends and line-end hyphens fell."""
    words = unicodedata.normalize("NFC", words).strip()
    if words.endswith("…"):
        words = words[:-1].rstrip()
    if not words:
        return None
    pieces = []
    for k, part in enumerate(_CUT_HYPHEN.split(words)):
        if k:
            pieces.append(r"-?\s*")  # "pra-\ntiques": "pratiques" once reflowed
        escaped = [
            "".join(f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in token)
            for token in part.split()
        ]
        pieces.append(r"\s+".join(escaped))
    return re.compile("".join(pieces))


def find(stored: str, words: str | None, near: float) -> Span | None:
    """The occurrence of `words` in `stored` nearest the relative position `near` (0–1)."""
    search = pattern(words or "")
    if search is None:
        return None
    target = near * len(stored)
    best: Span | None = None
    for match in search.finditer(stored):
        if match.end() > match.start() and (
            best is None or abs(match.start() - target) < abs(best[0] - target)
        ):
            best = (match.start(), match.end())
    return best


def place_pdf(
    source: RefiSource, stored: str
) -> tuple[list[Span | None], list[Span | None], str | None, list[str]]:
    """Spans in the stored text of the source's text selections and of its page areas, the
    offset reading of its Representation (None without offsets), and the problems (in French;
    those starting with "~" are adaptations)."""
    stored = unicodedata.normalize("NFC", stored)
    selections, areas = source.selections, source.areas
    if source.text is None and not selections:
        if areas:
            return [], [None] * len(areas), None, [
                f"« {source.name} » : {len(areas)} sélection(s) de zone de page non placée(s)"
                " (le fichier ne donne pas le texte du PDF, « Representation »)"
            ]  # fmt: skip
        return [], [], None, []
    problems: list[str] = []
    reading_text: str | None = None
    texts: Sequence[str | None] = [s.name for s in selections]
    hints = [0.0] * len(selections)
    if source.text is not None and selections:
        raw = decode(source.text)
        reading, text, spans = place(raw, selections)
        reading_text = "représentation texte du PDF, " + reading.describe()
        length = max(len(text), 1)
        texts = [
            text[span[0] : span[1]] if span is not None else s.name
            for s, span in zip(selections, spans, strict=True)
        ]
        hints = [span[0] / length if span is not None else 0.0 for span in spans]
    placed = [
        _locate(source, s, stored, words, hint, problems)
        for s, words, hint in zip(selections, texts, hints, strict=True)
    ]
    placed_areas = [
        _locate(source, area, stored, area.name, 0.0, problems, area=True) for area in areas
    ]
    found = sum(span is not None for span in [*placed, *placed_areas])
    if found:
        problems.append(
            f"~« {source.name} » : {found} sélection(s) placée(s) en retrouvant leur texte dans"
            " le texte relu par recits"
        )
    return placed, placed_areas, reading_text, problems


def _locate(
    source: RefiSource,
    selection: RefiSelection,
    stored: str,
    words: str | None,
    hint: float,
    problems: list[str],
    area: bool = False,
) -> Span | None:
    found = find(stored, words, hint)
    if found is None:
        what = "zone de page" if area else f"sélection {selection.start}–{selection.end}"
        label = f" « {words[:60]} »" if words else ""
        problems.append(
            f"« {source.name} » : {what}{label} introuvable dans le texte relu par recits"
        )
    return found
