"""SPSS (.sav) and Stata (.dta) files with labels, through pyreadstat (issue 16).

``python main.py export PROJECT OUT.sav`` (or ``OUT.dta``) writes:

* ``OUT.sav`` — the long codings table: one row per rater x unit x code in scope (and per
  rater x transcript x session global) with ``state`` 1 applied / 0 not applied / missing
  (declared missing: SPSS user-missing 9, Stata extended missing ``.a``) and ``value``;
* ``OUT_<kind>.sav`` — one wide table per unit kind (turn, sentence, window, session): a row
  per unit, a variable per code x rater. Presence codes are 1 applied / 0 not applied,
  category sets hold the category's number, ratings their value; a unit the rater never
  completed is missing (system-missing / ``.``).

Variable labels carry the code's label, the rater and the definition; value labels the
categories, the scale's anchors and the states. Files are written to a temporary name and
renamed into place; they hold codings, so they are private (0600).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import SessionCoderError

STATE_CODES = {"applied": 1, "not applied": 0}
SAV_MISSING_STATE = 9
LABEL_LIMIT = {".sav": 256, ".dta": 80}
NAME_LIMIT = {".sav": 64, ".dta": 32}


def _name(text: str, taken: set[str], limit: int) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not base or not base[0].isalpha():
        base = "v" + base
    base = base[:limit]
    name, n = base, 2
    while name.lower() in taken:
        tail = f"_{n}"
        name, n = base[:limit - len(tail)] + tail, n + 1
    taken.add(name.lower())
    return name


def _write(df, path: Path, fmt: str, labels: dict, value_labels: dict, missing: dict,
           file_label: str) -> None:
    import pyreadstat
    from ..atomic import create_new, replace_durably
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)                 # left by a crash
    os.close(create_new(tmp, private=True))     # owner-only before a byte is written
    limit = LABEL_LIMIT[fmt]
    labels = {k: (v or "")[:limit] for k, v in labels.items()}
    try:
        if fmt == ".sav":
            pyreadstat.write_sav(df, tmp, file_label=file_label[:64], column_labels=labels,
                                 variable_value_labels=value_labels,
                                 missing_ranges=missing or None)
        else:
            pyreadstat.write_dta(df, tmp, file_label=file_label[:80], column_labels=labels,
                                 variable_value_labels=value_labels,
                                 missing_user_values=missing or None)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        replace_durably(tmp, path)              # renamed, then the folder flushed
    finally:
        tmp.unlink(missing_ok=True)


def write_stats_files(study, target: Path) -> list[Path]:
    """Write the long table to ``target`` and one wide table per unit kind beside it."""
    import pandas as pd
    target = Path(target)
    fmt = target.suffix.lower()
    if fmt not in (".sav", ".dta"):
        raise SessionCoderError(f"{target.name}: SPSS files end in .sav, Stata files in .dta")
    if not target.parent.is_dir():
        raise SessionCoderError(f"{target}: the folder {target.parent} does not exist")
    book = study.codebook()
    codes = {r.id: r for r in book.itertuples()}
    project = study.project.name
    long = study.codings(state=True)
    written = [target]
    # -- the long table ------------------------------------------------------------------
    state = long["state"].astype(str).map(STATE_CODES)
    if fmt == ".sav":
        state = state.fillna(SAV_MISSING_STATE).astype(int)
        missing = {"state": [SAV_MISSING_STATE]}
        state_labels = {1: "applied", 0: "not applied", SAV_MISSING_STATE: "missing"}
    else:
        state = state.astype(object).where(state.notna(), "a")
        missing = {"state": ["a"]}
        state_labels = {1: "applied", 0: "not applied"}
    df = pd.DataFrame({
        "transcript": long["transcript"].astype(str),
        "unit_kind": long["unit_kind"].astype(str),
        "unit": long["unit"].astype("float64"),
        "role": long["role"].astype(str).replace("nan", ""),
        "rater": long["rater"].astype(str),
        "code_id": long["code_id"].astype(str),
        "kind": long["kind"].astype(str),
        "state": state,
        "value": long["value"].astype("float64"),
    })
    labels = {"transcript": "Transcript (file name)", "unit_kind": "Unit of coding",
              "unit": "Unit number within its kind (empty for a session global)",
              "role": "Speaker role", "rater": "Rater", "code_id": "Code id (codebook)",
              "kind": "Kind of code", "state": "Applied, not applied, or missing",
              "value": "Rating, session global or category value"}
    _write(df, target, fmt, labels, {"state": state_labels}, missing,
           f"Session Coder: {project}, codings")
    # -- one wide table per unit kind ----------------------------------------------------
    for kind in ("turn", "sentence", "window", "session"):
        part = long[long["unit_kind"].astype(str) == kind]
        if part.empty:
            continue
        path = target.with_name(f"{target.stem}_{kind}{target.suffix}")
        df, labels, value_labels = _wide(part, kind, codes, study.project.codebook.current(), fmt)
        _write(df, path, fmt, labels, value_labels, {}, f"Session Coder: {project}, {kind} units")
        written.append(path)
    return written


def _scale_labels(book, code_id: str) -> dict:
    """A rating's anchors as value labels ({1: "none", 5: "strong"})."""
    try:
        code = book.code(code_id)
    except (KeyError, LookupError):
        return {}
    if code.scale is None:
        return {}
    return {int(point): str(label) for point, label in code.scale.labels}


