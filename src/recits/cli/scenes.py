"""`recits scenes …`: comic-strip scenes, their sources, panels, status and validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from recits.cli.common import (
    RecitsCommand,
    RecitsGroup,
    actor_of,
    by_option,
    echo_json,
    json_option,
    open_project,
    project_option,
)
from recits.errors import RecitsError


@click.group(cls=RecitsGroup)
def scenes() -> None:
    """Scènes de BD : sources, vignettes, validation par les pair·e·s, storyboard."""


@scenes.command("create")
@click.argument("title")
@click.option("--synopsis", default="", help="Résumé de la scène.")
@click.option("--place", default="", help="Lieu (« derrière la gare »).")
@click.option("--time", "when", default="", help="Moment (« un dimanche soir »).")
@click.option("--theme", "themes", multiple=True, help="Code de la grille (répétable).")
@click.option("--coding", "codings", multiple=True, help="Extrait codé source (id, répétable).")
@by_option
@project_option
def create(
    title: str,
    synopsis: str,
    place: str,
    when: str,
    themes: tuple[str, ...],
    codings: tuple[str, ...],
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Crée une scène « proposée » (avec ses extraits sources, --coding)."""
    from recits import scenes as core

    project = open_project(project_dir)
    with project.store() as store:
        project.sync_codebook(store)
        with store.write():
            scene = core.create(
                store, title, synopsis=synopsis, place=place, time=when, themes=themes,
                actor=actor_of(project, actor),
            )  # fmt: skip
            for ref in codings:
                coding = _coding(store, ref)
                core.add_source(
                    store, scene, coding.document_id, coding.start_char, coding.end_char,
                    coding_id=coding.id, actor=actor_of(project, actor),
                )  # fmt: skip
    click.echo(f"Scène « {scene.title} » créée ({scene.id[:8]}), statut « {scene.status} »")


def _coding(store: Any, ref: str) -> Any:
    ref = ref.strip()
    found = [c for c in store.codings() if c.id == ref or (len(ref) >= 4 and c.id.startswith(ref))]
    if len(found) != 1:
        what = "inconnu" if not found else "ambigu"
        raise RecitsError(f"extrait codé {what} : « {ref} » (« recits codings list »)")
    return found[0]


@scenes.command("list", cls=RecitsCommand)
@project_option
@json_option
def list_(project_dir: Path | None, as_json: bool) -> None:
    """Les scènes par statut."""
    from recits.scenes import STATUSES

    with open_project(project_dir).store() as store:
        found = store.scenes()
        panels = {s.id: len(store.panels(s.id)) for s in found}
    if as_json:
        echo_json([{**_scene_json(s), "panels": panels[s.id]} for s in found])
        return
    if not found:
        click.echo("Aucune scène. Créez-en une : « recits scenes create TITRE ».")
    for status in STATUSES:
        here = [s for s in found if s.status == status]
        if here:
            click.echo(f"{status} ({len(here)})")
        for s in here:
            click.echo(f"  {s.id[:8]}  {s.title}  ({panels[s.id]} vignette(s))")


def _scene_json(s: Any) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "synopsis": s.synopsis, "place": s.place, "time": s.time,
        "themes": list(s.themes), "status": s.status, "created_by": s.created_by,
        "created_at": s.created_at, "updated_at": s.updated_at,
    }  # fmt: skip


