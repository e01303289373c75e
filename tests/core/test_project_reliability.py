"""Project reliability: the data matrices built from real codings (three states per rater and
unit, scope, single-rated units) and the pooled statistics, each checked against an
independently built matrix fed to ``compute()`` or against pingouin (ICC)."""

from __future__ import annotations

import numpy as np
import pytest

from coder.reliability import compute
from coder.reliability.project import build_report, data_matrices, count_matrices
from tests.core.test_project_reliability_data import (code_s1_s2, apply, done, new_project,
                                                      rate)

N = np.nan


@pytest.fixture
def project(tmp_path):
    """Three transcripts, raters A, B, C; s3 is coded by A only (see the matrices below)."""
    p = new_project(tmp_path)
    code_s1_s2(p)
    done(p, "A", "s3.srt", range(1, 9))
    apply(p, "A", "validate", "s3.srt", 3)
    for t, vals in (("s1.srt", {"A": 4, "B": 3}), ("s2.srt", {"A": 2, "B": 2, "C": 3}),
                    ("s3.srt", {"A": 5, "B": 4})):
        for r, v in vals.items():
            rate(p, r, "alliance", t, None, v)
    yield p
    p.close()


# Expected matrices, written from the codings above (columns A, B, C).
VALIDATE = [("s1.srt", 1, [1, 1, N]), ("s1.srt", 3, [1, 0, N]), ("s1.srt", 5, [0, 1, N]),
            ("s1.srt", 7, [0, 1, N]), ("s2.srt", 1, [1, 0, 1]), ("s2.srt", 3, [0, 0, 0]),
            ("s2.srt", 5, [0, 0, N]), ("s2.srt", 7, [0, 0, N])]
WITHDRAW = [("s1.srt", 2, [1, 0, N]), ("s1.srt", 4, [0, 0, N]), ("s1.srt", 6, [0, 0, N]),
            ("s2.srt", 2, [0, 0, 0]), ("s2.srt", 4, [0, 0, 0]), ("s2.srt", 6, [0, 0, N]),
            ("s2.srt", 8, [0, 0, N])]
BEHAVIOUR = [("s1.srt", 1, [0, 0]), ("s1.srt", 3, [1, 0]), ("s2.srt", 1, [1, 1])]   # A, B
WARMTH = [("s1.srt", 1, [4, 5, N]), ("s1.srt", 3, [2, 2, N]), ("s1.srt", 5, [5, 2, N]),
          ("s2.srt", 1, [3, 3, 2]), ("s2.srt", 3, [3, 4, 3])]
SIGNIFICANCE = [("s1.srt", 1, [3, 3]), ("s1.srt", 2, [1, 2])]                      # A, B
ALLIANCE = [("s1.srt", [4, 3, N]), ("s2.srt", [2, 2, 3]), ("s3.srt", [5, 4, N])]


def hand(rows) -> np.ndarray:
    return np.array([r[-1] for r in rows], dtype=float)


def snapshot(p, **kw):
    return p.reliability.snapshot(**kw)


STAT_KEYS = ("value", "se", "ci", "ci_method", "undefined_reason", "convention")


def with_singles(rows, project, key, transcript=None, cols=None) -> np.ndarray:
    """What the statistics see: the hand table's units (rated by two or more) plus the
    matrix's single-rated units (test_matrices_cell_by_cell checks they are single-rated);
    with ``cols``, the rater columns of a cut, keeping the units any of them rated."""
    m = data_matrices(snapshot(project))[key]
    single = ~m.pairable
    if transcript is not None:
        single &= np.array([t == transcript for t, _, _ in m.units], dtype=bool)
    x = np.vstack([hand(rows).reshape(-1, m.values.shape[1]), m.values[single]])
    if cols is not None:
        x = x[:, cols]
    return x[(~np.isnan(x)).any(axis=1)]


def entry_of(report, key, section="codes"):
    return next(e for e in getattr(report, section) if e.id == key)


def same_stats(got, expected: dict) -> None:
    """The report's statistics (name -> Statistic) carry the engine's results exactly."""
    assert set(got) == set(expected)
    for name, res in expected.items():
        want = {k: v for k, v in res.to_json().items() if k in STAT_KEYS}
        have = {k: getattr(got[name], k) for k in STAT_KEYS}
        if res.ci is None and name == "krippendorff_alpha" and res.value is not None:
            # alpha has no analytic interval: the report gives the cluster bootstrap's, or
            # says why there is none (fewer than two transcripts to resample)
            method, ci = have.pop("ci_method"), have.pop("ci")
            assert (method.startswith("cluster bootstrap") and ci is not None
                    if method else got[name].ci_note), name
            for k in ("se", "ci", "ci_method"):
                want.pop(k)
            have.pop("se")
        assert set(have) == set(want), name
        for k, v in want.items():                # approx does not nest (pytest >= 9.2)
            if isinstance(v, (list, tuple)):
                assert have[k] == pytest.approx(list(v)), (name, k)
            elif isinstance(v, float):
                assert have[k] == pytest.approx(v), (name, k)
            else:
                assert have[k] == v, (name, k)


