"""ProjectService part: the project's inter-rater reliability report.

Reliability compares every rater's codings, so it is refused while a rater is signed in
and the project is blind (DESIGN.md: blinding is enforced in the core, not the UI); a
supervisor can turn blinding off. Headless use (no one signed in: the CLI, scripts) is allowed.

For the GUI: call :meth:`ReliabilityAccess.reliability_snapshot` on the main thread (one quick
read), then run ``functools.partial(build_report, **options)`` on it in a worker with
progress and cancel. The module functions do the work so that they can also be called on any
service object (``snapshot_for(service, ...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .coding import BlindingError

if TYPE_CHECKING:
    from ..reliability.project import Report

BLIND_MESSAGE = ("reliability needs every rater's codings, and this project is blind: "
                 "a supervisor can turn blinding off to compute it")


def check_allowed(service) -> None:
    """Refuse while blinding applies (a blind project in the app, or a rater signed in)."""
    if service.blinding_applies():
        raise BlindingError(BLIND_MESSAGE)


def snapshot_for(service, raters=None, transcripts=None):
    """The selected raters' work on the selected transcripts (names, or None for all)."""
    from ..reliability.project import read_snapshot
    check_allowed(service)
    with service._engine.connect() as conn:
        return read_snapshot(conn, service.codebook(), raters=raters,
                             transcripts=transcripts, project=service.name)


def report_for(service, raters=None, transcripts=None, *, progress=None, cancel=None,
               **options) -> Report:
    """Snapshot and report in one call (headless use; options as for build_report)."""
    from ..reliability.project import build_report
    snapshot = snapshot_for(service, raters, transcripts)
    return build_report(snapshot, progress, cancel, **options)


class ReliabilityAccess:
    viewer = None

    def reliability_snapshot(self, raters=None, transcripts=None):
        """A :class:`~coder.reliability.project.ReliabilitySnapshot` of the selected raters'
        codings and completed units on the selected transcripts (names; None for all).
        Raises BlindingError while a rater is signed in to a blind project."""
        return snapshot_for(self, raters, transcripts)

    def reliability_report(self, raters=None, transcripts=None, *, codes=None,
                           reference: str | None = None, ci: str = "analytic",
                           replicates: int = 1000, seed: int = 0, scheme: str | None = None,
                           cuts=("per_transcript", "pairs", "reference"), progress=None,
                           cancel=None) -> Report:
        """The reliability report (see :func:`coder.reliability.project.build_report`)."""
        return report_for(self, raters, transcripts, progress=progress, cancel=cancel,
                          codes=codes, reference=reference, ci=ci, replicates=replicates,
                          seed=seed, scheme=scheme, cuts=cuts)
