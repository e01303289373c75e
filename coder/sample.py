"""The bundled sample project, built from the synthetic sessions in `sample_transcripts/`:
the four sessions under the rupture & repair codebook, coded by three raters (a supervisor and
two raters, one of whom drifts; see `sample_raters.py`), so reliability, disagreements and the
export have something to show on first launch."""

from __future__ import annotations

from pathlib import Path

from .errors import SessionCoderError
from .importers.pipeline import files_in
from .codebook.shipped import SHIPPED_DIR
from .model import SegmentationOptions
from .sample_raters import SAMPLE_VERSION, SUPERVISOR, CodeSampleSessions
from .jobs import Cancel, Cancelled, Progress
from .project import Project

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_transcripts"
SAMPLE_CODEBOOK = SHIPPED_DIR / "rupture_repair.yaml"
#: The rater the app signs in as when it opens the sample (blinding lifted).
SAMPLE_SUPERVISOR = SUPERVISOR.name

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
        with Project.create(tmp, name="Sample project", codebook=SAMPLE_CODEBOOK) as project:
            for i, f in enumerate(files):
                if cancel is not None and cancel():
                    raise Cancelled()
                if progress is not None:
                    progress(i, len(files) + 1, f"Importing {f.name}")
                project.importing.import_file(f, segmentation=SegmentationOptions(unit="turn"),
                                              roles=SAMPLE_ROLES.get(f.name))
            if progress is not None:
                progress(len(files), len(files) + 1, "Coding the sample sessions")
            code_sample(project)
            decide_sample_consensus(project)
        tmp.replace(path)
    finally:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    if progress is not None:
        progress(len(files) + 1, len(files) + 1, "Done")
    return path


def code_sample(project: Project) -> None:
    """Add the three sample raters' codings of every transcript, in one transaction."""
    infos = project.transcripts.list()
    units = {t.name: {kind: project.transcripts.segments(t.id, kind)
                      for kind in ("turn", "window")} for t in infos}
    project.perform(CodeSampleSessions(units, {t.name: t.id for t in infos},
                                       project.codebook.current()))


#: Units of the first session whose consensus the sample's supervisor has already decided.
CONSENSUS_UNITS = 12
CONSENSUS_REASON = "her reading after discussing the unit with the team"


def decide_sample_consensus(project: Project) -> int:
    """Start the consensus layer: the supervisor decides the first differing talk turns of
    the first session, taking her own codes (each decision audited, the first few with a
    reason), so the adjudication view shows decided and open units. Returns how many."""
    from .team.access import TeamAccess
    infos = project.transcripts.list()
    supervisor = next((r for r in project.raters.list() if r.name == SAMPLE_SUPERVISOR), None)
    if not infos or supervisor is None:
        return 0
    team = TeamAccess.of(project)
    diffs = team.differences(infos[0].id, "turn")[:CONSENSUS_UNITS]
    for i, diff in enumerate(diffs):
        project.perform(team.choose(supervisor.id, diff, supervisor.id,
                                    CONSENSUS_REASON if i < 3 else None))
    return len(diffs)


def sign_in_supervisor(project: Project):
    """Sign the sample's supervisor in and lift blinding (logged), so every rater's work is
    shown; returns the rater, or None when the project has no such supervisor."""
    supervisor = next((r for r in project.raters.list() if r.name == SAMPLE_SUPERVISOR
                       and r.role == "supervisor"), None)
    if supervisor is None:
        return None
    project.sign_in(supervisor.id)
    if project.access.blind:
        project.raters.set_blind(False)
    return supervisor


def sample_is_current(path: Path) -> bool:
    """Whether the sample project at `path` was built by this version of the builder."""
    from .store import Store
    from .store.sample import sample_version
    try:
        store = Store.open(Path(path), readonly=True, check=False)
    except SessionCoderError:
        return False
    try:
        with store.read() as conn:
            return sample_version(conn) == SAMPLE_VERSION
    finally:
        store.dispose()


def retire_sample(path: Path) -> Path:
    """Move an outdated sample project aside (never delete a user's work); returns where."""
    path = Path(path)
    n = 1
    while (target := path.with_name(f"{path.stem}-old{n}{path.suffix}")).exists():
        n += 1
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            side.replace(Path(str(target) + suffix))
    return target
