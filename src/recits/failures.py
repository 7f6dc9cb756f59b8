"""What the store reports went wrong, as typed errors carrying its data, and their French wording.

The store raises these with the facts (which kind of row, which reference, which choices);
the sentences a user reads, which may name a command or a screen, are written here, above it.
Each is a RecitsError, so the CLI and the app show them as they show any other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from recits.errors import RecitsError

RowKind = Literal["document", "coding", "participant", "coder"]
_NOT_FOUND = {
    "document": "document inconnu",
    "coding": "extrait codé introuvable",
    "participant": "participant·e introuvable",
    "coder": "codeur·euse introuvable",
}
ChoiceKind = Literal["decision", "origin", "memo_target"]
_UNKNOWN = {
    "decision": "décision inconnue", "origin": "origine inconnue",
    "memo_target": "cible de mémo inconnue",
}  # fmt: skip


def _restore(cls: type, message: str, state: dict[str, Any]) -> RecitsError:
    failure = cls.__new__(cls, message)
    Exception.__init__(failure, message)
    failure.__dict__.update(state)
    return failure


class Failure(RecitsError):
    """A typed failure: its fields say what happened, its message says it in French."""

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries with its fields
        return (_restore, (type(self), str(self), dict(self.__dict__)))


class NotFound(Failure):
    """No live row of this kind has this id."""

    def __init__(self, kind: RowKind, ref: str) -> None:
        self.kind, self.ref = kind, ref
        super().__init__(f"{_NOT_FOUND[kind]} : {ref}")


class DocumentNotFound(Failure):
    """No live document answers to what the user typed (id, id prefix or exact title)."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(
            f"document introuvable : « {ref} » (donnez un identifiant, un début"
            " d'identifiant ou le titre exact ; « recits documents » les liste)"
        )


class AmbiguousDocument(Failure):
    """Several live documents answer to what the user typed: `choices` are (id, title)."""

    def __init__(self, ref: str, choices: Sequence[tuple[str, str]]) -> None:
        self.ref, self.choices = ref, tuple(choices)
        listed = ", ".join(f"{id_[:8]} « {title} »" for id_, title in self.choices[:5])
        super().__init__(f"« {ref} » désigne plusieurs documents : {listed}")


class ConflictNotSingled(Failure):
    """A conflict prefix that matches no open conflict, or more than one (`matches`)."""

    def __init__(self, prefix: str, matches: int) -> None:
        self.prefix, self.matches = prefix, matches
        found = "aucun conflit ouvert" if not matches else f"{matches} conflits ouverts"
        super().__init__(f"conflit « {prefix} » : {found} avec cet identifiant")


class UnknownChoice(Failure):
    """A value outside the fixed list it must come from (a decision, a coding's origin)."""

    def __init__(self, kind: ChoiceKind, value: str, choices: Sequence[str]) -> None:
        self.kind, self.value, self.choices = kind, value, tuple(choices)
        super().__init__(f"{_UNKNOWN[kind]} : « {value} » ({', '.join(self.choices)})")


class UnknownCode(Failure):
    """A coding names a code the project does not have (any more)."""

    def __init__(self, code_id: str) -> None:
        self.code_id = code_id
        super().__init__(
            f"code inconnu : « {code_id} » (voir « recits codebook check »)",
            in_app=f"code inconnu : « {code_id} » (la grille, F6, dit ce qui a changé ;"
            " r l'y recharge)",
        )


class BadSpan(Failure):
    """A span outside its document, or empty: 0 ≤ start < end ≤ length does not hold."""

    def __init__(self, start: int, end: int, length: int) -> None:
        self.start, self.end, self.length = start, end, length
        super().__init__(
            f"position invalide : {start}–{end} (le document fait {length} caractères ;"
            " il faut 0 ≤ début < fin ≤ longueur)"
        )


class MissingCoder(Failure):
    """A coding or a decision with nobody's name on it."""

    def __init__(self) -> None:
        super().__init__(
            "codeur·euse manquant·e : donnez un nom avec --coder",
            in_app="codeur·euse manquant·e : quittez (ctrl+q) et relancez l'application pour"
            " donner votre prénom",
        )


class CodeIdTaken(Failure):
    """A code cannot take an id that a live code already has."""

    def __init__(self, code_id: str) -> None:
        self.code_id = code_id
        super().__init__(f"l'identifiant « {code_id} » est déjà pris : choisissez-en un autre")


@dataclass(frozen=True)
class CodeUse:
    """A code's live codings, counted per document title."""

    code_id: str
    places: tuple[tuple[str, int], ...]  # (document title, codings), by title

    @property
    def total(self) -> int:
        return sum(n for _title, n in self.places)


def used_in(use: CodeUse) -> str:
    """« le code « id » a N extrait(s) codé(s) : « titre » (n), … »"""
    where = ", ".join(f"« {title} » ({n})" for title, n in use.places)
    return f"le code « {use.code_id} » a {use.total} extrait(s) codé(s) : {where}"


class CodesStillUsed(Failure):
    """The codebook drops codes that still have codings: nothing changed."""

    def __init__(self, uses: Sequence[CodeUse]) -> None:
        self.uses = tuple(uses)
        lines = [f"- {used_in(u)}" for u in self.uses]
        super().__init__(
            "la grille de codage retire des codes encore utilisés ; remettez-les dans la"
            " grille ou supprimez d'abord ces extraits codés :\n" + "\n".join(lines)
        )


class SelfMerge(Failure):
    """A participant merged into themself."""

    def __init__(self, participant_id: str) -> None:
        self.participant_id = participant_id
        super().__init__("une personne ne peut pas être fusionnée avec elle-même")


class NothingToSplit(Failure):
    """The participant has no turn in the document they would be split from."""

    def __init__(self, participant_id: str, document_id: str) -> None:
        self.participant_id, self.document_id = participant_id, document_id
        super().__init__("aucun tour de parole à séparer dans ce document")


class EmptyQuery(Failure):
    """A search made only of punctuation or spaces."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"recherche vide : « {query} » ne contient aucun mot")


class UnreadableDatabase(Failure):
    """The project's database file cannot be opened as SQLite (`detail` says why)."""

    def __init__(self, path: str | Path, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"{path} : base de données illisible ({detail})")
