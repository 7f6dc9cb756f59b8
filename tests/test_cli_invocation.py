"""How `recits` is called: group options (--project, -p, --coder), the environment, no terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from recits.cli import cli
from recits.project import Project
from tests.test_cli import INTERVIEW


def recits(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A project with one interview, and the shell in another, empty folder."""
    monkeypatch.delenv("RECITS_PROJECT", raising=False)
    project = Project.init(tmp_path / "projet", coder="Claire")
    path = tmp_path / "entretien.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "ailleurs").mkdir()
    monkeypatch.chdir(tmp_path / "ailleurs")
    return project, path


def test_group_project_option_reaches_every_kind_of_command(elsewhere):
    project, path = elsewhere
    root = str(project.root)
    imported = recits("--project", root, "import", str(path))
    assert imported.exit_code == 0, imported.stderr
    assert "1 importé(s)" in imported.output
    docs = json.loads(recits("-p", root, "documents", "--json").output)
    assert [d["title"] for d in docs] == ["Entretien avec une travailleuse paire"]
    assert json.loads(recits("-p", root, "status", "--json").output)["documents"] == 1
    hits = json.loads(recits("-p", root, "search", "éducateurs", "--json").output)
    assert len(hits) == 1
    # Commands inside subgroups too.
    people = recits("-p", root, "participants", "list", "--json")
    assert people.exit_code == 0, people.stderr
    assert {p["pseudonym"] for p in json.loads(people.output)} == {"Intervieweuse", "Nadia"}
    checked = recits("-p", root, "codebook", "check")
    assert checked.exit_code == 0 and "4 code(s)" in checked.output
    exported = recits("-p", root, "codings", "export")
    assert exported.exit_code == 0, exported.stderr
    # Nothing was looked for in the current folder.
    assert not (project.root.parent / "ailleurs" / "recits.db").exists()


def test_the_command_option_wins_over_the_group_option_and_both_over_the_environment(
    elsewhere, tmp_path
):
    project, path = elsewhere
    other = Project.init(tmp_path / "autre", coder="Samia")
    assert recits("-p", str(project.root), "import", str(path)).exit_code == 0

    def documents(*args: str, env: dict[str, str] | None = None) -> int:
        result = recits(*args, env=env)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.output)["documents"]

    assert documents("-p", str(other.root), "status", "--json", "-p", str(project.root)) == 1
    assert documents("-p", str(project.root), "status", "--json", "-p", str(other.root)) == 0
    env = {"RECITS_PROJECT": str(other.root)}
    assert documents("status", "--json", env=env) == 0
    assert documents("--project", str(project.root), "status", "--json", env=env) == 1
    assert documents("status", "--json", "-p", str(project.root), env=env) == 1


def test_group_coder_option_says_who_codes(elsewhere):
    project, path = elsewhere
    root = str(project.root)
    assert recits("-p", root, "--coder", "Samia", "import", str(path)).exit_code == 0
    doc = json.loads(recits("-p", root, "documents", "--json").output)[0]
    coded = recits("-p", root, "--coder", "Samia", "code", doc["id"], "0", "10", "formation")
    assert coded.exit_code == 0, coded.stderr
    assert "par Samia" in coded.output
    status = json.loads(recits("-p", root, "status", "--json").output)
    assert status["codings_by_coder"] == {"Samia": 1}
    # The command's own option still wins.
    again = recits("-p", root, "--coder", "Samia", "code", doc["id"], "0", "10", "formation",
                   "--coder", "Karim")  # fmt: skip
    assert "par Karim" in again.output


def _commands(group: click.Group):
    for command in group.commands.values():
        if isinstance(command, click.Group):
            yield from _commands(command)
        else:
            yield command


def test_every_project_option_listens_to_the_group():
    """Any command added later with --project gets the group's value too."""
    from recits.cli.common import from_group

    options = [
        param
        for command in _commands(cli)
        for param in command.params
        if param.name == "project_dir"
    ]
    assert len(options) > 20
    assert all(option.callback is from_group for option in options)


def test_group_option_from_the_console_script(elsewhere):
    project, path = elsewhere
    result = subprocess.run(
        [sys.executable, "-m", "recits", "-p", str(project.root), "status"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "RECITS_PROJECT"},
    )
    assert result.returncode == 0, result.stderr
    assert f"({project.root})" in result.stdout


def test_no_progress_output_when_stderr_is_not_a_terminal(elsewhere):
    """`recits import … 2> log` (or in a script): no stray « Import » line in the log."""
    project, path = elsewhere
    result = subprocess.run(
        [sys.executable, "-m", "recits", "import", "-p", str(project.root), str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "1 importé(s)" in result.stdout
