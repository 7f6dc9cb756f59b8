"""Finding scenes: passages that tell a lived, situated episode, ranked by narrative cues.

The cues are lexical (the stored analysis keeps no tense) plus the analysis's named entities:
first person, past tenses (passé composé, imparfait), time and place markers, reported speech,
named settings, several characters, an event. Each cue found is a reason shown to the team."""

from __future__ import annotations

import re
from collections.abc import Sequence

from recits.models import Entity, Turn
from recits.models.scenes import SceneCandidate
from recits.sentences import sentence_spans
from recits.store import Store

WHOLE_TURN_WORDS = 140  # a longer turn is cut into passages of a few sentences
PASSAGE_WORDS = 80
MIN_WORDS = 12
MIN_SCORE = 3.0
MIN_CUES = 3

_A = r"['’]"
_WORD = re.compile(r"\w+")
_FIRST = re.compile(rf"\b(?:(?:je|moi|me|nous|mon|ma|mes)\b|[jm]{_A})", re.I)
_PAST = re.compile(
    rf"\b(?:j{_A}ai|t{_A}as|tu as|il a|elle a|on a|ils ont|elles ont|nous avons|vous avez"
    rf"|m{_A}a|m{_A}ont|l{_A}a|l{_A}ont|lui a|leur a|nous a|t{_A}a|on m{_A}a|y a eu|j{_A}avais"
    rf"|je suis|j{_A}suis|il est|elle est|on est|ils sont|elles sont|je me suis|on s{_A}est"
    rf"|il s{_A}est|elle s{_A}est)\s+(?:pas\s+|jamais\s+|rien\s+|tout\s+|déjà\s+|vite\s+)?"
    r"\w+(?:é|ée|és|ées|i|ie|is|it|ite|u|ue|us|ert|erte|ait|aite|eint|int)\b"
    r"|\b\w{2,}(?:ais|ait|aient)\b",
    re.I,
)
_NOT_PAST = frozenset("mais jamais vrai vrais balais palais frais anglais français".split())
_TIME = re.compile(
    r"\b(?:ce|cette)\s+(?:jour|soir|matin|nuit|année|semaine|fois|fois-là|époque)(?:-là)?\b"
    r"|\b(?:un|une|le|ce)\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
    r"|\b(?:un|une|l['’]autre)\s+(?:jour|soir|matin|nuit|fois|après-midi)\b"
    r"|\bla\s+(?:première|dernière)\s+fois\b|\ble\s+lendemain\b|\bla\s+veille\b"
    r"|\b(?:hier|avant-hier)\b|\bà\s+l['’]époque\b|\bil\s+y\s+a\s+(?:\w+\s+){0,2}(?:ans?|mois"
    r"|semaines?|jours?)\b|\ben\s+(?:19|20)\d\d\b|\ben\s+(?:janvier|février|mars|avril|mai"
    r"|juin|juillet|août|septembre|octobre|novembre|décembre)\b|\bà\s+\d{1,2}\s*h\b"
    r"|\bquand\s+(?:je\s+suis|j['’]ai|je\s+(?:suis\s+)?(?:arrivée?|rentrée?))",
    re.I,
)
_PLACES = (
    "gare|bureau|accueil|rue|squat|foyer|hôpital|hosto|local|cuisine|parking|salle|couloir"
    "|permanence|pharmacie|camion|bus|métro|parc|square|tente|chambre|appartement|appart"
    "|maison|prison|commissariat|urgences|comptoir|cour|porte|entrée|réunion|équipe|guichet"
    "|boutique|centre|structure|service|maraude|téléphone"
)
_PLACE = re.compile(
    rf"\b(?:au|aux|à\s+la|à\s+l['’]|dans\s+(?:le|la|l['’]|les|un|une|mon|ma|son|sa|leur)"
    rf"|derrière\s+(?:le|la|l['’])|devant\s+(?:le|la|l['’])|sur\s+(?:le|la)|en\s+face\s+de"
    rf"|chez|en)\s*(?:\w+\s+)?(?:{_PLACES})\b|\bchez\s+(?:moi|lui|elle|eux|nous)\b",
    re.I,
)
_SETTING = re.compile(
    r"\b(?:CHRS|CAARUD|CSAPA|CMP|CMPP|CHU|CHS|HP|SAMU|SIAO|PASS|ACT|LHSS|CCAS|EHPAD|ESAT|GEM"
    r"|SAMU\s+social|Emmaüs|115)\b"
)
_REPORTED = re.compile(
    rf"\b(?:il|elle|on|ils|elles|tu|je|j{_A}|\w+)\s+(?:m{_A}|t{_A}|l{_A}|lui\s+|me\s+|nous\s+"
    rf"|leur\s+|te\s+)?(?:a|ai|avait|avais|ont|as)\s+(?:\w+\s+)?(?:dit|demandé|répondu|lancé"
    rf"|expliqué|crié|fait\s*:|raconté|annoncé|proposé|appelé)"
    rf"|\b(?:il|elle|on|je)\s+(?:me|m{_A}|lui|leur)?\s*(?:dit|fait|demande)\s*:"
    r"|«[^»]{3,}»|\"[^\"]{3,}\"",
    re.I,
)
_CHARACTER = re.compile(
    r"\b(?:il|elle|ils|elles)\b"
    r"|\b(?:le|la|l['’]|un|une|mon|ma|son|sa|notre|leur)\s*(?:chef|cheffe|collègue|éducateur"
    r"|éducatrice|éduc|médecin|infirmier|infirmière|directeur|directrice|psy|psychiatre"
    r"|usager|usagère|gars|dame|monsieur|type|mec|fille|fils|mère|père|voisin|voisine"
    r"|assistante?\s+sociale?|policier|flic|vigile|travailleur\s+pair|travailleuse\s+paire"
    r"|personne|patient|patiente|bénévole|stagiaire|cadre)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(?:tout\s+à\s+coup|d['’]un\s+coup|soudain(?:ement)?|et\s+là|à\s+ce\s+moment(?:-là)?"
    r"|au\s+moment\s+où|du\s+coup\s+je|finalement|alors\s+(?:je|j['’]|il|elle|on))\b",
    re.I,
)
_GENERAL = re.compile(
    r"\b(?:en\s+général|généralement|il\s+faut|on\s+doit|c['’]est\s+important|de\s+manière"
    r"|globalement|à\s+mon\s+avis|je\s+pense\s+que|je\s+crois\s+que|en\s+fait\s+le)\b",
    re.I,
)


