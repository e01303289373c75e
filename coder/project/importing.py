"""Project part: importing transcript files. Parsing and segmentation touch no database, so
the GUI runs them in a worker (`prepare`); storing is a command (`store`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from .. import importers
from ..errors import SessionCoderError
from ..importers.ahead import prepared_ahead
from ..importers.commands import StoreImport, check_new, unit_of
from ..importers.pipeline import (PreparedImport, files_in, prepare_compact, prepare_import,
                                  read_source)
from ..jobs import Cancel, Progress
from ..model import ColumnMap, ImportOptions, ImportResult, ParsedTranscript, SegmentationOptions
from ..roles import guess_roles
from ..store import Store


class Importing:
    def __init__(self, store: Store, perform: Callable) -> None:
        self._store, self._perform = store, perform

    @staticmethod
    def preview(path: str | Path, options: ImportOptions = ImportOptions()) -> ParsedTranscript:
        """Parse a file without storing it (for the import dialog's preview)."""
        path = Path(path)
        return importers.parse_bytes(read_source(path), path.name, options)

    @staticmethod
    def table_columns(path: str | Path, options: ImportOptions = ImportOptions()) -> list[str]:
        """Header names of a CSV/TSV/XLSX file, for mapping its columns."""
        path = Path(path)
        return importers.table_columns(read_source(path), path.name, options)

    @staticmethod
    def guess_columns(headers: list[str]) -> ColumnMap | None:
        return importers.guess_columns(headers)

    @staticmethod
    def guess_roles(labels: list[str]) -> dict[str, str]:
        return guess_roles(labels)

    @staticmethod
    def prepare(path: str | Path, options: ImportOptions = ImportOptions(),
                segmentation: SegmentationOptions = SegmentationOptions(), *,
                progress: Progress | None = None, cancel: Cancel | None = None) -> PreparedImport:
        """Read, parse and segment one file (a job: no database access)."""
        return prepare_import(Path(path), options, segmentation, progress=progress,
                              cancel=cancel)

    @staticmethod
    def prepare_all(paths: Sequence[str | Path], options: ImportOptions = ImportOptions(),
                    segmentation: SegmentationOptions = SegmentationOptions(), *,
                    fork: bool | None = None,
                    ) -> Iterator[tuple[Path, PreparedImport | SessionCoderError]]:
        """Every file read, parsed and segmented, in order, as ``(path, prepared)`` or
        ``(path, the error that file gave)``. In a headless process a forked child prepares
        the next file while the caller stores this one (:mod:`coder.importers.ahead`;
        ``fork=False``: never)."""
        return prepared_ahead([Path(p) for p in paths],
                              partial(prepare_compact, options=options,
                                      segmentation=segmentation), fork=fork)

    @staticmethod
    def files_in(folder: str | Path) -> list[Path]:
        """The importable files directly inside a folder."""
        return files_in(Path(folder))

    def default_segmentation(self) -> SegmentationOptions:
        """The unit of coding chosen when the project was made (imports start from it)."""
        with self._store.read() as conn:
            return unit_of(conn)

    def check_new(self, prepared: PreparedImport, *, replace: bool = False) -> int | None:
        """Raise if this file is already in the project; return the id it would replace."""
        with self._store.read() as conn:
            return check_new(conn, prepared, replace=replace)

    def command(self, prepared: PreparedImport, *, roles: dict[str, str] | None = None,
                replace: bool = False) -> StoreImport:
        """The command that stores `prepared` (for the GUI's undo stack)."""
        return StoreImport(prepared, roles, replace)

    def store(self, prepared: PreparedImport, *, roles: dict[str, str] | None = None,
              replace: bool = False, require_roles: bool = False) -> ImportResult:
        """Store a prepared import now, in one transaction (all of it or nothing); with
        `require_roles` a file with no therapist or client is refused (see StoreImport)."""
        command = StoreImport(prepared, roles, replace, require_roles)
        self._perform(command)
        return command.result

    def import_file(self, path: str | Path, options: ImportOptions = ImportOptions(),
                    segmentation: SegmentationOptions = SegmentationOptions(), *,
                    roles: dict[str, str] | None = None, replace: bool = False,
                    require_roles: bool = False, progress: Progress | None = None,
                    cancel: Cancel | None = None) -> ImportResult:
        """Parse, segment and store one file (headless; the GUI splits this in two)."""
        prepared = self.prepare(path, options, segmentation, progress=progress, cancel=cancel)
        return self.store(prepared, roles=roles, replace=replace, require_roles=require_roles)
