"""REFI-QDA (QDA-XML 1.0) names, GUIDs and validation against the schemas shipped in data/."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from recits.errors import RecitsError

if TYPE_CHECKING:
    from lxml import etree

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMAS = {"project": "refi-qda-project.xsd", "codebook": "refi-qda-codebook.xsd"}
# Ids that are not GUIDs (some tools write their own) get a stable GUID in this namespace.
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NAMESPACE = uuid.UUID("5b0f3c1e-7d2a-4c8e-9a41-2f6d8e1b7c90")


def guid(value: str) -> str:
    """A GUID for any id: a UUID as it is (lower case, without braces), else a stable one."""
    text = value.strip()
    if _CANONICAL.fullmatch(text):
        return text  # recits' own ids: already written as the schema wants them
    try:
        return str(uuid.UUID(text.strip("{}")))
    except ValueError:
        return str(uuid.uuid5(_NAMESPACE, text))


def timestamp(value: str | None = None) -> str:
    """An xsd:dateTime: a stored ISO date-time as it is, or now (UTC)."""
    if value:
        try:
            return datetime.fromisoformat(value).isoformat()
        except ValueError:
            pass
    return datetime.now(UTC).isoformat(timespec="seconds")


@cache
def schema(kind: str) -> etree.XMLSchema:
    """The official schema ("project" or "codebook"), read from the package's data."""
    from lxml import etree

    path = resources.files("recits") / "data" / SCHEMAS[kind]
    return etree.XMLSchema(etree.fromstring(path.read_bytes()))


def validate(kind: str, data: bytes) -> None:
    """Refuse to write a file the schema rejects (a bug in recits, said plainly)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    checker = schema(kind)
    if not checker.validate(etree.fromstring(data, parser)):
        first = checker.error_log[0] if checker.error_log else None
        detail = f"ligne {first.line} : {first.message}" if first else "raison inconnue"
        raise RecitsError(f"fichier REFI-QDA non conforme au schéma ({detail}) : rien écrit")
