"""The YAML codebook: loading, validation with file/line/key errors, and a summary."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from recits.errors import InputFileError, RecitsError
from recits.files import read_regular
from recits.models import Code

# libyaml's parser when it is there (ten times faster; the app reads the codebook at start-up).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CODE_KEYS = (
    "id",
    "label",
    "description",
    "include",
    "exclude",
    "examples",
    "patterns",
    "color",
    "parent",
    "children",
)
TOP_KEYS = ("name", "description", "codes")
LIST_KEYS = ("include", "exclude", "examples", "patterns")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_BYTES = 5 * 1024 * 1024
# Nodes once YAML aliases are expanded: the default codebook has about 300.
MAX_NODES = 100_000


class CodebookError(RecitsError):
    """A codebook that cannot be used; one line per problem, each with file and line."""


@dataclass(frozen=True)
class Codebook:
    name: str
    description: str
    path: Path
    sha256: str
    codes: tuple[Code, ...]  # parents before their children, in file order

    def code(self, code_id: str) -> Code | None:
        return next((c for c in self.codes if c.id == code_id), None)

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent_id == code_id]


class _Reader:
    """Walks the YAML node tree so that every error can name its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []
        self.codes: list[Code] = []
        self.lines: dict[str, int] = {}
        self.parents: dict[str, tuple[str, int]] = {}  # child -> (declared parent, line)

    def error(self, node: Node, message: str) -> None:
        self.errors.append(f"{self.path}, ligne {node.start_mark.line + 1} : {message}")

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} doit être une table de clés (clé: valeur)")
            return {}
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
            if key in items:
                self.error(key_node, f"clé « {key} » en double dans {what}")
            elif key not in allowed:
                self.error(
                    key_node,
                    f"clé inconnue « {key} » dans {what} (clés permises : {', '.join(allowed)})",
                )
            else:
                items[key] = value_node
        return items

    def text(self, node: Node | None, what: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what} doit être un texte")
            return ""
        return str(node.value).strip()

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} doit être une liste (lignes commençant par « - »)")
            return ()
        return tuple(
            t for item in node.value if (t := self.text(item, f"chaque élément de {what}"))
        )

    def code(self, node: Node, parent: str | None) -> None:
        fields = self.mapping(node, "un code", CODE_KEYS)
        if not fields and not isinstance(node, MappingNode):
            return
        code_id = self.text(fields.get("id"), "« id »")
        where = f"le code « {code_id} »" if code_id else "un code"
        if not code_id:
            self.error(node, "code sans « id » (un identifiant court comme charge-mentale)")
        elif not SLUG.match(code_id):
            self.error(
                fields["id"],
                f"clé « id » : « {code_id} » n'est pas un identifiant valide (minuscules, chiffres"
                " et tirets, sans accent : ex. reduction-des-risques)",
            )
        elif code_id in self.lines:
            self.error(
                fields["id"],
                f"clé « id » : identifiant « {code_id} » en double (déjà défini ligne"
                f" {self.lines[code_id]})",
            )
        else:
            self.lines[code_id] = node.start_mark.line + 1
        label = self.text(fields.get("label"), f"« label » de {where}")
        if not label:
            self.error(node, f"{where} n'a pas de « label » (son nom affiché)")
        color = self.text(fields.get("color"), f"« color » de {where}") or None
        if color and not COLOR.match(color):
            self.error(
                fields["color"],
                f"clé « color » de {where} : couleur invalide « {color} » (attendu #rrggbb)",
            )
        if "parent" in fields:
            declared = self.text(fields["parent"], f"« parent » de {where}")
            if parent and declared and declared != parent:
                self.error(fields["parent"], f"{where} est déjà l'enfant de « {parent} »")
            parent = parent or declared or None
            if code_id and parent:
                self.parents[code_id] = (parent, fields["parent"].start_mark.line + 1)
        lists = {k: self.texts(fields.get(k), f"« {k} » de {where}") for k in LIST_KEYS}
        self.codes.append(
            Code(
                id=code_id,
                label=label,
                description=self.text(fields.get("description"), f"« description » de {where}"),
                color=color,
                parent_id=parent,
                **lists,
            )
        )
        children = fields.get("children")
        if children is not None and not _is_null(children):
            if not isinstance(children, SequenceNode):
                self.error(children, f"« children » de {where} doit être une liste de codes")
            else:
                for child in children.value:
                    self.code(child, code_id or None)

    def check_parents(self) -> None:
        for code in self.codes:
            if code.parent_id and code.parent_id not in self.lines:
                line = self.parents.get(code.id, ("", self.lines.get(code.id, 0)))[1]
                self.errors.append(
                    f"{self.path}, ligne {line} : clé « parent » : le code « {code.id} » a pour"
                    f" parent « {code.parent_id} », qui n'existe pas"
                )
        parent_of = {c.id: c.parent_id for c in self.codes if c.id}
        for start in parent_of:
            seen = [start]
            current = parent_of.get(start)
            while current:
                if current in seen:
                    cycle = " → ".join([*seen[seen.index(current) :], current])
                    self.errors.append(
                        f"{self.path}, ligne {self.lines.get(start, 0)} : cycle dans les"
                        f" parents : {cycle}"
                    )
                    return
                seen.append(current)
                current = parent_of.get(current)


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def _ordered(codes: list[Code]) -> tuple[Code, ...]:
    """Parents before children, otherwise file order (a `parent:` may point forward)."""
    done: set[str | None] = {None}
    ordered: list[Code] = []
    pending = list(codes)
    while pending:
        ready = [c for c in pending if c.parent_id in done]
        for code in ready:
            ordered.append(code)
            done.add(code.id)
        pending = [c for c in pending if c.id not in done]
    return tuple(ordered)


