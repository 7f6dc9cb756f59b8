"""Generate a large synthetic French corpus in mixed formats, for benchmarks only."""

from __future__ import annotations

import random
from pathlib import Path

import docx
from odf.opendocument import OpenDocumentText
from odf.text import P

SPEAKERS = ("Nadia", "Karim", "Sylvie", "Jo", "Mehdi", "Fatou", "Intervieweuse")
WORDS = (
    "alors euh je pense que la place des pair-e-s dans l'équipe reste fragile parce que les"
    " éducateurs nous voient encore comme des usagers et puis la charge mentale elle est là"
    " tous les jours le téléphone qui sonne le soir les personnes accompagnées qui m'appellent"
    " la réduction des risques au CHRS ça a changé beaucoup de choses on distribue du matériel"
    " on parle de consommation sans juger la formation le DU de pair-aidance m'a permis de"
    " rencontrer d'autres travailleur·euse·s pair·e·s et de mettre des mots sur mon savoir"
    " expérientiel mais j'ai peur d'être formatée de perdre ce qui fait ma différence"
    " le salaire n'est pas à la hauteur on n'a pas de statut clair la cheffe de service"
    " nous soutient quand même on a fait une réunion la semaine dernière c'était bien"
).split()
FORMATS = ("txt", "md", "docx", "odt", "vtt", "srt")


def turns(rng: random.Random, words: int) -> list[tuple[str, str]]:
    """(speaker, speech) pairs adding up to about `words` words."""
    out: list[tuple[str, str]] = []
    total = 0
    while total < words:
        n = rng.randint(8, 80)
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        out.append((rng.choice(SPEAKERS), sentence[0].upper() + sentence[1:] + "."))
        total += n
    return out


def _timestamp(seconds: int, sep: str) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02}:{m:02}:{s:02}{sep}000"


def write(path: Path, fmt: str, pairs: list[tuple[str, str]]) -> Path:
    path = path.with_suffix("." + fmt)
    if fmt in ("txt", "md"):
        lines = [f"{s} : {t}" for s, t in pairs]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "docx":
        document = docx.Document()
        for speaker, speech in pairs:
            paragraph = document.add_paragraph()
            paragraph.add_run(speaker).bold = True
            paragraph.add_run(" : " + speech)
        document.save(path)
    elif fmt == "odt":
        document = OpenDocumentText()
        for speaker, speech in pairs:
            document.text.addElement(P(text=f"{speaker} : {speech}"))
        document.save(str(path))
    elif fmt == "vtt":
        cues = [
            f"{_timestamp(i * 5, '.')} --> {_timestamp(i * 5 + 4, '.')}\n<v {s}>{t}\n"
            for i, (s, t) in enumerate(pairs)
        ]
        path.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
    elif fmt == "srt":
        cues = [
            f"{i + 1}\n{_timestamp(i * 5, ',')} --> {_timestamp(i * 5 + 4, ',')}\n{s} : {t}\n"
            for i, (s, t) in enumerate(pairs)
        ]
        path.write_text("\n".join(cues), encoding="utf-8")
    return path


def generate(
    folder: Path, *, files: int = 200, words: int = 1_000_000, seed: int = 7
) -> list[Path]:
    """`files` files in rotating formats, `words` words in all."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_file = words // files
    return [
        write(folder / f"doc-{i:03}", FORMATS[i % len(FORMATS)], turns(rng, per_file))
        for i in range(files)
    ]
