"""The scene editor: panels in reading order beside the source text they are written from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from recits.errors import RecitsError, app_message
from recits.models.scenes import SceneDetail
from recits.tui.messages import DataChanged
from recits.tui.widgets.keybar import KeyBar


class SceneEditor(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Scènes", id="scene-back"),
        Binding("a", "add", "Nouvelle vignette", id="scene-add-panel"),
        Binding("e", "edit", "Modifier", id="scene-edit-panel"),
        Binding("shift+up,K", "move(-1)", "Monter", id="scene-panel-up", key_display="K"),
        Binding("shift+down,J", "move(1)", "Descendre", id="scene-panel-down", key_display="J"),
        Binding("x", "remove", "Retirer", show=False, id="scene-remove-panel"),
        Binding("d", "split", "Découper les sources", id="scene-split"),
        Binding("tab", "switch", "Vignettes / source", show=False, id="scene-switch"),
    ]

    def __init__(self, scene_id: str) -> None:
        super().__init__()
        self.scene_id = scene_id
        self.detail: SceneDetail | None = None
        self.sentences: list[tuple[str, int, int, str | None]] = []  # source id, span, speaker

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="scene-summary")
        with Horizontal(id="scene-body"):
            with Vertical():
                yield Label("Vignettes (ordre de lecture)", classes="side-title")
                yield OptionList(id="panels")
            with Vertical():
                yield Label("Source (Entrée : la phrase devient une bulle)", classes="side-title")
                yield OptionList(id="source-sentences")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#panels").focus()

    def reload(self, highlight: int | None = None) -> None:
        from recits import scenes

        store = self.app.store
        self.detail = detail = store.scene_detail(self.scene_id)
        if detail is None:
            self.app.pop_screen()
            return
        scene = detail.scene
        self.title = f"Scène : {scene.title}"
        names = {c.id: c.name + (" (composite)" if c.composite else "") for c in detail.characters}
        setting = ", ".join(x for x in (scene.place, scene.time) if x)
        cast = ", ".join(names.values()) or "—"
        self.query_one("#scene-summary", Static).update(
            Text(f"{scene.status} · {setting or 'cadre à préciser'} · personnages : {cast}")
        )
        panels = self.query_one("#panels", OptionList)
        old = panels.highlighted
        panels.clear_options()
        for p in detail.panels:
            prompt = Text.assemble(
                (f"{p.position + 1}. ", "bold"), p.picture or "(image à décrire)"
            )
            if p.caption:
                prompt.append(f"\n   récitatif : {p.caption}", "italic")
            for li in p.lines:
                prompt.append(f"\n   {names.get(li.character_id or '', '?')} : {li.text}")
            panels.add_option(Option(prompt, id=p.id))
        if detail.panels:
            wanted = old if highlight is None else highlight
            panels.highlighted = min(max(wanted or 0, 0), len(detail.panels) - 1)
        people = {p.id: p.pseudonym for p in store.participants()}
        self.sentences = []
        sentences = self.query_one("#source-sentences", OptionList)
        reached = sentences.highlighted
        sentences.clear_options()
        for source in detail.sources:
            text = store.document_text(source.document_id)
            for start, end, speaker in scenes.source_sentences(store, source):
                self.sentences.append((source.id, start, end, speaker))
                who = people.get(speaker or "", "—")
                sentences.add_option(Option(Text.assemble((f"{who} : ", "bold"), text[start:end])))
        if self.sentences:
            sentences.highlighted = min(reached or 0, len(self.sentences) - 1)

    def _panel_index(self) -> int | None:
        panels = self.query_one("#panels", OptionList)
        return panels.highlighted if panels.option_count else None

    def _changed(self, highlight: int | None = None) -> None:
        self.app.wrote()
        self.reload(highlight)

    def action_add(self) -> None:
        from recits.tui.screens.scene_dialogs import PanelDialog

        index = self._panel_index()
        at = None if index is None else index + 1

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                panel = self.app.store.add_panel(self.scene_id, *result, at=at)
                self._changed(panel.position)

        self.app.push_screen(PanelDialog(), done)

    def action_edit(self) -> None:
        from recits.tui.screens.scene_dialogs import PanelDialog

        index = self._panel_index()
        if index is None or self.detail is None:
            self.notify("Aucune vignette : a en ajoute une.", severity="warning")
            return
        panel = self.detail.panels[index]

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.app.store.update_panel(panel.id, picture=result[0], caption=result[1])
                self._changed(index)

        self.app.push_screen(PanelDialog(panel.picture, panel.caption), done)

    def action_move(self, step: int) -> None:
        from recits import scenes

        index = self._panel_index()
        if index is None or self.detail is None:
            return
        to = index + step
        if not 0 <= to < len(self.detail.panels):
            return
        scenes.move_panel(self.app.store, self.detail.scene, index + 1, to + 1)
        self._changed(to)

    def action_remove(self) -> None:
        index = self._panel_index()
        if index is None or self.detail is None:
            return
        self.app.store.remove_panel(self.scene_id, self.detail.panels[index].id)
        self.notify(f"Vignette {index + 1} retirée.")
        self._changed(index)

    def action_split(self) -> None:
        from recits import scenes

        if self.detail is None or not self.detail.sources:
            self.notify("Pas de source : S dans un document ou sur un extrait (F4) en ajoute.",
                        severity="warning")  # fmt: skip
            return
        made = sum(len(scenes.split_source(self.app.store, self.detail.scene, s))
                   for s in self.detail.sources)  # fmt: skip
        self.notify(f"{made} vignette(s) ajoutée(s), une par phrase.")
        self._changed()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from recits import scenes

        if event.option_list.id != "source-sentences" or self.detail is None:
            return
        source_id, start, end, speaker = self.sentences[event.option_index]
        source = next(s for s in self.detail.sources if s.id == source_id)
        index = self._panel_index()
        at = None if index is None else index + 1
        try:
            panel = scenes.panel_from_sentence(
                self.app.store, self.detail.scene, source, start, end, speaker, at=at
            )
        except RecitsError as err:
            self.notify(app_message(err), severity="error")
            return
        self.notify(f"Vignette {panel.position + 1} : la phrase devient une bulle.")
        self._changed(panel.position)

    def action_switch(self) -> None:
        panels = self.query_one("#panels", OptionList)
        target = "#source-sentences" if panels.has_focus else "#panels"
        self.query_one(target).focus()

    def on_data_changed(self, event: DataChanged) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
