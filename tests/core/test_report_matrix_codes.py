"""A full matrix holds its codes (int8) and makes its float values from them only when they
are read (issue 17): for every code of the sample project (presence, category sets,
ratings, window ratings, globals) the values equal a matrix built unit by unit from the
snapshot's codings by the rules of DOMAIN.md, its codes are what ``code`` reads from those
values, and a cut equals the same columns of that matrix (rows with a value kept) with the
codes and distinct rows made fresh from them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from coder.coding.scope import applies_to
from coder.reliability.prepare import code, distinct_rows
from coder.reliability.project.matrices import Tables, cut, full_matrix, plan_items
from tests.core.test_report_forked import sample_snapshot_in
from tests.core.test_project_reliability import project  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    return sample_snapshot_in(tmp_path_factory.mktemp("codes"))


def test_full_matrix_values_equal_a_matrix_built_unit_by_unit(snapshot, project):  # noqa: F811
    kinds = set()
    for snap in (snapshot, project.reliability.snapshot()):   # the second has a category set
        kinds |= _check(snap)
    assert {"presence", "category", "rating", "global"} <= kinds


def reference(snap, item) -> tuple[np.ndarray, np.ndarray]:
    """The item's units × raters values and the snapshot unit of each row (-1: a session
    row, whose position is the transcript), by loops over units and codings."""
    n_r = len(snap.rater_names)
    if item.kind == "global":
        vals = np.full((len(snap.transcript_names), n_r), np.nan)
        for i in range(snap.cod_unit.size):
            if snap.code_keys[snap.cod_code[i]] == item.key and snap.cod_unit[i] < 0:
                v = float(snap.cod_value[i])
                if v in item.scale.points:
                    vals[snap.cod_transcript[i], snap.cod_rater[i]] = v
        keep = ~np.isnan(vals).all(axis=1)
        return vals[keep], np.full(int(keep.sum()), -1)
    live = [replace(c, archived=False) for c in item.codes]
    scope = [u for u in range(snap.n_units)
             if any(applies_to(c, snap.kinds[snap.seg_kind_index[u]],
                               snap.roles[snap.seg_role_index[u]]) for c in live)]
    vals = {u: [np.nan] * n_r for u in scope}
    if item.kind == "presence":
        for u in scope:
            vals[u] = [0.0 if snap.done[u, r] else np.nan for r in range(n_r)]
    for k, c in enumerate(item.codes):
        for i in range(snap.cod_unit.size):
            u = int(snap.cod_unit[i])
            if snap.code_keys[snap.cod_code[i]] != c.id or u not in vals:
                continue
            r = int(snap.cod_rater[i])
            if item.kind == "presence":
                vals[u][r] = 1.0
            elif item.kind == "category":
                vals[u][r] = float(k)
            elif float(snap.cod_value[i]) in c.scale.points:
                vals[u][r] = float(snap.cod_value[i])
    units = [u for u in scope if not all(np.isnan(v) for v in vals[u])]
    return np.array([vals[u] for u in units], dtype=float).reshape(-1, n_r), np.array(units)


def _check(snapshot) -> set:
    tables = Tables(snapshot)
    kinds = set()
    for item in plan_items(snapshot):
        full = full_matrix(tables, item)
        kinds.add(item.kind)
        want, units = reference(snapshot, item)
        assert want.shape[0] > 0, item.key                   # (a test with data in it)
        assert np.array_equal(full.values, want, equal_nan=True), item.key
        if item.kind != "global":
            assert np.array_equal(full.unit_index, units), item.key
            assert full.data is None                          # held as codes only
            codes = code(want, list(full.categories))
            assert np.array_equal(full.coded.codes, codes.codes), item.key
            assert full.coded.inferred is codes.inferred is False
            assert np.array_equal(full.values_in(1, 4), want[1:4], equal_nan=True)
        n_r = want.shape[1]
        for cols in ([0, 1], [n_r - 1, 0], list(range(n_r))):
            fresh_full = full_matrix(tables, item)          # (its values not made yet)
            part = cut(fresh_full, cols)
            sub = want[:, cols]
            sub = sub[~np.isnan(sub).all(axis=1)]
            sub = sub[:, ~np.isnan(sub).all(axis=0)]          # raters without data dropped
            assert np.array_equal(part.values, sub, equal_nan=True), (item.key, cols)
            if item.kind == "global":
                continue
            assert "values" not in fresh_full.__dict__           # cut through the codes
            fresh = code(sub, list(part.categories)).codes
            assert np.array_equal(part.coded.codes, fresh), (item.key, cols)
            d = distinct_rows(fresh, len(part.categories))
            assert np.array_equal(part.distinct.rows, d.rows)
            assert np.array_equal(part.distinct.mult, d.mult)
    return kinds


def test_codes_are_held_narrow_and_read_the_same_wide(snapshot):
    """A full matrix holds its codes as int8 (an eighth of int64's memory); every reader
    that does arithmetic on them widens first: with 20 categories (20 * 19 overflows int8)
    the distinct rows, coincidences and a confusion table equal those of int64 codes."""
    from coder.reliability import alpha, kappa
    tables = Tables(snapshot)
    for item in plan_items(snapshot):
        if item.kind != "global":
            assert full_matrix(tables, item).coded.codes.dtype == np.int8, item.key
    rng = np.random.default_rng(4)
    wide = rng.integers(-1, 20, size=(500, 5))
    narrow = wide.astype(np.int8)
    a, b = distinct_rows(wide, 20), distinct_rows(narrow, 20)
    assert np.array_equal(a.rows, b.rows) and np.array_equal(a.mult, b.mult)
    assert np.array_equal(a.inverse, b.inverse)
    assert np.array_equal(alpha.coincidence_matrix(wide, 20), alpha.coincidence_matrix(narrow, 20))
    assert np.array_equal(kappa.confusion_matrix(wide[:, :2], 20),
                          kappa.confusion_matrix(narrow[:, :2], 20))


def test_a_code_without_spans_reports_as_with_a_written_array(snapshot, monkeypatch):
    """A presence code none of whose codings has a span gets a read-only view of -1 as its
    spans; the report is the same as with a written array of -1 (the sample has codes with
    spans and codes without)."""
    from coder.reliability.project import build_report, matrices, to_json
    tables = Tables(snapshot)
    views = [full_matrix(tables, i).spans for i in plan_items(snapshot) if i.kind == "presence"]
    assert any(not v.flags.writeable for v in views) and any(v.flags.writeable for v in views)
    assert all((v == -1).all() for v in views if not v.flags.writeable)
    viewed = to_json(build_report(snapshot))
    monkeypatch.setattr(matrices, "_no_spans",
                        lambda n, n_r: np.full((n, n_r, 2), -1, dtype=np.int32))
    assert to_json(build_report(snapshot)) == viewed
