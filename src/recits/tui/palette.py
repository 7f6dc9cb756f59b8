"""The command palette in French: the app's commands, and the few of Textual's worth keeping."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.screen import Screen

    from recits.tui.app import RecitsApp

PLACEHOLDER = "Chercher une commande…"
THEMES_PLACEHOLDER = "Chercher un thème de couleurs…"
NO_MATCH = "Aucune commande ne correspond"


class FrenchCommandPalette(CommandPalette):
    """Textual's palette, saying in French that nothing matches."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own countdown adds an English "No matches found"; the same, in French.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCH, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(app: RecitsApp, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's system commands in French, then the app's. Left out: Textual's key panel (its
    widget help is in English; « Aide » lists every key) and its screenshot, which would write
    a transcript's words, real names included, to a file that no export gate checks."""
    from recits.tui.screens.refi import open_refi

    yield SystemCommand("Corpus", "Liste des documents", app.action_corpus)
    yield SystemCommand("Extraits", "Retrouver les extraits d'un code", app.action_retrieve)
    yield SystemCommand("Recherche", "Recherche plein texte", app.action_search)
    yield SystemCommand("Grille de codage", "Codes et définitions", app.action_codebook)
    yield SystemCommand("Export", "Exporter les extraits (aperçu, contrôle des noms)",
                        app.action_export)  # fmt: skip
    yield SystemCommand("Export REFI-QDA", "Le projet (.qdpx) ou la grille (.qdc) pour NVivo,"
                        " ATLAS.ti, MAXQDA, QualCoder",
                        partial(open_refi, app, "qdpx"))  # fmt: skip
    yield SystemCommand("Importer REFI-QDA", "Un projet .qdpx, .qde ou une grille .qdc d'un"
                        " autre logiciel", partial(open_refi, app, "import"))  # fmt: skip
    yield SystemCommand("Participant·e·s", "Pseudonymes, rôles, alias et consentement",
                        app.action_participants)  # fmt: skip
    yield SystemCommand("Noms détectés", "Rattacher ou écarter les noms de personnes",
                        app.action_names)  # fmt: skip
    yield SystemCommand("Accord entre codeur·euse·s", "κ, α, comparer et arbitrer un document",
                        app.action_agreement)  # fmt: skip
    yield SystemCommand("Scènes de BD", "Trouver, écrire et faire valider les scènes",
                        app.action_scenes)  # fmt: skip
    yield SystemCommand("Aide", "Toutes les touches de cet écran", app.action_help)
    if screen.maximized is not None:
        yield SystemCommand("Réduire", "Rendre sa taille à la zone agrandie",
                            screen.action_minimize)  # fmt: skip
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand("Agrandir", "Agrandir la zone active (échap pour revenir)",
                            screen.action_maximize)  # fmt: skip
    yield SystemCommand("Thème", "Changer les couleurs de l'application", app.action_change_theme)
    yield SystemCommand("Quitter", "Fermer l'application (tout est déjà enregistré)",
                        app.action_quit)  # fmt: skip
