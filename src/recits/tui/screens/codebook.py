"""The codebook: codes, definitions, rules, examples and counts; edited here together (the YAML
is written back with its comments) or by hand, then reloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from recits.errors import RecitsError, app_message
from recits.models import Code
from recits.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from recits.codebook_edits import CodebookEditor, EditResult


class CodebookScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "reload", "Recharger le YAML", id="codebook-reload"),
        Binding("n", "create", "Nouveau", id="codebook-create"),
        Binding("e", "rename", "Renommer", id="codebook-rename"),
        Binding("c", "recolour", "Couleur", id="codebook-colour"),
        Binding("d", "redefine", "Définition", id="codebook-define"),
        Binding("m", "move", "Déplacer", id="codebook-move"),
        Binding("f", "merge", "Fusionner", id="codebook-merge"),
        Binding("s", "split", "Scinder", id="codebook-split"),
        Binding("delete", "remove", "Retirer", id="codebook-remove"),
        Binding("escape", "back", "Corpus", id="codebook-back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="codebook-body"):
            yield OptionList(id="codebook-list")
            with VerticalScroll(id="codebook-detail"):
                yield Static(id="code-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Grille de codage"
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self, keep: str | None = None) -> None:
        app = self.app
        self.sub_title = app.project.settings.codebook
        counts = app.store.code_counts(app.coder if app.blind else None)
        if app.blind:
            self.sub_title += " — codage à l'aveugle : vos codages seulement"
        options = self.query_one(OptionList)
        options.clear_options()
        for code in app.codes:
            indent = "  " if code.parent_id else ""
            label = Text.assemble(indent, ("▌", code.color or ""), code.label,
                                  (f" ({counts.get(code.id, 0)})", "dim"))  # fmt: skip
            options.add_option(Option(label, id=code.id))
        if options.option_count:
            ids = [c.id for c in app.codes]
            options.highlighted = ids.index(keep) if keep in ids else 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        code = next((c for c in self.app.codes if c.id == event.option.id), None)
        if code is not None:
            memos = [m.text for m in self.app.store.memos("code", code.id)]
            self.query_one("#code-detail", Static).update(_detail(code, memos))

    def action_reload(self) -> None:
        code = self.selected()
        if self.app.reload_codebook():
            self.notify("Grille rechargée.")
            self.app.wrote()
        self.fill(code.id if code else None)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- editing ----------------------------------------------------------------------------
    def selected(self) -> Code | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        code_id = options.get_option_at_index(options.highlighted).id
        return next((c for c in self.app.codes if c.id == code_id), None)

    def edit(self, change: Callable[[CodebookEditor], EditResult], keep: str | None) -> bool:
        """Apply one change for this coder; the message, or the refusal, in a notification."""
        from recits.codebook_edits import CodebookEditor  # ruamel only when editing

        app = self.app
        if app.codebook is None:
            self.notify("La grille de codage a des erreurs : corrigez le YAML puis rechargez (r).",
                        severity="error")  # fmt: skip
            return False
        try:
            result = change(CodebookEditor(app.store, app.codebook, app.coder))
        except RecitsError as err:
            self.notify(app_message(err), title="Grille de codage", severity="error", timeout=15)
            return False
        app.codebook = result.codebook
        app.wrote()
        self.fill(keep)
        self.notify(result.message, title="Grille de codage", timeout=8)
        return True

    def _ask(self, title: str, fields: list[tuple[str, str, str]], then: Callable) -> None:
        from recits.tui.screens.codebook_dialogs import FieldsDialog

        self.app.push_screen(FieldsDialog(title, fields), lambda v: v is not None and then(v))

    def action_create(self) -> None:
        self._ask(
            "Nouveau code",
            [("id", "Identifiant (ex. pair-aidance)", ""), ("label", "Libellé", "")],
            lambda v: self.edit(lambda e: e.create(v["id"], v["label"]), v["id"]),
        )

    def action_rename(self) -> None:
        code = self.selected()
        if code is None:
            return

        def then(v: dict[str, str]) -> None:
            label = v["label"] if v["label"] != code.label else None
            new_id = v["id"] if v["id"] != code.id else None
            self.edit(lambda e: e.rename(code.id, label=label, new_id=new_id), new_id or code.id)

        self._ask(
            f"Renommer « {code.label} »",
            [("label", "Libellé", code.label), ("id", "Identifiant", code.id)],
            then,
        )

    def action_recolour(self) -> None:
        code = self.selected()
        if code is not None:
            self._ask(
                f"Couleur de « {code.label} »",
                [("color", "#rrggbb", code.color or "")],
                lambda v: self.edit(lambda e: e.recolour(code.id, v["color"]), code.id),
            )

    def action_redefine(self) -> None:
        from recits.tui.screens.codebook_dialogs import DefinitionDialog

        code = self.selected()
        if code is None:
            return
        self.app.push_screen(
            DefinitionDialog(f"Description de « {code.label} »", code.description),
            lambda text: (
                text is not None
                and self.edit(lambda e: e.redefine(code.id, description=text), code.id)
            ),
        )

    def action_move(self) -> None:
        from recits.tui.screens.codebook_dialogs import TOP_LEVEL, TargetPicker

        code = self.selected()
        if code is None:
            return
        others = [c for c in self.app.codes if c.id != code.id]
        self.app.push_screen(
            TargetPicker(f"Déplacer « {code.label} » sous…", others, top_level=True),
            lambda target: (
                target is not None
                and self.edit(
                    lambda e: e.move(code.id, None if target == TOP_LEVEL else target), code.id
                )
            ),
        )

    def action_merge(self) -> None:
        from recits.tui.screens.codebook_dialogs import TargetPicker

        code = self.selected()
        if code is None:
            return
        others = [c for c in self.app.codes if c.id != code.id]
        self.app.push_screen(
            TargetPicker(f"Fusionner « {code.label} » dans…", others),
            lambda target: (
                target is not None and self.edit(lambda e: e.merge(code.id, target), target)
            ),
        )

    def action_split(self) -> None:
        code = self.selected()
        if code is not None:
            self._ask(
                f"Scinder « {code.label} » : le nouveau code",
                [("id", "Identifiant", ""), ("label", "Libellé", "")],
                lambda v: self.edit(lambda e: e.split(code.id, v["id"], v["label"]), v["id"]),
            )

    def action_remove(self) -> None:
        code = self.selected()
        if code is not None:
            self.edit(lambda e: e.remove(code.id), None)


def _detail(code: Code, memos: list[str] | None = None) -> Text:
    text = Text()
    text.append(f"{code.label}\n", style=f"bold {code.color or ''}")
    text.append(f"{code.id}\n\n", style="dim")
    text.append(code.description + "\n")
    for title, items in (("Inclure", code.include), ("Exclure", code.exclude),
                         ("Exemples", code.examples), ("Motifs", code.patterns),
                         ("Mémos de l'équipe", memos or ())):  # fmt: skip
        if items:
            text.append(f"\n{title}\n", style="bold")
            for item in items:
                text.append(f"  • {item}\n")
    return text
