"""LiveReliability: the app's live per-code agreement, kept current while raters code.

Holds one :class:`coder.reliability.live.LiveAgreement` for the open project. On every
`ProjectEvents.changed` it asks the project for the current rows of the units the change set
names (`project.reliability.live_states`), updates the counts of those units only and emits
`updated({item key: StatResult})` with Krippendorff's alpha of every item, recomputed for the
items that changed (a few microseconds each). A new codebook, another rater, blinding or a
sign-in rebuild it; while blinding applies it holds nothing and emits an empty dict (no
figures are shown, as in the Reliability tab).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from coder.errors import SessionCoderError


class LiveReliability(QObject):
    updated = Signal(object)            # {item key: StatResult}; {} = nothing to show

    def __init__(self, events, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events = events
        self.live = None
        self.results: dict = {}
        self.last_update_ms = 0.0       # how long the last update took (bench, status)
        events.opened.connect(lambda _project: self.rebuild())
        events.changed.connect(self._changed)

    def rebuild(self) -> None:
        project = self.events.project
        self.live, self.results = None, {}
        if project is not None:
            try:
                self.live = project.reliability.live()
            except SessionCoderError:        # blind, or no codebook: nothing to show
                self.live = None
        if self.live is not None:
            self.results = {i.key: self.live.alpha(i.key) for i in self.live.items}
        self.updated.emit(dict(self.results))

    def _changed(self, changes) -> None:
        project = self.events.project
        if project is None:
            return
        if self.live is None or changes.codebook or changes.blinding or changes.signed_in:
            self.rebuild()
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
