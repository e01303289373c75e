"""A codings table checked column by column: the import's fast path at study scale.

A million-row table holds few distinct texts per column (500 transcript names, a thousand
segment numbers, three raters, twenty codes, five values), so each column is read into
integer indices of its distinct texts, every rule of :mod:`.table_checks` is asked once per
distinct text (or distinct pair: a value with its code, a transcript with its code, a unit
kind with its speaker role), and numpy gathers the answers back onto the rows.

The rules stay those of :func:`.table_checks.check_rows`, which remains the reference: every
row this path does not accept as good or as missing goes through `check_rows`, which words its
error. Should `check_rows` accept a row this path turned away, the whole table is checked row
by row instead (slower, never different); the tests hold the two paths to the same plans,
counts and errors.
"""

from __future__ import annotations

from array import array

import numpy as np

from ..gc_pause import collection_paused
from ..jobs import Cancel, Progress, check, report
from .table_checks import (
    MISSING,
    OK,
    UNUSABLE,
    Context,
    _Plan,
    _unusable_number,
    check_rows,
    segment_position,
    unit_kind,
    value_of,
)
from .table_rows import Rows
from .table_units import _find_transcript

CHUNK = 10_000          # rows read at a time: 50,000 cost 25 MiB more peak memory, no time
TEXT_COLUMNS = ("transcript", "segment", "rater", "code", "value", "note")


class _Column:
    """One text column as indices into its distinct texts (in order of first appearance)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.rows = array("i")                  # 4 bytes a row

    def add(self, texts: list[str]) -> None:
        index = self.index
        for text in dict.fromkeys(texts):           # the chunk's distinct texts: few
            if text not in index:
                index[text] = len(index)
        self.rows.extend(map(index.__getitem__, texts))

    def texts(self) -> list[str]:
        return list(self.index)

    def array(self) -> np.ndarray:
        return np.frombuffer(self.rows, dtype=np.int32)


def _read(rows: Rows, progress: Progress | None, cancel: Cancel | None
          ) -> tuple[np.ndarray, dict[str, _Column]]:
    numbers = array("q")
    columns = {c: _Column() for c in TEXT_COLUMNS}
    order = [columns[c] for c in TEXT_COLUMNS]
    total = 0
    for number, texts in rows.column_chunks(CHUNK):
        check(cancel)
        numbers.extend(number)
        for column, values in zip(order, texts):
            column.add(values)
        total += len(number)
        report(progress, total, 0, "checking rows")
    return np.frombuffer(numbers, dtype=np.int64), columns


def _per_text(texts: list[str], fn, dtype=bool) -> np.ndarray:
    return np.fromiter((fn(t) for t in texts), dtype=dtype, count=len(texts))


def _pairs(a: np.ndarray, b: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (a, b) pairs (b < width) and each row's index into them."""
    keys, inverse = np.unique(a.astype(np.int64) * width + b, return_inverse=True)
    return keys, inverse.ravel().astype(np.int32)           # 4 bytes a row


def _to_array(typecode: str, values: np.ndarray) -> array:
    out = array(typecode)
    out.frombytes(np.ascontiguousarray(values, dtype=np.dtype(typecode)).tobytes())
    return out


