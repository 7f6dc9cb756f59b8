"""The command line as a user drives it: commands, JSON output, exit codes, README."""

from __future__ import annotations

import csv
import io
import json
import re

import click

from recits.cli import cli
from tests.conftest import REPO, db_snapshot, run

INTERVIEW = """---
title: Entretien avec une travailleuse paire
kind: entretien
date: 2021-04-12
---
[00:00:12] Intervieweuse : Comment ça se passe avec l'équipe ?
[00:00:31] Nadia : Au début les éducateurs me voyaient comme une usagère.
Maintenant ça va mieux, je suis pair-e aidante à part entière.
[00:01:02] Intervieweuse : Et la formation ?
[00:01:10] Nadia : J'ai fait le DU, c'était dur. Mais on était entre travailleur·euse·s pair·e·s.
"""


def all_commands(group: click.Group, prefix: str = "recits") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names.extend(all_commands(command, f"{prefix} {name}"))
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_cli_command_is_in_the_readme_with_an_example():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = all_commands(cli)
    assert len(commands) >= 10
    for command in commands:
        assert f"`{command}`" in readme, f"{command} n'est pas documentée dans le README"
        assert re.search(rf"^{re.escape(command)}\b", readme, re.M), f"pas d'exemple : {command}"


def imported(project, tmp_path):
    path = tmp_path / "entretien.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_init_import_show_and_documents(tmp_path):
    result = run(None, "init", str(tmp_path / "p"), "--coder", "Claire")
    assert result.exit_code == 0 and "créé" in result.output
    from recits.project import Project

    project = Project.open(tmp_path / "p")
    imported(project, tmp_path)
    docs = json.loads(run(project, "documents", "--json").output)
    assert [d["title"] for d in docs] == ["Entretien avec une travailleuse paire"]
    assert docs[0]["kind"] == "entretien" and docs[0]["date"] == "2021-04-12"
    shown = json.loads(run(project, "show", docs[0]["id"][:6], "--json").output)
    speakers = [t["speaker"] for t in shown["turns"]]
    assert speakers == ["Intervieweuse", "Nadia", "Intervieweuse", "Nadia"]
    for turn in shown["turns"]:
        assert shown["text"][turn["start_char"] : turn["end_char"]] == turn["text"]
    assert shown["turns"][1]["text"].endswith("je suis pair-e aidante à part entière.")
    assert shown["turns"][1]["timestamp"] == "00:00:31"
    text = run(project, "show", "Entretien avec une travailleuse paire").output
    assert "Nadia" in text and "travailleur·euse·s pair·e·s" in text


def test_reimport_does_nothing_and_a_changed_file_is_a_new_version(project, tmp_path):
    path = imported(project, tmp_path)
    before = db_snapshot(project.db_path)
    again = run(project, "import", str(path))
    assert again.exit_code == 0 and "déjà importé" in again.output
    assert db_snapshot(project.db_path) == before
    path.write_text(INTERVIEW.replace("c'était dur", "c'était très dur"), encoding="utf-8")
    changed = run(project, "import", str(path))
    assert changed.exit_code == 0 and "nouvelle version" in changed.output
    titles = [d["title"] for d in json.loads(run(project, "documents", "--json").output)]
    assert sorted(titles) == [
        "Entretien avec une travailleuse paire",
        "Entretien avec une travailleuse paire (version 2)",
    ]


def test_code_export_and_import_codings(project, tmp_path):
    imported(project, tmp_path)
    shown = json.loads(
        run(project, "show", "Entretien avec une travailleuse paire", "--json").output
    )
    start = shown["text"].index("J'ai fait le DU")
    end = shown["text"].index("dur.") + len("dur.")
    result = run(
        project,
        "code",
        shown["id"],
        str(start),
        str(end),
        "formation",
        "--coder",
        "Samia",
        "--memo",
        "DU",
    )
    assert result.exit_code == 0, result.output
    assert "« J'ai fait le DU, c'était dur. » codé formation par Samia" in result.output
    lines = run(project, "codings", "export", "--real-text").stdout.splitlines()
    row = json.loads(lines[0])
    assert (row["document"], row["start_char"], row["end_char"]) == (shown["id"], start, end)
    assert (row["code"], row["coder"], row["memo"], row["origin"]) == (
        "formation",
        "Samia",
        "DU",
        "manual",
    )
    out = tmp_path / "codage.csv"
    exported = run(
        project, "codings", "export", "--format", "csv", "--real-text", "--out", str(out)
    )
    assert exported.exit_code == 0 and "texte réel" in exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["text"] == "J'ai fait le DU, c'était dur."
    refused = run(project, "codings", "export", "--out", str(out))
    assert refused.exit_code != 0 and "existe déjà" in refused.stderr

    other = tmp_path / "claire.jsonl"
    line = dict(row, coder="Claire", document=shown["title"])
    other.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(project, "codings", "import", str(other))
    assert result.exit_code == 0 and "1 extrait(s)" in result.output
    status = json.loads(run(project, "status", "--json").output)
    assert status["codings_by_coder"] == {"Claire": 1, "Samia": 1}
    assert status["documents"] == 1 and status["codes"] == 4


def test_search_json(project, tmp_path):
    imported(project, tmp_path)
    hits = json.loads(run(project, "search", "EDUCATEURS", "--json").output)
    assert len(hits) == 1 and hits[0]["speaker"] == "Nadia"
    shown = json.loads(run(project, "show", hits[0]["document_id"], "--json").output)
    assert shown["text"][hits[0]["start_char"] : hits[0]["end_char"]] == "éducateurs"
    assert "Aucun résultat" in run(project, "search", "zzzz").output


def test_no_project_gives_a_french_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "documents")
    assert result.exit_code == 1
    assert "recits init DOSSIER" in result.stderr


def test_codebook_check(tmp_path):
    ok = run(None, "codebook", "check", str(REPO / "codebooks" / "travail-pair.yaml"))
    assert ok.exit_code == 0 and "4 code(s)" in ok.output and "charge-mentale" in ok.output
    bad = tmp_path / "g.yaml"
    bad.write_text("codes:\n  - id: a\n    label: A\n  - id: a\n    label: B\n", "utf-8")
    result = run(None, "codebook", "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}, ligne 4" in result.stderr and "en double" in result.stderr
    broken = tmp_path / "h.yaml"
    broken.write_text("codes:\n  - id: a\n   label: A\n", "utf-8")
    result = run(None, "codebook", "check", str(broken))
    assert result.exit_code == 1 and "erreur de syntaxe YAML" in result.stderr


def test_help_and_usage_errors_are_in_french(tmp_path):
    import subprocess
    import sys

    def recits(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "recits", *args], capture_output=True, text=True, cwd=tmp_path
        )

    help_page = recits("codings", "export", "--help")
    assert help_page.returncode == 0
    assert "Utilisation : recits codings export" in help_page.stdout
    assert "Affiche cette aide et quitte." in help_page.stdout
    assert "Commandes" in recits("--help").stdout
    wrong = recits("documents", "--projet", "x")
    assert wrong.returncode == 2
    assert "Erreur : option inconnue : --projet" in wrong.stderr and "--project" in wrong.stderr
    missing = recits("show")
    assert missing.returncode == 2 and "Erreur : argument manquant : DOC" in missing.stderr
    assert "commande inconnue : « frob »" in recits("frob").stderr
    outside = recits("documents")  # a RecitsError: exit code 1 from the console script too
    assert outside.returncode == 1 and "recits init DOSSIER" in outside.stderr
    assert recits("status", "--project", str(tmp_path / "nope")).returncode == 1
