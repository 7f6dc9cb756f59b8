"""REFI-QDA exports: the codebook (.qdc) and the project (.qdpx), valid against the schemas.

A project export is an export: pseudonymised and masked sources and notes, only the turns of
participants who agreed, offsets (Unicode code points, end exclusive) computed on the text
written, and the name gate over every part. An internal copy holds everything, only on demand.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from recits import __version__
from recits.exports.gate import Guard, Publishable, Template, check
from recits.exports.refi.schema import CODEBOOK_NS, PROJECT_NS, guid, timestamp, validate
from recits.exports.refi.sources import (
    WrittenText,
    kept_codings,
    publishable_turn,
    written_text,
)
from recits.models import Code, Coding, Document
from recits.models.memos import Memo
from recits.names import name_index
from recits.store import Store

ORIGIN = f"recits {__version__}"
KIND_VARIABLE = "type de document"
DATE_VARIABLE = "date"
INTERNAL_WARNING = (
    "Attention : copie interne du projet (texte réel, noms réels, propos non consentis) :"
    " réservée à l'équipe, elle ne doit pas quitter le projet ni aller dans exports/."
)
Progress = Callable[[int, int], None]
NAME_LENGTH = 80
_TARGET = {"project": "projet", "document": "document", "code": "code"}


@dataclass(frozen=True)
class RefiExport:
    """A REFI-QDA file built in memory, checked by the schema and (unless internal) the gate."""

    format: str  # qdc | qdpx
    data: bytes
    codes: int
    documents: int = 0
    codings: int = 0
    notes: int = 0
    withheld_turns: int = 0  # turns replaced by « [passage retiré] »
    left_out: int = 0  # codings not exported (consent, unknown speaker…)
    skipped_documents: int = 0  # documents with no turn that may leave
    internal: bool = False
    quoted: tuple[tuple[str, int], ...] = ()  # participant id, turns written

    def summary(self) -> list[str]:
        if self.format == "qdc":
            return [f"{self.codes} code(s) dans la grille exportée"]
        lines = [
            f"{self.documents} document(s), {self.codings} extrait(s) codé(s), {self.codes}"
            f" code(s), {self.notes} mémo(s)"
        ]
        if self.withheld_turns:
            lines.append(
                f"{self.withheld_turns} tour(s) de parole retiré(s) (« [passage retiré] ») :"
                " pas de consentement « accordé », ou locuteur·rice inconnu·e ou à confirmer"
            )
        if self.left_out:
            lines.append(f"{self.left_out} extrait(s) codé(s) écarté(s) (mêmes raisons)")
        if self.skipped_documents:
            lines.append(f"{self.skipped_documents} document(s) sans aucun passage publiable")
        if self.internal:
            lines.append(INTERNAL_WARNING)
        return lines


def _element(parent, tag: str, ns: str = PROJECT_NS, **attrs: str | None):  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.SubElement(
        parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None}
    )


def _codes(parent, codes: list[Code], uuids: dict[str, str], mask, ns: str, notes=None) -> None:  # type: ignore[no-untyped-def]
    """Codes nested under their parents, with colours and descriptions (and, in a project,
    NoteRefs to their memos: `notes` is code id -> note guids)."""
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def add(into, code: Code) -> None:  # type: ignore[no-untyped-def]
        node = _element(
            into, "Code", ns, guid=guid(uuids.get(code.id, code.id)), name=mask(code.label),
            isCodable="true", color=code.color,
        )  # fmt: skip
        if code.description:
            _element(node, "Description", ns).text = mask(code.description)
        for note_guid in (notes or {}).get(code.id, []):
            _element(node, "NoteRef", ns, targetGUID=note_guid)
        for child in children.get(code.id, []):
            add(node, child)

    holder = _element(parent, "Codes", ns)
    known = {c.id for c in codes}
    for code in codes:
        if code.parent_id is None or code.parent_id not in known:
            add(holder, code)


def _serialise(root) -> bytes:  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="utf-8", standalone=True)


def build_qdc(store: Store, *, internal: bool = False) -> RefiExport:
    """The codebook: codes with hierarchy, colours and descriptions (masked unless internal)."""
    from lxml import etree

    index = None if internal else name_index(store)
    mask = (lambda s: s) if index is None else index.masker().mask
    codes = store.codes()
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS}
    )
    if codes:
        _codes(root, codes, store.code_uuids(), mask, CODEBOOK_NS)
    data = _serialise(root)
    validate("codebook", data)
    if index is not None:
        fields = tuple(
            (f"code « {c.label} »", f"{mask(c.label)}\n{mask(c.description)}") for c in codes
        )
        _gate(Publishable("qdc", data, fields), Guard(index, _template("qdc")))
    return RefiExport("qdc", data, len(codes), internal=internal)


@dataclass(frozen=True)
class _Source:
    document: Document
    written: WrittenText
    codings: tuple[Coding, ...]


def _gate(publishable: Publishable, guard: Guard) -> None:
    from recits.exports.excerpts import ExportRefused

    leaks = check(publishable, guard)
    if leaks:
        raise ExportRefused(leaks)


_TEMPLATES: dict[str, Template] = {}


def _template(fmt: str) -> Template:
    """What recits writes in an export holding nothing of the project (its own words)."""
    if fmt not in _TEMPLATES:
        if fmt == "qdc":
            from lxml import etree

            root = etree.Element(
                f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS}
            )
            data = _serialise(root)
        else:
            data = _package("", [], [], [], [], {}, lambda s: s)
        _TEMPLATES[fmt] = Template.of(fmt, data)
    return _TEMPLATES[fmt]


def build_qdpx(
    store: Store,
    project_name: str,
    *,
    scope: str = "articles",
    internal: bool = False,
    progress: Progress | None = None,
) -> RefiExport:
    """The project: users, codebook, variables, cases, sources with their codings, memos."""
    index = None if internal else name_index(store)
    masker = None if index is None else index.masker()
    mask = (lambda s: s) if masker is None else masker.mask
    people = {p.id: p for p in store.participants()}
    all_codings = store.codings()
    by_document: dict[str, list[Coding]] = {}
    for coding in all_codings:
        by_document.setdefault(coding.document_id, []).append(coding)
    documents = store.documents()
    sources: list[_Source] = []
    skipped = withheld = 0
    quoted: dict[str, int] = {}
    for done, document in enumerate(documents, 1):
        text = store.document_text(document.id)
        turns = store.turns(document.id)
        keep = (lambda t: True) if internal else (lambda t: publishable_turn(t, people, scope))
        codings = by_document.get(document.id, [])
        if not internal:
            codings = kept_codings(codings, text, turns, keep)
        written = written_text(text, turns, keep, None if masker is None else masker.edits)
        if turns and not written.kept:
            skipped += 1
        else:
            withheld += written.withheld
            for turn in written.kept:
                if turn.participant_id:
                    quoted[turn.participant_id] = quoted.get(turn.participant_id, 0) + 1
            sources.append(_Source(document, written, tuple(codings)))
        if progress:  # the name gate, at the end, is the last step
            progress(done, len(documents) + 1)
    codes = store.codes()
    uuids = store.code_uuids()
    coders = {c.name: c.id for c in store.coders()}
    for source in sources:
        for coding in source.codings:
            coders.setdefault(coding.coder, guid(f"coder:{coding.coder}"))
    cases = [
        p for p in people.values() if p.id in quoted and (internal or publishable_turn_of(p, scope))
    ]
    exported_ids = {s.document.id for s in sources} | {c.id for c in codes}
    memos = [m for m in store.memos() if m.target_type == "project" or m.target_id in exported_ids]
    data = _package(project_name, sources, codes, cases, list(coders.items()), uuids, mask, memos)
    exported = sum(len(s.codings) for s in sources)
    notes = sum(1 for s in sources for c in s.codings if c.memo.strip()) + len(memos)
    result = RefiExport(
        "qdpx", data, len(codes), len(sources), exported, notes, withheld,
        len(all_codings) - exported, skipped, internal, tuple(sorted(quoted.items())),
    )  # fmt: skip
    if index is not None:
        _gate(
            _publishable(result, sources, codes, cases, coders, mask, scope, memos),
            Guard(index, _template("qdpx")),
        )
    if progress:
        progress(len(documents) + 1, len(documents) + 1)
    return result


def publishable_turn_of(participant, scope: str) -> bool:  # type: ignore[no-untyped-def]
    from recits.participants import may_quote

    return may_quote(participant, scope)


def _publishable(result, sources, codes, cases, coders, mask, scope, memos) -> Publishable:  # type: ignore[no-untyped-def]
    fields: list[tuple[str, str]] = []
    unmasked: list[tuple[str, str]] = []
    for s in sources:
        where = f"document « {mask(s.document.title)} »"
        fields.append(
            (where, f"{mask(s.document.title)}\n{mask(s.document.kind)}\n{s.written.text}")
        )
        unmasked.append((where, "\n".join(t.text for t in s.written.kept)))
        for c in s.codings:
            if c.memo.strip():
                fields.append((f"mémo de l'extrait {c.id[:8]}", mask(c.memo)))
    fields += [
        (f"code « {mask(c.label)} »", f"{mask(c.label)}\n{mask(c.description)}") for c in codes
    ]
    fields += [(f"mémo {m.id[:8]}", mask(m.text)) for m in memos]
    fields += [("codeur·euses", "\n".join(mask(name) for name in coders))]
    fields += [("cas", "\n".join(p.pseudonym for p in cases))]
    return Publishable("qdpx", result.data, tuple(fields), tuple(unmasked), scope)


def _package(name, sources, codes, cases, users, uuids, mask, memos=()) -> bytes:  # type: ignore[no-untyped-def]
    """project.qde and sources/GUID.txt in a zip; the .qde validated against the schema.
    Memos on a document, a code or the project are Notes with a NoteRef on it."""
    from lxml import etree

    root = etree.Element(
        f"{{{PROJECT_NS}}}Project",
        {"name": mask(name) or "recits", "origin": ORIGIN, "creationDateTime": timestamp()},
        nsmap={None: PROJECT_NS},
    )
    user_guid = {}
    if users:
        holder = _element(root, "Users")
        for user_name, user_id in users:
            user_guid[user_name] = guid(user_id)
            _element(holder, "User", guid=user_guid[user_name], name=mask(user_name))
    memos_of: dict[tuple[str, str | None], list[Memo]] = {}
    for memo in memos:
        memos_of.setdefault((memo.target_type, memo.target_id), []).append(memo)
    code_notes = {
        code_id: [guid(m.id) for m in found]
        for (kind, code_id), found in memos_of.items() if kind == "code" and code_id
    }  # fmt: skip
    if codes:
        _codes(_element(root, "CodeBook"), codes, uuids, mask, PROJECT_NS, code_notes)
    variables = _element(root, "Variables")
    kind_guid, date_guid = guid("recits:variable:kind"), guid("recits:variable:date")
    _element(variables, "Variable", guid=kind_guid, name=KIND_VARIABLE, typeOfVariable="Text")
    _element(variables, "Variable", guid=date_guid, name=DATE_VARIABLE, typeOfVariable="Date")
    if cases:
        holder = _element(root, "Cases")
        for p in cases:
            case = _element(holder, "Case", guid=guid(p.id), name=p.pseudonym)
            for s in sources:
                if any(t.participant_id == p.id for t in s.written.kept):
                    _element(case, "SourceRef", targetGUID=guid(s.document.id))
    texts: list[tuple[str, str]] = []
    notes: list[tuple[str, Coding]] = []
    if sources:
        holder = _element(root, "Sources")
        for s in sources:
            doc_guid = guid(s.document.id)
            texts.append((doc_guid, s.written.text))
            node = _element(
                holder, "TextSource", guid=doc_guid, name=mask(s.document.title),
                plainTextPath=f"internal://{doc_guid}.txt",
                creationDateTime=timestamp(s.document.imported_at),
            )  # fmt: skip
            for c in s.codings:
                start = s.written.position(c.start_char)
                end = s.written.position(c.end_char, end=True)
                selection = _element(
                    node, "PlainTextSelection", guid=guid(f"selection:{c.id}"),
                    name=_name(s.written.text[start:end]), startPosition=str(start),
                    endPosition=str(end), creatingUser=user_guid.get(c.coder),
                    creationDateTime=timestamp(c.created_at),
                )  # fmt: skip
                coding = _element(
                    selection, "Coding", guid=guid(c.id), creatingUser=user_guid.get(c.coder),
                    creationDateTime=timestamp(c.created_at),
                )  # fmt: skip
                _element(coding, "CodeRef", targetGUID=guid(uuids.get(c.code_id, c.code_id)))
                if c.memo.strip():
                    note_guid = guid(f"memo:{c.id}")
                    _element(coding, "NoteRef", targetGUID=note_guid)
                    notes.append((note_guid, c))
            for memo in memos_of.get(("document", s.document.id), []):
                _element(node, "NoteRef", targetGUID=guid(memo.id))
            _value(node, kind_guid, "TextValue", mask(s.document.kind))
            if s.document.date:
                _value(node, date_guid, "DateValue", s.document.date)
    if notes or memos:
        holder = _element(root, "Notes")
        for note_guid, c in notes:
            note = _element(
                holder, "Note", guid=note_guid, name=f"mémo, {mask(c.code_id)}",
                creatingUser=user_guid.get(c.coder), creationDateTime=timestamp(c.created_at),
            )  # fmt: skip
            _element(note, "PlainTextContent").text = mask(c.memo)
        for memo in memos:
            note = _element(
                holder, "Note", guid=guid(memo.id), name=f"mémo de {_TARGET[memo.target_type]}",
                creatingUser=user_guid.get(memo.author),
                creationDateTime=timestamp(memo.created_at),
            )  # fmt: skip
            _element(note, "PlainTextContent").text = mask(memo.text)
    for memo in memos_of.get(("project", None), []):
        _element(root, "NoteRef", targetGUID=guid(memo.id))
    qde = _serialise(root)
    validate("project", qde)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", qde)
        for file_guid, text in texts:
            archive.writestr(f"sources/{file_guid}.txt", text.encode("utf-8"))
    return buffer.getvalue()


def _name(text: str, longest: int = NAME_LENGTH) -> str:
    """A selection's name: its text, cut with "…" at a word when long (the offsets say where
    it is; the whole text again would double the file and the gate's reading of it)."""
    if len(text) <= longest:
        return text
    return text[: longest - 1].rsplit(" ", 1)[0].rstrip() + "…"


def _value(node, variable: str, kind: str, value: str) -> None:  # type: ignore[no-untyped-def]
    holder = _element(node, "VariableValue")
    _element(holder, "VariableRef", targetGUID=variable)
    _element(holder, kind).text = value
