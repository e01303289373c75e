"""After an import: link the recording found beside each imported file (same name), one job
per file for the hashing, then one `LinkMedia` command each through ProjectEvents."""

from __future__ import annotations

from coder.errors import SessionCoderError
from coder.media import files
from coder.media.commands import LinkMedia


def _facts(path, *, progress=None, cancel=None):
    return files.read_facts(path)


def link_recordings_beside(events, runner, entries, say) -> int:
    """Start linking for every imported entry with a recording beside it; returns how many.
    `say(text)` reports each link or problem in one line."""
    project = events.project
    started = 0
    for entry in entries:
        info = getattr(entry, "info", None)
        recording = None if info is None else files.recording_beside(entry.path)
        if recording is None:
            continue

        def landed(facts, tid=info.id, name=info.name) -> None:
            if events.project is not project:
                return
            try:
                events.perform(LinkMedia(tid, facts, files.stored_path(facts.path,
                                                                       project.path)))
            except SessionCoderError as exc:
                say(f"{name}: recording not linked — {exc}")
                return
            say(f"{name}: linked {facts.path.name}")
        job = runner.start("Reading the recording", _facts, recording,
                           on_error=lambda m, name=info.name: say(f"{name}: {m}"))
        job.finished.connect(landed)
        started += 1
    return started