def _wide(part, kind: str, codes: dict, book, fmt: str):
    import pandas as pd
    keys = ["transcript"] if kind == "session" else ["transcript", "unit"]
    frame = part.assign(transcript=part["transcript"].astype(str),
                        rater=part["rater"].astype(str), code_id=part["code_id"].astype(str))
    applied = frame["state"].astype(str) == "applied"
    value = frame["value"].astype("float64")
    presence = frame["kind"].astype(str) == "presence"
    number = value.where(~presence, applied.astype(float))
    number = number.where(frame["state"].astype(str) != "missing")
    category = frame["kind"].astype(str) == "category"
    frame = frame.assign(number=number)
    out = frame[keys].drop_duplicates().reset_index(drop=True)
    taken = {k.lower() for k in keys}
    labels = {"transcript": "Transcript (file name)", "unit": f"{kind} number"}
    value_labels: dict = {}
    limit = NAME_LIMIT[fmt]
    # category sets: one variable per set and rater, holding the chosen category's number
    sets: dict[str, list[str]] = {}
    for cid, row in codes.items():
        if row.category_set is not None and not pd.isna(row.category_set):
            sets.setdefault(row.category_set, []).append(cid)
    for (code_id, rater), grp in frame[~category].groupby(["code_id", "rater"], sort=False):
        code = codes.get(code_id)
        name = _name(f"{code_id}_{rater}", taken, limit)
        merged = out.merge(grp[keys + ["number"]], on=keys, how="left")["number"]
        out[name] = merged.to_numpy(dtype="float64")
        label = code.label if code is not None else code_id
        definition = "" if code is None or pd.isna(code.definition) else f": {code.definition}"
        labels[name] = f"{label} (rater {rater}){definition}"
        if code is not None and code.kind == "presence":
            value_labels[name] = {1: "applied", 0: "not applied"}
        elif code is not None and not pd.isna(code.scale_min):
            value_labels[name] = _scale_labels(book, code_id)
    for set_id, members in sets.items():
        grp_all = frame[category & frame["code_id"].isin(members)]
        for rater, grp in grp_all.groupby("rater", sort=False):
            name = _name(f"{set_id}_{rater}", taken, limit)
            chosen = grp[grp["state"].astype(str) == "applied"].assign(
                number=grp["code_id"].map({m: i + 1 for i, m in enumerate(members)}))
            merged = out.merge(chosen[keys + ["number"]].drop_duplicates(keys), on=keys,
                               how="left")["number"]
            out[name] = merged.to_numpy(dtype="float64")
            labels[name] = f"{set_id} (rater {rater}): the category chosen"
            value_labels[name] = {i + 1: str(codes[m].label) for i, m in enumerate(members)}
    if "unit" in out:
        out["unit"] = out["unit"].astype("float64")
    value_labels = {k: v for k, v in value_labels.items() if v}
    return out, labels, value_labels