def test_matrices_cell_by_cell(project):
    m = data_matrices(snapshot(project))
    for key, rows, kind, raters in (("validate", VALIDATE, "turn", ("A", "B", "C")),
                                    ("withdraw", WITHDRAW, "turn", ("A", "B", "C")),
                                    ("behaviour", BEHAVIOUR, "turn", ("A", "B")),
                                    ("warmth", WARMTH, "turn", ("A", "B", "C")),
                                    ("significance", SIGNIFICANCE, "window", ("A", "B"))):
        got = m[key]
        assert got.raters == raters, key
        pair = got.pairable                 # the hand tables list the pairable units
        assert [u for u, p in zip(got.units, pair) if p] == [(t, kind, pos)
                                                             for t, pos, _ in rows], key
        np.testing.assert_array_equal(got.values[pair], hand(rows), err_msg=key)
        assert (~pair).sum() == got.n_units_single_rated, key
        assert ((~np.isnan(got.values[~pair])).sum(axis=1) == 1).all(), key
    g = m["alliance"]
    assert g.units == [(t, "session", None) for t, _ in ALLIANCE]
    np.testing.assert_array_equal(g.values, hand(ALLIANCE))


def test_single_rated_units_are_kept_and_counted(project):
    m = data_matrices(snapshot(project))
    # validate: s3 (A alone, 4 therapist turns); withdraw: s1 turn 8 (B had not completed
    # it) and s3's 4 client turns; behaviour: s1 turn 5 (only A), turn 7 (only B);
    # significance: window 3 (only B rated it).
    assert {k: m[k].n_units_single_rated for k in
            ("validate", "withdraw", "behaviour", "warmth", "significance", "alliance")} == {
        "validate": 4, "withdraw": 5, "behaviour": 2, "warmth": 0, "significance": 1,
        "alliance": 0}
    report = build_report(snapshot(project), cuts=())
    assert entry_of(report, "withdraw").n_units_single_rated == 5
    assert entry_of(report, "withdraw").n_units == len(WITHDRAW)
    # C completed s2 turns 1-4 without choosing a category: missing for the set, not a
    # category, so C has no data for the set at all.
    assert entry_of(report, "behaviour").notes.raters_without_data == ("C",)


def test_report_on_the_matrix_reproduces_irrcac(project):
    """The matrices keep single-rated units, so irrCAC run on a matrix gives the report's
    Fleiss' kappa and AC1 (Gwet's convention: single-rated units in chance agreement)."""
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    m = data_matrices(snapshot(project))
    report = build_report(snapshot(project), cuts=())
    for key in ("validate", "withdraw"):
        ref = raw.CAC(pd.DataFrame(m[key].values), categories=[0.0, 1.0], digits=15)
        stats = entry_of(report, key).statistics
        for name, method in (("gwet_ac1", "gwet"), ("fleiss_kappa", "fleiss")):
            est = getattr(ref, method)()["est"]
            assert stats[name].value == pytest.approx(est["coefficient_value"], abs=1e-12)
            assert stats[name].se == pytest.approx(est["se"], abs=1e-12)
            assert stats[name].convention.startswith("Gwet (2014)/irrCAC")


def test_out_of_scope_units_never_enter(project):
    m = data_matrices(snapshot(project))
    roles = {s.position: s.role for s in project.transcripts.segments(project.transcripts.get("s1.srt").id,
                                                          "turn")}
    assert {roles[pos] for t, _, pos in m["validate"].units if t == "s1.srt"} == {"therapist"}
    assert {roles[pos] for t, _, pos in m["withdraw"].units if t == "s1.srt"} == {"client"}
    # A role changed after coding: the withdraw coding on s1 turn 2 is now outside the
    # code's scope; it is dropped and counted, never agreement.
    project.transcripts.set_roles(project.transcripts.get("s1.srt").id, {"C": "therapist"})
    w = data_matrices(snapshot(project))["withdraw"]
    assert "s1.srt" not in {t for t, _, _ in w.units}
    assert w.notes["n_codings_outside_scope"] == 1


