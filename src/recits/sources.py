"""Written documents: a published source's reference, or the participant who wrote them."""

from __future__ import annotations

from dataclasses import dataclass

from recits.errors import RecitsError
from recits.models import Document, Participant
from recits.store import Store

MAX_SOURCE = 300


@dataclass(frozen=True)
class SourceChange:
    """What `documents edit` changes; None: left as it is."""

    source: str | None = None  # the new reference; "" removes it
    published: bool | None = None
    author: str | None = None  # a participant (pseudonym, alias or id); "" removes the author


def where(page: int | None, section: str | None) -> str:
    """Where a paragraph sits in a written document: "p. 12 · 2.3 Former les équipes"."""
    parts = [f"p. {page}"] if page is not None else []
    if section:
        parts.append(" ".join(section.split()))
    return " · ".join(parts)


def check_source(source: str) -> str:
    """A reference as it will be printed in attributions: one line, not too long."""
    clean = " ".join(source.split())
    if len(clean) > MAX_SOURCE:
        raise RecitsError(
            f"référence de source trop longue ({len(clean)} caractères, {MAX_SOURCE} au plus)"
        )
    return clean


def check_published(source: str | None, published: bool) -> None:
    if published and not source:
        raise RecitsError(
            "un document publié est cité par sa référence : donnez-la avec --source"
            " (p. ex. « Rapport d'activités 2020-2021, plateforme travail pair AuRA »)",
            in_app="un document publié est cité par sa référence : remplissez « Source »",
        )


def author_of(store: Store, ref: str) -> Participant:
    # participants (consent, masking, the name lists' module) is left out of the app's
    # start-up, which shows sources on the corpus screen: loaded when an author is given.
    from recits.participants import resolve

    return resolve(store, ref)


def check_author(store: Store, document: Document) -> None:
    if store.has_speakers(document.id):
        raise RecitsError(
            f"« {document.title} » a des tours de parole : un·e auteur·rice ne se donne qu'à un"
            " document sans locuteur·rice (rapport, notes, compte rendu)"
        )


def edit_document(
    store: Store, document: Document, change: SourceChange, *, actor: str | None
) -> Document:
    """Change a document's source, published flag or author, in one transaction, each change
    in the audit log; French error and nothing changed when the change makes no sense."""
    source = document.source
    if change.source is not None:
        source = check_source(change.source) or None
    published = document.published if change.published is None else change.published
    check_published(source, published)
    author: Participant | None = None
    if change.author:
        author = author_of(store, change.author)
        check_author(store, document)
    with store.write():
        if (source, published) != (document.source, document.published):
            store.set_document_source(document.id, source=source, published=published, actor=actor)
        if change.author is not None:
            current = store.document_author(document.id)
            wanted = author.id if author else None
            if current != wanted:
                store.set_document_author(document.id, wanted, actor=actor)
    updated = store.document(document.id)
    assert updated is not None
    return updated
