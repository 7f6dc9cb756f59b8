"""Architecture rules that a reviewer would otherwise have to check by hand."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

from recits.store.base import StoreBase
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


# -- the store says what happened; the French sentence lives above it -------------------------
STORE = SRC / "store"
PROGRAMMING_ERRORS = {"RuntimeError", "ValueError", "TypeError"}  # for the developer, not shown
TAG = re.compile(r"[a-z_]+")  # a kind of row or of choice (« document », « origin »), not a phrase


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def store_wording(store: Path = STORE) -> list[str]:
    """Where a store module words a message itself: an import of recits.errors (whose errors
    take a sentence), a raise of anything but a typed failure or a programming error, a typed
    failure given a phrase, or a French quotation « … » in a string."""
    import recits.failures

    typed = {
        n
        for n, v in vars(recits.failures).items()
        if isinstance(v, type) and issubclass(v, recits.failures.Failure)
    }
    found = []
    for path in sorted(store.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = f"store/{path.name}"
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "recits.errors":
                found.append(f"{where}:{node.lineno} imports recits.errors")
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                callee = _name(node.exc.func)
                if callee in PROGRAMMING_ERRORS:
                    continue
                phrases = [
                    a
                    for arg in [*node.exc.args, *(k.value for k in node.exc.keywords)]
                    for a in ast.walk(arg)
                    if isinstance(a, ast.JoinedStr)
                    or (isinstance(a, ast.Constant) and isinstance(a.value, str)
                        and not TAG.fullmatch(a.value))
                ]  # fmt: skip
                if callee not in typed:
                    found.append(f"{where}:{node.lineno} raises {callee}, not a typed failure")
                elif phrases:
                    found.append(f"{where}:{node.lineno} gives {callee} a phrase")
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.search("«[ \u00a0\u202f]", node.value)
                and id(node) not in docstrings
            ):
                found.append(f"{where}:{node.lineno} words a French sentence")
    return sorted(set(found))


def test_the_store_raises_typed_failures_and_words_no_message():
    assert store_wording() == []


def test_the_wording_check_finds_a_french_message_in_the_store(tmp_path):
    (tmp_path / "things.py").write_text(
        "from recits.errors import RecitsError\n"
        "from recits.failures import NotFound\n"
        "def f(x):\n"
        "    raise RecitsError(f'document inconnu : {x}')\n"
        "def g(x):\n"
        "    raise NotFound('document', 'extrait codé introuvable')\n"
        "def h(x):\n"
        "    return f'- le code « {x} » a 3 extrait(s) codé(s)'\n"
        "def k(x):\n"
        "    raise NotFound('coding', x)\n",
        encoding="utf-8",
    )
    assert store_wording(tmp_path) == [
        "store/things.py:1 imports recits.errors",
        "store/things.py:4 raises RecitsError, not a typed failure",
        "store/things.py:6 gives NotFound a phrase",
        "store/things.py:8 words a French sentence",
    ]


def test_a_store_failure_is_a_recits_error_with_its_data_and_todays_words():
    from recits.errors import RecitsError, app_message
    from recits.failures import AmbiguousDocument, CodesStillUsed, CodeUse, UnknownCode

    err = AmbiguousDocument("réu", [("0123456789", "Réunion A"), ("abcdefghij", "Réunion B")])
    assert isinstance(err, RecitsError) and err.ref == "réu" and len(err.choices) == 2
    assert (
        str(err)
        == "« réu » désigne plusieurs documents : 01234567 « Réunion A », abcdefgh « Réunion B »"
    )
    err = UnknownCode("legitimite")
    assert "recits codebook check" in str(err) and "F6" in app_message(err)
    used = CodesStillUsed([CodeUse("pair", (("A", 2), ("B", 1)))])
    assert used.uses[0].total == 3
    assert str(used).endswith("\n- le code « pair » a 3 extrait(s) codé(s) : « A » (2), « B » (1)")


def test_a_store_failure_crosses_a_process_boundary_whole():
    import pickle

    from recits.failures import NotFound, UnknownCode

    for err in (NotFound("coding", "c-1"), UnknownCode("pair")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and back.__dict__ == err.__dict__
        assert str(back) == str(err) and back.in_app == err.in_app


# -- store mixins build on each other by inheritance, never behind `type: ignore` -------------
def _self_uses(cls: type) -> set[str]:
    tree = ast.parse(inspect.getsource(cls))
    return {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }


def store_mixins() -> list[type]:
    import recits.store

    return [
        cls
        for cls in recits.store.Store.__mro__
        if issubclass(cls, StoreBase) and cls.__module__.startswith("recits.store.")
    ]


def mixin_calls_outside_inheritance(mixins: list[type]) -> list[str]:
    """Each `self.x` a store mixin uses is its own, inherited, or set by StoreBase.__init__."""
    instance = {"conn", "path"}  # StoreBase.__init__
    found = []
    for cls in mixins:
        missing = sorted(a for a in _self_uses(cls) if a not in instance and not hasattr(cls, a))
        found += [f"{cls.__name__}.{a}" for a in missing]
    return found


class _SiblingCaller(StoreBase):
    def title(self, ref: str) -> str:
        return self.resolve_document(ref).title  # DocumentsMixin's, not inherited


def test_store_mixins_use_only_what_they_inherit():
    mixins = store_mixins()
    assert len(mixins) >= 12 and mixin_calls_outside_inheritance(mixins) == []
    assert mixin_calls_outside_inheritance([_SiblingCaller]) == ["_SiblingCaller.resolve_document"]
    ignored = [
        f"{p.name}:{n}"
        for p in sorted(STORE.glob("*.py"))
        if "Mixin(" in (text := p.read_text(encoding="utf-8"))
        for n, line in enumerate(text.splitlines(), 1)
        if "type: ignore" in line
    ]
    assert ignored == []
