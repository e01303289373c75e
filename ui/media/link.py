"""Linking and relocating a recording from the GUI: the file dialog on the main thread, the
hashing (seconds for a long video) as a job, then the command through ProjectEvents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from coder.errors import SessionCoderError
from coder.media import files
from coder.media.commands import LinkMedia

MEDIA_FILTER = ("Recordings (" + " ".join(f"*{s}" for s in files.MEDIA_SUFFIXES) +
                ");;All files (*)")


def _facts_job(path: Path, duration_ms=None, *, progress=None, cancel=None):
    return files.read_facts(path, duration_ms)


def choose_recording(parent, folder: str, title: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, MEDIA_FILTER)
    return Path(path) if path else None


def link_recording(parent, events, runner, transcript_id: int, path: Path,
                   relocate: bool = False, on_done=None) -> None:
    """Hash and probe `path` in a worker, then link it (relocate: only if it is the same
    recording by content)."""
    project = events.project
    current = project.media.get(transcript_id)

    def landed(facts) -> None:
        if events.project is not project:
            return
        if relocate and current is not None and facts.sha256 != current.sha256:
            QMessageBox.warning(parent, "Not the linked recording",
                                f"{facts.path.name} is not the recording linked to this "
                                f"transcript ({current.name}): its content differs. Link it "
                                "as a new recording if that is what you mean.")
            return
        command = LinkMedia(transcript_id, facts, files.stored_path(facts.path, project.path))
        if relocate:
            command.text = f"Relocate {facts.path.name}"
        try:
            events.perform(command)
        except SessionCoderError as exc:
            QMessageBox.warning(parent, "Cannot link the recording", str(exc))
            return
        if on_done is not None:
            on_done()

    duration = current.duration_ms if relocate and current is not None else None
    job = runner.start("Reading the recording", _facts_job, path, duration,
                       on_error=lambda m: QMessageBox.warning(parent, "Cannot link", m))
    job.finished.connect(landed)
