"""Earlier exports: the files written and whose words they hold, to follow up a withdrawal."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from recits.consent import ConsentOutcome
from recits.exports.typography import plural
from recits.models import ExportRecord
from recits.store import Store


@dataclass(frozen=True)
class EarlierExport:
    """An export as it stands now: still on disk or not, and how many of its excerpts quote
    the participant asked about (None: an export older than this record, to check by hand)."""

    record: ExportRecord
    on_disk: bool
    excerpts_of: int | None = None

    @property
    def written_on(self) -> str:
        """The local date and time it was written: « 2021-06-12 14:03 »."""
        try:
            when = datetime.fromisoformat(self.record.written_at).astimezone()
        except ValueError:
            return self.record.written_at
        return when.strftime("%Y-%m-%d %H:%M")


def _on_disk(file: str) -> bool:
    try:
        return bool(file) and Path(file).is_file()
    except OSError:
        return False


def earlier_exports(
    store: Store, participant_id: str | None = None, scopes: Sequence[str] = ()
) -> list[EarlierExport]:
    """The exports written, oldest first; with `participant_id`, those holding that person's
    words (and older ones that did not record whom they quote); with `scopes`, only exports
    checked for those uses."""
    found = []
    for record in store.export_records(participant_id):
        if scopes and record.scope is not None and record.scope not in scopes:
            continue
        excerpts_of = None
        if participant_id is not None and record.quoted_known:
            excerpts_of = dict(record.quoted).get(participant_id, 0)
        found.append(EarlierExport(record, _on_disk(record.file), excerpts_of))
    return found


def follow_up(store: Store, outcome: ConsentOutcome, *, in_app: bool = False) -> str | None:
    """After a refusal or a withdrawal: which earlier exports hold the person's words (for the
    uses withdrawn), and where to list them. None for any other decision."""
    if not outcome.is_withdrawal:
        return None
    p = outcome.participant
    found = earlier_exports(store, p.id, outcome.decision.consent_scope)
    known = [e for e in found if e.excerpts_of]
    unknown = [e for e in found if e.excerpts_of is None]
    if not known and not unknown:
        return "Aucun export antérieur ne contient ses propos."
    parts = []
    if known:
        present = sum(1 for e in known if e.on_disk)
        held = plural(len(known), "export antérieur", "exports antérieurs")
        parts.append(
            f"ses propos figurent dans {held}"
            f" ({plural(present, 'fichier encore présent', 'fichiers encore présents')})"
        )
    if unknown:
        one = len(unknown) == 1
        parts.append(
            f"{plural(len(unknown), 'export plus ancien', 'exports plus anciens')}"
            + (" n'a pas enregistré qui il cite" if one else " n'ont pas enregistré qui ils citent")
            + " (à vérifier)"
        )
    where = (
        "la liste est dans le détail de cet écran (F8)"
        if in_app
        else f"« recits exports --participant {shlex.quote(p.pseudonym)} » les liste"
    )
    text = " ; ".join(parts)
    return f"{text[0].upper()}{text[1:]} : {where}, pour les reprendre."
