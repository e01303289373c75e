"""A project's codings as a frozen value for the statistics (read by
:func:`coder.store.snapshot_read.read_snapshot`; used by the reliability report, the export
and analytics). A plain value: the statistics never see the database."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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


def _texts(words: tuple[str, ...], index: np.ndarray) -> np.ndarray:
    table = np.asarray(words, dtype=str) if words else np.zeros(0, dtype="<U1")
    arr = table[np.asarray(index, dtype=np.int64)] if index.size else np.zeros(0, table.dtype)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class ReliabilitySnapshot:
    """The selected raters' work on the selected transcripts, as arrays.

    Units (``seg_*``, one entry per segment of the selected transcripts, ordered by transcript
    then kind then position): ``seg_transcript`` is an index into ``transcript_names``,
    ``seg_kind_index`` into ``kinds`` ("turn" | "sentence" | "window", sorted),
    ``seg_role_index`` into ``roles`` (the speaker's role, "" for a window; sorted);
    ``seg_kind`` and ``seg_role`` give them as text. ``done`` (units × raters, bool) says which rater completed which unit.
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
    seg_kind_index: np.ndarray
    kinds: tuple[str, ...]
    seg_position: np.ndarray
    seg_role_index: np.ndarray
    roles: tuple[str, ...]
    done: np.ndarray
    cod_unit: np.ndarray
    cod_transcript: np.ndarray
    cod_rater: np.ndarray
    code_keys: tuple[str, ...]
    cod_code: np.ndarray
    cod_value: np.ndarray
    cod_span_start: np.ndarray
    cod_span_end: np.ndarray

    @cached_property
    def seg_kind(self) -> np.ndarray:
        """Each unit's kind as text (made when first read; the export and the statistics
        use :attr:`seg_kind_index` and :attr:`kinds`)."""
        return _texts(self.kinds, self.seg_kind_index)

    @cached_property
    def seg_role(self) -> np.ndarray:
        """Each unit's speaker role as text (see :attr:`seg_kind`)."""
        return _texts(self.roles, self.seg_role_index)

    def kind_of(self, unit: int) -> str:
        return self.kinds[self.seg_kind_index[unit]]

    @property
    def n_units(self) -> int:
        return int(self.seg_id.size)
