"""What the coding workspace does for a change set (issue 17: one frame per keypress).

A coding command's change set carries its exact writes (`ChangeSet.written`): the table model
updates from them without reading the store and repaints only the codes cells they touch;
done state, progress and the transcript's details are left alone (a coding write does not
change them). A change set without writes (marking done, a note, another change source)
reads the named units again, or every loaded unit when it names the shown transcript (an
import or a package merge may mark units done that it does not name). A new codebook,
blinding, sign-in, new unit times or a new rater load the whole transcript again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Follow:
    reload: bool = False                    # load project and transcript again
    writes: tuple | None = None             # update the model from these writes
    read_all: bool = False                  # read every loaded unit again
    read: frozenset[int] = frozenset()      # read these units again
    info: bool = False                      # read the transcript's details (and globals)
    globals: bool = False                   # read the session globals
    progress: bool = False                  # read the done progress


def follow(changes, shown: int | None, known_raters) -> Follow:
    """What to do for `changes` with transcript `shown` open (None: none) and the raters
    whose initials the view knows."""
    if (changes.codebook or changes.blinding or changes.signed_in
            or (shown is not None and shown in changes.times)
            or changes.raters - set(known_raters)):
        return Follow(reload=True)
    whole = shown is not None and shown in changes.transcripts
    written = changes.written
    if written is not None:
        return Follow(writes=written, globals=whole and any(
            w.unit_id is None and w.transcript_id == shown for w in written))
    return Follow(read_all=whole, read=frozenset() if whole else changes.segments,
                  info=whole, progress=True)


def load_globals(form, service, info) -> None:
    """The signed-in rater's session globals of transcript `info` into the GlobalsForm."""
    if service is None or info is None or service.viewer is None:
        form.setEnabled(False)
        return
    own = service.viewer.id
    form.set_values({v.code: int(v.value) for v in service.codings.session_globals(info.id)
                     if v.rater_id == own and v.value is not None})
    form.setEnabled(True)


def load_progress(bar, service, info, model) -> None:
    """(done, all) units of the model's kind for the signed-in rater into the WorkspaceBar."""
    if model is None or service is None or service.viewer is None or info is None:
        bar.set_progress(None)
        return
    bar.set_progress(service.codings.progress(info.id, model.kind))
