"""Lookups shared by every item of one report, made once from its snapshot (split from
:mod:`.matrices`, whose :func:`~.matrices.full_matrix` reads them): each unit's kind and role
pair, each code's codings, the units a scope covers and a presence code's completions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...codebook import Code
from ...coding.scope import applies_to
from ...snapshots import ReliabilitySnapshot
from ..prepare import MISSING


class Tables:
    """Lookups shared by every item of one report (built once from the snapshot)."""

    def __init__(self, snap: ReliabilitySnapshot) -> None:
        self.snap = snap
        # Each unit's (kind, role) pair as an index into the pairs that occur.
        kinds, roles = np.asarray(snap.kinds, dtype=str), np.asarray(snap.roles, dtype=str)
        n_pairs = kinds.size * roles.size
        # int16 where the pairs allow (a million units: 2 MiB an array; as int64 the pairs
        # and their parts were 24 MiB of every report item's peak in the study's export)
        small = np.int16 if n_pairs < 32768 else np.int64
        pair = snap.seg_kind_index.astype(small) * small(max(roles.size, 1))
        pair += snap.seg_role_index.astype(small)
        seen = np.zeros(n_pairs, dtype=bool)
        seen[pair] = True
        used = np.flatnonzero(seen)
        index = np.zeros(n_pairs, dtype=small)
        index[used] = np.arange(used.size)
        self.combos = [(str(kinds[u // roles.size]), str(roles[u % roles.size])) for u in used]
        self.combo_of = index[pair]
        del pair
        order = np.argsort(snap.cod_code, kind="stable")     # ascending rows within a code
        bounds = np.flatnonzero(np.diff(snap.cod_code[order])) + 1
        self.by_code: dict[str, np.ndarray] = {}
        for chunk in np.split(order, bounds) if order.size else []:
            self.by_code[snap.code_keys[snap.cod_code[chunk[0]]]] = chunk
        self._units: dict[bytes, tuple] = {}

    def _applies(self, code: Code) -> np.ndarray:
        """Per (kind, role) pair: can the code apply there (archived codes keep the scope
        they had)."""
        live = replace(code, archived=False)
        return np.array([applies_to(live, k, r) for k, r in self.combos], dtype=bool)

    def units(self, codes) -> np.ndarray:
        """The indices of the units any of ``codes`` can apply to, ascending. Codes with the
        same scope share one read-only array, made once per report (most presence codes of
        a codebook do)."""
        lut = np.zeros(len(self.combos), dtype=bool)
        for c in codes:
            lut |= self._applies(c)
        key = lut.tobytes()
        rows = self._units.get(key)
        if rows is None:
            scope = lut[self.combo_of] if self.combo_of.size else np.zeros(0, dtype=bool)
            rows = np.flatnonzero(scope)
            if scope.size < (1 << 31):            # int32: half of a million units' 8 MiB
                rows = rows.astype(np.int32)
            rows.setflags(write=False)
            self._units[key] = rows
        return rows

    def completed(self, rows: np.ndarray, dtype) -> np.ndarray:
        """A presence code's codes before its codings: 0 (not applied) where the rater
        completed the unit, MISSING where not; rows × raters, column-major, made a rater at a
        time (a gather of every rater's completions and its transpose were 10 MiB of
        temporaries a million units × 5 raters)."""
        done = self.snap.done
        out = np.full((rows.size, done.shape[1]), MISSING, dtype=dtype, order="F")
        for j in range(done.shape[1]):
            out[done[rows, j], j] = 0
        return out

    def codings(self, code_id: str) -> np.ndarray:
        return self.by_code.get(code_id, np.zeros(0, dtype=np.int64))
