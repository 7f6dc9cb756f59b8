"""French typography for quotations: guillemets, non-breaking spaces, cuts and attributions."""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space: inside « », before ; ! ?
NBSP = "\u00a0"  # no-break space: before :
CUT = "[…]"
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
UNKNOWN_KINDS = {"", "non précisé", "non precise"}

_CUTS = re.compile(r"[\[(]\s*(?:\.\s*){3}\s*[\])]|[\[(]\s*…\s*[\])]")
_SPACES = re.compile(r"[ \t\n\r\u00a0\u202f\u2009]+")
# A space (or none) before ; ! ? becomes a narrow no-break space, before : a no-break space;
# "12:30" and "?!" are left alone.
_BEFORE_TIGHT = re.compile(r"(?<=[^\s;:!?\u202f\u00a0])[ \u00a0\u202f]*([;!?]+)(?=\s|$|[»”)\].,…])")
_BEFORE_COLON = re.compile(r"(?<=[^\s;:!?\u202f\u00a0])[ \u00a0\u202f]*:(?=\s|$)")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")
_SENTENCE_END = re.compile(r"[.!?…»”)\]]\s*$")
# A passage that is itself one quotation: « … », maybe followed by its final punctuation.
_ENCLOSED = re.compile(
    r"«[ \u00a0\u202f]*(.*?)[ \u00a0\u202f]*»[ \u00a0\u202f]*([.,;:!?…]*)", re.DOTALL
)


def clean_spaces(text: str) -> str:
    """One space between words, line breaks included (a quotation is one run of text)."""
    return _SPACES.sub(" ", text).strip()


def normalize_cuts(text: str) -> str:
    """Transcribers' "[...]", "(...)", "(…)" all become "[…]"."""
    return _CUTS.sub(CUT, text) if "[" in text or "(" in text else text


def french_spacing(text: str) -> str:
    """Non-breaking spaces before ; : ! ? and inside guillemets already in the text."""
    if any(c in text for c in ";!?"):
        text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    if ":" in text:
        text = _BEFORE_COLON.sub(NBSP + ":", text)
    if "«" in text or "»" in text:
        text = _CLOSE.sub(NNBSP + "»", _OPEN.sub("«" + NNBSP, text))
    return text


def _one_pair(inner: str) -> bool:
    """Whether « + inner + » is one quotation, not « a » … « b »."""
    depth = 0
    for char in inner:
        if char == "«":
            depth += 1
        elif char == "»":
            if depth == 0:
                return False
            depth -= 1
    return depth == 0


def unquoted(text: str) -> str:
    """A passage as it goes between our own « »: its enclosing « … » dropped and the
    guillemets inside written “ … ” (a quotation within a quotation): never « « … » »."""
    text = text.strip()
    enclosed = _ENCLOSED.fullmatch(text)
    if enclosed and _one_pair(enclosed.group(1)):
        text = enclosed.group(1) + enclosed.group(2)
    if "«" in text or "»" in text:
        text = _CLOSE.sub("”", _OPEN.sub("“", text))
    return text


def in_guillemets(text: str) -> str:
    """ "« text »" for a message, without doubling the guillemets the text already has."""
    return f"« {unquoted(text)} »"


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def quotation_text(pieces: list[tuple[str, bool, bool]]) -> str:
    """Join pieces of one speaker's speech: (text, cut_before, cut_after) → "[…]" where cut."""
    parts: list[str] = []
    for text, cut_before, cut_after in pieces:
        text = normalize_cuts(clean_spaces(text))
        if not text:
            continue
        needs_cut = (parts or cut_before) and not text.startswith(CUT)
        if needs_cut and (not parts or not parts[-1].endswith(CUT)):
            parts.append(CUT)
        parts.append(text)
        if cut_after and not text.endswith(CUT):
            parts.append(CUT)
    return french_spacing(unquoted(" ".join(parts)))


def guillemets() -> tuple[str, str]:
    """The opening and closing guillemets, with their narrow no-break spaces."""
    return "«" + NNBSP, NNBSP + "»"


def month_year(date: str | None) -> str | None:
    """ "2021-03-16" → "mars 2021"; None when there is no usable date."""
    if not date or len(date) < 7:
        return None
    try:
        year, month = int(date[:4]), int(date[5:7])
    except ValueError:
        return None
    if not 1 <= month <= 12:
        return None
    return f"{MONTHS[month - 1]} {year}"


def attribution(role: str | None, kind: str | None, date: str | None) -> str:
    """ "— travailleuse paire, réunion du collectif, mars 2021": role and situation, no name."""
    parts = [clean_spaces(role) if role and role.strip() else "participant·e"]
    if kind and kind.strip().casefold() not in UNKNOWN_KINDS:
        parts.append(clean_spaces(kind))
    when = month_year(date)
    if when:
        parts.append(when)
    return "— " + ", ".join(parts)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count <= 1 else (many or one + 's')}"
