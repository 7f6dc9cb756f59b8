"""Errors that tell how to fix them with a command have the app's own wording (keys and
screens): the app never quotes a command-line flag."""

from __future__ import annotations

import ast
import re

from recits.errors import RecitsError, app_message
from recits.failures import MissingCoder
from tests.conftest import REPO

SRC = REPO / "src" / "recits"
ERRORS = {"RecitsError", "InputFileError", "CodebookError", "ExportRefused"}
COMMAND = re.compile(r"(?<![\w-])--[a-z]|« ?recits [a-z]|`recits [a-z]")
# Raised only on paths the app never takes: what the CLI alone passes (a title, speaker links,
# a project folder, a document or coder named on the command line). A typed failure's wording
# is its class's `super().__init__(…)`, named by the class.
CLI_ONLY = {
    ("ingest.py", "import_paths"),
    ("speakers.py", "parse_links"),
    ("speakers.py", "resolve_link"),
    ("speakers.py", "_the_one"),
    ("project.py", "open"),
    ("failures.py", "DocumentNotFound"),  # store.resolve_document
    ("coders.py", "get_coder"),
}


def _texts(node: ast.AST) -> str:
    return " ".join(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _functions(tree: ast.AST):
    """Each function with its name; an exception's `__init__` is named by its class."""
    owner = {id(f): c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = function.name
            yield (owner.get(id(function), name) if name == "__init__" else name), function


def _builds_an_error(call: ast.Call) -> bool:
    if _callee(call) in ERRORS:
        return True
    func = call.func  # super().__init__(message, in_app=…) in a typed failure
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and _callee(func.value) == "super"
    )


def commands_without_app_wording() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(("cli/", "tui/")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, function in _functions(tree):
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and _builds_an_error(call)):
                    continue
                said = " ".join(_texts(arg) for arg in call.args)
                if not COMMAND.search(said) or (rel, name) in CLI_ONLY:
                    continue
                if not any(k.arg == "in_app" and not COMMAND.search(_texts(k)) for k in
                           call.keywords):  # fmt: skip
                    found.append(f"{rel}:{call.lineno} ({name})")
    return found


def test_every_message_naming_a_command_has_the_apps_own_wording():
    assert commands_without_app_wording() == []


def test_the_check_finds_a_message_with_a_flag(tmp_path, monkeypatch):
    import tests.test_app_wording as module

    (tmp_path / "thing.py").write_text(
        "def f():\n    raise RecitsError('donnez un nom avec --coder')\n", encoding="utf-8"
    )
    monkeypatch.setattr(module, "SRC", tmp_path)
    assert module.commands_without_app_wording() == ["thing.py:2 (f)"]


def test_the_check_reads_a_typed_failures_own_wording(tmp_path, monkeypatch):
    import tests.test_app_wording as module

    (tmp_path / "failures.py").write_text(
        "class Gone(Failure):\n    def __init__(self):\n"
        "        super().__init__('voir « recits documents »')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(module, "SRC", tmp_path)
    assert module.commands_without_app_wording() == ["failures.py:3 (Gone)"]


def test_the_cli_keeps_its_wording_and_the_app_gets_its_own():
    err = MissingCoder()
    assert "--coder" in str(err) and "--" not in app_message(err)
    plain = RecitsError("date invalide")
    assert app_message(plain) == str(plain) == "date invalide"
    assert (
        app_message(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"
    )


def test_the_apps_own_texts_name_no_command():
    """Docstrings aside; `tui/web.py` is the server that `recits web` runs, a CLI command."""
    found = []
    for path in sorted((SRC / "tui").rglob("*.py")):
        if path.name in ("web.py", "web_access.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        ids = {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg == "id"}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings | ids  # widget ids are not shown
                and COMMAND.search(node.value)
            ):
                found.append(f"{path.relative_to(SRC).as_posix()}:{node.lineno}")
    assert found == []
