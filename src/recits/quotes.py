"""Checking an article draft: each quotation found back in the corpus, with fidelity and consent."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from recits.errors import InputFileError, RecitsError
from recits.exports.gate import ALIAS, Guard
from recits.masking import Masker, fold, fold_with_map
from recits.models import Turn
from recits.names import name_index
from recits.participants import may_quote
from recits.store import Store

DRAFT_SUFFIXES = (".docx", ".odt", ".md", ".txt")
MIN_WORDS = 3  # « on verra » is a phrase, not a testimony
FOUND_SCORE = 85.0  # below, the quotation is reported as not found
CANDIDATES = 25

_WORD = re.compile(r"\w+")
_CUT = re.compile(r"\s*(?:[\[(]\s*(?:…|\.\.\.)\s*[\])])\s*")
_MARKUP = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))


@dataclass(frozen=True)
class DraftQuote:
    """A quotation in a draft: its text, how it was marked, its paragraph (1-based)."""

    index: int
    text: str
    mark: str  # guillemets | italique
    paragraph: int


@dataclass(frozen=True)
class Difference:
    draft: str
    source: str


@dataclass(frozen=True)
class QuoteCheck:
    """Where a quotation comes from, how faithful it is, and whether it may be published."""

    quote: DraftQuote
    found: bool
    score: float  # 0–100, after case, accents and punctuation are set aside
    fidelity: str  # exacte | fidèle | retouchée | introuvable
    differences: tuple[Difference, ...] = ()
    document_id: str | None = None
    document_title: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    speaker: str | None = None  # pseudonym
    consent: str | None = None
    consented: bool = False
    names: tuple[str, ...] = ()  # names written in the quotation, described by pseudonym

    @property
    def problems(self) -> list[str]:
        out = []
        if not self.found:
            out.append("introuvable dans le corpus")
        elif not self.consented:
            out.append(f"consentement « {self.consent or 'inconnu'} » pour cette personne")
        if self.names:
            out.append("contient un nom : " + ", ".join(self.names))
        return out

    @property
    def ok(self) -> bool:
        return not self.problems


# -- reading a draft ---------------------------------------------------------------------------
def _paragraphs(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """The draft's paragraphs, each with its italic spans (.docx and .odt only)."""
    suffix = path.suffix.lower()
    if suffix not in DRAFT_SUFFIXES:
        raise InputFileError(
            path,
            f"format de brouillon non pris en charge ({suffix or 'sans extension'}) ;"
            f" formats acceptés : {', '.join(DRAFT_SUFFIXES)}",
        )
    if not path.is_file():
        raise InputFileError(path, "fichier introuvable")
    if path.stat().st_size == 0:
        raise InputFileError(path, "brouillon vide")
    if suffix in (".md", ".txt"):
        from recits.importers.text import read_text

        text = read_text(path)
        if suffix == ".md":
            text = _MARKUP.sub(r"\1", text)
        return [(line, []) for line in text.split("\n")]
    from recits.importers.archive import check_xml_members, open_archive

    with open_archive(path, suffix[1:]) as archive:
        check_xml_members(archive, path, suffix[1:])
    try:
        return _docx_paragraphs(path) if suffix == ".docx" else _odt_paragraphs(path)
    except Exception:  # the format libraries raise many kinds of errors on a broken file
        raise InputFileError(path, f"fichier {suffix} illisible ou tronqué") from None


