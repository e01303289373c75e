"""A snapshot's codings read after its units: :func:`read_codings` for the codes and
transcripts a caller needs now (a large export reads an item's codings, or a stretch of
transcripts', at a time), and :func:`codings_arrays`, which the full read
(:mod:`.snapshot_read`) shares."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sqlalchemy import Connection, select

from ..errors import SessionCoderError
from ..heap import give_back
from ..jobs import check
from ..snapshots import ReliabilitySnapshot, frozen_array
from . import snapshot_packed
from .schema import code, coding
from .snapshot_sql import array_of, in_chunks, interruptible, lookup, unit_lookup


def codings_arrays(conn: Connection, packed, r_ids, t_ids, t_sel, code_ids, wanted,
                    unit_rows, seg_t, cancel):
    """``(cod_unit, cod_transcript, cod_rater, cod_code, cod_value, (span_start,
    span_end))`` of the selected raters on the transcripts ``t_ids`` (``t_sel``: the same,
    None when that is every transcript), of the codes with the database ids ``wanted``
    (None: all; ``code_ids`` is every code, ``cod_code`` indexes it): from ``packed`` when
    the caller has it, else by the packed read, else as rows."""
    if packed is None:
        packed = _codings_packed(conn, r_ids, t_sel, wanted)
    check(cancel)
    if packed is None:
        return _codings_rows(conn, r_ids, t_ids, code_ids, unit_rows, wanted,
                             t_ids if t_sel is None else t_sel)
    unit_or_t, cod_code_id, cod_rater_id, cod_value, span0, span1 = packed
    del packed                  # each column is let go once its snapshot column is made
    has_seg = unit_or_t > 0
    cod_unit = np.full(unit_or_t.size, -1, dtype=np.int64)
    cod_unit[has_seg] = unit_rows(unit_or_t[has_seg])
    t_lut = np.asarray(t_ids, dtype=np.int64)
    keep = (~has_seg & np.isin(-unit_or_t, t_lut)) | (cod_unit >= 0)
    if not keep.all():
        unit_or_t, cod_unit, has_seg = unit_or_t[keep], cod_unit[keep], has_seg[keep]
        cod_code_id, cod_rater_id = cod_code_id[keep], cod_rater_id[keep]
        cod_value, span0, span1 = cod_value[keep], span0[keep], span1[keep]
    cod_transcript = np.empty(unit_or_t.size, dtype=np.int64)
    cod_transcript[has_seg] = seg_t[cod_unit[has_seg]] if seg_t.size else 0
    cod_transcript[~has_seg] = lookup(-unit_or_t[~has_seg], t_ids)
    del unit_or_t, has_seg, keep
    cod_rater = lookup(cod_rater_id, r_ids)
    del cod_rater_id
    cod_code = lookup(cod_code_id, code_ids)
    del cod_code_id
    return cod_unit, cod_transcript, cod_rater, cod_code, cod_value, (span0, span1)


def codings_reader(conn: Connection, snap: ReliabilitySnapshot):
    """``read(codes=None, transcripts=None, cancel=None)``: :func:`read_codings` on ``conn``
    and ``snap`` with the units' lookup table made once, here, for every read (the export
    reads each item's codings and each stretch of transcripts': 140 reads of the study,
    each of which made the million units' table again)."""
    unit_rows = unit_lookup(np.asarray(snap.seg_id))

    def read(codes=None, transcripts=None, cancel=None) -> ReliabilitySnapshot:
        return read_codings(conn, snap, codes=codes, transcripts=transcripts, cancel=cancel,
                            unit_rows=unit_rows)
    return read


