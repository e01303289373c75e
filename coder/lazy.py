"""Load a module when it is first used, not when its importer is imported.

The desktop app shows its start screen before it needs SQLAlchemy, YAML or numpy: the
command modules that the UI imports at start name the store modules they will write with,
but those (and SQLAlchemy behind them) load only when a command first runs. Two helpers:

- ``lazy_module("coder.store.codings")`` — a stand-in that imports the module on its first
  attribute access and is then as good as the module;
- ``lazy_exports(__name__, {"Name": ".submodule", ...})`` — a package's module-level
  ``__getattr__`` so ``from package import Name`` imports only the submodule that holds it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType


class LazyModule:
    """A module imported on first attribute access (thread-safe: the import lock serialises
    concurrent first uses, and every later access reads the cached module)."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", None)

    def _load(self) -> ModuleType:
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            object.__setattr__(self, "_module", module)
        return module

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r}, {state}>"


def lazy_module(name: str) -> LazyModule:
    return LazyModule(name)


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], object],
                                                                   Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose names live in submodules:
    ``exports`` maps a public name to the relative submodule that defines it."""

    def __getattr__(name: str):
        where = exports.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where, package), name)
        setattr(importlib.import_module(package), name, value)     # the next access is direct
        return value

    def __dir__() -> list[str]:
        return sorted(set(exports) | set(globals_of(package)))

    return __getattr__, __dir__


def globals_of(package: str) -> dict:
    return vars(importlib.import_module(package))
