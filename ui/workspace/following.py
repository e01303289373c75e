"""How the coding workspace follows the project's change sets (issue 17: one frame per
keypress).

A coding command's change set carries its exact writes (`ChangeSet.written`): the table model
updates from them without reading the store and repaints only the codes cells they touch;
done state, progress and the session's own details are left alone (a coding write does not
change them). A change set without writes (marking done, a note, another change source) reads the named
units again, or every loaded unit when it names the shown transcript (an import or a package
merge may mark units done that it does not name); a new codebook, blinding, sign-in, new
unit times or a new rater load the whole transcript again.
"""

from __future__ import annotations

from coder.errors import SessionCoderError


class FollowsChanges:
    """Mixed into `CodingWorkspace` (which owns `service`, `info`, `model`, `bar`, ...)."""

    def _on_changed(self, changes) -> None:
        if self.service is None:
            return
        times = self.info is not None and self.info.id in changes.times
        if (changes.codebook or changes.blinding or changes.signed_in or times
                or changes.raters - self._rater_initials.keys()):
            # the codes, whose codings show, a new rater's initials or new unit times: load
            # again, and show the same transcript and unit again (set_project clears the view)
            shown = None if self.info is None else (self.info.id, self.current_row() + 1)
            self.set_project(self.service)
            if shown is not None:
                self.show_transcript(self.service.transcripts.get(shown[0]))
                self.go_to_position(shown[1])
            return
        written = changes.written
        whole = self.info is not None and self.info.id in changes.transcripts
        if self.model is not None:
            if written is not None:
                self.model.apply_writes(written, self._own_id())
            elif whole:                     # e.g. an import marking units done: read all
                self.model.refresh(self.model.loaded_ids())
            elif changes.segments:
                self.model.refresh(changes.segments)
        if whole:
            if written is not None:             # only its session globals may have changed
                if any(w.unit_id is None and w.transcript_id == self.info.id for w in written):
                    self._reload_globals()
            elif not self._reload_info():
                return
        if written is None:
            self._update_progress()
        self._update_panel()
        self._refresh_detail()

    def _reload_info(self) -> bool:
        try:
            self.info = self.service.transcripts.get(self.info.id)
        except SessionCoderError:        # this transcript was removed
            self.clear()
            return False
        self._reload_globals()
        return True

    def _update_progress(self) -> None:
        if self.model is None or self.service is None or self.service.viewer is None:
            self.bar.set_progress(None)
            return
        self.bar.set_progress(self.service.codings.progress(self.info.id, self.model.kind))

    def _reload_globals(self) -> None:
        if self.service is None or self.info is None or self.service.viewer is None:
            self.globals.setEnabled(False)
            return
        own = self.service.viewer.id
        values = {v.code: int(v.value) for v in self.service.codings.session_globals(self.info.id)
                  if v.rater_id == own and v.value is not None}
        self.globals.set_values(values)
        self.globals.setEnabled(True)
