"""Editing the codebook together: each change checked, carried to the codings, written back to
the YAML (comments and order kept) in the same transaction, and recorded in the audit log."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recits.codebook import COLOR, SLUG, Codebook, CodebookError, parse_codebook
from recits.errors import RecitsError
from recits.failures import MissingCoder, used_in

if TYPE_CHECKING:
    from recits.codebook_yaml import CodebookDocument
    from recits.store import Store

DEFINITION_KEYS = ("description", "include", "exclude", "examples", "patterns")
MERGED_LISTS = ("include", "examples", "patterns")  # what a merged code's target takes over


@dataclass(frozen=True)
class EditResult:
    message: str  # French, for the user
    codebook: Codebook  # as written


class CodebookEditor:
    """Edits one project's codebook file on behalf of `actor`, from the codebook they saw: if the
    file changed on disk since, nothing is written."""

    def __init__(self, store: Store, codebook: Codebook, actor: str) -> None:
        if not actor.strip():
            raise MissingCoder()
        self.store = store
        self.codebook = codebook
        self.actor = actor

    # -- the changes ---------------------------------------------------------------------------
    def create(
        self,
        code_id: str,
        label: str,
        *,
        parent: str | None = None,
        color: str | None = None,
        description: str = "",
    ) -> EditResult:
        self._new_id(code_id)
        label = _label(label)
        if parent is not None:
            self._known(parent)
        if color:
            _colour(color)
        fields = {"id": code_id, "label": label, "color": color, "description": description}
        under = f" sous « {self._label_of(parent)} »" if parent else ""
        return self._commit(
            lambda doc: doc.add_code(fields, parent_id=parent),
            "create",
            {"code": code_id, "parent": parent},
            f"Code « {label} » ({code_id}) créé{under}.",
        )

    def rename(
        self, code_id: str, *, label: str | None = None, new_id: str | None = None
    ) -> EditResult:
        self._known(code_id)
        if label is None and (new_id is None or new_id == code_id):
            raise RecitsError(
                "rien à renommer : donnez un nouveau libellé ou un nouvel identifiant"
            )
        if label is not None:
            label = _label(label)
        if new_id is not None and new_id != code_id:
            self._new_id(new_id)
        else:
            new_id = None

        def edit(doc: CodebookDocument) -> None:
            if label is not None:
                doc.set_field(code_id, "label", label)
            if new_id is not None:
                doc.set_field(code_id, "id", new_id)
                for child in self.codebook.children(code_id):
                    if "parent" in doc.place(child.id).node:
                        doc.set_field(child.id, "parent", new_id)

        followed: list[int] = []
        db = (lambda: followed.append(self.store.rename_code(code_id, new_id))) if new_id else None
        parts = []
        if label is not None:
            parts.append(f"libellé « {label} »")
        if new_id:
            parts.append(f"identifiant « {new_id} »")
        result = self._commit(
            edit, "rename", {"code": code_id, "new_id": new_id, "label": label},
            f"Code « {code_id} » renommé : {', '.join(parts)}.", db,
        )  # fmt: skip
        if followed:
            return _said(result, f" {followed[0]} extrait(s) codé(s) le suivent.")
        return result

    def recolour(self, code_id: str, color: str) -> EditResult:
        self._known(code_id)
        _colour(color)
        return self._commit(
            lambda doc: doc.set_field(code_id, "color", color),
            "recolour",
            {"code": code_id, "color": color},
            f"Code « {self._label_of(code_id)} » : couleur {color}.",
        )

    def redefine(self, code_id: str, **fields: Any) -> EditResult:
        """Change description, include, exclude, examples or patterns (a list replaces the
        list; an empty one empties it)."""
        self._known(code_id)
        unknown = sorted(set(fields) - set(DEFINITION_KEYS))
        if unknown:
            raise RecitsError(f"champ(s) inconnu(s) : {', '.join(unknown)}")
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes:
            raise RecitsError(
                "rien à changer : donnez --description, --include, --exclude, --example ou"
                " --pattern",
                in_app="rien à changer : écrivez la description (touche d)",
            )
        for key, value in changes.items():
            if key != "description":
                changes[key] = [str(v).strip() for v in value if str(v).strip()]

        def edit(doc: CodebookDocument) -> None:
            for key, value in changes.items():
                doc.set_field(code_id, key, value)

        return self._commit(
            edit, "redefine", {"code": code_id, "fields": sorted(changes)},
            f"Code « {self._label_of(code_id)} » : {', '.join(sorted(changes))} modifié(s).",
        )  # fmt: skip

    def move(self, code_id: str, parent: str | None) -> EditResult:
        self._known(code_id)
        if parent is not None:
            self._known(parent)
            self._not_under(code_id, parent)
        if self.codebook.code(code_id).parent_id == parent:  # type: ignore[union-attr]
            raise RecitsError(f"« {code_id} » est déjà à cette place")

        def edit(doc: CodebookDocument) -> None:
            node, comment = doc.detach(code_id)
            doc.attach(node, comment, parent)

        where = f"sous « {self._label_of(parent)} »" if parent else "au premier niveau"
        return self._commit(
            edit, "move", {"code": code_id, "parent": parent},
            f"Code « {self._label_of(code_id)} » déplacé {where}.",
        )  # fmt: skip

    def merge(self, source: str, target: str) -> EditResult:
        """`source` goes into `target`: its codings (duplicates collapse), sub-codes, inclusions,
        examples and patterns; then it leaves the codebook."""
        self._known(source)
        self._known(target)
        if source == target:
            raise RecitsError("un code ne peut pas être fusionné avec lui-même")
        if self._descends(target, source):
            raise RecitsError(
                f"« {target} » est un sous-code de « {source} » : déplacez-le d'abord"
                " (recits codebook move), puis fusionnez",
                in_app=f"« {target} » est un sous-code de « {source} » : déplacez-le d'abord"
                " (touche m), puis fusionnez",
            )
        src, dst = self.codebook.code(source), self.codebook.code(target)
        assert src is not None and dst is not None

        def edit(doc: CodebookDocument) -> None:
            for key in MERGED_LISTS:
                mine = list(getattr(dst, key))
                extra = [v for v in getattr(src, key) if v not in mine]
                if extra:
                    doc.set_field(target, key, mine + extra)
            for child in self.codebook.children(source):
                node, comment = doc.detach(child.id)
                doc.attach(node, comment, target)
            doc.detach(source, keep_comments=True)

        counts: list[tuple[int, int]] = []
        result = self._commit(
            edit, "merge", {"code": source, "into": target},
            f"« {src.label} » fusionné dans « {dst.label} ».",
            lambda: counts.append(self.store.merge_code_into(source, target, self.actor)),
        )  # fmt: skip
        moved, collapsed = counts[0]
        extra = f" {moved} extrait(s) codé(s) déplacé(s)"
        if collapsed:
            extra += f", {collapsed} doublon(s) réuni(s) (même passage, même codeur·euse)"
        return _said(result, extra + ".")

    def split(
        self, code_id: str, new_id: str, label: str, *, under: bool = False,
        color: str | None = None, description: str = "",
    ) -> EditResult:  # fmt: skip
        """A new code beside `code_id` (or under it); the codings stay on `code_id`."""
        self._known(code_id)
        self._new_id(new_id)
        label = _label(label)
        if color:
            _colour(color)
        original = self.codebook.code(code_id)
        assert original is not None
        fields: dict[str, Any] = {
            "id": new_id, "label": label, "color": color, "description": description,
        }  # fmt: skip

        def edit(doc: CodebookDocument) -> None:
            if under:
                doc.add_code(fields, parent_id=code_id)
                return
            declared = doc.place(code_id).node.get("parent")
            doc.add_code({**fields, "parent": declared}, parent_id=None, after=code_id)

        staying = self.store.code_counts().get(code_id, 0)
        return self._commit(
            edit, "split", {"code": code_id, "new": new_id, "under": under},
            f"Code « {label} » ({new_id}) créé à partir de « {original.label} ». Les"
            f" {staying} extrait(s) codé(s) restent sur « {original.label} » : recodez ceux qui"
            f" relèvent de « {label} ».",
        )  # fmt: skip

    def remove(self, code_id: str) -> EditResult:
        self._known(code_id)
        usage = self.store.code_usage(code_id)
        if usage.places:
            raise RecitsError(
                "code encore utilisé, il reste dans la grille : " + used_in(usage)
                + ". Supprimez ou recodez d'abord ces extraits, ou fusionnez le code dans un"
                " autre (recits codebook merge)",
                in_app="code encore utilisé, il reste dans la grille : "
                + used_in(usage) + ". Recodez d'abord ces extraits, ou fusionnez le"
                " code dans un autre (touche f)",
            )  # fmt: skip
        children = self.codebook.children(code_id)
        if children:
            names = ", ".join(f"« {c.id} »" for c in children)
            raise RecitsError(f"le code « {code_id} » a des sous-codes ({names}) : déplacez-les"
                              " ou fusionnez-les d'abord")  # fmt: skip
        label = self._label_of(code_id)
        return self._commit(
            lambda doc: doc.detach(code_id, keep_comments=True), "remove", {"code": code_id},
            f"Code « {label} » ({code_id}) retiré de la grille.",
        )  # fmt: skip

    # -- checks --------------------------------------------------------------------------------
    def _known(self, code_id: str) -> None:
        if self.codebook.code(code_id) is None:
            raise RecitsError(
                f"code inconnu : « {code_id} » (voir « recits codebook check »)",
                in_app=f"code inconnu : « {code_id} »",
            )

    def _new_id(self, code_id: str) -> None:
        if not SLUG.match(code_id or ""):
            raise RecitsError(
                f"« {code_id} » n'est pas un identifiant valide (minuscules, chiffres et tirets,"
                " sans accent : ex. reduction-des-risques)"
            )
        existing = self.codebook.code(code_id)
        if existing is not None:
            raise RecitsError(
                f"l'identifiant « {code_id} » existe déjà dans la grille (« {existing.label} »)"
            )

    def _label_of(self, code_id: str | None) -> str:
        code = self.codebook.code(code_id or "")
        return code.label if code else str(code_id)

    def _descends(self, code_id: str, ancestor: str) -> bool:
        current = self.codebook.code(code_id)
        while current is not None and current.parent_id:
            if current.parent_id == ancestor:
                return True
            current = self.codebook.code(current.parent_id)
        return False

    def _not_under(self, code_id: str, parent: str) -> None:
        if parent == code_id:
            raise RecitsError(f"un code ne peut pas être son propre parent (« {code_id} »)")
        if self._descends(parent, code_id):
            raise RecitsError(
                f"impossible de placer « {code_id} » sous « {parent} » : « {parent} » est un"
                f" sous-code de « {code_id} » (cela ferait une boucle)"
            )

    # -- writing -------------------------------------------------------------------------------
    def _commit(
        self,
        edit: Callable[[CodebookDocument], Any],
        action: str,
        details: dict[str, Any],
        message: str,
        db_change: Callable[[], Any] | None = None,
    ) -> EditResult:
        """One transaction: check the file is the one read, change the database, then replace
        the file (atomically) last; if anything fails before the commit, the database rolls back
        and the file is put back as it was."""
        from recits.codebook_yaml import CodebookDocument  # ruamel only when editing

        path = self.codebook.path
        before: bytes | None = None
        written = False
        try:
            with self.store.write():
                before = path.read_bytes()
                if hashlib.sha256(before).hexdigest() != self.codebook.sha256:
                    before = None  # not ours to put back
                    raise _changed_on_disk(path)
                doc = CodebookDocument(before.decode("utf-8"))
                edit(doc)
                after = doc.text().encode("utf-8")
                try:
                    codebook = parse_codebook(after, path)
                except CodebookError as err:  # a check above missed something: write nothing
                    raise RecitsError(f"modification refusée, grille invalide : {err}") from err
                if self.store.get_meta("codebook_sha256") != self.codebook.sha256:
                    self.store.sync_codes(self.codebook.codes)  # the file as the user saw it
                if db_change is not None:
                    db_change()
                self.store.sync_codes(codebook.codes)
                self.store.set_meta("codebook_sha256", codebook.sha256)
                self.store.audit(f"codebook-{action}", self.actor, **details)
                _replace(path, after)
                written = True
        except BaseException:
            if before is not None and written:
                _replace(path, before)  # the commit failed after the file was replaced
            raise
        self.codebook = codebook
        return EditResult(message, codebook)


def _label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise RecitsError("le libellé d'un code ne peut pas être vide")
    return label


def _colour(color: str) -> None:
    if not COLOR.match(color):
        raise RecitsError(f"couleur invalide « {color} » (attendu #rrggbb, ex. #d64541)")


def _changed_on_disk(path: Path) -> RecitsError:
    return RecitsError(
        f"{path} : la grille de codage a changé sur le disque depuis sa lecture (quelqu'un"
        " d'autre la modifie ?) ; rien n'est écrit. Relancez la commande sur la grille à jour.",
        in_app=f"{path.name} : la grille de codage a changé sur le disque depuis sa lecture"
        " (quelqu'un d'autre la modifie ?) ; rien n'est écrit. Rechargez-la (r) puis"
        " recommencez.",
    )


def _said(result: EditResult, more: str) -> EditResult:
    return EditResult(result.message + more, result.codebook)


def _replace(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: readers see the old file or the new one."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
