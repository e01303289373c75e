"""ProjectService part: importing transcript files (parse and segment off the main thread,
store in one transaction)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .. import importers
from ..errors import SessionCoderError
from ..importers.pipeline import PreparedImport, files_in, prepare_import, read_source
from ..model import (ROLES, ColumnMap, ImportOptions, ImportResult, ParsedTranscript,
                     SegmentationOptions)
from ..roles import guess_roles
from ..jobs import Cancel, Progress
from ..store import transcripts as rows


class DuplicateTranscriptError(SessionCoderError):
    """The same file (by content) or another file of the same name is already imported."""


class ImportAccess:
    # Parsing and segmentation touch no database: they are static so the GUI can run them
    # in a worker thread (DESIGN.md, rule 5) and store the result on the main thread.
    @staticmethod
    def preview_file(path: str | Path, options: ImportOptions = ImportOptions()
                     ) -> ParsedTranscript:
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
    def prepare_import(path: str | Path, options: ImportOptions = ImportOptions(),
                       segmentation: SegmentationOptions = SegmentationOptions(), *,
                       progress: Progress | None = None,
                       cancel: Cancel | None = None) -> PreparedImport:
        """Read, parse and segment one file (worker-safe: no database access)."""
        return prepare_import(Path(path), options, segmentation, progress=progress,
                              cancel=cancel)

    @staticmethod
    def transcript_files(folder: str | Path) -> list[Path]:
        """The importable files directly inside a folder."""
        return files_in(Path(folder))

    def check_new(self, prepared: PreparedImport, *, replace: bool = False) -> int | None:
        """Raise if this file is already in the project; return the id it would replace."""
        name = prepared.parsed.name
        with self._engine.connect() as conn:
            same = rows.find_by_sha(conn, prepared.sha256)
            named = rows.find_by_name(conn, name)
        if same is not None and not (replace and same[1] == name):
            raise DuplicateTranscriptError(
                f"{name}: this file is already imported as {same[1]!r} (same content); "
                "nothing was imported" + ("" if same[1] != name else
                                          " (use replace to import it again)"))
        if named is not None and not replace:
            raise DuplicateTranscriptError(
                f"{name}: a different transcript of that name is already in the project; "
                "rename the file, or replace the existing one")
        if named is not None:
            self._refuse_if_coded(named, "replaced")
        return named

    def _refuse_if_coded(self, transcript_id: int, what: str) -> None:
        with self._engine.connect() as conn:
            work = rows.work_done(conn, transcript_id)
        if work:
            raise DuplicateTranscriptError(
                f"this transcript has codings ({work} codings and completed units); it cannot "
                f"be {what}, because its units would change under them")

    def store_import(self, prepared: PreparedImport, *, roles: dict[str, str] | None = None,
                     replace: bool = False) -> ImportResult:
        """Store a prepared import in one transaction (all of it or nothing)."""
        self._writable()
        replaced = self.check_new(prepared, replace=replace)
        parsed = prepared.parsed
        chosen = guess_roles(list(dict.fromkeys(t.speaker for t in parsed.turns)))
        for label, role in (roles or {}).items():
            if role not in ROLES:
                raise SessionCoderError(f"unknown role {role!r} for {label!r}; "
                                        f"use {', '.join(ROLES)}")
            if label not in chosen:
                raise SessionCoderError(f"{parsed.name}: no speaker {label!r} in this file "
                                        f"(speakers: {', '.join(parsed.speakers)})")
            chosen[label] = role
        seg = prepared.segmentation
        windows = any(u.kind == "window" for u in prepared.units)
        with self._engine.begin() as conn:
            if replaced is not None:
                rows.delete_transcript(conn, replaced)
            tid = rows.insert_transcript(
                conn, name=parsed.name, fmt=parsed.format, encoding=parsed.encoding,
                sha256=prepared.sha256,
                imported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                settings=prepared.settings(), unit=seg.unit,
                window_minutes=seg.window_minutes if windows else None,
                duration_ms=parsed.duration_ms, turns=parsed.turns, roles=chosen,
                units=prepared.units)
            info = rows.list_infos(conn, tid)[0]
        self.keep_alive()
        return ImportResult(info, parsed.warnings)

    def import_file(self, path: str | Path, options: ImportOptions = ImportOptions(),
                    segmentation: SegmentationOptions = SegmentationOptions(), *,
                    roles: dict[str, str] | None = None, replace: bool = False,
                    progress: Progress | None = None,
                    cancel: Cancel | None = None) -> ImportResult:
        """Parse, segment and store one file (for the CLI; the GUI splits this in two)."""
        self._writable()
        prepared = prepare_import(Path(path), options, segmentation, progress=progress,
                                  cancel=cancel)
        return self.store_import(prepared, roles=roles, replace=replace)

    def remove_transcript(self, transcript_id: int) -> None:
        self._writable()
        self._refuse_if_coded(transcript_id, "removed")
        with self._engine.begin() as conn:
            rows.delete_transcript(conn, transcript_id)

