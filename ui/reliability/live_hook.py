"""LiveReliability: the app's live per-code agreement, kept current while raters code.

Holds one :class:`coder.reliability.live.LiveAgreement` for the open project. On every
`ProjectEvents.changed` it asks the project for the current rows of the units the change set
names (`project.reliability.live_states`), updates the counts of those units only and emits
`updated({item key: StatResult})` with Krippendorff's alpha of every item, recomputed for the
items that changed (a few microseconds each). A new codebook, another rater, blinding or a
sign-in rebuild it: the snapshot is read and the counts built on the job runner, and the
change sets that arrive meanwhile are applied after. While blinding applies it holds nothing and emits
an empty dict (no figures are shown, as in the Reliability tab).

The update waits for the event loop (issue 17, one frame per keypress): change sets are
gathered and applied by a zero timer, which Qt runs after the posted paint of the keypress
that made them, so the coded cell is on screen first; a burst of changes is one update.
`flush()` applies what is gathered at once.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from coder.commands import ChangeSet
from coder.errors import SessionCoderError


#: a change set naming more units than this rebuilds from a snapshot (on the runner) rather
#: than reading the units in chunks on the main thread
REBUILD_ABOVE = 5_000


class LiveReliability(QObject):
    updated = Signal(object)            # {item key: StatResult}; {} = nothing to show

    def __init__(self, events, runner=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events, self.runner = events, runner
        self.live = None
        self.results: dict = {}
        self.last_update_ms = 0.0       # how long the last update took (bench, status)
        self._building = None           # (project, change sets gathered meanwhile)
        self._job = None
        self._pending: ChangeSet | None = None   # gathered for the zero timer
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        events.opened.connect(lambda _project: self.rebuild())
        events.changed.connect(self._changed)

    def rebuild(self) -> None:
        """Counts from a fresh snapshot, read and built on the job runner when there is one
        (on this thread otherwise); the changes that arrive meanwhile are applied after."""
        project = self.events.project
        self.live, self.results, self._building = None, {}, None
        self._pending = None                    # the fresh snapshot has them
        self._timer.stop()
        if self._job is not None:
            self._job.cancel()
            self._job = None
        job = None
        if project is not None:
            try:
                job = project.reliability.live_job()     # asks the access policy now
            except SessionCoderError:        # blind, or no codebook: nothing to show
                job = None
        if job is None:
            self.updated.emit({})
            return
        if self.runner is None:
            self._built(job(), project)
            return
        self._building = (project, ChangeSet())
        self._job = self.runner.start("Live agreement", job, on_error=lambda _message: None)
        self._job.finished.connect(lambda live: self._built(live, project))

    def _built(self, live, project) -> None:
        if project is not self.events.project:
            return                              # another project was opened meanwhile
        gathered = self._building[1] if self._building else ChangeSet()
        self._building, self._job = None, None
        self.live = live
        if not gathered.empty:
            self.live.update(project.reliability.live_states(gathered))
        self.results = {i.key: self.live.alpha(i.key) for i in self.live.items}
        self.updated.emit(dict(self.results))

    def _changed(self, changes) -> None:
        project = self.events.project
        if project is None:
            return
        if changes.codebook or changes.blinding or changes.signed_in:
            self.rebuild()
            return
        if self._building is not None:
            self._building = (self._building[0], self._building[1] | changes)
            return
        self._pending = changes if self._pending is None else self._pending | changes
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def flush(self) -> None:
        """Apply the change sets gathered since the last update, now."""
        self._timer.stop()
        changes, self._pending = self._pending, None
        if changes is not None and self.events.project is not None:
            self._update(changes)

    def _update(self, changes) -> None:
        project = self.events.project
        if self._building is not None:
            self._building = (self._building[0], self._building[1] | changes)
            return
        if self.live is None or len(changes.segments) > REBUILD_ABOVE:
            self.rebuild()                      # e.g. a table of a million codings came in
            return
        if changes.raters - set(self.live.raters):
            known = {r.id for r in project.raters.list()}
            if known != set(self.live.raters):          # a rater was added or removed
                self.rebuild()
                return
        t0 = time.perf_counter()
        try:
            states = project.reliability.live_states(changes)
        except SessionCoderError:
            self.rebuild()
            return
        keys = self.live.update(states)
        for key in keys:
            self.results[key] = self.live.alpha(key)
        self.last_update_ms = (time.perf_counter() - t0) * 1000
        if keys:
            self.updated.emit(dict(self.results))

    def item_texts(self) -> dict[str, str]:
        """Item key (code id; a category set's group id) -> "α .71"."""
        return {key: alpha_text(r) for key, r in self.results.items()}

    def code_texts(self) -> dict[str, str]:
        """Code id -> "α .71" (each member of a category set shows the set's)."""
        if self.live is None:
            return {}
        return {c.id: alpha_text(self.results.get(item.key))
                for item in self.live.items for c in item.codes}


def alpha_text(result) -> str:
    """"α .71" / "α –" (undefined) for a small indicator."""
    if result is None or result.value is None:
        return "α –"
    text = f"{result.value:.2f}"
    return "α " + (text[1:] if text.startswith("0.") else text.replace("-0.", "-."))
