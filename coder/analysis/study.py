"""`Study`: a project opened read-only for analysis, every table a pandas DataFrame.

It reads through the same :class:`~coder.project.Project` and access policy as the app: a
rater of a blind project sees only their own rows; a protected project needs the supervisor
passphrase for anyone's codings but the signed-in rater's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import SessionCoderError
from ..project import Project
from . import frames


def open_project(path: str | Path, rater: str | None = None,
                 passphrase: str | None = None) -> Study:
    """Open a project read-only for analysis. With ``rater`` you work as that rater (a
    supervisor of a protected project gives the passphrase too); without one, ``passphrase``
    unlocks a protected project's codings."""
    project = Project.open(path, readonly=True)
    try:
        if rater is not None:
            project.sign_in(rater, passphrase)
        elif passphrase is not None:
            project.unlock(passphrase)
    except BaseException:
        project.close()
        raise
    return Study(project)


class Study:
    def __init__(self, project: Project) -> None:
        self.project = project
        self._snap = None

    def close(self) -> None:
        self.project.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _snapshot(self):
        if self._snap is None:
            self._snap = self.project.codings.snapshot()
        return self._snap

    # -- the tables ----------------------------------------------------------------------
    def transcripts(self) -> pd.DataFrame:
        """One row per transcript: name, format, encoding, unit, units, turns, speakers,
        duration (Timedelta), imported_at (UTC Timestamp), sha256."""
        return frames.transcripts_frame(self.project.transcripts.list())

    def units(self, transcript: str | None = None) -> pd.DataFrame:
        """The Segments sheet: transcript, unit_kind, unit, turn, speaker, role, start, end
        (Timedelta), text."""
        names = None if transcript is None else [self.project.transcripts.get(transcript).name]
        return frames.units_frame(self.project, names)

    def codebook(self) -> pd.DataFrame:
        """The Codebook sheet: id, group, category_set, label, kind, scale_min, scale_max,
        unit, roles, definition, shortcut, colour, archived."""
        book = self.project.codebook.current()
        if book is None:
            raise SessionCoderError("this project has no codebook yet")
        return frames.codebook_frame(book)

    def codings(self, state: bool = True) -> pd.DataFrame:
        """Codings in long format. ``state=True``: one row per rater x unit x code in the
        code's scope (and per rater x transcript x session global), ``state`` applied /
        not applied / missing; ``state=False``: the Codings sheet's rows as they are."""
        if state:
            return frames.states_frame(self._snapshot())
        return frames.codings_sheet_frame(self.project, self._snapshot())

    def matrix(self, code: str) -> pd.DataFrame:
        """The reliability data of one code (or category set, or global): units x raters,
        NA for missing; the Matrix sheet's numbers."""
        return frames.matrix_frame(self._snapshot(), code)

    def reliability(self, **options) -> pd.DataFrame:
        """One row per code x statistic: code, data, statistic, value, se, ci_low, ci_high,
        method, convention, caution, undefined_reason (options as for
        ``project.reliability.report``)."""
        return frames.reliability_frame(self.project.reliability.report(**options))

    def episodes(self) -> pd.DataFrame:
        """Rupture -> repair episodes, one row per transcript x rater x episode (the Episodes
        sheet; the rule and its N and M are the project's, see docs/FEEDBACK.md)."""
        return frames.episodes_frame(self.project)
