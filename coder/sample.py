"""The bundled sample project, built from the synthetic sessions in `sample_transcripts/`."""

from __future__ import annotations

from pathlib import Path

from .errors import SessionCoderError
from .importers.pipeline import files_in
from .model import SegmentationOptions
from .jobs import Cancel, Cancelled, Progress
from .project import Project

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_transcripts"

#: Roles the label guesser cannot know (two plain names), as a user would confirm them.
SAMPLE_ROLES = {
    "session02_teams.docx": {"Leah Brandt": "therapist", "Devon Marsh": "client"},
}


def sample_files() -> list[Path]:
    if not SAMPLE_DIR.is_dir():
        return []
    return files_in(SAMPLE_DIR)


def build_sample_project(path: Path, *, progress: Progress | None = None,
                         cancel: Cancel | None = None) -> Path:
    """Create the sample project at `path` (which must not exist) from the sample sessions.

    Built in a temporary file and renamed into place, so a cancel or crash never leaves a
    half-built sample project behind.
    """
    path = Path(path)
    files = sample_files()
    if not files:
        raise SessionCoderError(f"no sample transcripts in {SAMPLE_DIR}: the sample project "
                                "comes with a source checkout (pip install -e .)")
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    try:
        with Project.create(tmp, name="Sample project") as project:
            for i, f in enumerate(files):
                if cancel is not None and cancel():
                    raise Cancelled()
                if progress is not None:
                    progress(i, len(files), f"Importing {f.name}")
                project.importing.import_file(f, segmentation=SegmentationOptions(unit="turn"),
                                    roles=SAMPLE_ROLES.get(f.name))
        tmp.replace(path)
    finally:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    if progress is not None:
        progress(len(files), len(files), "Done")
    return path
