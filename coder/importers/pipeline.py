"""Read one transcript file into everything the store needs, without touching a project.

`prepare_import` is the worker-shaped half of an import (``fn(..., progress, cancel)``): it
reads and hashes the bytes, parses them, and segments the turns. The service then stores the
result in one transaction (`Project.store_import`).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .. import importers
from ..errors import TranscriptFormatError
from ..model import ImportOptions, ParsedTranscript, ParsedTurn, SegmentationOptions
from ..jobs import Cancel, Progress
from ..model import SegmentSpec
from ..rowcolumns import Columns
from ..segmentation import segment, sentence_pipeline

SUPPORTED_SUFFIXES = (".vtt", ".srt", ".docx", ".txt", ".csv", ".tsv", ".xlsx", ".json")


@dataclass(frozen=True)
class PreparedImport:
    parsed: ParsedTranscript
    sha256: str
    units: tuple[SegmentSpec, ...]
    import_options: ImportOptions
    segmentation: SegmentationOptions
    segmenter: str                 # what made the units, shown to the user and stored

    def compact(self) -> PreparedImport:
        """The same import with its turns and units held as columns
        (:class:`coder.rowcolumns.Columns`): cheap to send to another process and to
        store; it reads and compares as before."""
        turns = Columns.of(ParsedTurn, self.parsed.turns)
        return replace(self, parsed=replace(self.parsed, turns=turns),
                       units=Columns.of(SegmentSpec, self.units))

    def settings(self) -> dict:
        opts = asdict(self.import_options)
        return {"import": opts, "segmentation": asdict(self.segmentation),
                "segmenter": self.segmenter, "format": self.parsed.format,
                "encoding": self.parsed.encoding}


def read_source(path: Path) -> bytes:
    """The file's bytes, refusing folders, missing files and oversized files up front."""
    path = Path(path)
    if not path.exists():
        raise TranscriptFormatError("no such file", file=str(path))
    if path.is_dir():
        raise TranscriptFormatError("is a folder; choose the files inside it", file=str(path))
    size = path.stat().st_size
    if size > importers.MAX_BYTES:
        raise TranscriptFormatError(
            f"file is {size / 1e6:.0f} MB; transcripts over {importers.MAX_BYTES // 1_000_000} MB "
            "are not supported (is this really a transcript?)", file=path.name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TranscriptFormatError(f"cannot read the file ({exc.strerror})",
                                    file=str(path)) from None


def prepare_import(path: Path, options: ImportOptions = ImportOptions(),
                   segmentation: SegmentationOptions = SegmentationOptions(), *,
                   progress: Progress | None = None,
                   cancel: Cancel | None = None) -> PreparedImport:
    from ..export.marker import is_our_export
    path = Path(path)
    data = read_source(path)
    if is_our_export(path):
        raise TranscriptFormatError("is an export written by Session Coder (codings and "
                                    "statistics), not a transcript", file=path.name)
    parsed = importers.parse_bytes(data, path.name, options)
    if not parsed.turns:
        raise TranscriptFormatError("no talk turns were found in this file", file=path.name)
    units = segment(parsed.turns, segmentation, name=path.name, progress=progress,
                    cancel=cancel)
    segmenter = sentence_pipeline()[1] if segmentation.unit == "sentence" else segmentation.unit
    return PreparedImport(parsed, hashlib.sha256(data).hexdigest(), tuple(units), options,
                          segmentation, segmenter)


def prepare_compact(path: Path, options: ImportOptions = ImportOptions(),
                    segmentation: SegmentationOptions = SegmentationOptions(), *,
                    progress: Progress | None = None) -> PreparedImport:
    """:func:`prepare_import`, its turns and units as columns (to send to another process
    and store: :meth:`PreparedImport.compact`)."""
    return prepare_import(path, options, segmentation, progress=progress).compact()


def files_in(folder: Path) -> list[Path]:
    """Transcript files directly inside `folder`, sorted by name (hidden files and the
    workbooks and CSV files Session Coder exported skipped)."""
    from ..export.marker import is_our_export
    if not Path(folder).is_dir():
        raise TranscriptFormatError("no such folder", file=str(folder))
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() in SUPPORTED_SUFFIXES and not is_our_export(p))