@scenes.command("show", cls=RecitsCommand)
@click.argument("scene")
@project_option
@json_option
def show(scene: str, project_dir: Path | None, as_json: bool) -> None:
    """Une scène : sources, personnages, vignettes, historique, commentaires."""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        found = core.detail(store, scene)
        docs = {d.id: d for d in store.documents()}
        names = {c.id: c.name for c in found.characters}
        voices = core.voices(store, found)
        blockers = core.blockers(store, found)
    s = found.scene
    if as_json:
        echo_json({
            **_scene_json(s),
            "sources": [{"id": x.id, "document_id": x.document_id, "start_char": x.start_char,
                         "end_char": x.end_char, "coding_id": x.coding_id} for x in found.sources],
            "characters": [{"id": c.id, "name": c.name, "participant_id": c.participant_id,
                            "composite": c.composite} for c in found.characters],
            "panels": [{"id": p.id, "position": p.position, "picture": p.picture,
                        "caption": p.caption, "lines": [
                            {"speaker": names.get(li.character_id or ""), "text": li.text}
                            for li in p.lines]} for p in found.panels],
            "history": [{"status": h.status, "previous": h.previous, "by": h.changed_by,
                         "at": h.changed_at, "note": h.note} for h in found.history],
            "comments": [{"author": c.author, "text": c.text, "at": c.created_at}
                         for c in found.comments],
            "validations": [{"participant_id": v.participant_id, "date": v.validated_on}
                            for v in found.validations],
            "blockers": blockers,
        })  # fmt: skip
        return
    click.echo(f"{s.title} ({s.id[:8]}) — {s.status}")
    for label, value in (("Synopsis", s.synopsis), ("Lieu", s.place), ("Moment", s.time)):
        if value:
            click.echo(f"  {label} : {value}")
    if s.themes:
        click.echo(f"  Thèmes : {', '.join(s.themes)}")
    click.echo(f"Sources ({len(found.sources)}) :")
    for x in found.sources:
        title = docs[x.document_id].title if x.document_id in docs else x.document_id[:8]
        click.echo(f"  {x.id[:8]}  {title} [{x.start_char}–{x.end_char}]")
    cast = [c.name + (" (composite)" if c.composite else "") for c in found.characters]
    click.echo("Personnages : " + (", ".join(cast) or "—"))
    for v in voices:
        state = "consentement bd" if v.consented else "SANS consentement bd"
        valid = f", a validé le {v.validated_on}" if v.validated_on else ""
        click.echo(f"  « {v.participant.pseudonym} » : {state}{valid}")
    click.echo(f"Vignettes ({len(found.panels)}) :")
    for p in found.panels:
        click.echo(f"  {p.position + 1}. image : {p.picture or '—'}")
        if p.caption:
            click.echo(f"     récitatif : {p.caption}")
        for li in p.lines:
            click.echo(f"     {names.get(li.character_id or '', '?')} : {li.text}")
    click.echo("Historique :")
    for h in found.history:
        click.echo(f"  {h.changed_at[:16]}  {h.status}  ({h.changed_by or '?'})")
    for c in found.comments:
        click.echo(f"Commentaire de {c.author or '?'} ({c.created_at[:10]}) : {c.text}")
    for why in blockers:
        click.echo(f"Bloque la validation : {why}")


@scenes.command("add-source")
@click.argument("scene")
@click.argument("document", required=False)
@click.argument("start", type=int, required=False)
@click.argument("end", type=int, required=False)
@click.option("--coding", help="Un extrait codé plutôt qu'un passage (id).")
@by_option
@project_option
def add_source(
    scene: str,
    document: str | None,
    start: int | None,
    end: int | None,
    coding: str | None,
    actor: str | None,
    project_dir: Path | None,
) -> None:
    """Ajoute un passage source : DOCUMENT START END (caractères), ou --coding ID."""
    from recits import scenes as core

    project = open_project(project_dir)
    with project.store() as store:
        found = core.resolve(store, scene)
        if coding:
            c = _coding(store, coding)
            doc_id, s, e, coding_id = c.document_id, c.start_char, c.end_char, c.id
        elif document is None or start is None or end is None:
            raise RecitsError("donnez DOCUMENT START END, ou --coding ID")
        else:
            doc_id, s, e, coding_id = store.resolve_document(document).id, start, end, None
        source = core.add_source(
            store, found, doc_id, s, e, coding_id=coding_id, actor=actor_of(project, actor)
        )
    click.echo(f"Source ajoutée à « {found.title} » ({source.id[:8]}, {s}–{e})")


@scenes.command("character")
@click.argument("scene")
@click.argument("name")
@click.option("--composite", is_flag=True, help="Personnage composite inventé par l'équipe.")
@click.option("--description", default="", help="Qui c'est, pour l'illustrateur·rice.")
@project_option
def character(
    scene: str, name: str, composite: bool, description: str, project_dir: Path | None
) -> None:
    """Ajoute un personnage : un·e participant·e (pseudonyme) ou un personnage composite."""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        found = core.resolve(store, scene)
        made = core.add_character(store, found, name, composite=composite, description=description)
    kind = "personnage composite" if made.composite else "participant·e"
    click.echo(f"« {made.name} » ({kind}) ajouté·e à « {found.title} »")


@scenes.group("panels", cls=RecitsGroup)
def panels() -> None:
    """Vignettes d'une scène : ajouter, déplacer, découper une source."""


