"""The .qdpx import as a whole: into an open project, or into a new one made from the file.

These are the only functions here that use the project service (to import a source we do
not have as a transcript, and to perform the one command that adds the codings).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..codebook.qdc_import import import_qdc
from ..codebook.commands import EditCodebook
from ..errors import SessionCoderError
from .qdpx_import import ImportQdpxCodings, QdpxPlan, match_source, plan_qdpx
from .qdpx_read import read_qdpx


@dataclass
class QdpxImportResult:
    plan: QdpxPlan
    new_transcripts: list[str]
    command: ImportQdpxCodings | None

    def report(self) -> list[str]:
        lines = [f"new transcript from source: {n}" for n in self.new_transcripts]
        return lines + self.plan.report()


def _safe_name(name: str) -> str:
    """A plain-text file name for a source ("session.srt" -> "session.txt": the text in a
    .qdpx is plain text whatever the original was)."""
    base = re.sub(r"[^\w.\- ]+", "_", name).strip() or "source"
    stem, dot, ext = base.rpartition(".")
    if dot and ext.lower() in ("vtt", "srt", "docx", "csv", "tsv", "xlsx", "json", "txt"):
        base = stem
    return base + ".txt"


def import_qdpx(project, path: str | Path, *, complete: bool = False,
                perform=None) -> QdpxImportResult:
    """Import `path` into the open `project` (a Project); one undoable command for
    the codings (returned, so the caller can revert it). `perform(command)` applies it
    (default: the project's own; the app passes its undo stack's)."""
    proj = read_qdpx(path)
    new: list[str] = []
    sources: dict[str, int] = {}
    folder = Path(tempfile.mkdtemp(prefix="session-coder-qdpx-"))
    try:
        for src in proj.sources:
            with project._store.read() as conn:
                tid = match_source(conn, src)
            if tid is None:
                file = folder / _safe_name(src.name)
                file.write_text(src.text, encoding="utf-8")
                try:
                    result = project.importing.import_file(file)
                except SessionCoderError as exc:
                    raise SessionCoderError(f"{proj.file}: source '{src.name}' could not be "
                                            f"imported as a transcript ({exc})") from None
                tid = result.transcript.id
                new.append(result.transcript.name)
            sources[src.guid] = tid
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with project._store.read() as conn:
        plan = plan_qdpx(conn, proj, sources)
    for kind, n in proj.left_out.items():
        plan.notes.append(f"left out: {n} {kind} element(s) (not text codings)")
    command = None
    if plan.rows:
        command = ImportQdpxCodings(plan, complete=complete)
        (perform or project.perform)(command)
    return QdpxImportResult(plan, new, command)


def create_from_qdpx(project_path: str | Path, path: str | Path, *, complete: bool = False):
    """A new project from a .qdpx: its codebook, its sources, its codings. Returns
    (service, result, codebook notes)."""
    from ..project import Project
    proj = read_qdpx(path)
    book, notes = import_qdc(proj.qde, proj.file, name=proj.name)
    codes_fixed = []
    for g in book.groups:
        codes_fixed.append(_fill_definitions(g, proj.file))
    book = replace(book, groups=tuple(codes_fixed))
    project = Project.create(project_path, proj.name, empty=True)
    try:
        project.perform(EditCodebook(None, book, f"Use codebook from {proj.file}",
                                     source=proj.file))
        result = import_qdpx(project, path, complete=complete)
    except BaseException:
        project.close()
        for p in Path(project_path).parent.glob(Path(project_path).name + "*"):
            p.unlink(missing_ok=True)
        raise
    return project, result, notes


def _fill_definitions(group, file: str):
    codes = tuple(c if c.definition else replace(
        c, definition=f"Imported from {file} without a description; write a definition.")
        for c in group.codes)
    return replace(group, codes=codes,
                   groups=tuple(_fill_definitions(g, file) for g in group.groups))