def test_pooled_presence_statistics_equal_compute(project):
    report = build_report(snapshot(project), cuts=())
    for key, rows in (("validate", VALIDATE), ("withdraw", WITHDRAW)):
        e = entry_of(report, key)
        assert (e.kind, e.n_units, e.n_raters) == ("presence", len(rows), 3)
        same_stats(e.statistics, compute(with_singles(rows, project, key), "nominal", [0, 1]))
    v = entry_of(report, "validate")
    for name in ("percent_agreement", "positive_agreement", "negative_agreement",
                 "fleiss_kappa", "gwet_ac1", "krippendorff_alpha", "brennan_prediger"):
        assert name in v.statistics
    # prevalence: share of each rater's valued units coded 1; A's 4 single-rated units in s3
    # (one of them coded 1) count too
    assert v.prevalence == pytest.approx({"A": 4 / 12, "B": 3 / 8, "C": 1 / 2})
    # 8 units: every value is cautioned and carries no interpretation label
    for st in v.statistics.values():
        assert "fewer than 10 units (8 units)" in st.caution and st.interpretation is None


def test_category_set_uses_codebook_categories(project):
    report = build_report(snapshot(project), cuts=())
    e = entry_of(report, "behaviour")
    assert e.kind == "category" and e.group == "behaviour"
    assert e.categories == ("question", "reflection", "advice")       # advice never used
    data = with_singles(BEHAVIOUR, project, "behaviour")
    same_stats(e.statistics, compute(data, "nominal", [0, 1, 2]))
    two = compute(data, "nominal", [0, 1])
    assert e.statistics["brennan_prediger"].value != pytest.approx(
        two["brennan_prediger"].value)
    # confusion matrix (rows A, columns B) and coincidence matrix, by hand
    assert e.confusion_matrix.counts == ((1, 0, 0), (1, 1, 0), (0, 0, 0))
    assert e.coincidence_matrix.values == ((2, 1, 0), (1, 2, 0), (0, 0, 0))
    per = e.per_category_agreement
    # question: unit 1 both (2 ordered pairs agree); unit 3 one "question" vs reflection
    assert per["question"].value == pytest.approx(2 / 3)
    assert per["reflection"].value == pytest.approx(2 / 3)
    assert per["advice"].value is None and per["advice"].undefined_reason
    # per-category kappa: Fleiss' kappa of "this category" against the rest (irrCAC)
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    kap = e.per_category_kappa
    assert kap["advice"].undefined_reason == "category advice was never used"
    for k, lab in enumerate(["question", "reflection"]):
        collapsed = np.where(np.isnan(data), np.nan, (data == k).astype(float))
        est = raw.CAC(pd.DataFrame(collapsed), categories=[0.0, 1.0], digits=15).fleiss()["est"]
        assert kap[lab].value == pytest.approx(est["coefficient_value"], abs=1e-12)


def test_rating_ordinal_with_exact_and_within_one(project):
    report = build_report(snapshot(project), cuts=())
    e = entry_of(report, "warmth")
    assert e.level == "ordinal" and e.categories == ("1", "2", "3", "4", "5")
    same_stats(e.statistics, compute(hand(WARMTH), "ordinal", [1, 2, 3, 4, 5]))
    # exact: per unit share of agreeing rater pairs, averaged over units
    assert e.agreement["exact"].value == pytest.approx((0 + 1 + 0 + 1 / 3 + 1 / 3) / 5)
    # within one point: (4,5) yes, (2,2) yes, (5,2) no, (3,3,2) all, (3,4,3) all
    assert e.agreement["within_one"].value == pytest.approx(4 / 5)
    check = compute(hand(WARMTH), "interval", names=["krippendorff_alpha"])
    assert e.interval_check.value == pytest.approx(check["krippendorff_alpha"].value)
    s = entry_of(report, "significance")
    same_stats(s.statistics, compute(with_singles(SIGNIFICANCE, project, "significance"),
                                        "ordinal", [1, 2, 3, 4, 5]))


def test_global_reports_icc_with_reason_when_incomplete(project):
    report = build_report(snapshot(project), cuts=())
    g = entry_of(report, "alliance", "globals")
    assert set(g.statistics) == {"icc_2_1", "icc_3_1", "krippendorff_alpha"}
    same_stats(g.statistics, compute(hand(ALLIANCE), "interval", [1, 2, 3, 4, 5],
                                        names=["icc_2_1", "icc_3_1", "krippendorff_alpha"]))
    # only s2 was rated by all three: ICC is undefined, with the reason
    assert g.statistics["icc_2_1"].value is None
    assert "every rater" in g.statistics["icc_2_1"].undefined_reason


