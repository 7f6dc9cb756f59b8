"""The codebook YAML edited in place: ruamel.yaml's round trip keeps the comments and order."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    ScalarString,
)
from ruamel.yaml.tokens import CommentToken

from recits.codebook import CODE_KEYS
from recits.errors import RecitsError

FOLD_WIDTH = 72  # a new long description is folded (>-) at this width, as the team writes them


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the team's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class _Place:
    """Where a code's mapping sits: its list (`codes:` or a parent's `children:`) and index."""

    seq: CommentedSeq
    index: int
    node: CommentedMap
    parent_id: str | None
    depth: int  # how deep its list is nested in the file (0: `codes:`)


class CodebookDocument:
    """One codebook file's YAML tree; `text()` gives it back, untouched where nothing changed."""

    def __init__(self, text: str) -> None:
        self.bom = text.startswith("\ufeff")
        self.crlf = "\r\n" in text
        try:
            self.data = _yaml().load(text.lstrip("\ufeff").replace("\r\n", "\n"))
        except Exception as err:  # the loader has read this file already: rare
            raise RecitsError(f"grille de codage illisible pour l'écriture ({err})") from err
        if not isinstance(self.data, CommentedMap) or not isinstance(
            self.data.get("codes"), CommentedSeq
        ):
            raise RecitsError("grille de codage sans liste « codes » : rien à modifier")
        # The lines after the last code end the file, whatever moves.
        self.tail = _lead_comments(self.data["codes"], self.data, "codes")

    def text(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.data, out)
        text = out.getvalue() + self.tail
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text

    # -- finding ----------------------------------------------------------------------------
    def _walk(self, seq: CommentedSeq, parent: str | None, depth: int = 0) -> list[_Place]:
        places: list[_Place] = []
        for index, node in enumerate(seq):
            if not isinstance(node, CommentedMap):
                continue
            declared = node.get("parent")
            declared_id = str(declared) if declared else None
            places.append(_Place(seq, index, node, parent or declared_id, depth))
            children = node.get("children")
            if isinstance(children, CommentedSeq):
                places.extend(self._walk(children, str(node.get("id")), depth + 1))
        return places

    def place(self, code_id: str) -> _Place:
        for place in self._walk(self.data["codes"], None):
            if str(place.node.get("id")) == code_id:
                return place
        raise RecitsError(f"code inconnu : « {code_id} »")

    # -- editing ----------------------------------------------------------------------------
    def set_field(self, code_id: str, key: str, value: Any) -> None:
        """Set a code's field in place (its line comment stays); None removes it."""
        node = self.place(code_id).node
        if value is None:
            node.pop(key, None)
            return
        if key in node:
            node[key] = _styled(key, value, node[key])
            return
        order = [k for k in CODE_KEYS if k != "children"] + ["children"]
        rank = order.index(key)
        position = sum(1 for k in node if k in order and order.index(k) < rank)
        node.insert(position, key, _styled(key, value, None))

    def add_code(
        self, fields: dict[str, Any], *, parent_id: str | None, after: str | None = None
    ) -> None:
        """A new code: after the code `after` in its list, or last under `parent_id`."""
        node = CommentedMap()
        for key in CODE_KEYS:
            if fields.get(key) not in (None, "", ()):
                node[key] = _styled(key, fields[key], None)
        if after is not None:
            place = self.place(after)
            place.seq.insert(place.index + 1, node)
        else:
            self._children(parent_id).append(node)

    def detach(self, code_id: str, *, keep_comments: bool = False) -> tuple[CommentedMap, Any]:
        """Take a code out of its list, with the comment lines written just above it; with
        `keep_comments` (the code leaves the codebook) they stay where they were, above the
        next code."""
        place = self.place(code_id)
        comment = place.seq.ca.items.get(place.index)
        del place.seq[place.index]
        if keep_comments and comment is not None and comment[1]:
            _keep(place.seq, place.index, comment[1])
            comment = None
        place.node.pop("parent", None)
        if not place.seq and place.seq is not self.data["codes"]:
            place.seq.fa.set_flow_style()  # an empty `children: []`, as the team writes it
        return place.node, comment

    def attach(self, node: CommentedMap, comment: Any, parent_id: str | None) -> None:
        seq = self._children(parent_id)
        seq.append(node)
        if comment is not None and comment[1]:
            # The lines above it, indented as its new list (2 spaces, 4 more per level).
            column = 2 + 4 * (self.place(parent_id).depth + 1 if parent_id else 0)
            lines = [CommentToken(t.value, CommentMark(column if t.value.strip() else 0), None)
                     for t in comment[1]]  # fmt: skip
            seq.ca.items[len(seq) - 1] = [None, lines, None, None]

    def _children(self, parent_id: str | None) -> CommentedSeq:
        if parent_id is None:
            return self.data["codes"]
        node = self.place(parent_id).node
        children = node.get("children")
        if not isinstance(children, CommentedSeq):
            children = CommentedSeq()
            self.set_field(parent_id, "children", children)
            children = node["children"]
        children.fa.set_block_style()
        return children


