"""Every third-party module the app imports (coder/, ui/, main.py) comes from a runtime
dependency in pyproject.toml — not only from the test extras, which a user does not have."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT


def imported_top_modules() -> set[str]:
    names: set[str] = set()
    files = [ROOT / "main.py", *ROOT.joinpath("coder").rglob("*.py"),
             *ROOT.joinpath("ui").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"coder", "ui", "__future__"}


def declared(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].strip().lower().replace("_", "-")
            for r in requirements}


def test_every_imported_package_is_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = declared(project["dependencies"])
    dists = packages_distributions()
    missing = {}
    for module in sorted(imported_top_modules()):
        owners = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        if not owners & runtime:
            missing[module] = sorted(owners) or ["(not installed)"]
    assert not missing, f"imported but not runtime dependencies: {missing}"
