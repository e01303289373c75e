"""Project part: the project's codebook, its versions, files in and out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..codebook import Codebook, CodebookDiff, diff_codebooks
from ..codebook.commands import replace_codebook
from ..codebook.files import read_codebook_file, write_codebook_file
from ..commands import ChangeSet
from ..errors import SessionCoderError
from ..store import Store
from ..store import codebooks as cb_rows


class ProjectCodebook:
    def __init__(self, store: Store, perform: Callable) -> None:
        self._store, self._perform = store, perform

    def current(self, version: int | None = None) -> Codebook | None:
        """The project's codebook (the newest version, or `version`); None if it has none."""
        with self._store.read() as conn:
            return cb_rows.load_version(conn, version)

    def rates_windows(self) -> bool:
        """Whether the current codebook has codes rated per time window (imports then make
        windows next to the unit of coding)."""
        book = self.current()
        return book is not None and any(e.code.unit == "window" and not e.code.archived
                                        for e in book.codes())

    def versions(self) -> list[dict]:
        """[{version, created_at, source, summary}], oldest first."""
        with self._store.read() as conn:
            return cb_rows.versions(conn)

    def diff(self, old: int, new: int) -> CodebookDiff:
        a, b = self.current(old), self.current(new)
        if a is None or b is None:
            raise SessionCoderError(f"no codebook version {old if a is None else new}")
        return diff_codebooks(a, b)

    def coding_counts(self) -> dict[str, int]:
        """Codings per code id."""
        with self._store.read() as conn:
            return cb_rows.coding_counts(conn)

    def used_ids(self) -> set[str]:
        """Every code id this project has ever had (ids are never reused)."""
        with self._store.read() as conn:
            return set(cb_rows.code_keys(conn))

    def file_command(self, path: str | Path):
        """(command, notes) that makes a YAML or .qdc codebook the project's codebook when
        performed (one undoable step in the GUI); codes with codings that the file lacks are
        kept, archived. Notes say what a .qdc could not express."""
        book, notes = read_codebook_file(path)
        command = replace_codebook(self.current(), book, self.coding_counts(),
                                   source=Path(path).name)
        return command, notes

    def use_file(self, path: str | Path) -> tuple[ChangeSet, list[str]]:
        """Headless: make a codebook file the project's codebook now."""
        command, notes = self.file_command(path)
        return self._perform(command), notes

    def export(self, path: str | Path, version: int | None = None) -> None:
        """Write the codebook as YAML, or REFI-QDA .qdc when the name ends in .qdc."""
        book = self.current(version)
        if book is None:
            raise SessionCoderError("this project has no codebook yet")
        write_codebook_file(book, Path(path))
