"""The DataFrames of :class:`coder.analysis.Study`: built from the same rows and matrices as
the Excel sheets (so they agree cell for cell), with analysis dtypes: pandas ``Categorical``
in the codebook's order, ``Timedelta`` times, nullable integers and floats for missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SessionCoderError

UNIT_KINDS = ["turn", "sentence", "window", "session"]
ROLES = ["therapist", "client", "other"]
KINDS = ["presence", "category", "rating", "global"]
STATES = ["applied", "not applied", "missing"]


def _ms(values) -> pd.Series:
    return pd.to_timedelta(pd.array(values, dtype="Float64"), unit="ms")


def _cat(values, categories) -> pd.Categorical:
    return pd.Categorical(values, categories=categories)


def transcripts_frame(infos) -> pd.DataFrame:
    return pd.DataFrame({
        "name": pd.array([i.name for i in infos], dtype="string"),
        "format": pd.array([i.format for i in infos], dtype="string"),
        "encoding": pd.array([i.encoding for i in infos], dtype="string"),
        "unit": _cat([i.unit for i in infos], UNIT_KINDS[:3]),
        "units": pd.array([i.segments for i in infos], dtype="Int64"),
        "turns": pd.array([i.turns for i in infos], dtype="Int64"),
        "speakers": pd.array([", ".join(i.speakers) for i in infos], dtype="string"),
        "duration": _ms([i.duration_ms for i in infos]),
        "imported_at": pd.to_datetime([i.imported_at for i in infos], utc=True),
        "sha256": pd.array([i.sha256 for i in infos], dtype="string"),
    })


def units_frame(project, names) -> pd.DataFrame:
    rows = project.exports.sheet_rows("Segments", names)
    cols = list(zip(*rows)) if rows else [[] for _ in range(9)]
    return pd.DataFrame({
        "transcript": pd.array(cols[0], dtype="string"),
        "unit_kind": _cat(cols[1], UNIT_KINDS[:3]),
        "unit": pd.array(cols[2], dtype="Int64"),
        "turn": pd.array(cols[3], dtype="Int64"),
        "speaker": pd.array(cols[4], dtype="string"),
        "role": _cat(cols[5], ROLES),
        "start": _ms(cols[6]),
        "end": _ms(cols[7]),
        "text": pd.array(cols[8], dtype="string"),
    })


def codebook_frame(book) -> pd.DataFrame:
    rows = []
    for entry in book.codes():
        c = entry.code
        rows.append((c.id, " / ".join(g.label for g in entry.groups),
                     entry.group.id if entry.group.category_set else None, c.label, c.kind,
                     None if c.scale is None else c.scale.min,
                     None if c.scale is None else c.scale.max, c.unit, ", ".join(c.roles),
                     c.definition or None, c.shortcut, c.color, c.archived))
    cols = list(zip(*rows)) if rows else [[] for _ in range(13)]
    ids = list(cols[0])
    return pd.DataFrame({
        "id": _cat(ids, ids), "group": pd.array(cols[1], dtype="string"),
        "category_set": pd.array(cols[2], dtype="string"),
        "label": pd.array(cols[3], dtype="string"), "kind": _cat(cols[4], KINDS),
        "scale_min": pd.array(cols[5], dtype="Int64"),
        "scale_max": pd.array(cols[6], dtype="Int64"),
        "unit": pd.array(cols[7], dtype="string"), "roles": pd.array(cols[8], dtype="string"),
        "definition": pd.array(cols[9], dtype="string"),
        "shortcut": pd.array(cols[10], dtype="string"),
        "colour": pd.array(cols[11], dtype="string"),
        "archived": pd.array(cols[12], dtype="boolean"),
    })


CODING_COLUMNS = ("transcript", "unit_kind", "unit", "speaker", "role", "rater", "code_id",
                  "code_label", "kind", "value", "span_start", "span_end", "span_text", "note",
                  "coded_at", "codebook_version", "unit_completed", "state")


def codings_sheet_frame(project, snap) -> pd.DataFrame:
    rows = project.exports.sheet_rows("Codings")
    cols = list(zip(*rows)) if rows else [[] for _ in CODING_COLUMNS]
    ids = list(snap.codebook.code_ids())
    extra = sorted({c for c in cols[6] if c is not None and c not in ids})
    return pd.DataFrame({
        "transcript": pd.array(cols[0], dtype="string"),
        "unit_kind": _cat(cols[1], UNIT_KINDS[:3]),
        "unit": pd.array(cols[2], dtype="Int64"),
        "speaker": pd.array(cols[3], dtype="string"),
        "role": _cat(cols[4], ROLES),
        "rater": _cat(cols[5], list(snap.rater_names)),
        "code_id": _cat(cols[6], ids + extra),
        "code_label": pd.array(cols[7], dtype="string"),
        "kind": _cat(cols[8], KINDS),
        "value": pd.array(cols[9], dtype="Float64"),
        "span_start": pd.array(cols[10], dtype="Int64"),
        "span_end": pd.array(cols[11], dtype="Int64"),
        "span_text": pd.array(cols[12], dtype="string"),
        "note": pd.array(cols[13], dtype="string"),
        "coded_at": pd.to_datetime(pd.Series(cols[14], dtype="object")),
        "codebook_version": pd.array(cols[15], dtype="Int64"),
        "unit_completed": pd.array(cols[16], dtype="boolean"),
        "state": _cat(cols[17], ["applied", "none applied"]),
    })


def _scope_mask(code, kinds: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """Vectorised :func:`coder.coding.scope.applies_to` over the snapshot's units."""
    if code.kind == "global" or code.archived:
        return np.zeros(kinds.shape, bool)
    if code.unit == "window":
        return kinds == "window"
    mask = kinds != "window"
    if "any" not in code.roles:
        mask &= np.isin(roles, list(code.roles))
    return mask


