"""A participants register (YAML): pseudonyms, roles, aliases, dated consent and names reviewed,
applied to a project in one transaction (the demo's set-up, or a team's consent register)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recits import names
from recits import participants as people
from recits.errors import InputFileError, RecitsError
from recits.masking import name_key
from recits.store import Store

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Applied:
    """What a register changed."""

    participants: int
    people_added: int
    decisions: int
    names_reviewed: int


def _read(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file():
            raise InputFileError(path, "fichier introuvable (ou pas un fichier ordinaire)")
        if path.stat().st_size > MAX_BYTES:
            raise InputFileError(path, "fichier trop volumineux (plus de 5 Mo)")
        content = path.read_bytes().decode("utf-8-sig")
        data = yaml.safe_load(content)
    except UnicodeDecodeError as err:
        raise InputFileError(path, "le fichier doit être en UTF-8") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise InputFileError(path, f"YAML invalide{where}") from err
    except RecursionError as err:  # an alias that refers to itself
        raise InputFileError(path, "YAML invalide : alias récursif") from err
    if not isinstance(data, dict):
        raise InputFileError(path, "le registre doit être un dictionnaire (participants:, …)")
    unknown = set(data) - {"participants", "people", "names"}
    if unknown:
        raise InputFileError(path, f"clé inconnue : {', '.join(sorted(map(str, unknown)))}")
    return data


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RecitsError(f"« {key} » doit être une liste d'entrées (- clé: valeur)")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise RecitsError(f"« {what} » doit être un texte ou une liste de textes")


def apply_register(store: Store, path: Path, *, actor: str | None = None) -> Applied:
    """Apply the register; all or nothing: an error names the file and the entry."""
    path = Path(path)
    data = _read(path)
    counts = {"participants": 0, "people": 0, "decisions": 0, "names": 0}
    entry = ""
    try:
        with store.write():
            for n, item in enumerate(_items(data, "participants"), start=1):
                entry = f"participants, entrée {n}"
                _participant(store, item, actor, counts)
            for n, item in enumerate(_items(data, "people"), start=1):
                entry = f"people, entrée {n}"
                pseudonym = str(item.get("pseudonym") or "")
                people.add(
                    store, pseudonym, aliases=_strings(item.get("aliases"), "aliases"),
                    role=item.get("role"), actor=actor,
                )  # fmt: skip
                counts["people"] += 1
            reviewed = data.get("names") or {}
            if not isinstance(reviewed, dict):
                raise RecitsError("« names » doit avoir « dismiss: » (liste de noms écartés)")
            for n, item in enumerate(_items(reviewed, "dismiss"), start=1):
                entry = f"names.dismiss, entrée {n}"
                names.dismiss(
                    store, str(item.get("name") or ""), reason=str(item.get("reason") or ""),
                    actor=actor,
                )  # fmt: skip
                counts["names"] += 1
    except RecitsError as err:
        raise InputFileError(path, f"{entry} : {err}") from err
    return Applied(counts["participants"], counts["people"], counts["decisions"], counts["names"])


def _participant(store: Store, item: dict[str, Any], actor: str | None, counts: dict) -> None:
    name = str(item.get("name") or "")
    if not name.strip():
        raise RecitsError("« name » manquant : le nom écrit dans les transcriptions")
    current = people.resolve(store, name)
    pseudonym = item.get("pseudonym")
    aliases = _strings(item.get("aliases"), "aliases")
    if pseudonym and name_key(str(pseudonym)) != name_key(current.pseudonym):
        current = people.rename(store, current.id, str(pseudonym), aliases=aliases, actor=actor)
    elif aliases:
        current = people.add_aliases(store, current.id, aliases, actor=actor)
    if item.get("role"):
        people.set_role(store, current.id, str(item["role"]), actor=actor)
    consent = item.get("consent") or []
    if not isinstance(consent, list):
        raise RecitsError("« consent » doit être une liste de décisions (decision, scope, date)")
    for decision in consent:
        if not isinstance(decision, dict):
            raise RecitsError("chaque décision de « consent » : decision, scope, date")
        date = decision.get("date")
        people.set_consent(
            store, current.id, str(decision.get("decision") or ""),
            scope=_strings(decision.get("scope"), "scope"),
            date=str(date) if date is not None else None, actor=actor,
        )  # fmt: skip
        counts["decisions"] += 1
    counts["participants"] += 1