def test_span_dice_by_hand(project):
    e = entry_of(build_report(snapshot(project), cuts=()), "validate")
    # s1 turn 1: A 0-8, B 0-4 -> 2*4/(8+4); s2 turn 1: A 0-10, C 5-15 -> 2*5/(10+10)
    assert e.span_dice.n_comparisons == 2
    assert e.span_dice.mean_dice == pytest.approx((8 / 12 + 10 / 20) / 2)
    assert entry_of(build_report(snapshot(project), cuts=()), "withdraw").span_dice.undefined_reason


# -- globals and per-session counts against pingouin ------------------------------------
A_COUNTS, B_COUNTS = [1, 2, 0, 3, 2, 4], [1, 3, 1, 3, 1, 4]
A_GLOBAL, B_GLOBAL = [4, 2, 5, 3, 1, 4], [3, 2, 4, 3, 2, 5]


@pytest.fixture
def icc_project(tmp_path):
    names = [f"t{i}.srt" for i in range(6)]
    p = new_project(tmp_path, transcripts=names, raters=())
    rows = ["transcript,segment,rater,code,value"]
    for t, name in enumerate(names):
        for rater, counts, globals_ in (("A", A_COUNTS, A_GLOBAL), ("B", B_COUNTS, B_GLOBAL)):
            rows += [f"{name},{pos},{rater},validate," for pos in (1, 3, 5, 7)[:counts[t]]]
            rows.append(f"{name},,{rater},alliance,{globals_[t]}")
    csv = tmp_path / "codings.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    p.codings.import_table(csv, complete=True)
    yield p
    p.close()


def _pingouin(a, b):
    pg = pytest.importorskip("pingouin")
    import pandas as pd
    n = len(a)
    df = pd.DataFrame({"target": list(range(n)) * 2, "rater": ["A"] * n + ["B"] * n,
                       "score": list(a) + list(b)})
    saved = pg.options["round.column.CI95"]
    pg.options["round.column.CI95"] = None          # pingouin rounds CIs to 2 digits
    try:
        table = pg.intraclass_corr(df, targets="target", raters="rater", ratings="score")
    finally:
        pg.options["round.column.CI95"] = saved
    return table.set_index("Type")


def _check_icc(stats, a, b):
    ref = _pingouin(a, b)
    for name, row in (("icc_2_1", "ICC(A,1)"), ("icc_3_1", "ICC(C,1)")):
        assert stats[name].value == pytest.approx(ref.loc[row, "ICC"], abs=1e-9)
        low, high = ref.loc[row, "CI95"]
        assert stats[name].ci == pytest.approx([low, high], abs=1e-6)
        assert stats[name].ci_method.startswith("F-based")


def test_session_global_icc_matches_pingouin(icc_project):
    g = entry_of(build_report(snapshot(icc_project), cuts=()), "alliance", "globals")
    assert g.n_units == 6
    _check_icc(g.statistics, A_GLOBAL, B_GLOBAL)


def test_per_session_counts_and_their_icc(icc_project):
    counts = count_matrices(snapshot(icc_project))["validate"]
    np.testing.assert_array_equal(counts.values, np.array([A_COUNTS, B_COUNTS]).T)
    e = entry_of(build_report(snapshot(icc_project), cuts=()), "validate")
    assert e.session_counts.n_transcripts == 6
    _check_icc(e.session_counts.statistics, A_COUNTS, B_COUNTS)


def test_exported_matrix_csv_reads_back_in_stats_with_the_same_figures(project, tmp_path):
    """The --csv-dir matrix keeps single-rated units and reads with our own `stats`
    (three id columns recognised): the same Fleiss' kappa and AC1 as the report."""
    from coder.reliability.table import stats_report
    folder = tmp_path / "csv"
    folder.mkdir()
    project.exports.workbook(tmp_path / "out.xlsx", csv_dir=folder)
    report = build_report(snapshot(project), cuts=())
    for key in ("validate", "withdraw"):
        rep = stats_report(folder / f"matrix_{key}.csv", "nominal", "0,1")
        e = entry_of(report, key)
        assert rep["n_units"] == e.n_units + e.n_units_single_rated
        for name in ("fleiss_kappa", "gwet_ac1", "percent_agreement"):
            assert rep["statistics"][name]["value"] == pytest.approx(
                e.statistics[name].value, abs=1e-12), (key, name)
