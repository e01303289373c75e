"""The codes a full matrix writes beside its values (issue 17) are what ``code`` reads from
those values, for every code of the sample project (presence, category sets, ratings,
window ratings, globals), and a cut of them equals a matrix made fresh from its values."""

from __future__ import annotations

import numpy as np
import pytest

from coder.reliability.prepare import code, distinct_rows
from coder.reliability.project.matrices import Tables, cut, full_matrix, plan_items
from tests.core.test_report_forked import sample_snapshot_in
from tests.core.test_project_reliability import project  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    return sample_snapshot_in(tmp_path_factory.mktemp("codes"))


def test_full_matrix_codes_equal_reading_the_values(snapshot, project):  # noqa: F811
    kinds = set()
    for snap in (snapshot, project.reliability.snapshot()):   # the second has a category set
        kinds |= _check(snap)
    assert {"presence", "category", "rating", "global"} <= kinds


def _check(snapshot) -> set:
    tables = Tables(snapshot)
    kinds = set()
    for item in plan_items(snapshot):
        full = full_matrix(tables, item)
        kinds.add(item.kind)
        want = code(full.values, list(full.categories))
        assert np.array_equal(full.coded.codes, want.codes), item.key
        assert np.array_equal(full.coded.categories, want.categories)
        assert full.coded.inferred is want.inferred is False
        n_r = full.values.shape[1]
        for cols in ([0, 1], [n_r - 1, 0], list(range(n_r))):
            part = cut(full, cols)
            fresh = code(part.values, list(part.categories)).codes
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
