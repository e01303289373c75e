"""Where raters differ (coder.reliability.project.counts.differing, shared by the export's
Disagreements sheet and the app's disagreement browser): from distinct rows it must give
what the definition gives unit by unit — two or more values, not all the same — for every
kind of item, pooled and per rater pair, with and without categories."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coder.project import Project
from coder.reliability.project import report as report_module
from coder.reliability.project.counts import differing
from coder.reliability.project.matrices import Tables, cut, full_matrix
from coder.sample import build_sample_project
from ui.reliability.disagreement_rows import browsable


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("differ") / "sample.scproj"
    build_sample_project(path)
    with Project.open(path) as p:
        return p.reliability.snapshot()


def by_definition(values: np.ndarray) -> list[int]:
    out = []
    for i, row in enumerate(values.tolist()):
        given = [v for v in row if not math.isnan(v)]
        if len(given) >= 2 and max(given) != min(given):
            out.append(i)
    return out


def test_differing_is_the_definition_for_every_item_and_cut(snapshot):
    tables = Tables(snapshot)
    n_r = len(snapshot.rater_names)
    seen_kinds, seen_some = set(), 0
    for item in report_module.plan_items(snapshot):
        full = full_matrix(tables, item)
        for raters in [range(n_r)] + [(a, b) for a in range(n_r) for b in range(a + 1, n_r)]:
            m = cut(full, raters, spans=False)
            got = np.flatnonzero(differing(m)).tolist()
            assert got == by_definition(m.values), (item.key, tuple(raters))
            seen_kinds.add((m.kind, m.categories is None))
            seen_some += bool(got)
    assert seen_some > 10                        # the sample's raters do disagree
    assert {k for k, _ in seen_kinds} >= {"presence", "rating", "global"}


def test_the_browser_gets_those_rows_and_their_values(snapshot):
    tables = Tables(snapshot)
    for item in report_module.plan_items(snapshot):
        m = cut(full_matrix(tables, item), range(len(snapshot.rater_names)), spans=False)
        b = browsable(m)
        rows = by_definition(m.values)
        assert np.array_equal(b.values, m.values[rows], equal_nan=True), item.key
        assert np.array_equal(b.clusters, m.clusters[rows])


def test_without_categories_the_values_decide(snapshot):
    from dataclasses import replace
    tables = Tables(snapshot)
    rating = next(i for i in report_module.plan_items(snapshot) if i.kind == "rating")
    m = cut(full_matrix(tables, rating), range(len(snapshot.rater_names)), spans=False)
    values = m.values.copy()
    values[0, :] = np.nan                        # a row nobody rated: not a disagreement
    values[1, :] = [2.0, np.nan, np.nan]         # one value: not one either
    plain = replace(m, categories=None, data=values)
    got = np.flatnonzero(differing(plain)).tolist()
    assert got == by_definition(values) and 0 not in got and 1 not in got
    assert got                                   # and the others still found
