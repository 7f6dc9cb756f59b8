"""A coding session on one document: cursor, selection, codings, undo (no UI code here)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from recits.errors import RecitsError
from recits.masking import fold, fold_with_map
from recits.models import Coding, Document, NewCoding, Suggestion, Turn
from recits.sentences import turn_sentences, word_spans
from recits.store import Store


@dataclass(frozen=True)
class Passage:
    """A sentence of a turn: the unit the cursor moves by."""

    start_char: int
    end_char: int
    turn: int  # index into CodingSession.turns


@dataclass(frozen=True)
class Action:
    """What undo reverts: a coding added, removed, or its memo changed."""

    kind: str  # add | remove | memo
    coding: Coding
    previous_memo: str = ""


class CodingSession:
    def __init__(self, store: Store, document_id: str, coder: str) -> None:
        document = store.document(document_id)
        if document is None:
            raise RecitsError(f"document introuvable : {document_id}")
        self.store = store
        self.document: Document = document
        self.coder = coder
        self.text = store.document_text(document_id)
        self.turns: list[Turn] = store.turns(document_id)
        self.passages: list[Passage] = []
        self._starts: list[int] = []
        self.analysed = self._segment()
        self._turn_starts = [t.start_char for t in self.turns]
        self.codings: list[Coding] = store.codings(document_id=document_id)
        self.hide_others = False
        self.cursor = 0
        self.selection: tuple[int, int] = self._passage_span(0)
        self.undo_stack: list[Action] = []
        self.suggestions: list[Suggestion] = []  # the queue, most useful first
        self._folded: tuple[str, list[int] | None] | None = None  # for find, once

    # -- what is shown ---------------------------------------------------------------------------
    def visible_codings(self) -> list[Coding]:
        if not self.hide_others:
            return self.codings
        return [c for c in self.codings if c.coder == self.coder]

    def codings_over(self, start: int, end: int) -> list[Coding]:
        """Visible codings overlapping [start, end)."""
        return [c for c in self.visible_codings() if c.start_char < end and start < c.end_char]

    @property
    def passage(self) -> Passage | None:
        return self.passages[self.cursor] if self.passages else None

    def reload(self) -> None:
        """Pick up codings written elsewhere (another coder, the CLI), and the document's
        sentences once its analysis lands (opened before, it was cut by rule); the cursor stays
        on the same words."""
        self.codings = self.store.codings(document_id=self.document.id)
        if not self.analysed:
            where, selection = self.passage, self.selection
            self.analysed = self._segment()
            if self.analysed and where is not None:
                self.cursor = max(0, bisect.bisect_right(self._starts, where.start_char) - 1)
                same = selection == (where.start_char, where.end_char)
                self.selection = self._passage_span(self.cursor) if same else selection

    def _segment(self) -> bool:
        """Cut the turns into sentences: the analysis's when there is one, else by rule;
        whether the analysis's were used."""
        analysed = [(s.start_char, s.end_char) for s in self.store.sentences(self.document.id)]
        self.passages = [
            Passage(s, e, i) for s, e, i in turn_sentences(self.text, self.turns, analysed)
        ]
        self._starts = [p.start_char for p in self.passages]
        return bool(analysed)

    # -- moving ----------------------------------------------------------------------------------
    def _passage_span(self, index: int) -> tuple[int, int]:
        if not self.passages:
            return (0, 0)
        p = self.passages[index]
        return (p.start_char, p.end_char)

    def move_to(self, index: int) -> None:
        if not self.passages:
            return
        self.cursor = max(0, min(index, len(self.passages) - 1))
        self.selection = self._passage_span(self.cursor)

    def move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def move_turn(self, delta: int) -> None:
        """To the first sentence of the next (or previous) turn."""
        if not self.passages:
            return
        turn = self.passages[self.cursor].turn
        first_of_turn = next(i for i, p in enumerate(self.passages) if p.turn == turn)
        if delta < 0 and self.cursor != first_of_turn:
            self.move_to(first_of_turn)
            return
        target = turn + delta
        for i, p in enumerate(self.passages):
            if p.turn == target or (delta > 0 and p.turn > target):
                self.move_to(i)
                return
        if delta < 0:
            self.move_to(0 if target < 0 else first_of_turn)

    def goto_offset(self, offset: int) -> None:
        """Put the cursor on the passage holding this character offset."""
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        self.move_to(index)

    def next_matching(self, coded: bool) -> bool:
        """Jump to the next passage that has (or has no) visible coding; False if none."""
        for index in range(self.cursor + 1, len(self.passages)):
            p = self.passages[index]
            if bool(self.codings_over(p.start_char, p.end_char)) == coded:
                self.move_to(index)
                return True
        return False

    # -- selecting -------------------------------------------------------------------------------
    def select_sentence(self) -> None:
        self.selection = self._passage_span(self.cursor)

    def select_turn(self) -> None:
        if self.passages:
            turn = self.turns[self.passages[self.cursor].turn]
            self.selection = (turn.start_char, turn.end_char)

    def select_span(self, start: int, end: int) -> None:
        """A selection made with the mouse, snapped to whole words; it may cross turns."""
        start, end = sorted((start, end))
        if not self.passages:
            return
        self.goto_offset(start)
        before = self._words_around(start)
        after = self._words_around(max(start, end - 1))
        first = next((w for w in before if w[1] > start), before[-1] if before else None)
        last = next((w for w in reversed(after) if w[0] < max(end, start + 1)), None)
        if first is None or last is None:
            return
        self.selection = (first[0], max(last[1], first[1]))

    def resize(self, end_words: int = 0, start_words: int = 0) -> None:
        """Grow (positive) or shrink (negative) the selection by words, across turns if need
        be (as `recits code` can); punctuation (« … », a lone dash) is not a word to step on."""
        if not self.passages:
            return
        start, end = self.selection
        if end_words:
            ends = [w[1] for w in self._words_around(max(start, end - 1))]
            if end_words > 0:
                i = bisect.bisect_right(ends, end) + end_words - 1
            else:
                i = bisect.bisect_left(ends, end) + end_words
            if ends:
                end = max(ends[max(0, min(i, len(ends) - 1))], start + 1)
        if start_words:
            starts = [w[0] for w in self._words_around(start)]
            if start_words > 0:
                i = bisect.bisect_left(starts, start) - start_words
            else:
                i = bisect.bisect_right(starts, start) - start_words - 1
            if starts:
                start = min(starts[max(0, min(i, len(starts) - 1))], end - 1)
        self.selection = (start, end)

    def _words_around(self, offset: int) -> list[tuple[int, int]]:
        """The words (not the punctuation) of the turn holding `offset` and of the turns on
        either side: enough to step one word further, across a turn's end."""
        index = max(0, bisect.bisect_right(self._turn_starts, offset) - 1)
        words: list[tuple[int, int]] = []
        for turn in self.turns[max(0, index - 1) : index + 2]:
            words += [
                w for w in word_spans(self.text, turn.start_char, turn.end_char)
                if any(c.isalnum() for c in self.text[w[0] : w[1]])
            ]  # fmt: skip
        return words

    @property
    def selected_text(self) -> str:
        return self.text[self.selection[0] : self.selection[1]]

    # -- finding ---------------------------------------------------------------------------------
    def find(self, query: str) -> list[tuple[int, int]]:
        """Where `query` occurs in the document, ignoring case, accents and the kind of
        apostrophe or of space (as search does): spans in reading order."""
        words = fold(query).split()
        if not words:
            return []
        if self._folded is None:
            self._folded = fold_with_map(self.text)
        folded, origin = self._folded
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        spans = []
        for match in pattern.finditer(folded):
            start, end = match.start(), match.end()
            if origin is not None:
                start, end = origin[start], origin[end - 1] + 1
            spans.append((start, end))
        return spans

    # -- coding ----------------------------------------------------------------------------------
    def apply(self, code_id: str) -> Coding:
        start, end = self.selection
        if end <= start:
            raise RecitsError("rien n'est sélectionné")
        coding = self.store.add_coding(
            NewCoding(self.document.id, start, end, code_id, self.coder, origin="manual")
        )
        if all(c.id != coding.id for c in self.codings):
            self.codings.append(coding)
            self.undo_stack.append(Action("add", coding))
        return coding

    def remove(self, coding: Coding) -> None:
        self.store.remove_coding(coding.id, by=self.coder)
        self.codings = [c for c in self.codings if c.id != coding.id]
        self.undo_stack.append(Action("remove", coding))

    def set_memo(self, coding: Coding, memo: str) -> Coding:
        if memo == coding.memo:
            return coding  # nothing changed: nothing written, nothing to undo
        self.store.set_coding_memo(coding.id, memo, by=self.coder)
        updated = Coding(**{**coding.__dict__, "memo": memo})
        self.codings = [updated if c.id == coding.id else c for c in self.codings]
        self.undo_stack.append(Action("memo", updated, previous_memo=coding.memo))
        return updated

    def undo(self) -> str:
        """Revert the last action of this session; returns what was undone, in French."""
        if not self.undo_stack:
            raise RecitsError("rien à annuler")
        action = self.undo_stack.pop()
        coding = action.coding
        if action.kind == "add":
            self.store.remove_coding(coding.id, by=self.coder)
            self.codings = [c for c in self.codings if c.id != coding.id]
            return f"codage « {self.label(coding.code_id)} » annulé"
        if action.kind == "remove":
            self.codings.append(self.store.restore_coding(coding.id, by=self.coder))
            return f"suppression de « {self.label(coding.code_id)} » annulée"
        self.store.set_coding_memo(coding.id, action.previous_memo, by=self.coder)
        self.reload()
        if not action.previous_memo:
            return "mémo annulé : le codage n'a plus de mémo"
        if not coding.memo:
            return "effacement du mémo annulé : le mémo est rétabli"
        return "modification du mémo annulée : le texte d'avant est rétabli"

    def label(self, code_id: str) -> str:
        """How the coder knows a code: its label (the id only for a code no longer defined)."""
        code = next((c for c in self.store.codes() if c.id == code_id), None)
        return code.label if code else code_id

    def target_coding(self) -> Coding | None:
        """The coding a remove or a memo acts on: this coder's latest over the selection."""
        over = self.codings_over(*self.selection)
        mine = [c for c in over if c.coder == self.coder] or over
        return max(mine, key=lambda c: c.created_at) if mine else None

    # -- suggestions -----------------------------------------------------------------------------
    @property
    def suggestion(self) -> Suggestion | None:
        """The suggestion the queue is on (the head of the queue)."""
        return self.suggestions[0] if self.suggestions else None

    def set_suggestions(self, queue: list[Suggestion]) -> None:
        self.suggestions = [s for s in queue if s.document_id == self.document.id]
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        if self.suggestion is not None:
            self.goto_offset(self.suggestion.start_char)
            self.selection = (self.suggestion.start_char, self.suggestion.end_char)

    def decide(self, decision: str, code_id: str | None = None) -> str:
        """Accept, reject, skip or accept with another code the current suggestion; the queue
        moves on. Returns what was done, in French."""
        from recits import suggest  # scikit-learn and spaCy stay out of the app's start-up

        current = self.suggestion
        if current is None:
            raise RecitsError("aucune suggestion en attente (g pour en demander)")
        label = self.label(current.code_id)
        if decision == "accept":
            suggest.accept(self.store, current, self.coder)
            done = f"Suggestion acceptée : {label}"
        elif decision == "other" and code_id:
            suggest.accept_other(self.store, current, self.coder, code_id)
            done = f"Passage codé {self.label(code_id)} (au lieu de {label})"
        elif decision == "reject":
            suggest.reject(self.store, current, self.coder)
            done = f"Suggestion refusée : {label}"
        else:
            suggest.skip(self.store, current, self.coder)
            done = "Suggestion passée"
        self.suggestions.pop(0)
        if decision == "skip":
            self.suggestions.append(current)
        if decision in ("accept", "other"):
            self.reload()
            code_id = current.code_id if decision == "accept" else code_id
            made = [
                c
                for c in self.codings
                if (c.start_char, c.end_char, c.code_id, c.coder)
                == (current.start_char, current.end_char, code_id, self.coder)
            ]
            if made:  # undo (u) removes the coding the suggestion became
                self.undo_stack.append(Action("add", made[0]))
        self._show_suggestion()
        return done
