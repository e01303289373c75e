"""A project's codings as a frozen value for the statistics (read by
:func:`coder.store.snapshot_read.read_snapshot`; used by the reliability report, the export
and analytics). A plain value: the statistics never see the database."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .codebook import Codebook


def frozen_array(a, dtype) -> np.ndarray:
    """``a`` as a read-only array of ``dtype``. An array that already has it is not copied
    (a large study's snapshot is ~300 MiB: a copy doubled the read's peak); the snapshot gets
    a read-only view of it and the caller's array stays as it was."""
    arr = np.asarray(a, dtype=dtype)
    if arr is a:
        arr = arr.view()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class ReliabilitySnapshot:
    """The selected raters' work on the selected transcripts, as arrays.

    Units (``seg_*``, one entry per segment of the selected transcripts, ordered by transcript
    then kind then position): ``seg_transcript`` is an index into ``transcript_names``,
    ``seg_kind`` "turn" | "sentence" | "window", ``seg_role`` the speaker's role ("" for a
    window). ``done`` (units × raters, bool) says which rater completed which unit.
    Codings (``cod_*``): ``cod_unit`` is an index into the units, -1 for a session global;
    ``cod_transcript`` and ``cod_rater`` index the selected transcripts and raters;
    ``cod_code`` indexes ``code_keys`` (code ids as in the codebook); ``cod_value`` NaN for presence/category codes;
    ``cod_span_start``/``cod_span_end`` -1 when the coding has no span.
    """

    project: str
    codebook: Codebook
    codebook_version: int
    rater_names: tuple[str, ...]
    rater_ids: tuple[int, ...]
    transcript_names: tuple[str, ...]
    transcript_ids: tuple[int, ...]
    seg_id: np.ndarray
    seg_transcript: np.ndarray
    seg_kind: np.ndarray
    seg_position: np.ndarray
    seg_role: np.ndarray
    done: np.ndarray
    cod_unit: np.ndarray
    cod_transcript: np.ndarray
    cod_rater: np.ndarray
    code_keys: tuple[str, ...]
    cod_code: np.ndarray
    cod_value: np.ndarray
    cod_span_start: np.ndarray
    cod_span_end: np.ndarray

    @property
    def n_units(self) -> int:
        return int(self.seg_id.size)
