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