def _check_aliases(content: str, path: Path) -> None:
    """Refuse what YAML aliases can make of a small file before the node tree is walked: an alias
    inside the very node it names (an endless tree) and an alias bomb (each alias repeats its
    node, so nested ones multiply: a few lines can stand for billions of nodes)."""
    if "&" not in content or "*" not in content:
        return  # no anchor or no alias: nothing to expand (and no second parse at start-up)
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for, once expanded
    open_nodes: list[list[Any]] = []  # [anchor, its nodes so far] of each open collection
    total = 0
    for event in yaml.parse(content, Loader=SAFE_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([event.anchor, 1])
            total += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_nodes:
                open_nodes[-1][1] += size
        elif isinstance(event, yaml.AliasEvent | yaml.ScalarEvent):
            size = 1
            if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_nodes):
                    raise CodebookError(
                        f"{path}, ligne {event.start_mark.line + 1} : l'alias YAML"
                        f" « *{event.anchor} » est à l'intérieur de l'élément « &{event.anchor} »"
                        " qu'il répète (boucle sans fin)"
                    )
                size = sizes.get(event.anchor or "", 1)
            if open_nodes:
                open_nodes[-1][1] += size
            total += size
        if total > MAX_NODES:
            limit = f"{MAX_NODES:,}".replace(",", "\u202f")
            raise CodebookError(
                f"{path}, ligne {event.start_mark.line + 1} : grille refusée, ses alias YAML"
                f" (*nom) la développent en plus de {limit} éléments (bombe d'alias ?)"
            )


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook; CodebookError lists every problem with file and line."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_BYTES, "grille de codage trop volumineuse (plus de 5 Mo)")
    except InputFileError as err:
        missing = err.problem == "fichier introuvable"
        problem = "grille de codage introuvable" if missing else err.problem
        raise CodebookError(f"{path} : {problem}") from None
    return parse_codebook(raw, path)


def parse_codebook(raw: bytes, path: Path) -> Codebook:
    """Validate a codebook's bytes (read from `path`, or about to be written there)."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CodebookError(f"{path} : la grille doit être enregistrée en UTF-8") from err
    try:
        _check_aliases(content, path)
        root = yaml.compose(content, Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        # An unclosed bracket is reported at the end of the file: name where it opened.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise CodebookError(f"{path}{where} : erreur de syntaxe YAML ({problem})") from err
    if root is None:
        raise CodebookError(f"{path} : grille de codage vide")
    reader = _Reader(path)
    top = reader.mapping(root, "la grille", TOP_KEYS)
    codes_node = top.get("codes")
    if codes_node is None or not isinstance(codes_node, SequenceNode) or not codes_node.value:
        reader.error(codes_node or root, "la clé « codes » doit lister au moins un code")
    else:
        for node in codes_node.value:
            reader.code(node, None)
    reader.check_parents()
    if reader.errors:
        raise CodebookError("\n".join(reader.errors))
    return Codebook(
        name=reader.text(top.get("name"), "« name »") or path.stem,
        description=reader.text(top.get("description"), "« description »"),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        codes=_ordered(reader.codes),
    )
