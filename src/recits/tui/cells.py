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