def _first_seen(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks of `keys` by first appearance, and the row of each rank's first appearance."""
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[by_first] = np.arange(len(uniq))
    return rank[inverse.ravel()], first[by_first]


def check_columns(ctx: Context, rows: Rows, *, progress: Progress | None = None,
                  cancel: Cancel | None = None) -> tuple[_Plan, int, list[tuple[int, str]]]:
    """The result of :func:`.table_checks.check_rows` over `rows`, computed column-wise."""
    with collection_paused():
        numbers, cols = _read(rows, progress, cancel)
    n = len(numbers)
    if n == 0:
        return _Plan(), 0, []
    t_col, s_col, r_col, c_col, v_col, n_col = (cols[c] for c in TEXT_COLUMNS)
    t_texts, s_texts, r_texts = t_col.texts(), s_col.texts(), r_col.texts()
    c_texts, v_texts, n_texts = c_col.texts(), v_col.texts(), n_col.texts()
    t, s, r, c, v, nt = (col.array() for col in (t_col, s_col, r_col, c_col, v_col, n_col))

    # 1. no cell but the value is an unusable number
    def unusable(text: str) -> bool:
        return bool(text) and _unusable_number(text)
    good = np.ones(n, dtype=bool)
    for texts, idx in ((t_texts, t), (s_texts, s), (r_texts, r), (c_texts, c),
                       (n_texts, nt)):
        bad = _per_text(texts, unusable)
        if bad.any():
            good &= ~bad[idx]
    # 2-4. the transcript, the code, a rater
    infos = [_find_transcript(ctx.infos, text)[0] for text in t_texts]
    entries = [ctx.entries.get(text) for text in c_texts]
    good &= np.array([i is not None for i in infos])[t]
    good &= np.array([e is not None for e in entries])[c]
    good &= _per_text(r_texts, bool)[r]

    # 5-6. the value with its code: missing, wrong, or the number it gives
    pair_keys, pair_of_row = _pairs(v, c, len(c_texts))
    status = np.full(len(pair_keys), UNUSABLE, dtype=np.int8)   # any verdict but OK, MISSING
    values = np.full(len(pair_keys), np.nan)
    for k, key in enumerate(pair_keys.tolist()):
        entry = entries[key % len(c_texts)]
        if entry is None:
            continue
        status[k], values[k] = value_of(ctx, entry.code, v_texts[key // len(c_texts)])
    row_status = status[pair_of_row]
    missing = good & (row_status == MISSING)
    good &= row_status == OK
    del row_status

    # 7. the segment: empty for a session global, else a unit of the code's kind whose
    # speaker the code applies to
    segments = np.zeros(n, dtype=np.int64)
    is_global = np.array([e is not None and e.code.kind == "global" for e in entries])[c]
    empty = np.array([not text for text in s_texts])
    good &= ~is_global | empty[s]
    units = np.flatnonzero(good & ~is_global)
    del is_global
    if len(units):
        positions = _per_text(s_texts, _position, dtype=np.int64)[s[units]]
        segments_ok = _segments(ctx, infos, entries, t[units], c[units], positions,
                                len(c_texts))
        del positions
        good[units] = segments_ok > 0
        segments[units] = segments_ok
        del segments_ok
    del units

    # rows neither good nor missing: their errors, worded row by row
    slow = np.flatnonzero(~(good | missing))
    errors: list[tuple[int, str]] = []
    if len(slow):
        check(cancel)
        records = ((int(numbers[i]), t_texts[t[i]], s_texts[s[i]], r_texts[r[i]],
                    c_texts[c[i]], v_texts[v[i]], n_texts[nt[i]]) for i in slow.tolist())
        accepted, extra_missing, errors = check_rows(ctx, records)
        if len(accepted) or extra_missing:      # never expected: the reference decides
            return check_rows(ctx, rows.records(), progress=progress, cancel=cancel)
    return _plan(good, numbers, t, r, c, v, nt, pair_of_row, values, segments, infos,
                 entries, r_texts, n_texts), int(missing.sum()), errors


def _position(text: str) -> int:
    """The segment cell's position, or -1 when it gives none (or one past any unit)."""
    pos = segment_position(text) if text else None
    return pos if pos is not None and 0 < pos < 2**62 else -1


def _segments(ctx: Context, infos: list, entries: list, t: np.ndarray, c: np.ndarray,
              positions: np.ndarray, n_codes: int) -> np.ndarray:
    """For rows of unit codes: the segment id each row's cell names, or 0 where it names no
    unit of the code's kind in that transcript or the code does not apply to its speaker."""
    out = np.zeros(len(t), dtype=np.int64)
    kinds: dict[str, int] = {}
    kind_names: list[str] = []
    pair_keys, pair_of_row = _pairs(t, c, n_codes)
    pair_kind = np.empty(len(pair_keys), dtype=np.int64)
    for k, key in enumerate(pair_keys.tolist()):
        name = unit_kind(entries[key % n_codes].code, infos[key // n_codes])
        pair_kind[k] = kinds.setdefault(name, len(kinds))
        if len(kind_names) < len(kinds):
            kind_names.append(name)
    row_kind = pair_kind[pair_of_row]
    group = t.astype(np.int64) * len(kind_names) + row_kind
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    roles: dict[str, int] = {}
    row_role = np.zeros(len(t), dtype=np.int64)
    for start, stop in zip(starts.tolist(), [*starts[1:].tolist(), len(order)]):
        rows = order[start:stop]
        first = int(rows[0])
        info, kind = infos[int(t[first])], kind_names[int(row_kind[first])]
        ids, unit_roles = ctx.units(info.id, kind)
        ids = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, np.int64)
        role_codes = np.array([roles.setdefault(x, len(roles)) for x in unit_roles],
                              dtype=np.int64)
        pos = positions[rows]
        inside = (pos > 0) & (pos <= len(ids))
        at = np.where(inside, pos - 1, 0)
        if len(ids):
            out[rows] = np.where(inside, ids[at], 0)
            row_role[rows] = np.where(inside, role_codes[at], 0)
    # the scope: does the code apply to a unit of this kind and speaker role?
    role_names = list(roles) or [""]
    keys = (c.astype(np.int64) * len(kind_names) + row_kind) * len(role_names) + row_role
    triples, triple_of_row = np.unique(keys, return_inverse=True)
    applies = np.empty(len(triples), dtype=bool)
    for k, key in enumerate(triples.tolist()):
        code_at, rest = divmod(key, len(kind_names) * len(role_names))
        kind_at, role_at = divmod(rest, len(role_names))
        applies[k] = ctx.applies(entries[code_at].code, kind_names[kind_at],
                                 role_names[role_at])
    return np.where(applies[triple_of_row.ravel()], out, 0)


def _plan(good, numbers, t, r, c, v, nt, pair_of_row, values, segments, infos, entries,
          r_texts, n_texts) -> _Plan:
    plan = _Plan()
    rows = np.flatnonzero(good)
    if not len(rows):
        return plan
    info_ids = np.array([i.id if i is not None else 0 for i in infos], dtype=np.int64)
    plan.transcripts = _to_array("q", info_ids[t[rows]])
    plan.segments = _to_array("q", segments[rows])
    plan.values = _to_array("d", values[pair_of_row[rows]])
    plan.numbers = _to_array("q", numbers[rows])
    # raters by their folded name, codes and category sets, each in order of first use
    folded: dict[str, int] = {}
    fold_of_text = np.array([folded.setdefault(x.casefold(), len(folded)) for x in r_texts],
                            dtype=np.int64)
    rank, first = _first_seen(fold_of_text[r[rows]])
    plan.raters = _to_array("l", rank)
    plan.rater_names = [r_texts[int(r[rows[i]])] for i in first.tolist()]
    rank, first = _first_seen(c[rows])
    plan.codes = _to_array("l", rank)
    plan.code_keys = [entries[int(c[rows[i]])].code.id for i in first.tolist()]
    sets: dict[str, int] = {}
    set_of_code = np.array([sets.setdefault(e.group.id, len(sets))
                            if e is not None and e.code.kind == "category" else -1
                            for e in entries], dtype=np.int64)
    groups = set_of_code[c[rows]]
    in_set = np.flatnonzero(groups >= 0)
    plan_groups = np.full(len(rows), -1, dtype=np.int64)
    if len(in_set):
        rank, first = _first_seen(groups[in_set])
        plan_groups[in_set] = rank
        plan.group_labels = [entries[int(c[rows[in_set[i]]])].group.label
                             for i in first.tolist()]
    plan.groups = _to_array("l", plan_groups)
    noted = np.array([bool(x) for x in n_texts])[nt[rows]]
    plan.notes = {i: n_texts[int(nt[rows[i]])] for i in np.flatnonzero(noted).tolist()}
    return plan