def _codes_of(values: np.ndarray, categories: list[str], missing: int = -1) -> np.ndarray:
    """Index of each string in ``categories`` (``missing`` when absent), looked up once per
    distinct value rather than once per row."""
    if values.size == 0:
        return np.zeros(0, np.int64)
    distinct, inverse = np.unique(values.astype(str), return_inverse=True)
    lut = np.array([categories.index(v) if v in categories else missing for v in distinct.tolist()],
                   dtype=np.int64)
    return lut[inverse.reshape(-1)]


def _small(codes: np.ndarray, n: int) -> np.ndarray:
    """Category codes in the dtype pandas would choose, so no copy is made for it."""
    return codes.astype(np.int8 if n < 127 else np.int16 if n < 32_767 else np.int32,
                        copy=False)


def _first_by_key(keys: np.ndarray, values: np.ndarray, size: int):
    """Dense (hit, value) over ``range(size)``: the first coding (in snapshot order) of each
    key wins, as a sorted search for the key would find it."""
    hit = np.zeros(size, bool)
    val = np.full(size, np.nan)
    ok = (keys >= 0) & (keys < size)
    keys, values = keys[ok][::-1], values[ok][::-1]   # fancy assignment: the last write wins
    hit[keys] = True
    val[keys] = values
    return hit, val