def _docx_paragraphs(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    import docx

    document = docx.Document(str(path))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    out = []
    for paragraph in paragraphs:
        text, italics = "", []
        for run in paragraph.runs:
            italic = run.italic if run.italic is not None else bool(run.style.font.italic)
            if italic and run.text:
                italics.append((len(text), len(text) + len(run.text)))
            text += run.text
        out.append((text, italics))
    return out


def _odt_paragraphs(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    from odf.element import Node
    from odf.namespaces import FONS, OFFICENS, STYLENS, TEXTNS
    from odf.opendocument import load
    from odf.style import Style

    document = load(str(path))
    italic_styles = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.getElementsByType(Style):
            for child in style.childNodes:
                if child.qname == (STYLENS, "text-properties") and child.getAttrNS(
                    FONS, "font-style"
                ) in ("italic", "oblique"):
                    italic_styles.add(style.getAttrNS(STYLENS, "name"))
    skipped = {(TEXTNS, "note"), (OFFICENS, "annotation")}

    def walk(node: Node, italic: bool, parts: list[str], italics: list[tuple[int, int]]) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                start = sum(len(p) for p in parts)
                parts.append(child.data)
                if italic:
                    italics.append((start, start + len(child.data)))
            elif child.nodeType != Node.ELEMENT_NODE or child.qname in skipped:
                continue
            elif child.qname == (TEXTNS, "s"):
                parts.append(" ")
            elif child.qname == (TEXTNS, "span"):
                style = child.getAttrNS(TEXTNS, "style-name")
                walk(child, italic or style in italic_styles, parts, italics)
            else:
                walk(child, italic, parts, italics)

    def paragraphs(node: Node):
        for child in node.childNodes:
            if child.nodeType != Node.ELEMENT_NODE or child.qname in skipped:
                continue
            if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                yield child
            else:
                yield from paragraphs(child)

    out = []
    for element in paragraphs(document.text):
        parts: list[str] = []
        italics: list[tuple[int, int]] = []
        walk(element, False, parts, italics)
        out.append(("".join(parts), italics))
    return out


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Outermost « … », “ … ” and "…" spans (nested quotes stay inside)."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "«":
            depth, start = depth + 1, (i + 1 if depth == 0 else start)
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    for opening, closing in _PAIRS[1:]:
        pattern = re.escape(opening) + "([^" + re.escape(closing) + "]+)" + re.escape(closing)
        for m in re.finditer(pattern, text):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(1), m.end(1)))
    return sorted(spans)


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and not text[out[-1][1] : start].strip():
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def read_draft(path: Path) -> list[DraftQuote]:
    """Every quotation of a draft, in reading order; French errors name the file."""
    path = Path(path)
    quotes: list[DraftQuote] = []
    for number, (text, italics) in enumerate(_paragraphs(path), start=1):
        quoted = _quoted_spans(text)
        found = [(s, e, "guillemets") for s, e in quoted]
        for s, e in _merged(italics, text):
            if not any(qs - 2 <= s < qe + 2 or s <= qs < e for qs, qe in quoted):
                found.append((s, e, "italique"))
        for s, e, mark in sorted(found):
            body = text[s:e].strip().strip("*_").strip()
            if len(_WORD.findall(body)) >= MIN_WORDS:
                quotes.append(DraftQuote(len(quotes) + 1, body, mark, number))
    if not quotes:
        raise InputFileError(
            path,
            f"aucune citation trouvée (entre « », “ ” ou en italique, d'au moins {MIN_WORDS} mots)",
        )
    return quotes


