"""A small project with one interview, for driving the real app with Textual's pilot."""

from __future__ import annotations

import pytest

from recits.project import Project
from tests.conftest import run

INTERVIEW = """---
title: Entretien Nadia
kind: entretien
date: 2021-04-12
---
Intervieweuse : Comment ça se passe avec l'équipe ?
Nadia : Au début les éducateurs me voyaient comme une usagère. Maintenant ça va mieux. \
Je suis pair-e aidante à part entière.
Intervieweuse : Et la formation ?
Nadia : J'ai fait le DU, c'était dur. Mais on était entre travailleur·euse·s pair·e·s. \
Le soir je pensais encore aux personnes accompagnées.
Intervieweuse : Merci beaucoup.
"""


@pytest.fixture
def tui_project(tmp_path) -> Project:
    project = Project.init(tmp_path / "projet", coder="Claire")
    path = tmp_path / "entretien.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    assert run(project, "import", str(path)).exit_code == 0
    return project
