"""ui/ lives in rooms by area, and one area never touches another's privates (DESIGN.md rule 7).

Plain AST checks, no Qt: every module is in an area folder; no module reads or writes a
private attribute (``obj._name``) of an object that is not its own (``self``/``cls``) unless
a class in the same module defines that name; nobody imports a private name from another
area; the main window stays a composer.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"
AREAS = {"shell", "workspace", "codebook", "reliability", "importing", "export", "team",
         "feedback",
         "media"}
MAX_LINES = 400


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_privates(tree: ast.AST) -> set[str]:
    """Private names the classes of one module define: methods, class attributes, and
    attributes set on self."""
    names: set[str] = set()
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_private(node.name):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and is_private(node.id):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id == "self"
                  and is_private(node.attr)):
                names.add(node.attr)
    return names


def own_object(node: ast.expr) -> bool:
    if isinstance(node, ast.Name) and node.id in ("self", "cls"):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "super")


def foreign_private_uses(source: str, area: str) -> list[tuple[int, str]]:
    """(line, what) for each private reached on an object that is not this module's own, and
    each private name imported from another ui area."""
    tree = ast.parse(source)
    friends = defined_privates(tree)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and is_private(node.attr)
                and not own_object(node.value) and node.attr not in friends):
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ui."):
            parts = node.module.split(".")
            if len(parts) > 1 and parts[1] != area:
                found += [(node.lineno, f"import {a.name} from {node.module}")
                          for a in node.names if is_private(a.name)]
    return sorted(found)


def ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_ui_has_no_loose_modules_only_areas():
    assert sorted(p.name for p in UI.glob("*.py")) == ["__init__.py"]
    folders = {p.name for p in UI.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == AREAS
    for area in AREAS:
        assert (UI / area / "__init__.py").is_file(), f"ui/{area} is not a package"
        assert not [p for p in (UI / area).iterdir() if p.is_dir() and p.name != "__pycache__"]


def test_no_module_uses_another_areas_privates():
    problems = []
    for path in ui_modules():
        area = path.relative_to(UI).parts[0]
        for line, what in foreign_private_uses(path.read_text(encoding="utf-8"), area):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert problems == []


def test_the_check_sees_a_reach_into_another_object():
    """The checker itself can fail: a planted reach into a private is found, own ones are not."""
    source = (
        "from ui.workspace.bar import _helper\n"
        "class Menus:\n"
        "    def __init__(self, window):\n"
        "        self._mine = 1\n"
        "        window._update_title()\n"
        "        self._mine += window.workspace._jump_match\n"
        "        super()._setup()\n")
    assert foreign_private_uses(source, "shell") == [
        (1, "import _helper from ui.workspace.bar"), (5, "._update_title"),
        (6, "._jump_match")]
    # one's own privates, a friend class's in the same module, and one's own area's imports
    own = ("from ui.shell.jobs import _JobRunnable\n"
           "class Job:\n"
           "    def __init__(self):\n"
           "        self._stopped = 1\n"
           "class Runner:\n"
           "    def f(self, job):\n"
           "        job._stopped = self._count + super()._base()\n")
    assert foreign_private_uses(own, "shell") == []
    assert foreign_private_uses(own, "workspace") == [(1, "import _JobRunnable from ui.shell.jobs")]


def test_modules_stay_small_and_the_main_window_only_composes():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in ui_modules()}
    assert {k: v for k, v in sizes.items() if v > MAX_LINES} == {}
    tree = ast.parse((UI / "shell" / "main_window.py").read_text(encoding="utf-8"))
    [window] = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert [b.id for b in window.bases if isinstance(b, ast.Name)] == ["QMainWindow"]


def test_no_view_is_a_mixin_of_another_area():
    """Qt classes have one Qt base (composition, not mixins reading each other's state)."""
    multi = []
    for path in ui_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and len(node.bases) > 1:
                multi.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert multi == []