# -- finding a quotation in the corpus -------------------------------------------------------
def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of text."""
    folded, origin = fold_with_map(text)
    out = []
    for m in _WORD.finditer(folded):
        start, end = m.start(), m.end()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        out.append((m.group(), start, end))
    return out


def _fts(words: list[str]) -> list[str]:
    """FTS queries, most selective first: three-word phrases, then the longest words."""
    queries = []
    if len(words) >= 3:
        step = max(1, (len(words) - 2) // 8)
        phrases = [" ".join(words[i : i + 3]) for i in range(0, len(words) - 2, step)]
        queries.append(" OR ".join(f'"{p}"' for p in phrases))
    longest = sorted(set(words), key=len, reverse=True)[:6]
    queries.append(" OR ".join(f'"{w}"' for w in longest))
    return queries


@dataclass(frozen=True)
class _Match:
    turn: Turn
    title: str
    score: float
    start: int  # offsets into the document text
    end: int
    source_words: list[tuple[str, int, int]]


def _match_fragment(store: Store, fragment: str, near: _Match | None) -> _Match | None:
    from rapidfuzz import fuzz

    words = [w for w, _s, _e in _words(fragment)]
    if not words:
        return None
    needle = " ".join(words)
    best: _Match | None = None
    seen: set[int] = set()
    for query in _fts(words):
        for turn, title in store.turn_candidates(query, CANDIDATES):
            if turn.id in seen:
                continue
            seen.add(turn.id)
            turn_words = _words(turn.text)
            haystack = " ".join(w for w, _s, _e in turn_words)
            found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=50)
            if found is None:
                continue
            # Back from characters of the joined words to whole words of the turn.
            first = haystack[: found.dest_start].count(" ")
            last = haystack[: max(found.dest_end - 1, found.dest_start)].count(" ")
            span = turn_words[first : last + 1]
            score = found.score
            if near is not None and turn.document_id == near.turn.document_id:
                score += 2  # the rest of a cut quotation is most likely in the same place
            if best is None or score > best.score:
                start, end = turn.start_char + span[0][1], turn.start_char + span[-1][2]
                best = _Match(turn, title, score, start, end, span)
        if best is not None and best.score >= 99:
            break
    return best


def _differences(draft: str, source: list[tuple[str, str]]) -> list[Difference]:
    """Words that differ, as written in the draft and in the source."""
    mine = [(fold(w), w) for w in _WORD.findall(draft)]
    matcher = difflib.SequenceMatcher(
        a=[f for f, _w in mine], b=[f for f, _w in source], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            out.append(
                Difference(
                    " ".join(w for _f, w in mine[i1:i2]), " ".join(w for _f, w in source[j1:j2])
                )
            )
    return out


def _same_text(a: str, b: str) -> bool:
    def squeeze(text: str) -> str:
        return " ".join(text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " ").split())

    return squeeze(a) in squeeze(b)


def _names(guard: Guard, masker: Masker, text: str) -> tuple[str, ...]:
    """The names a quotation holds, shown by pseudonym when they are someone's real name."""
    shown = []
    for leak in guard.scan(text, "citation"):
        if leak.kind == ALIAS:
            shown.append(f"nom réel de « {masker.mask(leak.found)} »")
        else:
            shown.append(f"« {leak.found} » ({leak.kind})")
    return tuple(dict.fromkeys(shown))


def check_quote(
    store: Store, quote: DraftQuote, scope: str, guard: Guard, masker: Masker, people: dict
) -> QuoteCheck:
    """Where a quotation comes from; what it shows of the corpus is masked (pseudonyms only)."""
    fragments = [f for f in _CUT.split(quote.text) if _WORD.search(f)]
    matches: list[tuple[str, _Match]] = []
    near = None
    for fragment in fragments:
        match = _match_fragment(store, fragment, near)
        if match is None:
            matches = []
            break
        matches.append((fragment, match))
        near = match
    names = _names(guard, masker, quote.text)
    if not matches:
        return QuoteCheck(quote, False, 0.0, "introuvable", names=names)
    total = sum(len(f) for f, _m in matches)
    score = min(100.0, sum(min(m.score, 100.0) * len(f) for f, m in matches) / total)
    first, last = matches[0][1], matches[-1][1]
    differences = []
    for fragment, m in matches:
        text = m.turn.text
        source = [(w, text[s:e]) for w, s, e in m.source_words]
        differences += [
            Difference(masker.mask(d.draft), masker.mask(d.source))
            for d in _differences(fragment, source)
        ]
    exact = all(_same_text(f, m.turn.text) for f, m in matches)
    if score < FOUND_SCORE:
        return QuoteCheck(quote, False, round(score, 1), "introuvable", names=names)
    fidelity = "exacte" if exact else "fidèle" if not differences else "retouchée"
    participant = people.get(first.turn.participant_id)
    same_doc = last.turn.document_id == first.turn.document_id
    return QuoteCheck(
        quote=quote,
        found=True,
        score=round(score, 1),
        fidelity=fidelity,
        differences=tuple(differences),
        document_id=first.turn.document_id,
        document_title=masker.mask(first.title),
        start_char=first.start,
        end_char=last.end if same_doc else first.end,
        speaker=first.turn.speaker,
        consent=participant.consent if participant else None,
        consented=may_quote(participant, scope),
        names=names,
    )


def check_quotes(store: Store, path: Path, *, scope: str = "articles") -> list[QuoteCheck]:
    """Check every quotation of a draft against the corpus (reads only, writes nothing)."""
    quotes = read_draft(Path(path))
    if not store.documents():
        raise RecitsError("le projet n'a aucun document : importez d'abord les transcriptions")
    guard = Guard(name_index(store))
    masker = guard.index.masker()
    people = {p.id: p for p in store.participants()}
    return [check_quote(store, q, scope, guard, masker, people) for q in quotes]
