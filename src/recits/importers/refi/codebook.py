"""A REFI-QDA codebook merged into the project's YAML: existing codes kept, new ones added
(with their parent, colour and description), the file's comments and layout untouched."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from recits.codebook import Codebook
from recits.importers.refi.reading import RefiCode
from recits.masking import name_key


@dataclass(frozen=True)
class Merge:
    """Each REFI code's project code id, and the codes to add (parents first)."""

    ids: dict[str, str]  # REFI guid -> code id
    added: tuple[dict[str, str], ...]  # YAML entries: id, label, parent, color, description


def slug(label: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "code"


def merge(codebook: Codebook, uuids: dict[str, str], codes: Sequence[RefiCode]) -> Merge:
    """Match each code by GUID, then by label; the others are new, with a free slug."""
    by_uuid = {u.lower(): code_id for code_id, u in uuids.items()}
    by_label = {name_key(c.label): c.id for c in codebook.codes}
    taken = {c.id for c in codebook.codes}
    ids: dict[str, str] = {}
    added: list[dict[str, str]] = []
    for code in codes:
        found = by_uuid.get(code.guid) or by_label.get(name_key(code.name))
        if found is None:
            base = slug(code.name)
            found, n = base, 2
            while found in taken:
                found, n = f"{base}-{n}", n + 1
            taken.add(found)
            by_label[name_key(code.name)] = found
            entry = {"id": found, "label": code.name}
            if code.parent and code.parent in ids:
                entry["parent"] = ids[code.parent]
            if code.color:
                entry["color"] = code.color
            if code.description:
                entry["description"] = code.description
            added.append(entry)
        ids[code.guid] = found
    return Merge(ids, tuple(added))


def with_codes(content: str, added: Sequence[dict[str, str]]) -> str:
    """The YAML text with the new codes at the end of `codes:` (appended as text when `codes:`
    is the file's last key, so comments stay; otherwise the file is written again)."""
    if not added:
        return content
    keys = list(re.finditer(r"^([A-Za-z_]+)\s*:", content, re.MULTILINE))
    items = re.findall(r"^( *)- ", content[keys[-1].end() :], re.MULTILINE) if keys else []
    if keys and keys[-1].group(1) == "codes" and items:
        indent = items[0]
        dumped = yaml.safe_dump(list(added), allow_unicode=True, sort_keys=False, width=88)
        block = "".join(indent + line if line else line for line in dumped.splitlines(True))
        head = content if content.endswith("\n") else content + "\n"
        return f"{head}{indent}# Codes ajoutés par un import REFI-QDA\n{block}"
    data = yaml.safe_load(content) or {}
    data.setdefault("codes", []).extend(added)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
