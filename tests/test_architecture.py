"""Architecture rules that a reviewer would otherwise have to check by hand."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

SRC = REPO / "src" / "recits"


def core_modules() -> list[str]:
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        if "tui" in rel.parts or rel.name == "__main__":
            continue
        modules.append(".".join(p for p in rel.parts if p != "__init__") or "recits")
    return modules


def test_the_core_never_imports_textual():
    modules = core_modules()
    assert "recits.store" in modules and "recits.importers.docx" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_sql_lives_only_in_the_store():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if not {"store", "migrations"} & set(path.relative_to(SRC).parts)
        and sql.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_module_starts_with_a_docstring_and_stays_small():
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith('"""'), f"{path} : docstring d'une ligne attendue en tête"
        assert text.count("\n") <= 450, f"{path} : module trop long, à découper"
