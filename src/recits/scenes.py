"""Comic-strip scenes: statuses and how a scene moves, whose words it uses, peer validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recits import reported_speech
from recits.consent import effective_date
from recits.errors import RecitsError
from recits.masking import NameFinder, fold, name_key
from recits.models import Participant
from recits.models.scenes import Character, Panel, Scene, SceneDetail, SceneSource
from recits.participants import may_quote
from recits.participants import resolve as resolve_participant
from recits.sentences import sentence_spans
from recits.store import Store

PROPOSED, WRITING, TO_VALIDATE, VALIDATED, ILLUSTRATION, PUBLISHED = STATUSES = (
    "proposée",
    "en écriture",
    "à valider par les pair·e·s",
    "validée",
    "envoyée à l'illustration",
    "publiée",
)
# What can be typed for each status (the label itself, folded, works too).
STATUS_KEYS = {
    "proposee": PROPOSED, "ecriture": WRITING, "en-ecriture": WRITING,
    "a-valider": TO_VALIDATE, "validation": TO_VALIDATE, "validee": VALIDATED,
    "illustration": ILLUSTRATION, "envoyee": ILLUSTRATION, "publiee": PUBLISHED,
}  # fmt: skip
SCOPE = "bd"
PEER_VALIDATION_KEY = "scenes.peer_validation"  # meta: "oui" when peers must validate


def parse_status(value: str) -> str:
    key = fold(value.strip()).replace(" ", "-")
    for status in STATUSES:
        if key == fold(status).replace(" ", "-"):
            return status
    if key in STATUS_KEYS:
        return STATUS_KEYS[key]
    raise RecitsError(
        f"statut inconnu : « {value} » (au choix : {', '.join(STATUS_KEYS)}, ou"
        f" « {'», «'.join(STATUSES)} »)"
    )


def resolve(store: Store, ref: str) -> Scene:
    """A scene by id, id prefix (4+ characters) or title (accents and case aside)."""
    ref = ref.strip()
    scenes = store.scenes()
    found = [s for s in scenes if s.id == ref] or [s for s in scenes if fold(s.title) == fold(ref)]
    if not found and len(ref) >= 4:
        found = [s for s in scenes if s.id.startswith(ref)]
    if not found:
        raise RecitsError(
            f"scène inconnue : « {ref} » (« recits scenes list » liste les scènes)",
            in_app=f"scène inconnue : « {ref} »",
        )
    if len(found) > 1:
        choices = ", ".join(f"{s.id[:8]} « {s.title} »" for s in found)
        raise RecitsError(f"« {ref} » désigne plusieurs scènes : {choices}")
    return found[0]


def detail(store: Store, ref: str) -> SceneDetail:
    found = store.scene_detail(resolve(store, ref).id)
    assert found is not None
    return found


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise RecitsError("titre de scène vide")
    if len(title) > 120:
        raise RecitsError(f"titre trop long (120 caractères au plus) : « {title[:40]}… »")
    return title


def create(
    store: Store,
    title: str,
    *,
    synopsis: str = "",
    place: str = "",
    time: str = "",
    themes: Sequence[str] = (),
    actor: str | None = None,
) -> Scene:
    known = set(store.code_ids())
    unknown = [t for t in themes if t not in known]
    if unknown:
        raise RecitsError(
            f"code inconnu : « {unknown[0]} » (voir « recits codebook check »)",
            in_app=f"code inconnu : « {unknown[0]} » (voir la grille, F6)",
        )
    return store.add_scene(
        _title(title), status=PROPOSED, synopsis=synopsis.strip(), place=place.strip(),
        time=time.strip(), themes=tuple(dict.fromkeys(themes)), actor=actor,
    )  # fmt: skip


def add_source(
    store: Store,
    scene: Scene,
    document_id: str,
    start_char: int,
    end_char: int,
    *,
    coding_id: str | None = None,
    actor: str | None = None,
) -> SceneSource:
    """A passage of a document (or a coding's) the scene is built from; its speakers become
    characters (by pseudonym)."""
    length = len(store.document_text(document_id))
    if not 0 <= start_char < end_char <= length:
        raise RecitsError(
            f"passage hors du document : {start_char}–{end_char} (le texte compte {length}"
            " caractères)"
        )
    if not store.document_text(document_id)[start_char:end_char].strip():
        raise RecitsError(f"passage vide : {start_char}–{end_char}")
    with store.write():
        source = store.add_scene_source(
            scene.id, document_id, start_char, end_char, coding_id=coding_id, actor=actor
        )
        have = {c.participant_id for c in store.scene_characters(scene.id)}
        for person in speakers_of(store, [source]):
            if person.id not in have:
                store.add_character(scene.id, person.pseudonym, participant_id=person.id)
    return source


def add_character(
    store: Store, scene: Scene, name: str, *, composite: bool = False, description: str = ""
) -> Character:
    """A participant by pseudonym (or alias), or a composite character the team invents."""
    name = " ".join(name.split())
    if not name:
        raise RecitsError("nom de personnage vide")
    if composite:
        return store.add_character(scene.id, name, composite=True, description=description)
    person = resolve_participant(store, name)
    return store.add_character(
        scene.id, person.pseudonym, participant_id=person.id, description=description
    )


# -- whose words, and may the scene move on ----------------------------------------------------
@dataclass(frozen=True)
class Voice:
    """A participant whose words the scene uses, and where their consent stands for it."""

    participant: Participant
    consented: bool  # `bd` consent, and not a speaker « à confirmer »
    validated_on: str | None  # the date they validated the scene, if they did


def speakers_of(store: Store, sources: Sequence[SceneSource]) -> list[Participant]:
    """The participants who speak in the sources (the turns they overlap), in order."""
    people = {p.id: p for p in store.participants()}
    found: dict[str, Participant] = {}
    for source in sources:
        for turn in store.turns(source.document_id):
            overlaps = turn.start_char < source.end_char and source.start_char < turn.end_char
            if overlaps and turn.participant_id in people:
                found.setdefault(turn.participant_id, people[turn.participant_id])
    return list(found.values())


def unattributed(store: Store, sources: Sequence[SceneSource]) -> list[SceneSource]:
    """Sources holding words of a turn without an identified speaker (nobody could consent).
    What lies between turns is a speaker's label, not speech."""
    out = []
    for source in sources:
        for t in store.turns(source.document_id):
            s, e = max(t.start_char, source.start_char), min(t.end_char, source.end_char)
            if (
                s < e
                and t.participant_id is None
                and t.text[s - t.start_char : e - t.start_char].strip()
            ):
                out.append(source)
                break
    return out


def voices(store: Store, detail: SceneDetail) -> list[Voice]:
    validated: dict[str, str] = {}
    for v in detail.validations:
        validated[v.participant_id] = v.validated_on
    return [
        Voice(p, may_quote(p, SCOPE), validated.get(p.id))
        for p in speakers_of(store, detail.sources)
    ]


def peer_validation_required(store: Store) -> bool:
    return store.get_meta(PEER_VALIDATION_KEY) == "oui"


def set_peer_validation(store: Store, required: bool) -> None:
    store.set_meta(PEER_VALIDATION_KEY, "oui" if required else "non")


def blockers(store: Store, detail: SceneDetail, *, for_export: bool = False) -> list[str]:
    """Why the scene may not leave « à valider » (nor be exported): French sentences."""
    out = []
    required = peer_validation_required(store) and not for_export
    for voice in voices(store, detail):
        who = f"« {voice.participant.pseudonym} »"
        if voice.participant.same_label_as is not None:
            out.append(f"{who} est à confirmer (même nom qu'un·e autre participant·e)")
        elif not voice.consented:
            out.append(
                f"{who} n'a pas donné son consentement pour la BD (portée « bd » ;"
                f" consentement actuel : {_consent(voice.participant)})"
            )
        elif required and voice.validated_on is None:
            out.append(f"{who} n'a pas encore validé la scène")
    for source in unattributed(store, detail.sources):
        out.append(
            f"le passage {source.start_char}–{source.end_char} contient des propos sans"
            " locuteur·rice identifié·e"
        )
    return out


def _consent(p: Participant) -> str:
    if p.consent == "accordé" and p.consent_scope:
        return f"accordé ({', '.join(p.consent_scope)})"
    return p.consent


def move(store: Store, ref: str, status: str, *, actor: str | None, note: str = "") -> Scene:
    """Move a scene to another status: forward one step at a time, back freely; past
    « à valider » only when every participant whose words it uses consented for the BD (and
    validated the scene, when the project requires it)."""
    found = detail(store, ref)
    scene, status = found.scene, parse_status(status)
    here, there = STATUSES.index(scene.status), STATUSES.index(status)
    if there == here:
        raise RecitsError(f"la scène « {scene.title} » est déjà « {status} »")
    if there > here + 1:
        raise RecitsError(
            f"« {scene.title} » est « {scene.status} » : passez d'abord par"
            f" « {STATUSES[here + 1]} »"
        )
    if there > STATUSES.index(TO_VALIDATE) and (why := blockers(store, found)):
        raise RecitsError(
            f"« {scene.title} » ne peut pas quitter « {TO_VALIDATE} » : " + " ; ".join(why),
        )
    store.set_scene_status(scene.id, status, scene.status, actor, note.strip())
    moved = store.scene(scene.id)
    assert moved is not None
    return moved


def validate(
    store: Store, ref: str, participant: str, *, date: str | None = None, actor: str | None
) -> tuple[Scene, Participant]:
    """Record that a participant whose words the scene uses validated it, on `date`."""
    found = detail(store, ref)
    person = resolve_participant(store, participant)
    if person.id not in {p.id for p in speakers_of(store, found.sources)}:
        raise RecitsError(
            f"« {person.pseudonym} » ne parle pas dans les sources de « {found.scene.title} » :"
            " seul·e·s celles et ceux dont la scène utilise les propos la valident"
        )
    when = effective_date(date)
    store.add_scene_validation(found.scene.id, person.id, when, actor)
    return found.scene, person


# -- panels --------------------------------------------------------------------------------------
def move_panel(store: Store, scene: Scene, position: int, to: int) -> list[Panel]:
    """Panel number `position` (1-based, reading order) goes to number `to`."""
    panels = store.panels(scene.id)
    for n in (position, to):
        if not 1 <= n <= len(panels):
            raise RecitsError(
                f"vignette {n} inexistante : « {scene.title} » en compte {len(panels)}"
            )
    ids = [p.id for p in panels]
    ids.insert(to - 1, ids.pop(position - 1))
    store.set_panel_order(scene.id, ids)
    return store.panels(scene.id)


def character_for(store: Store, scene: Scene, participant_id: str | None) -> str | None:
    if participant_id is None:
        return None
    for c in store.scene_characters(scene.id):
        if c.participant_id == participant_id:
            return c.id
    person = store.participant(participant_id)
    if person is None:
        return None
    return store.add_character(scene.id, person.pseudonym, participant_id=person.id).id


def source_sentences(store: Store, source: SceneSource) -> list[tuple[int, int, str | None]]:
    """The sentences of a source, each with its speaker's participant id (or None)."""
    text = store.document_text(source.document_id)
    turns = store.turns(source.document_id)
    return [
        (
            start,
            end,
            next((t.participant_id for t in turns if t.start_char <= start < t.end_char), None),
        )
        for start, end in _sentences(text, source, turns)
    ]


def panel_from_sentence(
    store: Store,
    scene: Scene,
    source: SceneSource,
    start: int,
    end: int,
    speaker: str | None,
    *,
    at: int | None = None,
) -> Panel:
    """A new panel whose dialogue line is this sentence, said by its speaker (pseudonym); a
    line the speaker reports (« il m'a dit : « … » ») is a line of its own, given to the person
    quoted when the sentence names them by pseudonym, else to « personne citée »."""
    text = store.document_text(source.document_id)
    pieces = reported_speech.utterances(text, start, end)
    people = {name_key(p.pseudonym): p for p in store.participants() if p.id != speaker}
    finder = NameFinder(p.pseudonym for p in people.values())
    with store.write():
        panel = store.add_panel(scene.id, at=at)
        for piece in pieces:
            if not piece.quoted:
                character = character_for(store, scene, speaker)
            elif name := reported_speech.quoted_name(text, start, end, piece, finder):
                character = character_for(store, scene, people[name_key(name)].id)
            else:
                character = quoted_person(store, scene)
            store.add_line(
                panel.id, text[piece.start : piece.end], character_id=character,
                source_id=source.id,
            )  # fmt: skip
    return panel


def quoted_person(store: Store, scene: Scene) -> str:
    """The scene's « personne citée »: who said a reported line, for the team to set."""
    for c in store.scene_characters(scene.id):
        if c.name == reported_speech.QUOTED_PERSON and c.participant_id is None:
            return c.id
    return store.add_character(scene.id, reported_speech.QUOTED_PERSON).id


def split_source(store: Store, scene: Scene, source: SceneSource) -> list[Panel]:
    """One panel per sentence of the source: the sentence becomes a dialogue line of its
    speaker (by pseudonym); the picture and caption are left for the team to write."""
    with store.write():
        made = [
            panel_from_sentence(store, scene, source, start, end, speaker).id
            for start, end, speaker in source_sentences(store, source)
        ]
    return [p for p in store.panels(scene.id) if p.id in made]


def _sentences(text: str, source: SceneSource, turns: Sequence) -> list[tuple[int, int]]:
    """The sentences of the source, within each speaker turn it overlaps."""
    spans = []
    inside = [t for t in turns if t.start_char < source.end_char and source.start_char < t.end_char]
    for turn in inside or [None]:
        s = max(turn.start_char, source.start_char) if turn else source.start_char
        e = min(turn.end_char, source.end_char) if turn else source.end_char
        spans += reported_speech.keep_quotes_whole(text, sentence_spans(text, s, e))
    return spans