def _styled(key: str, value: Any, old: Any) -> Any:
    """A new value written the way the file writes that field."""
    if isinstance(value, CommentedSeq):
        return value
    if isinstance(value, list | tuple):
        return _list(key, value, old)
    if key == "color":
        return DoubleQuotedScalarString(value)  # « # » would start a comment
    text = str(value)
    if key == "description" and (isinstance(old, FoldedScalarString) or len(text) > FOLD_WIDTH):
        return _folded(text)
    if isinstance(old, ScalarString) and "\n" not in text:
        return type(old)(text)  # same quotes as before
    return text


def _list(key: str, items: Sequence[str], old: Any) -> CommentedSeq:
    first = old[0] if isinstance(old, CommentedSeq) and len(old) else None
    quoted = isinstance(first, DoubleQuotedScalarString) or (first is None and key == "examples")
    seq = CommentedSeq(
        [DoubleQuotedScalarString(item) if quoted else item for item in (str(i) for i in items)]
    )
    if not seq:
        seq.fa.set_flow_style()
    return seq


def _folded(text: str) -> FoldedScalarString:
    """A folded block (>-) broken at spaces, so that a long description reads as the others."""
    text = " ".join(text.split())
    folded = FoldedScalarString(text)
    positions: list[int] = []
    offset = 0
    for line in textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False):
        offset = text.index(line, offset) + len(line)
        if offset < len(text):
            positions.append(offset)
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


# -- comments -------------------------------------------------------------------------------
# ruamel hangs the comment lines between two codes on the last value of the first one (however
# deep). Edits move and remove whole codes, so those lines are hung on the code that follows
# instead, as the lines « above » it: they then stay put when the code above them moves away.


def _lead_comments(seq: CommentedSeq, owner: CommentedMap, key: str) -> str:
    """Re-hang the lines after each code of `seq` above the next one; returns those after the
    last code (for the caller's next code)."""
    entry = owner.ca.items.get(key)
    if entry and len(entry) > 3 and entry[3] and seq:  # the lines above the first code
        _keep(seq, 0, entry[3])
        entry[3] = None
    pending = ""
    for index, node in enumerate(seq):
        if pending:
            _keep(seq, index, _tokens(pending))
        pending = ""
        if not isinstance(node, CommentedMap):
            continue
        children = node.get("children")
        inner = (
            _lead_comments(children, node, "children") if isinstance(children, CommentedSeq) else ""
        )
        pending = inner + _take_trailing(node)
    return pending


def _take_trailing(node: Any) -> str:
    """Cut the full lines after the deepest last value of `node` (its end-of-line comment stays)."""
    holder, key, slot = _trailing(node)
    if holder is None:
        return ""
    entry = holder.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if not isinstance(token, CommentToken):
        return ""
    value = token.value
    if value.startswith("\n"):
        eol, rest = "", value[1:]
    else:
        eol, _newline, rest = value.partition("\n")
    if not rest:
        return ""
    if eol:
        token.value = eol + "\n"
    else:
        entry[slot] = None
    return rest


def _trailing(node: Any) -> tuple[Any, Any, int]:
    if isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
            return _trailing(value)
        return node.ca.items, key, 2
    if isinstance(node, CommentedSeq) and node:
        value = node[-1]
        if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
            return _trailing(value)
        return node.ca.items, len(node) - 1, 0
    return None, None, 0


def _tokens(text: str) -> list[CommentToken]:
    tokens = []
    for line in text.splitlines(keepends=True):
        column = len(line) - len(line.lstrip(" "))
        tokens.append(CommentToken(line.lstrip(" "), CommentMark(column), None))
    return tokens


def _keep(seq: CommentedSeq, index: int, tokens: list[Any]) -> None:
    """Comment lines above the code at `index` (or after the last code when there is none)."""
    if index < len(seq):
        entry = seq.ca.items.setdefault(index, [None, None, None, None])
        entry[1] = list(tokens) + list(entry[1] or [])
    elif seq:
        holder, key, slot = _trailing(seq)
        if holder is None:
            return
        entry = holder.setdefault(key, [None, None, None, None])
        old = entry[slot]
        text = "".join(" " * t.column + t.value for t in tokens)
        if isinstance(old, CommentToken):
            old.value += text
        else:
            entry[slot] = CommentToken("\n" + text, CommentMark(0), None)
