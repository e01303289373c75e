"""The export's statistics item by item (coder.export.stats_source) against the
whole-selection path they replace (``workbook.STREAM_STATS = False``: ``build_report`` and
``data_matrices`` on the whole selection): every sheet's cells the same, on the sample project
and on a generated multi-transcript project (bench/study_project.py's generator, small), with
a reference rater and a bootstrap interval too; and the joined report equal to the
whole-selection report."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from coder.export import SHEETS, ExportOptions
from coder.export import workbook
from coder.export.stats_source import LazyMatrices, report_by_item
from coder.project import Project
from coder.reliability.project import build_report, data_matrices, to_json
from tests.core.test_export_rowxml import assert_same, read_back
from tests.core.test_export_rowxml import sample  # noqa: F401 (the signed-in sample fixture)

ROOT = Path(__file__).resolve().parents[2]


def _study_module():
    spec = importlib.util.spec_from_file_location("study_project",
                                                  ROOT / "bench" / "study_project.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    path = tmp_path_factory.mktemp("streamstudy") / "study.scproj"
    _study_module().build(path, 7, 60, 3, 8, seed=3)
    project = Project.open(path, backup=False)
    yield project
    project.close()


def _both(project, tmp_path, monkeypatch, options=None):
    new = tmp_path / "new.xlsx"
    r_new = project.exports.workbook(new, options)
    monkeypatch.setattr(workbook, "STREAM_STATS", False)
    old = tmp_path / "old.xlsx"
    r_old = project.exports.workbook(old, options)
    monkeypatch.setattr(workbook, "STREAM_STATS", True)
    assert r_new.sheets == r_old.sheets and r_new.rows == r_old.rows
    a, b = read_back(new), read_back(old)
    stamp = next(ref for ref, v in b["README"]["cells"].items() if v[0] == "Exported at")
    return a, b, assert_same(a, b, skip={("README", "B" + stamp[1:])})


def test_sample_export_same_cells_as_the_whole_selection_path(sample, tmp_path, monkeypatch):
    # Segments and Codings do not read the statistics (test_export_rowxml compares them)
    sheets = tuple(s for s in SHEETS if s not in ("Segments", "Codings"))
    a, b, n = _both(sample, tmp_path, monkeypatch, ExportOptions(sheets=sheets))
    assert {"Reliability", "Pairwise", "Disagreements"} <= set(a)
    assert any(t.startswith("Matri") for t in a) and n > 1000


def test_sample_export_with_reference_and_bootstrap(sample, tmp_path, monkeypatch):
    rater = sample.raters.list()[0].name
    opts = ExportOptions(sheets=("README", "Reliability", "Pairwise", "Reference",
                                 "Confusion", "Disagreements"),
                         reference=rater, ci="bootstrap", replicates=20, seed=5)
    a, _, _ = _both(sample, tmp_path, monkeypatch, opts)
    assert "Reference" in a


def test_study_project_same_cells(study, tmp_path, monkeypatch):
    a, b, n = _both(study, tmp_path, monkeypatch)
    assert len(a["Sessions"]["cells"]) > 7 * 3
    assert len(a["Codings"]["cells"]) > 1000 and n > 5000


def test_study_project_many_codes_in_one_matrices_sheet(study, tmp_path, monkeypatch):
    opts = ExportOptions(matrix_sheets=2, transcripts=tuple(
        i.name for i in study.transcripts.list()[:4]))
    a, _, _ = _both(study, tmp_path, monkeypatch, opts)
    assert "Matrices" in a


def _snapshot(project, **kw):
    return project.reliability.snapshot(**kw)


@pytest.mark.parametrize("kw", [{}, {"ci": "bootstrap", "replicates": 40, "seed": 2},
                                {"reference": "first"}, {"codes": "p01,r1"}])
def test_report_by_item_equals_the_whole_report(study, kw):
    snap = _snapshot(study)
    kw = dict(kw)
    if kw.get("reference") == "first":
        kw["reference"] = snap.rater_names[0]
    steps = []
    joined = report_by_item(snap, lambda d, t: steps.append((d, t)), None, **dict(kw))
    whole = build_report(snap, **kw)
    assert to_json(joined) == to_json(whole)
    assert steps and steps[-1][0] == steps[-1][1]                  # progress ends at 100 %
    assert all(a[0] <= b[0] for a, b in zip(steps, steps[1:]))


def test_lazy_matrices_equal_data_matrices(study):
    import numpy as np
    snap = _snapshot(study)
    lazy, whole = LazyMatrices(snap), data_matrices(snap)
    assert lazy.keys() == list(whole) and len(lazy) == len(whole)
    for (k, m), (k2, w) in zip(lazy.items(), whole.items()):
        assert k == k2 and m.raters == w.raters and m.kind == w.kind
        np.testing.assert_array_equal(m.values, w.values)
        np.testing.assert_array_equal(m.unit_index, w.unit_index)
        assert m.unit_labels == w.unit_labels


def test_matrix_sheets_written_a_slice_at_a_time_are_the_same(study, tmp_path, monkeypatch):
    """The Matrix sheets' rows are made into Python values a slice at a time
    (sheets_stats.MATRIX_SLICE), Disagreements' units too (sheets_sessions.UNIT_SLICE), and
    Sessions and Disagreements read the codings a stretch of transcripts at a time
    (sheets_sessions.STRETCH): slices that split transcripts and end mid-matrix, and
    stretches of one transcript, give the same cells as one slice and one stretch of
    everything."""
    from coder.export import sheets_sessions, sheets_stats
    options = ExportOptions(sheets=("Matrix", "Sessions", "Disagreements"))
    one = tmp_path / "one.xlsx"
    monkeypatch.setattr(sheets_stats, "MATRIX_SLICE", 10**9)
    monkeypatch.setattr(sheets_sessions, "UNIT_SLICE", 10**9)
    monkeypatch.setattr(sheets_sessions, "STRETCH", 10**9)
    study.exports.workbook(one, options)
    sliced = tmp_path / "sliced.xlsx"
    monkeypatch.setattr(sheets_stats, "MATRIX_SLICE", 11)
    monkeypatch.setattr(sheets_sessions, "UNIT_SLICE", 7)
    monkeypatch.setattr(sheets_sessions, "STRETCH", 1)
    result = study.exports.workbook(sliced, options)
    a, b = read_back(sliced), read_back(one)
    matrix = [s for s in a if s.startswith("Matrix")]
    assert matrix and any(result.rows[s] > 11 and result.rows[s] % 11 for s in matrix)
    assert result.rows["Disagreements"] > 7 and result.rows["Disagreements"] % 7
    assert len(study.transcripts.list()) > 1 and result.rows["Sessions"] > 0
    assert assert_same(a, b) > 0


@pytest.mark.parametrize("kw", [{}, {"ci": "bootstrap", "replicates": 40, "seed": 2},
                                {"reference": "first"}, {"codes": "p01,r1"}])
def test_items_read_one_at_a_time_give_the_whole_report(study, kw):
    """The export's way: a snapshot without codings, each item's codings read when its
    turn comes (``read``); the report and the matrices equal the whole-selection ones."""
    import numpy as np
    from coder.store.snapshot_read import read_codings, read_snapshot
    whole_snap = _snapshot(study)
    kw = dict(kw)
    if kw.get("reference") == "first":
        kw["reference"] = whole_snap.rater_names[0]
    asked = []
    with study._store.read_view().snapshot() as conn:
        bare = read_snapshot(conn, None, codings=False)

        def read(codes):
            asked.append(codes)
            return read_codings(conn, bare, codes=codes)
        joined = report_by_item(bare, None, None, read=read, **dict(kw))
        lazy = LazyMatrices(bare, kw.get("codes"), read=read)
        pairs = list(lazy.items())
    assert to_json(joined) == to_json(build_report(whole_snap, **kw))
    assert asked and all(codes is not None and len(codes) >= 1 for codes in asked)
    whole = data_matrices(whole_snap, kw.get("codes"))
    assert [k for k, _ in pairs] == list(whole)
    for (k, m), w in zip(pairs, whole.values()):
        np.testing.assert_array_equal(m.values, w.values)
        assert m.unit_labels == w.unit_labels


def test_differing_units_as_the_values_say(study, sample):  # noqa: F811
    """Disagreements' units, found from the distinct rows of the codes, are the units where
    two values of a matrix differ, read straight from the values."""
    import numpy as np
    from coder.export.sheets_sessions import differing_units
    for project in (study, sample):
        snap = _snapshot(project)
        whole = data_matrices(snap)
        units, keys, flags = differing_units(whole, snap.n_units)
        want = {}
        for key, m in whole.items():
            if m.kind == "global":
                continue
            for row, u in zip(m.values.tolist(), m.unit_index.tolist()):
                seen = {v for v in row if v == v}
                if len(seen) > 1:
                    want.setdefault(u, set()).add(key)
        got = {int(u): {keys[j] for j in np.flatnonzero(f)} for u, f in zip(units, flags)}
        assert got == want and len(want) > 10


def test_codings_placed_a_few_at_a_time_give_the_same_matrices(study, sample, monkeypatch):  # noqa: F811
    """full_matrix places a code's codings `CODINGS_SLICE` at a time: slices of 3 give the
    matrices (values, units, notes) made with all of them at once."""
    import numpy as np
    from coder.reliability.project import matrices
    for project in (study, sample):
        snap = _snapshot(project)
        whole = data_matrices(snap)
        monkeypatch.setattr(matrices, "CODINGS_SLICE", 3)
        sliced = data_matrices(snap)
        monkeypatch.undo()
        assert list(sliced) == list(whole)
        for key, m in whole.items():
            s = sliced[key]
            np.testing.assert_array_equal(s.values, m.values)
            assert s.unit_labels == m.unit_labels and s.notes == m.notes, key
