"""Table cells from the project's data: plain text, never read as markup.

A string cell of a DataTable is parsed as Rich markup: a title such as « Réunion [mars] » would
lose its brackets or break the table. Text cells are shown as they are, and are cheaper to
measure when a table of hundreds of rows is filled.
"""

from __future__ import annotations

from rich.text import Text


def cell(value: str) -> Text:
    """One cell showing `value` verbatim, on one line."""
    return Text(value, no_wrap=True, end="")


def middle_clip(text: str, width: int) -> str:
    """`text` in at most `width` characters, words from its middle left out when too long:
    titles often differ only at the end (« Réunion du collectif … (visio) », « … (18 mai
    2021) »). The end keeps up to two thirds of the room, the start the rest."""
    if len(text) <= width:
        return text
    room = width - 3  # " … "
    words = text.split()
    if room < 4 or len(words) < 2:
        return text[: max(0, width - 1)] + "…"
    tail: list[str] = []
    while len(words) > len(tail) + 1:
        longer = " ".join([words[-1 - len(tail)], *tail])
        if len(longer) > room * 2 // 3:
            break
        tail.insert(0, words[-1 - len(tail)])
    tail_text = " ".join(tail) if tail else words[-1][-(room // 2) :]
    head_room = room - len(tail_text)
    head: list[str] = []
    for word in words[: len(words) - max(1, len(tail))]:
        if len(" ".join([*head, word])) > head_room:
            break
        head.append(word)
    head_text = " ".join(head) if head else words[0][:head_room]
    return f"{head_text} … {tail_text}"


def document_label(title: str, date: str | None, width: int) -> str:
    """A document as a list shows it in `width` characters: its date, then its title."""
    if not date:
        return middle_clip(title, width)
    return f"{date} {middle_clip(title, max(8, width - len(date) - 1))}"
