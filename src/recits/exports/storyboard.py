"""The storyboard for the illustrators: one page per planche (HTML or PDF), behind the gate.

Only pseudonyms and masked text; sources are listed at the back by document kind and month.
The whole file is checked by the name gate (scope `bd`) before anything is written, and the
export is recorded with whom it quotes, like every export."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from recits.errors import RecitsError
from recits.exports.excerpts import ExportRefused
from recits.exports.gate import Guard, Leak, Publishable, Template, check, unique
from recits.exports.typography import month_year, plural
from recits.files import unused_path, write_new
from recits.masking import Masker
from recits.models.scenes import SceneDetail
from recits.names import name_index
from recits.scenes import SCOPE, STATUSES, VALIDATED, blockers, detail, speakers_of
from recits.store import Store

FORMATS = ("html", "pdf")
COMPOSITE = "personnage composite"


@dataclass(frozen=True)
class BoardLine:
    speaker: str  # pseudonym or composite character's name; "" for an unassigned line
    text: str


@dataclass(frozen=True)
class BoardPanel:
    number: int
    picture: str
    caption: str
    lines: tuple[BoardLine, ...]


@dataclass(frozen=True)
class Planche:
    """A scene as it leaves recits: masked, with pseudonyms only."""

    number: int
    title: str
    synopsis: str
    setting: str
    characters: tuple[str, ...]
    themes: tuple[str, ...]
    panels: tuple[BoardPanel, ...]
    sources: tuple[str, ...]  # « entretien, avril 2021 »


@dataclass(frozen=True)
class Storyboard:
    format: str
    planches: tuple[Planche, ...]
    data: bytes
    leaks: tuple[Leak, ...]
    quoted: dict[str, int]  # participant id -> sources of theirs in the file
    scene_ids: tuple[str, ...]
    source_count: int  # the scenes' source passages


def choose(store: Store, refs: tuple[str, ...]) -> list[SceneDetail]:
    """The scenes asked for, or every scene validated or further on."""
    if refs:
        return [detail(store, ref) for ref in dict.fromkeys(refs)]
    ready = [s for s in store.scenes() if STATUSES.index(s.status) >= STATUSES.index(VALIDATED)]
    if not ready:
        raise RecitsError(
            "aucune scène « validée » ou plus loin : précisez --scene (« recits scenes list »)",
            in_app="aucune scène « validée » ou plus loin",
        )
    return [detail(store, s.id) for s in ready]


def planche(store: Store, number: int, found: SceneDetail, masker: Masker) -> Planche:
    m = masker.mask
    people = {p.id: p for p in store.participants()}
    labels = {c.id: c for c in found.characters}
    codes = {c.id: c.label for c in store.codes()}

    def speaker(character_id: str | None) -> str:
        c = labels.get(character_id or "")
        if c is None:
            return ""
        if c.participant_id and c.participant_id in people:
            return people[c.participant_id].pseudonym  # the pseudonym as it is now
        return m(c.name)

    characters = []
    for c in found.characters:
        name = speaker(c.id)
        extra = ([COMPOSITE] if c.composite else []) + ([m(c.description)] if c.description else [])
        characters.append(f"{name} ({', '.join(extra)})" if extra else name)
    docs = {d.id: d for d in store.documents()}
    sources = []
    for s in found.sources:
        d = docs.get(s.document_id)
        if d is not None:
            when = month_year(d.date)
            sources.append(f"{d.kind}, {when}" if when else d.kind)
    scene = found.scene
    setting = ", ".join(x for x in (m(scene.place), m(scene.time)) if x)
    return Planche(
        number, m(scene.title), m(scene.synopsis), setting, tuple(characters),
        tuple(codes.get(t, t) for t in scene.themes),
        tuple(
            BoardPanel(
                p.position + 1, m(p.picture), m(p.caption),
                tuple(BoardLine(speaker(li.character_id), m(li.text)) for li in p.lines),
            )
            for p in found.panels
        ),
        tuple(dict.fromkeys(sources)),
    )  # fmt: skip


# -- HTML -----------------------------------------------------------------------------------------
CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
.planche { break-after: page; page-break-after: always; }
.planche:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
.meta { margin: 0 0 1.5mm; }
.vignettes { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-top: 3mm; }
.vignette { border: 0.6mm solid #111; padding: 2.5mm; break-inside: avoid; }
.numero { font-weight: bold; }
.image { font-style: italic; color: #333; margin: 1mm 0; }
.recitatif { border: 0.3mm solid #111; background: #f3eed9; padding: 1.5mm; margin: 1mm 0; }
.bulle { border: 0.3mm solid #111; border-radius: 4mm; padding: 1.5mm 3mm; margin: 1.5mm 0; }
.qui { font-weight: bold; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(planches: tuple[Planche, ...], generated_on: str) -> bytes:
    """A self-contained page (no outside request: no link, font nor script), printable with
    one planche per page and the sources on the last page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        "<title>Storyboard</title>",
        f"<style>{CSS}</style></head><body>",
    ]
    for p in planches:
        parts.append(f'<section class="planche"><h1>Planche {p.number} — {_e(p.title)}</h1>')
        if p.synopsis:
            parts.append(f'<p class="meta">{_e(p.synopsis)}</p>')
        for label, value in (
            ("Cadre", p.setting),
            ("Personnages", ", ".join(p.characters)),
            ("Thèmes", ", ".join(p.themes)),
        ):
            if value:
                parts.append(f'<p class="meta"><b>{label} :</b> {_e(value)}</p>')
        parts.append('<div class="vignettes">')
        for v in p.panels:
            parts.append(f'<div class="vignette"><div class="numero">Vignette {v.number}</div>')
            if v.picture:
                parts.append(f'<div class="image">Image : {_e(v.picture)}</div>')
            if v.caption:
                parts.append(f'<div class="recitatif">{_e(v.caption)}</div>')
            for line in v.lines:
                who = f'<span class="qui">{_e(line.speaker)} :</span> ' if line.speaker else ""
                parts.append(f'<div class="bulle">{who}{_e(line.text)}</div>')
            parts.append("</div>")
        parts.append("</div></section>")
    parts.append('<section class="planche sources"><h1>Sources</h1>')
    parts.append(f"<p>Storyboard du {_e(generated_on)}, pseudonymisé ; consentement « bd ».</p>")
    for p in planches:
        listed = "; ".join(p.sources) or "aucune"
        parts.append(f"<p><b>Planche {p.number} :</b> {_e(listed)}</p>")
    parts.append("</section></body></html>\n")
    return "\n".join(parts).encode("utf-8")