def states_frame(snap) -> pd.DataFrame:
    """One row per rater x unit x code in scope, and per rater x transcript x global.

    Built per code on dense (unit x rater) arrays: the codings are grouped by code once (one
    stable sort), each code's scope gathers its rows, and every column is made from integer
    codes (``Categorical.from_codes``), never from per-row Python objects."""
    book = snap.codebook
    ids = list(book.code_ids())
    code_pos = {k: ids.index(k) for k in snap.code_keys if k in ids}
    n_r = len(snap.rater_names)
    n_t = len(snap.transcript_names)
    n_u = snap.n_units
    kinds, roles = np.asarray(snap.seg_kind), np.asarray(snap.seg_role)
    key_pos = np.array([code_pos.get(k, -1) for k in snap.code_keys] or [-1], dtype=np.int64)
    cod_code = key_pos[snap.cod_code] if snap.cod_code.size else np.zeros(0, np.int64)
    by_code = np.argsort(cod_code, kind="stable")
    bounds = np.searchsorted(cod_code[by_code], np.arange(len(ids) + 1))
    done_flat = np.asarray(snap.done).reshape(-1)
    unit_keys = np.asarray(snap.cod_unit) * n_r + np.asarray(snap.cod_rater)
    unit_keys[np.asarray(snap.cod_unit) < 0] = -1
    session_keys = np.asarray(snap.cod_transcript) * n_r + np.asarray(snap.cod_rater)
    raters = np.arange(n_r)
    parts = []
    for entry in book.codes():
        code = entry.code
        ci = ids.index(code.id)
        mine = by_code[bounds[ci]:bounds[ci + 1]]
        if code.kind == "global":
            rows = np.arange(n_t * n_r)
            hit, val = _first_by_key(session_keys[mine], snap.cod_value[mine], rows.size)
            units = np.full(rows.size, -1)
            state = np.where(hit, 0, 2)
        else:
            units_in = np.flatnonzero(_scope_mask(code, kinds, roles))
            if units_in.size == 0 and mine.size == 0:
                continue
            rows = (units_in[:, None] * n_r + raters).reshape(-1)
            hit, val = _first_by_key(unit_keys[mine], snap.cod_value[mine], n_u * n_r)
            units = rows // n_r if n_r else rows
            state = np.where(hit[rows], 0, np.where(done_flat[rows], 1, 2))
            val = val[rows]
        parts.append((rows, units, ci, state, val, KINDS.index(code.kind),
                      code.kind == "global"))
    if not parts:
        parts = [(np.zeros(0, np.int64), np.zeros(0, np.int64), 0, np.zeros(0, np.int64),
                  np.zeros(0), 0, False)]
    sizes = [p[0].size for p in parts]
    rows = np.concatenate([p[0] for p in parts])
    units = np.concatenate([p[1] for p in parts])
    state = np.concatenate([p[3] for p in parts])
    values = np.concatenate([p[4] for p in parts])
    c = np.repeat(np.array([p[2] for p in parts], np.int64), sizes)
    kind_codes = np.repeat(np.array([p[5] for p in parts], np.int64), sizes)
    is_global = np.repeat(np.array([p[6] for p in parts], bool), sizes)
    r = rows % n_r if n_r else rows
    is_unit = units >= 0
    safe = np.where(is_unit, units, 0)
    seg_t = np.asarray(snap.seg_transcript)
    t = np.where(is_global, rows // max(n_r, 1), seg_t[safe] if n_u else 0)
    # per-unit category codes (one look-up per distinct kind and role), then one gather
    kind_of_unit = _codes_of(kinds, UNIT_KINDS) if n_u else np.zeros(1, np.int64)
    role_of_unit = _codes_of(roles, ROLES) if n_u else np.full(1, -1, np.int64)
    unit_kind = np.where(is_unit, kind_of_unit[safe], UNIT_KINDS.index("session"))
    role = np.where(is_unit, role_of_unit[safe], -1)
    positions = np.asarray(snap.seg_position)[safe] if n_u else np.zeros(units.size, np.int64)
    position = pd.arrays.IntegerArray(np.where(is_unit, positions, 0).astype(np.int64),
                                      ~is_unit)
    value = pd.arrays.FloatingArray(values, np.isnan(values))

    def cat(codes, categories):
        return pd.Categorical.from_codes(_small(codes, len(categories)), categories)

    return pd.DataFrame({
        "transcript": cat(t, list(snap.transcript_names)),
        "unit_kind": cat(unit_kind, UNIT_KINDS),
        "unit": position,
        "role": cat(role, ROLES),
        "rater": cat(r, list(snap.rater_names)),
        "code_id": cat(c, ids),
        "kind": cat(kind_codes, KINDS),
        "state": cat(state, STATES),
        "value": value,
    }, copy=False)


def matrix_frame(snap, code: str) -> pd.DataFrame:
    from ..reliability.project import data_matrices
    matrices = data_matrices(snap, [code])
    if code not in matrices:
        raise SessionCoderError(f"no code, category set or global {code!r} in this project")
    m = matrices[code]
    index = pd.MultiIndex.from_tuples(
        [(t, None if k == "session" else k, p) for t, k, p in m.units],
        names=["transcript", "unit_kind", "unit"])
    data = {}
    for j, rater in enumerate(m.raters):
        col = m.values[:, j]
        if m.kind == "category":
            labels = [None if v != v else m.category_labels[int(v)] for v in col.tolist()]
            data[rater] = pd.Categorical(labels, categories=list(m.category_labels))
        else:
            data[rater] = pd.array(col, dtype="Float64")
            data[rater][np.isnan(col)] = pd.NA
    return pd.DataFrame(data, index=index, columns=list(m.raters))


def reliability_frame(report) -> pd.DataFrame:
    """Long: one row per code x statistic (pooled, per-session counts under data
    ``session_counts``)."""
    data = report if isinstance(report, dict) else _as_dict(report)
    rows = []
    for section in ("codes", "globals"):
        for entry in data.get(section, []):
            blocks = [("units" if section == "codes" else "sessions", entry.get("statistics"))]
            counts = entry.get("session_counts")
            if isinstance(counts, dict):
                blocks.append(("session_counts", counts.get("statistics")))
            for what, stats in blocks:
                for name, st in (stats or {}).items():
                    ci = st.get("ci") or (None, None)
                    rows.append((entry["id"], entry.get("kind"), what, name, st.get("value"),
                                 st.get("se"), ci[0], ci[1], st.get("ci_method"),
                                 st.get("convention"), st.get("caution"),
                                 st.get("undefined_reason")))
    cols = ("code", "kind", "data", "statistic", "value", "se", "ci_low", "ci_high", "method",
            "convention", "caution", "undefined_reason")
    frame = pd.DataFrame(rows, columns=cols)
    for name in ("value", "se", "ci_low", "ci_high"):
        frame[name] = pd.array(frame[name], dtype="Float64")
    for name in ("code", "kind", "data", "statistic", "method", "convention", "caution",
                 "undefined_reason"):
        frame[name] = frame[name].astype("string")
    return frame


def _as_dict(report) -> dict:
    """A typed report as the JSON of ``reliability --json`` (one serialiser)."""
    from ..reliability.project import serialise
    return serialise.to_json(report)


def episodes_frame(project) -> pd.DataFrame:
    """The Episodes sheet: one row per rupture -> repair episode per transcript and rater."""
    from ..export.sheets_feedback import EPISODE_COLUMNS
    rows = project.exports.sheet_rows("Episodes")
    cols = list(zip(*rows)) if rows else [[] for _ in EPISODE_COLUMNS]
    frame = pd.DataFrame({name: list(col) for name, col in zip(EPISODE_COLUMNS, cols)})
    for name in ("episode", "marker_unit", "first_repair_unit", "latency_units", "direct",
                 "indirect"):
        frame[name] = pd.array(frame[name], dtype="Int64")
    frame["latency_s"] = pd.array(frame["latency_s"], dtype="Float64")
    frame["resolved"] = pd.array(frame["resolved"], dtype="boolean")
    frame["type"] = pd.Categorical(frame["type"],
                                   categories=["withdrawal", "confrontation", "both"])
    for name in ("transcript", "rater", "strategies", "marker_units", "repair_units"):
        frame[name] = frame[name].astype("string").replace("", pd.NA)   # empty as in Excel
    return frame
