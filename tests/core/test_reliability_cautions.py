"""Issue 11 at report level: cautions (no positive cases, prevalence above 95 %, fewer than 10
units, a cluster bootstrap over fewer than 10 transcripts, with the jackknife SE beside it),
ICC of per-session counts from 5 sessions on, categories by label, per-transcript
intervals and an interval for Krippendorff's alpha with analytic intervals chosen. Expected
values are worked out by hand or by brute force with ``compute`` (never by the code under
test)."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pytest

from coder.reliability import compute
from coder.reliability.jackknife import cluster_jackknife_se
from coder.reliability.project import build_report, data_matrices, format_report, to_json
from coder.reliability.project.caution import (NO_POSITIVE, cautioned, few_clusters,
                                               prevalence_reason)
from coder.reliability.project.per_transcript import unit_jackknife
from coder.reliability.project.results import Interpretation, Statistic
from coder.reliability.suffstats import sufficient_statistic
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)
from tests.core.test_project_reliability_data import new_project


# -- the rules, by hand -----------------------------------------------------------------------
def test_prevalence_rules():
    assert prevalence_reason(0, 48) == NO_POSITIVE
    assert prevalence_reason(47, 48) == ("prevalence above 95 % (97.9 % of the values are "
                                         "'applied')")
    assert prevalence_reason(45, 48) is None              # 93.75 %: not above 95 %
    assert prevalence_reason(0, 0) is None                # nothing compared: nothing to say


def test_a_cautioned_value_loses_its_label_and_keeps_its_number():
    st = Statistic(0.9, 0.01, (0.88, 0.92), "m", None,
                   Interpretation("almost perfect", "landis_koch", "Landis & Koch 1977"))
    c = cautioned(st, None, few_clusters(4))
    assert (c.value, c.ci, c.interpretation) == (0.9, (0.88, 0.92), None)
    assert c.caution == "fewer than 10 transcripts for a cluster bootstrap (4 transcripts)"
    assert cautioned(Statistic(None, undefined_reason="x"), "y").caution is None
    assert cautioned(c, "more").caution.endswith("(4 transcripts); more")


def test_cluster_jackknife_by_hand():
    """Percent agreement, two raters, three transcripts: A [1,1],[0,0]; B [1,0],[1,1];
    C [0,0],[0,1],[1,1]. Pooled 5/7; leaving out A, B, C: 3/5, 4/5, 3/4; mean 43/60;
    SE = sqrt(2/3 * ((3/5-43/60)^2 + (4/5-43/60)^2 + (3/4-43/60)^2)) = sqrt(13/900)."""
    data = np.array([[1, 1], [0, 0], [1, 0], [1, 1], [0, 0], [0, 1], [1, 1]], float)
    clusters = np.array([0, 0, 1, 1, 2, 2, 2])
    stat = sufficient_statistic("percent_agreement", "nominal", [0, 1])
    assert cluster_jackknife_se(data, clusters, stat) == pytest.approx(math.sqrt(13 / 900))
    assert cluster_jackknife_se(data[:4], clusters[:4], stat) is None     # two transcripts


def test_unit_jackknife_of_a_mean_is_its_standard_error():
    """For percent agreement with two raters (a mean of 0/1 agreements) the delete-one-unit
    jackknife SE is the sample SD / sqrt(n): units [1,1], [0,0], [1,0] -> SE 1/3."""
    stat = sufficient_statistic("percent_agreement", "nominal", [0, 1])
    rows = np.array([[1, 1], [0, 0], [1, 0]], float)
    addends = stat.unit_stats(rows)
    per_t = np.array([[1.0, 1.0, 1.0], [4.0, 0.0, 1.0]])          # 2nd: 4 agree, 1 not
    se, n = unit_jackknife(stat.finish, addends, per_t, per_t @ addends)
    a2 = np.array([1, 1, 1, 1, 0], float)
    assert se == pytest.approx([1 / 3, a2.std(ddof=1) / math.sqrt(5)])
    assert list(n) == [3, 5]


# -- a project where the rules bite ----------------------------------------------------------
def _coded(tmp_path, n_transcripts: int):
    """A and B on n transcripts of 8 turns (4 therapist, 4 client turns each): validate is
    never applied; withdraw is applied by both to every client turn but one, where only A
    applies it; alliance rated by both."""
    names = [f"t{i}.srt" for i in range(n_transcripts)]
    p = new_project(tmp_path, transcripts=names, raters=())
    rows = ["transcript,segment,rater,code,value"]
    for t, name in enumerate(names):
        for pos in (2, 4, 6, 8):
            for r in ("A", "B"):
                if not (t == 0 and pos == 2 and r == "B"):
                    rows.append(f"{name},{pos},{r},withdraw,")
        rows += [f"{name},,A,alliance,{1 + t % 5}", f"{name},,B,alliance,{1 + (t + 1) % 5}"]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    p.codings.import_table(tmp_path / "c.csv", complete=True)
    return p


@pytest.fixture
def six(tmp_path):
    p = _coded(tmp_path, 6)
    yield p
    p.close()


def test_cautions_in_the_report(six):
    report = build_report(six.reliability.snapshot(), cuts=())
    v = report.entry("validate")
    assert v.n_units == 24
    pa = v.statistics["percent_agreement"]
    assert pa.value == 1.0 and pa.caution == NO_POSITIVE
    ac1 = v.statistics["gwet_ac1"]
    assert ac1.value == 1.0 and ac1.caution == NO_POSITIVE and ac1.interpretation is None
    w = report.entry("withdraw")
    assert w.statistics["percent_agreement"].value == pytest.approx(23 / 24)
    assert w.statistics["gwet_ac1"].caution == ("prevalence above 95 % (97.9 % of the values "
                                                "are 'applied')")
    g = report.entry("alliance")
    assert all("fewer than 10 units (6 transcripts)" in st.caution
               for st in g.statistics.values() if st.value is not None)
    data = to_json(report)
    got = next(e for e in data["codes"] if e["id"] == "validate")["statistics"]["gwet_ac1"]
    assert got["caution"] == NO_POSITIVE and got["interpretation"] is None
    text = format_report(report)
    assert f"caution: {NO_POSITIVE}" in text


def test_per_session_count_icc_needs_five_sessions(six, tmp_path):
    sc = build_report(six.reliability.snapshot(), cuts=()).entry("withdraw").session_counts
    assert sc.n_transcripts == 6
    icc = sc.statistics["icc_2_1"]
    assert icc.value is not None and icc.caution == "fewer than 10 units (6 sessions)"
    folder = tmp_path / "four"
    folder.mkdir()
    p = _coded(folder, 4)
    try:
        report = build_report(p.reliability.snapshot(), cuts=())
    finally:
        p.close()
    sc = report.entry("withdraw").session_counts
    for name in ("icc_2_1", "icc_3_1"):
        assert sc.statistics[name].value is None
        assert sc.statistics[name].undefined_reason == (
            "fewer than 5 sessions (4): an ICC of per-session counts is not computed")
    assert "Per-session count, 4 sessions" in format_report(report)


def test_alpha_gets_a_cluster_bootstrap_interval_and_the_jackknife_beside_it(six):
    snap = six.reliability.snapshot()
    analytic = build_report(snap, cuts=(), replicates=300, seed=5).entry("alliance")
    boot = build_report(snap, cuts=(), ci="bootstrap", replicates=300, seed=5).entry("alliance")
    a, b = analytic.statistics["krippendorff_alpha"], boot.statistics["krippendorff_alpha"]
    # analytic: alpha's own interval is Krippendorff's bootstrap (units, not transcripts)
    assert a.ci_method.startswith("Krippendorff bootstrap (Hayes & Krippendorff 2007)")
    assert a.caution == "fewer than 10 units (6 transcripts)" and a.jackknife_se is None
    assert b.ci_method == "cluster bootstrap (300 replicates, percentile)"
    assert a.value == b.value
    assert b.ci[0] <= b.value <= b.ci[1]
    assert b.caution == ("fewer than 10 transcripts for a cluster bootstrap (6 transcripts); "
                         "fewer than 10 units (6 transcripts)")
    # the jackknife SE by brute force: alpha without each transcript in turn
    m = data_matrices(snap)["alliance"]
    loo = [compute(m.values[m.clusters != t], "interval", [1, 2, 3, 4, 5],
                   names=["krippendorff_alpha"])["krippendorff_alpha"].value
           for t in np.unique(m.clusters)]
    loo = np.array(loo, float)
    want = math.sqrt((loo.size - 1) / loo.size * ((loo - loo.mean()) ** 2).sum())
    assert b.jackknife_se == pytest.approx(want, rel=1e-9)
    assert to_json(build_report(snap, cuts=(), ci="bootstrap", replicates=300, seed=5))[
        "globals"][0]["statistics"]["krippendorff_alpha"]["jackknife_se"] == pytest.approx(
            want, rel=1e-9)
    assert "jackknife SE" in format_report(build_report(snap, cuts=(), ci="bootstrap",
                                                        replicates=50))


def test_categories_by_label(project, tmp_path):
    report = build_report(project.reliability.snapshot(), cuts=("pairs",))
    e = report.entry("behaviour")
    assert e.categories == ("question", "reflection", "advice")
    assert e.category_names == ("Question", "Reflection", "Advice")
    text = format_report(report)
    assert "Categories (agreement per category): Question 0.667, Reflection 0.667, Advice -" \
        in text
    out = tmp_path / "x.xlsx"
    project.exports.workbook(out)
    ws = openpyxl.load_workbook(out)["Confusion"]
    heads = {c.value: c for row in ws.iter_rows() for c in row if c.value in ("Question",
                                                                             "question")}
    assert "Question" in heads and "question" not in heads
    assert heads["Question"].comment.text == "id: question"
