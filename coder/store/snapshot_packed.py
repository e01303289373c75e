"""The snapshot's bulk reads: a whole table's integer columns in one query, as text parsed by
numpy, instead of one Python tuple per row.

A project has ~10^6 codings. Fetching them as rows costs ~2 µs a row in the driver and as much
again to turn the tuples into arrays; an aggregate that joins a column into one string
(``aggregate_strings``: ``group_concat`` on SQLite, ``string_agg`` on PostgreSQL) costs a
fraction of that, and ``numpy.fromstring`` parses the text at C speed. Fewer columns are
cheaper still, so a coding's unit, code, rater and id are packed into one integer (bit widths
from the tables' largest ids), its span into a second, its value into a third.

Values stay exact: a value that is a whole number is written as that integer; any other value
(e.g. 0.30000000000000004, whose 15-digit text in SQLite is not it) is marked and read as a
row. Every function returns ``None`` when its packing cannot hold the data (ids too large,
spans beyond 2^31, a text numpy could not read whole); the caller then reads rows.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import BigInteger, Connection, Integer, String, case, cast, func, literal, select

from .schema import code, coding, rater, segment, transcript, unit_status
from .snapshot_blob import narrow

CHUNK = 500                            # ids per IN (...) clause
_SPAN = 1 << 31                        # span_start + 1 and span_end + 1 each below 2^31
_WHOLE = float(1 << 40)                # whole-number values below this pack as integers
_VALUE = 1 << 42                       # ... shifted below zero, apart from spans and -1


def _bits(n: int) -> int:
    return max(int(n), 1).bit_length()


_PIECE = 1 << 19                       # characters parsed by one numpy call


def _parse(text, dtype) -> np.ndarray:
    """Parse "1,2,3,..." in pieces of about `_PIECE` characters: numpy holds the GIL while
    it parses, so one call over the whole text (tens of MB) would freeze the GUI thread for
    as long while the report job reads; between pieces the GUI gets its turn."""
    if text is None or text == "":
        return np.zeros(0, dtype=dtype)
    if len(text) <= _PIECE:
        return np.fromstring(text, dtype=dtype, sep=",")
    out, start, n = [], 0, len(text)
    while start < n:
        end = text.find(",", min(start + _PIECE, n))
        end = n if end < 0 else end
        out.append(np.fromstring(text[start:end], dtype=dtype, sep=","))
        start = end + 1
    return np.concatenate(out)


def _chunks(t_ids, size: int = CHUNK):
    return [None] if t_ids is None else [t_ids[i:i + size] for i in range(0, len(t_ids), size)]


def _scalar_max(conn: Connection, column) -> int:
    return int(conn.execute(select(func.max(column))).scalar() or 0)


def codings(conn: Connection, r_ids, t_ids, code_ids=None):
    """:func:`codings_with_ids` without the coding ids."""
    out = codings_with_ids(conn, r_ids, t_ids, code_ids)
    return None if out is None else out[1:]


def codings_with_ids(conn: Connection, r_ids, t_ids, code_ids=None):
    """``(coding_id, *codings)``: the selected raters' codings (on the transcripts ``t_ids``,
    ``None`` for all; of the codes with the database ids ``code_ids``, ``None`` for all) as
    ``(unit_or_t, code_id, rater_id, value, span_start, span_end)`` in coding id order:
    ``unit_or_t`` is the segment id, or minus the transcript id for a session global; spans
    -1 when absent, value NaN; first the coding ids. ``None`` when the packing cannot hold
    them."""
    max_seg = _scalar_max(conn, segment.c.id)
    max_t = _scalar_max(conn, transcript.c.id)
    b_u = _bits(max_seg + max_t + 1)
    b_c = _bits(_scalar_max(conn, code.c.id) + 1)
    b_r = _bits(_scalar_max(conn, rater.c.id) + 1)
    b_i = _bits(_scalar_max(conn, coding.c.id) + 1)
    if b_u + b_c + b_r + b_i > 62 or not r_ids:
        return None
    unit = _wide(conn, func.coalesce(coding.c.segment_id, coding.c.transcript_id + max_seg))
    key = ((unit * (1 << b_c) + coding.c.code_id) * (1 << b_r) + coding.c.rater_id) \
        * (1 << b_i) + coding.c.id
    extra = _extra(conn)
    which = [coding.c.rater_id.in_([int(r) for r in r_ids])]
    if code_ids is not None:
        which.append(coding.c.code_id.in_([int(c) for c in code_ids]))
    query = select(_joined(conn, key), _joined(conn, extra)).where(*which)
    # rows the extra column cannot hold (a value that is not a whole number, a value beside a
    # span, a span beyond 2^31) are read as rows, by coding id: exact
    odd_q = select(coding.c.id, coding.c.value, coding.c.span_start, coding.c.span_end).where(
        *which, extra == -1)
    keys, extras, odd = [], [], []
    for chunk in _chunks(t_ids):
        where = () if chunk is None else (coding.c.transcript_id.in_([int(t) for t in chunk]),)
        key_text, extra_text = conn.execute(query.where(*where)).one()
        if key_text is None:
            continue
        keys.append(_parse(key_text, np.int64))
        del key_text                     # each text let go once parsed (~10 MB a 500,000)
        extras.append(_parse(extra_text, np.int64))
        del extra_text
        if keys[-1].size != extras[-1].size:
            return None                          # a text the parser could not read whole
        if (extras[-1] == -1).any():
            odd += conn.execute(odd_q.where(*where)).all()
    key, ext = _joined_parts(keys), _joined_parts(extras)
    del keys, extras
    ids = key & ((1 << b_i) - 1)
    if ids.size > 1 and not (ids[1:] > ids[:-1]).all():
        order = np.argsort(ids, kind="stable")
        key, ext, ids = key[order], ext[order], ids[order]
        del order
    cols = _decode(key, ext, b_i, b_r, b_c, max_seg)
    del key, ext
    unit_or_t, code_id, rater_id, val, s0, s1 = cols
    if odd:
        e = np.array([[np.nan if x is None else x for x in r] for r in odd], dtype=float)
        at = np.searchsorted(ids, e[:, 0].astype(np.int64))
        val[at] = e[:, 1]
        s0[at] = np.where(np.isnan(e[:, 2]), -1, e[:, 2]).astype(np.int64)
        s1[at] = np.where(np.isnan(e[:, 3]), -1, e[:, 3]).astype(np.int64)
    return ids, unit_or_t, code_id, rater_id, val, s0, s1


def _joined_parts(parts: list) -> np.ndarray:
    if not parts:
        return np.zeros(0, np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


#: Codings decoded at a time (the temporaries of a slice, not of every coding: the study's
#: rating code, 500,000 codings, had a dozen 4 MiB columns alive at once).
_SLICE = 1 << 16


def _decode(key, ext, b_i: int, b_r: int, b_c: int, max_seg: int):
    """``(unit_or_t, code_id, rater_id, value, span_start, span_end)`` from the packed key
    and extra columns, a slice at a time into the finished columns."""
    n = key.size
    unit_or_t, code_id, rater_id = (np.empty(n, np.int64) for _ in range(3))
    s0, s1 = np.empty(n, np.int64), np.empty(n, np.int64)
    val = np.empty(n, np.float64)
    for a in range(0, n, _SLICE):
        b = min(n, a + _SLICE)
        e = ext[a:b]
        has_span = e >= 0
        s0[a:b] = np.where(has_span, e // _SPAN - 1, -1)
        s1[a:b] = np.where(has_span, e % _SPAN - 1, -1)
        val[a:b] = np.where(e < -1, (e + _VALUE).astype(np.float64), np.nan)
        rest = key[a:b] >> b_i
        rater_id[a:b] = rest & ((1 << b_r) - 1)
        rest >>= b_r
        code_id[a:b] = rest & ((1 << b_c) - 1)
        unit = rest >> b_c
        unit_or_t[a:b] = np.where(unit > max_seg, max_seg - unit, unit)
    return unit_or_t, code_id, rater_id, val, s0, s1


def _extra(conn: Connection):
    """One integer for a coding's span or value: ``(start + 1) * 2^31 + (end + 1)`` (0 for
    neither) when it has no value; ``value - 2^42`` for a whole-number value without a span;
    -1 for anything else (read as a row)."""
    s0 = _wide(conn, func.coalesce(coding.c.span_start, -1)) + 1
    s1 = func.coalesce(coding.c.span_end, -1) + 1
    whole = cast(coding.c.value, BigInteger)
    # both shifted spans in [0, 2^31): one OR and one shift (a negative one shifts to -1)
    # brackets written out; the shift count an INTEGER (PostgreSQL has no bigint >> bigint)
    fits = s0.self_group().op("|")(s1.self_group()).op(">>")(literal(31, Integer)) == 0
    return case(
        (coding.c.value.is_(None), case((fits, s0 * _SPAN + s1), else_=-1)),
        (coding.c.span_start.is_not(None) | coding.c.span_end.is_not(None), -1),
        (func.abs(coding.c.value) >= _WHOLE, -1),      # before the cast: it could overflow
        (coding.c.value == whole, whole - _VALUE),
        else_=-1)


def _wide(conn: Connection, column):
    """The column as a 64-bit integer where the database would multiply 32-bit ones (and
    overflow: PostgreSQL's INTEGER); SQLite's integers are 64-bit already."""
    return column if conn.dialect.name == "sqlite" else cast(column, BigInteger)


def _joined(conn: Connection, column):
    """The column's values joined by commas, in one aggregate (SQLite joins integers as
    they are; other databases join text)."""
    if conn.dialect.name == "sqlite":
        return func.group_concat(column, ",")
    return func.aggregate_strings(cast(column, String), ",")


_RANGE = 1 << 16                       # segment ids per completions query over a whole project
_T_CHUNK = 100                         # transcripts per completions query over a selection


def completions(conn: Connection, r_ids, t_ids):
    """(segment id, rater id) of the selected raters' completed units on the transcripts
    ``t_ids`` (``None``: all), as an iterator of ``(segment ids, rater ids)`` parts, each
    column in the narrowest integer type that holds it; ``None`` when the ids do not pack.

    Each part is read when the iterator is advanced (on ``conn``, so inside the caller's
    read), a stretch at a time (`_RANGE` segment ids of the whole project, through the
    primary key, or `_T_CHUNK` transcripts of a selection): a study's 5 million completions
    in one text and its int64 arrays peaked at ~190 MiB; a stretch's are a few MiB, and a
    caller that marks each part as it comes never holds more than one."""
    max_seg = _scalar_max(conn, segment.c.id)
    b_r = _bits(_scalar_max(conn, rater.c.id) + 1)
    if _bits(max_seg) + b_r > 62 or not r_ids:
        return None
    key = _wide(conn, unit_status.c.segment_id) * (1 << b_r) + unit_status.c.rater_id
    query = select(_joined(conn, key)).where(
        unit_status.c.rater_id.in_([int(r) for r in r_ids]))
    if t_ids is None:
        stretches = [unit_status.c.segment_id.between(lo, lo + _RANGE - 1)
                     for lo in range(0, max_seg + 1, _RANGE)]
    else:
        stretches = [unit_status.c.segment_id.in_(
            select(segment.c.id).where(segment.c.transcript_id.in_([int(t) for t in chunk])))
            for chunk in _chunks(t_ids, _T_CHUNK)]
    def parts():
        for where in stretches:
            packed = _parse(conn.execute(query.where(where)).scalar(), np.int64)
            yield narrow(packed >> b_r), narrow(packed & ((1 << b_r) - 1))
            del packed
    return parts()

