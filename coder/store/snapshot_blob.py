"""The snapshot cache's bytes (:mod:`.snapshot_cache`): equal-length integer and float
columns packed into one blob, each integer column in the narrowest type that holds it, and a
transcript's units (ids, kinds, positions, roles) with their kind and role texts as labels.
A damaged blob raises ValueError, which the cache treats as a missing row."""

from __future__ import annotations

import json
import struct

import numpy as np

_MAGIC = b"SCC1"
_HEAD = struct.Struct("<4sBI")          # magic, columns, rows
_NAN = b"nan "                          # a float column that is all NaN: no bytes follow
_INTS = (np.int8, np.int16, np.int32, np.int64)


# -- bytes ----------------------------------------------------------------------------------

def narrow(col: np.ndarray) -> np.ndarray:
    """The smallest integer dtype that holds the column (its own, never the project's)."""
    if col.size == 0:
        return col.astype(np.int8)
    lo, hi = int(col.min()), int(col.max())
    for t in _INTS:
        info = np.iinfo(t)
        if info.min <= lo and hi <= info.max:
            return col.astype(t)
    return col


def encode(columns) -> bytes:
    """Equal-length 1-D arrays as bytes: a header (magic, column count, rows), each column's
    dtype (4 bytes, e.g. ``<i4``) and then its little-endian data."""
    cols = [np.asarray(c) for c in columns]
    n = cols[0].size if cols else 0
    parts, tags = [], []
    for c in cols:
        if c.size != n:
            raise ValueError("columns of different lengths")
        if c.dtype.kind == "f":
            c = c.astype("<f8")
            if np.isnan(c).all():
                tags.append(_NAN)
                continue
        else:
            c = narrow(c.astype(np.int64))
            c = c.astype(c.dtype.newbyteorder("<"))
        tags.append(c.dtype.str.encode("ascii").ljust(4))
        parts.append(c.tobytes())
    return b"".join([_HEAD.pack(_MAGIC, len(cols), n), *tags, *parts])


def decode(blob, columns: int, *, widen: bool = True) -> list[np.ndarray]:
    """The arrays of :func:`encode` (integers as int64, floats as float64; with
    ``widen=False`` integers as stored, the narrowest type that held them); ValueError when
    the bytes are not such a blob of `columns` columns, whole."""
    blob = bytes(blob)
    if len(blob) < _HEAD.size:
        raise ValueError("short cache blob")
    magic, k, n = _HEAD.unpack_from(blob)
    if magic != _MAGIC or k != columns:
        raise ValueError("not a snapshot cache blob")
    at = _HEAD.size + 4 * k
    tags = [blob[_HEAD.size + 4 * i:_HEAD.size + 4 * i + 4] for i in range(k)]
    out = []
    for tag in tags:
        if tag == _NAN:
            out.append(np.full(n, np.nan))
            continue
        try:
            dt = np.dtype(tag.decode("ascii").strip())
        except (TypeError, UnicodeDecodeError) as exc:
            raise ValueError("bad dtype in cache blob") from exc
        if dt.kind not in "if" or dt.str not in ("|i1", "<i2", "<i4", "<i8", "<f8"):
            raise ValueError("bad dtype in cache blob")
        size = dt.itemsize * n
        if at + size > len(blob):
            raise ValueError("cache blob cut short")
        arr = np.frombuffer(blob, dtype=dt, count=n, offset=at)
        out.append(arr.astype(np.float64 if dt.kind == "f" else np.int64) if widen
                   else arr.copy())
        at += size
    if at != len(blob):
        raise ValueError("cache blob has trailing bytes")
    return out


# -- rows -----------------------------------------------------------------------------------

def encode_segments(ids, kinds, positions, roles) -> tuple[bytes, str]:
    """A transcript's units (ids, kind texts, positions, role texts) as bytes and labels."""
    k_vocab, k_idx = np.unique(np.asarray(kinds, dtype=str), return_inverse=True)
    r_vocab, r_idx = np.unique(np.asarray(roles, dtype=str), return_inverse=True)
    labels = json.dumps({"kinds": k_vocab.tolist(), "roles": r_vocab.tolist()})
    return encode([ids, k_idx.reshape(-1), positions, r_idx.reshape(-1)]), labels


def decode_segments(blob, labels, coded: bool = False) -> list:
    """:func:`encode_segments` back: ``[ids, kinds, positions, roles]``; ValueError when
    damaged. ``coded``: kinds and roles as ``(index array, distinct texts)`` pairs."""
    ids, k_idx, pos, r_idx = decode(blob, 4)
    try:
        words = json.loads(labels)
        kinds = np.asarray([str(k) for k in words["kinds"]], dtype=str)
        roles = np.asarray([str(r) for r in words["roles"]], dtype=str)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError("bad segment labels in cache row") from exc
    for idx, vocab in ((k_idx, kinds), (r_idx, roles)):
        if idx.size and (idx.min() < 0 or idx.max() >= vocab.size):
            raise ValueError("segment label index out of range")
    if coded:
        return [ids, (k_idx, tuple(kinds.tolist())), pos, (r_idx, tuple(roles.tolist()))]
    return [ids, kinds[k_idx], pos, roles[r_idx]]
