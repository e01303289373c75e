"""Where things are in a codebook file: model paths mapped to 1-based line and column.

A *path* names a place in the model, e.g. ``("groups", 0, "codes", 2, "shortcut")`` or
``("groups", 0, "codes", 2, "roles", 1)``. The parser records the position of every value it
reads; the semantic checks ask for positions by path and fall back to the nearest enclosing
place. ``reported`` holds paths the parser already complained about (missing, wrong type), so
the checks do not report the same thing twice.
"""

from __future__ import annotations

from coder.codebook.problems import Problem

Path = tuple[object, ...]


class Locator:
    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.marks: dict[Path, tuple[int, int]] = {}
        self.reported: set[Path] = set()

    def mark(self, path: Path, line: int, column: int) -> None:
        self.marks[path] = (line, column)

    def has(self, path: Path) -> bool:
        return path in self.marks

    def at(self, path: Path) -> tuple[int | None, int | None]:
        for n in range(len(path), -1, -1):
            found = self.marks.get(path[:n])
            if found is not None:
                return found
        return None, None

    def line(self, path: Path) -> int | None:
        return self.at(path)[0] if path in self.marks else None

    def problem(self, path: Path, message: str) -> Problem:
        line, column = self.at(path)
        return Problem(self.file, line, column, message)
