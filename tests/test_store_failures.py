"""What the store refuses: a typed failure that says what happened (kind, reference, choices),
worded in French above the store exactly as users have read it, and nothing written."""

from __future__ import annotations

import pytest

from recits.errors import RecitsError, app_message
from recits.failures import (
    AmbiguousDocument,
    BadSpan,
    CodeIdTaken,
    CodesStillUsed,
    ConflictNotSingled,
    DocumentNotFound,
    EmptyQuery,
    MissingCoder,
    NotFound,
    NothingToSplit,
    SelfMerge,
    UnknownChoice,
    UnknownCode,
    UnreadableDatabase,
)
from recits.models import NewCoding
from recits.store import Store
from tests.conftest import add_doc, db_snapshot, parsed

TALK = parsed(("Nadia", "On a parlé du DU."), ("Karim", "Et de la paie, surtout."))


@pytest.fixture
def store(project):
    with project.store() as s:
        project.sync_codebook(s)
        yield s


def refused(project, failure: type[RecitsError], call) -> RecitsError:
    """The call raises this failure (a RecitsError, for every caller that catches those) and
    the database is byte for byte what it was."""
    before = db_snapshot(project.db_path)
    with pytest.raises(failure) as caught:
        call()
    assert isinstance(caught.value, RecitsError)
    assert db_snapshot(project.db_path) == before
    return caught.value


def test_documents_not_found_or_ambiguous(project, store):
    first = add_doc(store, TALK, "Réunion de mars")
    second = add_doc(store, TALK, "Réunion de mai", sha256="autre" * 8)
    err = refused(project, DocumentNotFound, lambda: store.resolve_document("juin"))
    assert err.ref == "juin"
    assert str(err) == (
        "document introuvable : « juin » (donnez un identifiant, un début d'identifiant ou le"
        " titre exact ; « recits documents » les liste)"
    )
    assert store.resolve_document(second.id[:8]) == second and first != second
    err = refused(project, NotFound, lambda: store.document_text("nulle-part"))
    assert (err.kind, err.ref, str(err)) == (
        "document",
        "nulle-part",
        "document inconnu : nulle-part",
    )


def test_same_title_twice_names_both_documents(project, store):
    first = add_doc(store, TALK, "Réunion")
    second = add_doc(store, TALK, "Réunion", sha256="autre" * 8)
    err = refused(project, AmbiguousDocument, lambda: store.resolve_document("Réunion"))
    assert sorted(err.choices) == sorted([(first.id, "Réunion"), (second.id, "Réunion")])
    listed = [f"{i[:8]} « Réunion »" for i, _t in err.choices]
    assert str(err) == f"« Réunion » désigne plusieurs documents : {', '.join(listed)}"


def test_codings_refused_with_what_was_wrong(project, store):
    doc = add_doc(store, TALK)
    length = len(store.document_text(doc.id))
    err = refused(
        project, BadSpan, lambda: store.add_coding(NewCoding(doc.id, 4, 2, "formation", "Claire"))
    )
    assert (err.start, err.end, err.length) == (4, 2, length)
    assert str(err) == (
        f"position invalide : 4–2 (le document fait {length} caractères ;"
        " il faut 0 ≤ début < fin ≤ longueur)"
    )
    err = refused(
        project, UnknownCode, lambda: store.add_coding(NewCoding(doc.id, 0, 4, "paie", "Claire"))
    )
    assert err.code_id == "paie"
    assert str(err) == "code inconnu : « paie » (voir « recits codebook check »)"
    assert (
        app_message(err)
        == "code inconnu : « paie » (la grille, F6, dit ce qui a changé ; r l'y recharge)"
    )
    robot = NewCoding(doc.id, 0, 4, "formation", "Claire", origin="robot")
    err = refused(project, UnknownChoice, lambda: store.add_coding(robot))
    assert (err.kind, err.value, err.choices) == ("origin", "robot", ("manual", "suggestion"))
    assert str(err) == "origine inconnue : « robot » (manual, suggestion)"
    nobody = NewCoding(doc.id, 0, 4, "formation", " ")
    err = refused(project, MissingCoder, lambda: store.add_coding(nobody))
    assert str(err) == "codeur·euse manquant·e : donnez un nom avec --coder"
    assert "--" not in app_message(err)
    for call in (
        lambda: store.remove_coding("c-0", by="Claire"),
        lambda: store.restore_coding("c-0", by="Claire"),
        lambda: store.set_coding_memo("c-0", "note", by="Claire"),
    ):
        err = refused(project, NotFound, call)
        assert (err.kind, str(err)) == ("coding", "extrait codé introuvable : c-0")