def _quoted(matches: Sequence[str], limit: int = 3) -> str:
    seen = list(dict.fromkeys(" ".join(m.split()) for m in matches))
    shown = ", ".join(f"« {m if len(m) <= 40 else m[:39] + '…'} »" for m in seen[:limit])
    return shown + (" …" if len(seen) > limit else "")


def score_passage(
    text: str, entities: Sequence[Entity] = (), offset: int = 0
) -> tuple[float, tuple[str, ...]]:
    """The narrative cues of one passage: a score and the reasons, in French."""
    score, reasons, cues = 0.0, [], 0
    first = _FIRST.findall(text)
    if len(first) >= 2:
        score, cues = score + 1.0, cues + 1
        reasons.append(f"à la première personne ({len(first)} fois je, me, nous…)")
    past = [m.group() for m in _PAST.finditer(text) if m.group().lower() not in _NOT_PAST]
    if past:
        score, cues = score + (1.5 if len(past) >= 2 else 0.75), cues + 1
        reasons.append(f"au passé : {_quoted(past)}")
    for pattern, weight, label in (
        (_TIME, 1.5, "marqueur de temps"),
        (_PLACE, 1.0, "lieu"),
        (_REPORTED, 1.5, "paroles rapportées"),
        (_EVENT, 1.0, "événement"),
    ):
        found = [m.group() for m in pattern.finditer(text)]
        if found:
            score, cues = score + weight, cues + 1
            reasons.append(f"{label} : {_quoted(found)}")
    end = offset + len(text)
    inside = [e for e in entities if offset <= e.start_char and e.end_char <= end]
    settings = [m.group() for m in _SETTING.finditer(text)]
    settings += [e.text for e in inside if e.label in ("LOC", "ORG")]
    if settings:
        score, cues = score + 1.0, cues + 1
        reasons.append(f"lieu nommé : {_quoted(settings)}")
    others = {m.group().lower() for m in _CHARACTER.finditer(text)}
    others |= {e.text for e in inside if e.label == "PER"}
    if first and len(others) >= 2:
        score, cues = score + 1.0, cues + 1
        reasons.append(f"plusieurs personnages : {_quoted(sorted(others))}")
    general = [m.group() for m in _GENERAL.finditer(text)]
    if general:
        score -= min(1.5, 0.75 * len(general))
        reasons.append(f"propos général (compte en moins) : {_quoted(general)}")
    if cues < MIN_CUES:
        return 0.0, tuple(reasons)
    return round(score, 2), tuple(reasons)


def passages(
    text: str, turns: Sequence[Turn], sentences: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Whole turns, or a few sentences of a long turn at a time (the analysis's sentences if
    there are, else recits' French rules)."""
    out: list[tuple[int, int]] = []
    ordered = sorted(sentences)
    for turn in turns:
        words = len(_WORD.findall(turn.text))
        if words < MIN_WORDS:
            continue
        if words <= WHOLE_TURN_WORDS:
            out.append((turn.start_char, turn.end_char))
            continue
        inside = [(s, e) for s, e in ordered if turn.start_char <= s and e <= turn.end_char]
        inside = inside or sentence_spans(text, turn.start_char, turn.end_char)
        start, count = None, 0
        for s, e in inside:
            start = s if start is None else start
            count += len(_WORD.findall(text[s:e]))
            if count >= PASSAGE_WORDS:
                out.append((start, e))
                start, count = None, 0
        if start is not None:
            if count < MIN_WORDS and out and out[-1][1] > turn.start_char:
                out[-1] = (out[-1][0], inside[-1][1])
            else:
                out.append((start, inside[-1][1]))
    return out


def find_candidates(
    store: Store, document_id: str | None = None, *, limit: int | None = None
) -> list[SceneCandidate]:
    """Passages ranked by narrative cues, best first (those with too few cues left out)."""
    documents = [document_id] if document_id else [d.id for d in store.documents()]
    found: list[SceneCandidate] = []
    for doc_id in documents:
        text = store.document_text(doc_id)
        entities = store.entities(document_id=doc_id)
        sentences = [(s.start_char, s.end_char) for s in store.sentences(doc_id)]
        for start, end in passages(text, store.turns(doc_id), sentences):
            score, reasons = score_passage(text[start:end], entities, start)
            if score >= MIN_SCORE:
                found.append(SceneCandidate(doc_id, start, end, text[start:end], score, reasons))
    found.sort(key=lambda c: (-c.score, c.document_id, c.start_char))
    return found[:limit] if limit else found
