"""Project folders: init, open, settings."""

from __future__ import annotations

import pytest

from recits.errors import RecitsError
from recits.project import Project


def test_init_creates_the_project_layout(tmp_path):
    project = Project.init(tmp_path / "p", name="Collectif", coder="Samia")
    root = project.root
    for name in ("recits.db", "recits.yaml", "codebooks/travail-pair.yaml", "corpus", "exports"):
        assert (root / name).exists(), name
    reopened = Project.open(root)
    assert reopened.settings.name == "Collectif"
    assert reopened.settings.coder == "Samia"
    with reopened.store() as store:
        assert store.code_ids()[:4] == [
            "charge-mentale",
            "legitimite",
            "reduction-des-risques",
            "formation",
        ]


def test_init_refuses_an_existing_project(project):
    with pytest.raises(RecitsError, match="contient déjà un projet"):
        Project.init(project.root)


def test_open_outside_a_project_says_how_to_create_one(tmp_path):
    with pytest.raises(RecitsError, match="recits init DOSSIER"):
        Project.open(tmp_path)


def test_broken_settings_are_reported(tmp_path):
    (tmp_path / "recits.yaml").write_text("name: [x\n", encoding="utf-8")
    with pytest.raises(RecitsError, match="réglages illisibles"):
        Project.open(tmp_path)
    (tmp_path / "recits.yaml").write_text("nom: x\n", encoding="utf-8")
    with pytest.raises(RecitsError, match="clé\\(s\\) inconnue\\(s\\) : nom"):
        Project.open(tmp_path)
