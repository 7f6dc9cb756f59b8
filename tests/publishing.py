"""A small project to publish from: two documents, three speakers, codings, detected names."""

from __future__ import annotations

from dataclasses import dataclass

from recits.models import Entity, NewCoding, StoredAnalysis
from recits.project import Project
from recits.store import Store
from tests.conftest import add_doc, parsed

MEETING = (
    ("Nadia", "Moi je suis arrivée au CAARUD en 2018 ; Karim m'a aidée."
              " C'est dur : on est pair 24h/24 !"),
    ("Karim", "Oui, Nadia a raison. On porte tout ça le soir, à la maison."),
    ("Claire", "Merci Nadia. Rachid, tu veux ajouter quelque chose ?"),
)  # fmt: skip
INTERVIEW = (
    ("Nadia", "La formation, on me l'a proposée tard, et sans diplôme on m'a dit non."),
    ("Nadia", "Ensuite j'ai croisé Bruno au comptoir, il m'a dit de tenir bon."),
)


@dataclass(frozen=True)
class Corpus:
    meeting: str  # document ids
    interview: str
    nadia_turn: tuple[int, int]  # offsets of Nadia's first turn in the meeting


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def entities(store: Store, document_id: str, names: list[str]) -> None:
    """Store a (fake) analysis holding these person names, as `recits analyse` would."""
    text = store.document_text(document_id)
    found = [Entity(document_id, *span(text, n), "PER", n) for n in names]
    analysis = StoredAnalysis(document_id, f"test-{document_id}", "test", (), b"", 0)
    store.save_analysis(analysis, [], found, {})


def build(project: Project, *, review_names: bool = True) -> Corpus:
    """Nadia consents (articles) as "Aurore"; Karim refuses as "Yanis"; Claire never answered.

    "Rachid" and "Bruno" are detected names; Bruno (quoted by Nadia) is attached to a new
    person "Léon" unless `review_names` is False, and then blocks every export that quotes him.
    """
    from recits import participants as people

    with project.store() as store:
        meeting = add_doc(
            store, parsed(*MEETING), "Réunion", kind="réunion du collectif", date="2021-03-16"
        )
        interview = add_doc(
            store, parsed(*INTERVIEW), "Entretien", date="2021-04-12", same=("Nadia",)
        )
        m_text = store.document_text(meeting.id)
        i_text = store.document_text(interview.id)
        nadia = span(m_text, MEETING[0][1])
        karim = span(m_text, MEETING[1][1])
        store.add_codings(
            [
                NewCoding(meeting.id, *nadia, "charge-mentale", "Claire"),
                NewCoding(meeting.id, *karim, "charge-mentale", "Claire"),
                NewCoding(meeting.id, nadia[0], karim[1], "legitimite", "Samia"),
                # Both of Nadia's interview turns: the label "Nadia : " lies in between.
                NewCoding(interview.id, 0, len(i_text.rstrip("\n")), "formation", "Claire"),
                NewCoding(interview.id, *span(i_text, "La formation, on me"), "formation", "Samia"),
            ]
        )
        entities(store, meeting.id, ["Rachid"])
        entities(store, interview.id, ["Bruno"])
        if review_names:
            people.add(store, "Léon", aliases=["Bruno"], role="ami")
        people.rename(store, "Nadia", "Aurore", aliases=["Nadou"], role="travailleuse paire")
        people.set_consent(store, "Aurore", "accordé", scope="articles", date="2021-03-01")
        people.rename(store, "Karim", "Yanis", role="travailleur pair")
        people.set_consent(store, "Yanis", "refusé")
    return Corpus(meeting.id, interview.id, nadia)