def test_a_codebook_dropping_used_codes_says_where_they_are(project, store):
    doc = add_doc(store, TALK, "Réunion de mars")
    store.add_codings(
        [
            NewCoding(doc.id, 0, 4, "formation", "Claire"),
            NewCoding(doc.id, 5, 9, "formation", "Léo"),
        ]
    )
    kept = [c for c in store.codes() if c.id != "formation"]
    err = refused(project, CodesStillUsed, lambda: store.sync_codes(kept))
    assert [(u.code_id, u.places, u.total) for u in err.uses] == [
        ("formation", (("Réunion de mars", 2),), 2)
    ]
    assert str(err) == (
        "la grille de codage retire des codes encore utilisés ; remettez-les dans la grille ou"
        " supprimez d'abord ces extraits codés :\n"
        "- le code « formation » a 2 extrait(s) codé(s) : « Réunion de mars » (2)"
    )
    assert store.code_usage("formation") == err.uses[0]
    assert store.code_usage("legitimite").places == ()


def test_a_code_id_already_taken(project, store):
    def rename():
        with store.write():
            store.rename_code("formation", "legitimite")

    err = refused(project, CodeIdTaken, rename)
    assert err.code_id == "legitimite"
    assert str(err) == "l'identifiant « legitimite » est déjà pris : choisissez-en un autre"


def test_decisions_participants_coders_conflicts_and_searches(project, store):
    doc = add_doc(store, TALK)
    nadia = store.participants()[0].id
    err = refused(project, UnknownChoice, lambda: store.decide(None, "Claire", "peut-être"))
    assert (err.kind, err.value) == ("decision", "peut-être")
    assert str(err) == f"décision inconnue : « peut-être » ({', '.join(err.choices)})"
    assert "accept" in err.choices
    err = refused(
        project,
        NotFound,
        lambda: store.update_participant("p-0", actor="Claire", action="edit", role="x"),
    )
    assert (err.kind, str(err)) == ("participant", "participant·e introuvable : p-0")
    err = refused(
        project,
        NotFound,
        lambda: store.record_consent("p-0", "accordé", ["articles"], None, "Claire"),
    )
    assert str(err) == "participant·e introuvable : p-0"
    err = refused(
        project,
        SelfMerge,
        lambda: store.merge_participants(
            nadia, nadia, aliases=(), role=None, same_label_as=None, actor="Claire"
        ),
    )
    assert str(err) == "une personne ne peut pas être fusionnée avec elle-même"
    other = add_doc(store, parsed(("Samia", "Bonjour.")), "Autre", sha256="autre" * 8)
    err = refused(
        project,
        NothingToSplit,
        lambda: store.split_participant(
            nadia, other.id, "p-new", "Nadia 2", clear_flag=False, actor="Claire"
        ),
    )
    assert (err.participant_id, err.document_id) == (nadia, other.id)
    assert str(err) == "aucun tour de parole à séparer dans ce document"
    assert doc.id != other.id
    err = refused(project, NotFound, lambda: store.rename_coder("k-0", "Zoé"))
    assert (err.kind, str(err)) == ("coder", "codeur·euse introuvable : k-0")
    err = refused(project, ConflictNotSingled, lambda: store.settle_conflict("abc", "Claire"))
    assert (err.prefix, err.matches) == ("abc", 0)
    assert str(err) == "conflit « abc » : aucun conflit ouvert avec cet identifiant"
    assert (
        str(ConflictNotSingled("", 3)) == "conflit «  » : 3 conflits ouverts avec cet identifiant"
    )
    err = refused(project, EmptyQuery, lambda: store.search(' " ; '))
    assert str(err) == 'recherche vide : «  " ;  » ne contient aucun mot'


def test_an_unreadable_database_names_its_file(tmp_path):
    path = tmp_path / "recits.db"
    path.write_bytes(b"pas une base SQLite" * 100)
    with pytest.raises(UnreadableDatabase) as caught:
        Store(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path} : base de données illisible ({caught.value.detail})"
    assert caught.value.detail == "file is not a database"
