"""Who a speaker label is: one participant per person, linked across documents when told so."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from recits.errors import RecitsError
from recits.masking import name_key
from recits.models import NewSpeaker, ParsedDocument, Participant, SpeakerPlan
from recits.store import Store


@dataclass(frozen=True)
class Link:
    """One entry of `--participants`: the label `label` in the imported documents is the
    participant `ref` (a pseudonym, alias or id); without `ref`, the participant of that name."""

    label: str
    ref: str | None = None


def parse_links(entries: Iterable[str]) -> tuple[Link, ...]:
    """`("Karim=Karim B.", "Nadia")` -> links; French error on an empty side."""
    links: list[Link] = []
    for entry in entries:
        entry = " ".join(entry.split())
        if not entry:
            continue
        label, sep, ref = (part.strip() for part in entry.partition("="))
        if not label or not any(c.isalnum() for c in label) or (sep and not ref):
            raise RecitsError(
                f"--participants : « {entry} » n'est ni un nom ni « ÉTIQUETTE=PSEUDONYME »"
                ' (ex. : --participants "Karim=Karim B.,Nadia")'
            )
        links.append(Link(label, ref or None))
    return tuple(links)


def _names(p: Participant, labels: Mapping[str, tuple[str, ...]]) -> set[str]:
    return {name_key(n) for n in (p.pseudonym, *p.aliases, *labels.get(p.id, ()))}


def _by_ref(people: Sequence[Participant], ref: str) -> list[Participant]:
    """Participants a reference names: id, pseudonym or alias (as `participants.resolve`)."""
    key = name_key(ref)
    found = [p for p in people if p.id == ref]
    found = found or [p for p in people if name_key(p.pseudonym) == key]
    found = found or [p for p in people if key in {name_key(a) for a in p.aliases}]
    if not found and len(ref) >= 4:
        found = [p for p in people if p.id.startswith(ref)]
    return found


def resolve_link(people: Sequence[Participant], link: Link) -> Participant:
    """The participant a `label=ref` link names; French error when none or several."""
    assert link.ref is not None
    found = _by_ref(people, link.ref)
    if not found:
        raise RecitsError(
            f"--participants : « {link.ref} » n'est pas un·e participant·e connu·e"
            " (« recits participants » liste les pseudonymes)"
        )
    if len(found) > 1:
        choices = ", ".join(f"{p.id[:8]} « {p.pseudonym} »" for p in found)
        raise RecitsError(
            f"--participants : « {link.ref} » désigne plusieurs personnes : {choices}"
        )
    return found[0]


def check_links(store: Store, links: Sequence[Link]) -> None:
    """Refuse, before anything is imported, a link to nobody or to several people."""
    people = store.participants()
    for link in links:
        if link.ref is not None:
            resolve_link(people, link)


PLACEHOLDER = "Locuteur·rice {n}"


def is_placeholder(pseudonym: str) -> bool:
    head, _sep, number = pseudonym.rpartition(" ")
    return head == PLACEHOLDER.rpartition(" ")[0] and number.isdigit()


class Speakers:
    """The participants' names by key, read once per import and kept up to date through it
    (read again only when another connection wrote in between)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._version: int | None = None
        self._next = 2  # the next placeholder number to try

    def _load(self) -> None:
        version = self.store.data_version()
        if version == self._version:
            return
        self._version = version
        self.people = {p.id: p for p in self.store.participants()}
        labels = self.store.speaker_labels()
        self.known: dict[str, dict[str, Participant]] = {}
        for p in self.people.values():
            for key in _names(p, labels):
                self.known.setdefault(key, {})[p.id] = p

    def placeholder(self, taken: set[str]) -> str:
        """A pseudonym for a speaker whose label is already someone's name: "Locuteur·rice 2",
        "Locuteur·rice 3"…, neither anyone's name nor `taken`. It holds no real name, so that no
        name check ever finds one in it, whatever the team decides later."""
        while (key := name_key(PLACEHOLDER.format(n=self._next))) in taken or key in self.known:
            self._next += 1
        return PLACEHOLDER.format(n=self._next)

    def plan(
        self,
        parsed: ParsedDocument,
        links: Sequence[Link] = (),
        listed: Sequence[str] = (),
        previous: str | None = None,
    ) -> SpeakerPlan:
        """Which participant each speaker of `parsed` is; call inside the import's transaction,
        then `learn` the plan once the document is stored.

        Labels with one name key are one person within a document ("Zoé", "ZOE"), and in a new
        version of the `previous` document. A label that is already someone's name (pseudonym,
        alias or label in another document) is that person only when a link says so;
        otherwise it is a new participant flagged as sharing their name. `listed` are names
        said to take part (the file's metadata): created when nobody has them.
        """
        self._load()
        linked: dict[str, str] = {}
        if previous is not None:  # a new version of one transcript: the same people
            for label, participant_id in self.store.document_labels(previous).items():
                if participant_id in self.people:
                    linked.setdefault(name_key(label), participant_id)
        confirmed: set[str] = set()
        for link in links:
            if link.ref is not None:
                linked[name_key(link.label)] = resolve_link(list(self.people.values()), link).id
            else:
                confirmed.add(name_key(link.label))
        taken: set[str] = set()  # the pseudonyms this plan gives
        ids: dict[str, str] = {}  # name key -> participant id
        out: list[tuple[str, str]] = []
        new: list[NewSpeaker] = []
        speakers = {t.speaker: None for t in parsed.turns if t.speaker}
        extra = [link.label for link in links if link.ref is None] + list(listed)
        for label in dict.fromkeys([*speakers, *extra]):
            key = name_key(label)
            if not key:
                continue
            speaks = label in speakers
            if key not in ids:
                same = list(self.known.get(key, {}).values())
                if key in linked:
                    ids[key] = linked[key]
                elif same and key in confirmed:
                    ids[key] = _the_one(label, same).id
                elif same and not speaks:
                    continue  # named in the metadata, silent here: nothing to link
                else:
                    pseudonym = self.placeholder(taken) if same else label
                    taken.add(name_key(pseudonym))
                    flag = _the_one(label, same, strict=False).id if same else None
                    new.append(NewSpeaker(str(uuid.uuid4()), pseudonym, flag))
                    ids[key] = new[-1].id
            if speaks:
                out.append((label, ids[key]))
        return SpeakerPlan(tuple(out), tuple(new))

    def learn(self, plan: SpeakerPlan) -> None:
        """The plan's document is stored: its new participants and labels are names now."""
        for s in plan.new:
            p = Participant(s.id, s.pseudonym, None, (), "inconnu", (), None, s.same_label_as)
            self.people[p.id] = p
            self.known.setdefault(name_key(p.pseudonym), {})[p.id] = p
        for label, participant_id in plan.ids:
            self.known.setdefault(name_key(label), {})[participant_id] = self.people[participant_id]


def plan(
    store: Store, parsed: ParsedDocument, links: Sequence[Link] = (), listed: Sequence[str] = ()
) -> SpeakerPlan:
    """`Speakers.plan` for one document (inside its transaction)."""
    return Speakers(store).plan(parsed, links, listed)


def _the_one(label: str, same: list[Participant], *, strict: bool = True) -> Participant:
    """Of the participants who have this name, the one it means: those already confirmed
    first; several confirmed people with one name need a `label=pseudonym` link."""
    unique = list({p.id: p for p in same}.values())
    settled = [p for p in unique if p.same_label_as is None] or unique
    if strict and len(settled) > 1:
        choices = ", ".join(f"« {p.pseudonym} »" for p in settled)
        raise RecitsError(
            f"--participants : « {label} » est le nom de plusieurs personnes ({choices}) :"
            f" précisez laquelle avec « {label}=PSEUDONYME »"
        )
    return settled[0]