def render(fmt: str, planches: tuple[Planche, ...], generated_on: str) -> bytes:
    if fmt == "html":
        return render_html(planches, generated_on)
    if fmt == "pdf":
        from recits.exports.storyboard_pdf import render_pdf

        return render_pdf(planches, generated_on)
    raise RecitsError(f"format de storyboard inconnu : « {fmt} » ({', '.join(FORMATS)})")


_TEMPLATES: dict[str, Template] = {}


def template(fmt: str) -> Template:
    if fmt not in _TEMPLATES:
        _TEMPLATES[fmt] = Template.of(fmt, render(fmt, (), ""))
    return _TEMPLATES[fmt]


def build(
    store: Store, fmt: str, refs: tuple[str, ...] = (), *, generated_on: str | None = None
) -> Storyboard:
    """Build the storyboard in memory and run the gate; refused (RecitsError) when a scene
    uses the words of someone without `bd` consent."""
    if fmt not in FORMATS:
        raise RecitsError(f"format de storyboard inconnu : « {fmt} » ({', '.join(FORMATS)})")
    scenes = choose(store, refs)
    problems = [
        f"« {found.scene.title} » : {why}"
        for found in scenes
        for why in blockers(store, found, for_export=True)
    ]
    if problems:
        raise RecitsError(
            "storyboard refusé, rien n'a été écrit :\n  - " + "\n  - ".join(problems)
            + "\nConsentement : « recits participants consent PSEUDONYME accordé --scope bd »",
            in_app="storyboard refusé : " + " ; ".join(problems) + " (consentement : F8)",
        )  # fmt: skip
    labels = store.speaker_labels()
    index = name_index(store, labels)
    masker = index.masker()
    planches = tuple(planche(store, i, s, masker) for i, s in enumerate(scenes, start=1))
    today = generated_on or Date.today().isoformat()
    data = render(fmt, planches, today)
    fields, sources = [], []
    for p, found in zip(planches, scenes, strict=True):
        where = f"planche {p.number} (« {found.scene.title[:40]} »)"
        lines = [line.speaker + "\n" + line.text for v in p.panels for line in v.lines]
        pieces = [p.title, p.synopsis, p.setting, *p.characters, *p.themes]
        pieces += [x for v in p.panels for x in (v.picture, v.caption)] + lines
        fields.append((where, "\n".join(pieces)))
        raw = [s.text for s in found.sources] + [li.text for v in found.panels for li in v.lines]
        sources.append((where, "\n".join(raw)))
    guard = Guard(index, template(fmt))
    leaks = check(Publishable(fmt, data, tuple(fields), tuple(sources), SCOPE), guard)
    if fmt == "pdf":
        # What the PDF's fonts could not show is checked in the HTML of the same planches.
        html_data = render_html(planches, today)
        html_guard = Guard(index, template("html"))
        leaks += check(Publishable("html", html_data, tuple(fields), (), SCOPE), html_guard)
    quoted: dict[str, int] = {}
    for found in scenes:
        for s in found.sources:
            for person in speakers_of(store, [s]):
                quoted[person.id] = quoted.get(person.id, 0) + 1
    return Storyboard(
        fmt,
        planches,
        data,
        tuple(unique(leaks)),
        quoted,
        tuple(s.scene.id for s in scenes),
        sum(len(s.sources) for s in scenes),
    )


