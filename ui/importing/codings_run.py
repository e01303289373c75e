"""The worker side of importing codings: the core's checking job, with one answer turned
into a value. A table whose only problem is new rater names that look like misspellings is
a question for the user ("create them anyway?"), not an error: the job returns it as a
:class:`NamesQuestion` so the main thread can ask and start again with ``new_raters``."""

from __future__ import annotations

from dataclasses import dataclass

from coder.coding.table_io import RaterNamesError


@dataclass(frozen=True)
class NamesQuestion:
    text: str


def prepare_or_ask(fn, *, progress=None, cancel=None):
    """Run ``fn`` (``project.codings.import_job(...)``) as a JobRunner job."""
    try:
        return fn(progress=progress, cancel=cancel)
    except RaterNamesError as exc:
        return NamesQuestion(str(exc))