def read_codings(conn: Connection, snap: ReliabilitySnapshot, *, codes=None,
                 transcripts=None, cancel=None, unit_rows=None) -> ReliabilitySnapshot:
    """``snap`` (its units and completions shared, not read again) with the codings of the
    codes ``codes`` (codebook ids; None: all) on the transcripts ``transcripts`` (indices
    into ``snap.transcript_ids``; None: all), read now on ``conn``: exactly the codings of
    ``snap``'s raters that a full read would give, in the same order, for those codes and
    transcripts. The snapshot's units stay as they are (``cod_unit`` indexes them).

    A large export reads its snapshot without codings (``read_snapshot(...,
    codings=False)``) and then each item's codings, or each stretch of transcripts', with
    this: the study's ~4 million codings are never held at once (issue 17). ``unit_rows``:
    the units' lookup (:func:`codings_reader` makes it once for many reads)."""
    code_rows = conn.execute(select(code.c.id, code.c.key).order_by(code.c.id)).all()
    code_ids = [cid for cid, _ in code_rows]
    if tuple(k for _, k in code_rows) != snap.code_keys:
        raise SessionCoderError("the codebook's codes changed since the snapshot was read")
    wanted = None
    if codes is not None:
        by_key = {k: cid for cid, k in code_rows}
        wanted = [by_key[c] for c in codes if c in by_key]
    all_t = list(snap.transcript_ids)
    t_ids = all_t if transcripts is None else [all_t[int(t)] for t in transcripts]
    t_sel = t_ids if transcripts is not None else None
    r_ids = list(snap.rater_ids)
    if wanted == [] or not t_ids:
        packed = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),) + (np.zeros(0, np.int64),) * 2
    else:
        packed = None
    with interruptible(conn, cancel):
        cod = codings_arrays(conn, packed, r_ids, all_t, t_sel, code_ids, wanted,
                              unit_rows or unit_lookup(np.asarray(snap.seg_id)),
                              np.asarray(snap.seg_transcript), cancel)
    cod_unit, cod_transcript, cod_rater, cod_code, cod_value, spans = cod
    del cod
    give_back()                      # the read's temporaries (the unit table, the text)
    return replace(snap, cod_unit=frozen_array(cod_unit, np.int64),
                   cod_transcript=frozen_array(cod_transcript, np.int64),
                   cod_rater=frozen_array(cod_rater, np.int64),
                   cod_code=_one_value(cod_code, np.int64),
                   cod_value=frozen_array(cod_value, float),
                   cod_span_start=_one_value(spans[0], np.int64),
                   cod_span_end=_one_value(spans[1], np.int64))


def _one_value(a: np.ndarray, dtype) -> np.ndarray:
    """:func:`frozen_array`; a column that holds one value throughout (the code of one
    item's codings, the spans of a code that has none: -1) as a read-only broadcast of that
    value, which takes no memory (12 MiB of the study's rating code, 500,000 codings)."""
    a = np.asarray(a, dtype=dtype)
    if a.size > 1 and (a == a[0]).all():
        return np.broadcast_to(a[:1].copy(), a.shape)      # (a read-only view)
    return frozen_array(a, dtype)


def _codings_rows(conn: Connection, r_ids, t_ids, code_ids, unit_rows, wanted=None,
                  t_query=None):
    """The codings as rows of tuples (ids too large to pack, see
    :func:`.snapshot_packed.codings`), on the transcripts ``t_query`` (default ``t_ids``,
    which ``cod_transcript`` indexes)."""
    cod_q = (select(coding.c.segment_id, coding.c.transcript_id, coding.c.rater_id,
                    coding.c.code_id, coding.c.value, coding.c.span_start, coding.c.span_end,
                    coding.c.id)
             .where(coding.c.rater_id.in_(r_ids)))
    if wanted is not None:
        cod_q = cod_q.where(coding.c.code_id.in_([int(c) for c in wanted]))
    cods = in_chunks(conn, cod_q, coding.c.transcript_id, t_ids if t_query is None else t_query)
    block = array_of(cods, float).reshape(len(cods), 8)   # None -> NaN
    del cods
    if block.shape[0] > 1 and not (block[1:, 7] > block[:-1, 7]).all():
        block = block[np.argsort(block[:, 7], kind="stable")]    # coding id order
    seg_col = block[:, 0]
    cod_unit = np.full(block.shape[0], -1, dtype=np.int64)
    has_seg = ~np.isnan(seg_col)
    cod_unit[has_seg] = unit_rows(seg_col[has_seg].astype(np.int64))
    keep = ~has_seg | (cod_unit >= 0)
    if not keep.all():
        block, cod_unit = block[keep], cod_unit[keep]

    def int_col(j: int) -> np.ndarray:
        col = block[:, j]
        return np.where(np.isnan(col), -1.0, col).astype(np.int64)

    return (cod_unit, lookup(block[:, 1].astype(np.int64), t_ids),
            lookup(block[:, 2].astype(np.int64), r_ids),
            lookup(block[:, 3].astype(np.int64), code_ids), block[:, 4], (int_col(5), int_col(6)))


def _codings_packed(conn: Connection, r_ids, t_ids, code_ids=None):
    """The codings through the packed bulk read (:mod:`.snapshot_packed`); None when the
    ids do not pack (the caller reads rows instead)."""
    return snapshot_packed.codings(conn, r_ids, t_ids, code_ids)