def default_path(exports_dir: Path, fmt: str) -> Path:
    return unused_path(exports_dir, f"storyboard-{Date.today().isoformat()}", f".{fmt}")


def write_storyboard(
    store: Store,
    fmt: str,
    refs: tuple[str, ...] = (),
    *,
    exports_dir: Path,
    out: Path | None = None,
    force: bool = False,
    actor: str | None = None,
) -> tuple[Path, str, Storyboard]:
    """Build, check, write and record; nothing is written when the gate finds a name."""
    path: Path | None = None
    written = False
    try:
        with store.write():
            board = build(store, fmt, refs)
            if board.leaks:
                raise ExportRefused(board.leaks)
            path = out if out is not None else default_path(exports_dir, fmt)
            if path.exists() and path.is_dir():
                raise RecitsError(f"{path} est un dossier : donnez un nom de fichier")
            write_new(path, board.data, force=force)
            written = True
            digest = hashlib.sha256(board.data).hexdigest()
            held = board.source_count
            export_id = store.record_export(
                file=str(path.absolute()), fmt=f"storyboard-{fmt}", sha256=digest, scope=SCOPE,
                filters={"scenes": list(board.scene_ids)}, excerpts=held, quoted=board.quoted,
                actor=actor,
            )  # fmt: skip
            store.audit(
                "export-storyboard", actor, format=fmt, file=str(path.absolute()), sha256=digest,
                scenes=list(board.scene_ids), export=export_id,
            )  # fmt: skip
    except BaseException:
        if written and path is not None and not force:
            path.unlink(missing_ok=True)
        raise
    return path, digest, board


def summary(board: Storyboard) -> str:
    panels = sum(len(p.panels) for p in board.planches)
    return (
        f"{plural(len(board.planches), 'planche')}, {plural(panels, 'vignette')} ;"
        " contrôle des noms : aucun trouvé"
    )
