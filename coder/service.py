"""ProjectService: the one door into the core (DESIGN.md, rule 2).

The GUI and the CLI both open a project through this class and ask it to do things; neither
reaches the database, the importers or spaCy directly. Writes take the project lock; reads
of a project that another instance holds open are allowed (``readonly=True``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, select

from .codebook import Codebook, CodebookDiff, diff_codebooks
from .codebook.shipped import default_codebook_path
from .codebook_commands import EditCodebook, replace_codebook
from .codebook_files import read_codebook_file, write_codebook_file
from .commands import ChangeSet, Command
from .errors import ProjectError, SessionCoderError, TranscriptFormatError
from . import importers
from .importing import PreparedImport, files_in, prepare_import, read_source
from .model import (ROLES, ColumnMap, ImportOptions, ImportResult, ParsedTranscript, Segment,
                    SegmentationOptions, Speaker, TranscriptInfo, Turn)
from .roles import guess_roles
from .segmentation import Cancel, Progress
from .store import codebooks as cb_rows
from .store import transcripts as rows
from .store.database import create_project_file, open_project_file
from .store.lock import REFRESH_EVERY_S, ProjectLock
from .store.schema import meta


class DuplicateTranscriptError(SessionCoderError):
    """The same file (by content) or another file of the same name is already imported."""


class ProjectService:
    """An open project. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None) -> None:
        self.path = path
        self._engine = engine
        self._lock = lock
        with engine.connect() as conn:
            self.name = conn.execute(select(meta.c.value)
                                     .where(meta.c.key == "project_name")).scalar_one()

    # -- opening and closing -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, name: str | None = None, *,
               codebook: str | Path | None = None, empty: bool = False) -> ProjectService:
        """A new project file with the codebook at `codebook` (default: the shipped alliance &
        safeness codebook; `empty=True`: none). The codebook is read before the file is made,
        so a bad codebook leaves no project behind."""
        path = Path(path)
        book = None if empty else read_codebook_file(codebook or default_codebook_path())
        lock = ProjectLock(path)
        lock.acquire()
        try:
            engine = create_project_file(path, name or path.stem)
        except BaseException:
            lock.release()
            raise
        project = cls(path, engine, lock)
        if book is not None:
            source = Path(codebook or default_codebook_path()).name
            project.execute(EditCodebook(None, book[0], f"Use codebook '{book[0].name}'",
                                         source=source))
        return project

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> ProjectService:
        path = Path(path)
        if readonly:
            return cls(path, open_project_file(path, readonly=True), None)
        lock = ProjectLock(path)
        lock.acquire()
        try:
            engine = open_project_file(path)
        except BaseException:
            lock.release()
            raise
        return cls(path, engine, lock)

    @property
    def readonly(self) -> bool:
        return self._lock is None

    def keep_alive(self) -> None:
        """Refresh the project lock; call at least every `REFRESH_INTERVAL_S` seconds."""
        if self._lock is not None:
            self._lock.refresh()

    REFRESH_INTERVAL_S = REFRESH_EVERY_S

    def close(self) -> None:
        self._engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ProjectService:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _writable(self) -> None:
        if self._lock is None:
            raise ProjectError(f"{self.path}: opened read-only")

    # -- commands (DESIGN.md rule 3) ---------------------------------------------------------
    def execute(self, command: Command) -> ChangeSet:
        """Apply a command in one transaction: committed before this returns."""
        self._writable()
        with self._engine.begin() as conn:
            return command.apply(conn)

    def revert(self, command: Command) -> ChangeSet:
        self._writable()
        with self._engine.begin() as conn:
            return command.revert(conn)

    # -- codebook ------------------------------------------------------------------------
    def codebook(self, version: int | None = None) -> Codebook | None:
        """The project's codebook (the newest version, or `version`); None if it has none."""
        with self._engine.connect() as conn:
            return cb_rows.load_version(conn, version)

    def codebook_versions(self) -> list[dict]:
        """[{version, created_at, source, summary}], oldest first."""
        with self._engine.connect() as conn:
            return cb_rows.versions(conn)

    def codebook_diff(self, old: int, new: int) -> CodebookDiff:
        a, b = self.codebook(old), self.codebook(new)
        if a is None or b is None:
            raise SessionCoderError(f"no codebook version {old if a is None else new}")
        return diff_codebooks(a, b)

    def coding_counts(self) -> dict[str, int]:
        """Codings per code id."""
        with self._engine.connect() as conn:
            return cb_rows.coding_counts(conn)

    def used_code_ids(self) -> set[str]:
        """Every code id this project has ever had (ids are never reused)."""
        with self._engine.connect() as conn:
            return set(cb_rows.code_keys(conn))

    def use_codebook_file(self, path: str | Path) -> tuple[ChangeSet, list[str]]:
        """Make a YAML or .qdc codebook the project's codebook (a new version); codes with
        codings that the file lacks are kept, archived. Returns the change and notes."""
        book, notes = read_codebook_file(path)
        command = replace_codebook(self.codebook(), book, self.coding_counts(),
                                   source=Path(path).name)
        return self.execute(command), notes

    def export_codebook(self, path: str | Path, version: int | None = None) -> None:
        """Write the codebook as YAML, or REFI-QDA .qdc when the name ends in .qdc."""
        book = self.codebook(version)
        if book is None:
            raise SessionCoderError("this project has no codebook yet")
        write_codebook_file(book, Path(path))

    # -- transcripts ---------------------------------------------------------------------
    def transcripts(self) -> list[TranscriptInfo]:
        with self._engine.connect() as conn:
            return rows.list_infos(conn)

    def transcript(self, name_or_id: str | int) -> TranscriptInfo:
        """One transcript by id, by exact name, or by a unique name without extension."""
        infos = self.transcripts()
        for info in infos:
            if info.id == name_or_id or info.name == name_or_id:
                return info
        if isinstance(name_or_id, str):
            stem = [i for i in infos if Path(i.name).stem == name_or_id]
            if len(stem) == 1:
                return stem[0]
        known = ", ".join(i.name for i in infos) or "none yet"
        raise SessionCoderError(f"{self.path.name}: no transcript named {name_or_id!r} "
                                f"(transcripts: {known})")

    def turns(self, transcript_id: int) -> list[Turn]:
        with self._engine.connect() as conn:
            return rows.turns_of(conn, transcript_id)

    def speakers(self, transcript_id: int) -> list[Speaker]:
        with self._engine.connect() as conn:
            return rows.speakers_of(conn, transcript_id)

    def set_roles(self, transcript_id: int, roles: dict[str, str]) -> None:
        """Change speaker roles of one transcript (labels as written in the file)."""
        self._writable()
        bad = {r for r in roles.values() if r not in ROLES}
        if bad:
            raise SessionCoderError(f"unknown role(s) {sorted(bad)}; use {', '.join(ROLES)}")
        with self._engine.begin() as conn:
            for label, role in roles.items():
                if not rows.set_role(conn, transcript_id, label, role):
                    raise SessionCoderError(f"no speaker {label!r} in this transcript")

    def segment_count(self, transcript_id: int, kind: str) -> int:
        with self._engine.connect() as conn:
            return rows.count_segments(conn, transcript_id, kind)

    def segments(self, transcript_id: int, kind: str, first: int = 1,
                 last: int | None = None) -> list[Segment]:
        """Units of `kind` at positions first..last (1-based, inclusive)."""
        with self._engine.connect() as conn:
            return rows.segments_of(conn, transcript_id, kind, first, last)

    # -- import --------------------------------------------------------------------------
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
        return named

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
        with self._engine.begin() as conn:
            rows.delete_transcript(conn, transcript_id)


__all__ = ["ProjectService", "DuplicateTranscriptError", "TranscriptFormatError"]
