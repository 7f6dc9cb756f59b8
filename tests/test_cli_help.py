"""Every command's help page is French, whatever click class it was declared with."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from recits.cli import cli

ENGLISH = ("Usage:", "Show this message", "[default:", "[required]", " TEXT ", " INTEGER ",
           "--project DIRECTORY", " FILE ", " PATH ", "FLOAT RANGE", "Commands:")  # fmt: skip


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            paths += command_paths(sub, (*path, name))
    return paths


PATHS = command_paths(cli)


def test_the_walk_reaches_the_plain_commands():
    assert {("search",), ("web",), ("analyse",), ("check-quotes",)} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "recits")
def test_help_is_french(path):
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="recits", catch_exceptions=False)
    assert result.exit_code == 0
    page = result.output
    assert f"Utilisation : {' '.join(('recits', *path))}" in page
    assert "Affiche cette aide et quitte." in page
    assert [word for word in ENGLISH if word in page] == []