@panels.command("add")
@click.argument("scene")
@click.option("--picture", default="", help="Ce que l'illustrateur·rice dessine.")
@click.option("--caption", default="", help="Récitatif (narration).")
@click.option("--line", "lines", multiple=True, help="Bulle « Personnage : texte » (répétable).")
@click.option("--at", type=int, help="Position (1 = la première ; défaut : à la fin).")
@project_option
def panels_add(
    scene: str,
    picture: str,
    caption: str,
    lines: tuple[str, ...],
    at: int | None,
    project_dir: Path | None,
) -> None:
    """Ajoute une vignette (image, récitatif, bulles)."""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        found = core.resolve(store, scene)
        characters = {c.name.casefold(): c for c in store.scene_characters(found.id)}
        parsed = []
        for line in lines:
            who, sep, text = line.partition(":")
            c = characters.get(who.strip().casefold())
            if not sep or c is None or not text.strip():
                known = ", ".join(c.name for c in characters.values()) or "aucun"
                raise RecitsError(
                    f"bulle « {line} » : écrivez « Personnage : texte » avec un personnage de la"
                    f" scène ({known} ; « recits scenes character » en ajoute)"
                )
            parsed.append((c.id, text.strip()))
        with store.write():
            panel = store.add_panel(found.id, picture.strip(), caption.strip(),
                                    at=None if at is None else at - 1)  # fmt: skip
            for character_id, text in parsed:
                store.add_line(panel.id, text, character_id=character_id)
    click.echo(f"Vignette {panel.position + 1} ajoutée à « {found.title} »")


@panels.command("move")
@click.argument("scene")
@click.argument("position", type=int)
@click.argument("to", type=int)
@project_option
def panels_move(scene: str, position: int, to: int, project_dir: Path | None) -> None:
    """Déplace la vignette POSITION à la place TO (1 = la première)."""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        found = core.resolve(store, scene)
        core.move_panel(store, found, position, to)
    click.echo(f"Vignette {position} de « {found.title} » déplacée en {to}")


@panels.command("split")
@click.argument("scene")
@click.option("--source", help="La source à découper (id ; défaut : chacune).")
@project_option
def panels_split(scene: str, source: str | None, project_dir: Path | None) -> None:
    """Une vignette par phrase des sources : la phrase devient la bulle de qui la dit."""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        found = core.resolve(store, scene)
        sources = store.scene_sources(found.id)
        if source:
            sources = [s for s in sources if s.id.startswith(source.strip())]
            if len(sources) != 1:
                raise RecitsError(f"source inconnue : « {source} » (« recits scenes show »)")
        if not sources:
            raise RecitsError(f"« {found.title} » n'a pas de source à découper")
        made = sum(len(core.split_source(store, found, s)) for s in sources)
    click.echo(f"{made} vignette(s) ajoutée(s) à « {found.title} »")


@scenes.command("status")
@click.argument("scene")
@click.argument("status")
@click.option("--note", default="", help="Pourquoi (gardé dans l'historique).")
@by_option
@project_option
def status(scene: str, status: str, note: str, actor: str | None, project_dir: Path | None) -> None:
    """Change le statut : proposee, ecriture, a-valider, validee, illustration, publiee."""
    from recits import scenes as core

    project = open_project(project_dir)
    with project.store() as store:
        moved = core.move(store, scene, status, actor=actor_of(project, actor), note=note)
    click.echo(f"« {moved.title} » : {moved.status}")


@scenes.command("validate")
@click.argument("scene")
@click.argument("participant")
@click.option("--date", help="Date de la validation (AAAA-MM-JJ ; défaut : aujourd'hui).")
@by_option
@project_option
def validate(
    scene: str, participant: str, date: str | None, actor: str | None, project_dir: Path | None
) -> None:
    """Enregistre qu'un·e participant·e a validé la scène (avec la date)."""
    from recits import scenes as core

    project = open_project(project_dir)
    with project.store() as store:
        found, person = core.validate(
            store, scene, participant, date=date, actor=actor_of(project, actor)
        )
    click.echo(f"« {person.pseudonym} » a validé « {found.title} »")


@scenes.command("peer-validation")
@click.argument("required", type=click.Choice(["oui", "non"]))
@project_option
def peer_validation(required: str, project_dir: Path | None) -> None:
    """Le projet exige-t-il que chaque pair·e valide la scène qui utilise ses propos ?"""
    from recits import scenes as core

    with open_project(project_dir).store() as store:
        core.set_peer_validation(store, required == "oui")
    click.echo(f"Validation des scènes par les pair·e·s exigée : {required}")


@scenes.command("comment")
@click.argument("scene")
@click.argument("text")
@by_option
@project_option
def comment(scene: str, text: str, actor: str | None, project_dir: Path | None) -> None:
    """Ajoute un commentaire à la scène."""
    from recits import scenes as core

    if not text.strip():
        raise RecitsError("commentaire vide")
    project = open_project(project_dir)
    with project.store() as store:
        found = core.resolve(store, scene)
        store.add_scene_comment(found.id, text.strip(), actor_of(project, actor))
    click.echo(f"Commentaire ajouté à « {found.title} »")


from recits.cli.scene_finding import candidates  # noqa: E402

scenes.add_command(candidates)
