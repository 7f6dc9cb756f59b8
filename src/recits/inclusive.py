"""French inclusive writing (pair·e·s, travailleur-euse-s): recognise it, find its lemma."""

from __future__ import annotations

import re
import unicodedata

_LETTERS = r"[^\W\d_]"
# Endings that inclusive writing appends after a separator (pair·e·s, travailleur·euse·s).
_ENDINGS = (
    "e|es|s|x|euse|euses|rice|rices|trice|trices|ère|ères|ere|eres|ne|nes|le|les|te|tes|se|ses"
    "|ve|ves|ive|ives|fe|ale|ales|aux|eure|eures|esse|esses|ière|ières|ice|ices|sse|sses"
)
# After "-" or "." a single ending is only inclusive when it cannot be a pronoun or a word
# (dis-le, prends-les, sont-elles, peut-être, aide-soignant stay as they are).
_SAFE_SINGLE = "e|es|euse|euses|rice|rices|trice|trices|ère|ères|ne|nes|ive|ives|esse|esses"
INCLUSIVE = re.compile(
    rf"(?P<base>{_LETTERS}{{2,}})(?:"
    rf"(?P<dot>[·•‧⋅∙])(?:{_ENDINGS})(?:(?P=dot)(?:{_ENDINGS}))?"
    rf"|(?P<sep>[-.])(?:{_ENDINGS})(?P=sep)(?:{_ENDINGS})"
    rf"|[-.](?:{_SAFE_SINGLE})"
    r")",
    re.IGNORECASE,
)
_IRREGULAR_PLURALS = {"tous": "tout", "tou": "tout"}


def is_inclusive(text: str) -> bool:
    return INCLUSIVE.fullmatch(text) is not None


def inclusive_lemma(text: str) -> str:
    """The masculine singular of an inclusive form: pair·e·s -> pair, travailleurs·euses -> ..."""
    match = INCLUSIVE.fullmatch(text)
    if match is None:
        return text.lower()
    base = match.group("base").lower()
    if base in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[base]
    if base.endswith("aux") and len(base) > 4:
        return base[:-3] + "al"
    if base.endswith("s") and not base.endswith("ss") and len(base) > 3:
        return base[:-1]
    return base


def fold(text: str) -> str:
    """Lowercase without diacritics, like the full-text index (unicode61 remove_diacritics)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
