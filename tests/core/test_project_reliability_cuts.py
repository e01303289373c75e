"""Project reliability cuts (per transcript, rater pairs, reference rater), the cluster
bootstrap over transcripts, progress and cancel, blinding, and the CLI in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from coder.project import BlindingError
from coder.errors import SessionCoderError
from coder.reliability import compute
from coder.reliability.project import build_report, to_json
from coder.reliability.project.results import BootstrapInfo
from coder.reliability.project.per_transcript import HEADLINE
from coder.jobs import Cancelled
from tests.conftest import ROOT
from tests.core.test_project_reliability import (BEHAVIOUR, VALIDATE, WITHDRAW, entry_of,  # noqa: F401
                                                 hand, icc_project, project, same_stats,
                                                 with_singles)
from tests.core.test_project_reliability_data import new_project


def rows_of(rows, transcript):
    return [r for r in rows if r[0] == transcript]


def _check_jackknife(st, data, name):
    """The per-transcript interval, checked by brute force: compute() with each unit left
    out, the jackknife SE from those values, value ± t(n-1)·SE clipped to the range."""
    from scipy import stats as sps
    if st.value is None:
        return
    loo = [compute(np.delete(data, i, axis=0), "nominal", [0, 1], names=[name])[name].value
           for i in range(len(data))]
    loo = np.array([v for v in loo if v is not None], dtype=float)
    n = loo.size
    if n < 2:
        assert st.ci is None and st.ci_note, name
        return
    se = np.sqrt((n - 1) / n * ((loo - loo.mean()) ** 2).sum())
    assert st.se == pytest.approx(se, abs=1e-12), name
    lo_hi = (0.0, 1.0) if name.endswith("agreement") else (-1.0, 1.0)
    half = sps.t.ppf(0.975, n - 1) * se
    want = (max(st.value - half, lo_hi[0]), min(st.value + half, lo_hi[1]))
    assert st.ci == pytest.approx(want, abs=1e-9), name
    assert st.ci_method == "jackknife over the transcript's units, t(n-1)"


def test_per_transcript_equals_compute_on_each_transcript(project):
    report = build_report(project.reliability.snapshot())
    by_t = {b.transcript: b.codes for b in report.per_transcript}
    assert list(by_t) == ["s1.srt", "s2.srt", "s3.srt"]
    for key, rows in (("validate", VALIDATE), ("withdraw", WITHDRAW)):
        for t in ("s1.srt", "s2.srt"):
            e = next(x for x in by_t[t] if x.id == key)
            data = with_singles(rows_of(rows, t), project, key, transcript=t)
            assert e.n_units == len(rows_of(rows, t))
            want = compute(data, "nominal", [0, 1])
            for name, st in e.statistics.items():
                assert name in HEADLINE
                assert st.value == pytest.approx(want[name].value), (key, t, name)
                assert st.undefined_reason == want[name].undefined_reason
                _check_jackknife(st, data, name)
    # s3: coded by A alone, nothing to compare; the reasons come from the engine
    e = next(x for x in by_t["s3.srt"] if x.id == "validate")
    assert (e.n_units, e.n_units_single_rated) == (0, 4)
    assert all(st.value is None and st.undefined_reason
               for st in e.statistics.values())
    # withdraw in s1: B never applied it, so positive agreement is undefined with a reason
    w1 = next(x for x in by_t["s1.srt"] if x.id == "withdraw")
    assert w1.n_units_single_rated == 1


def test_every_rater_pair(project):
    report = build_report(project.reliability.snapshot(), cuts=("pairs",))
    assert [p.raters for p in report.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    ab = {e.id: e for e in report.pairs[0].codes}
    data = with_singles(VALIDATE, project, "validate", cols=[0, 1])
    want = compute(data, "nominal", [0, 1])
    del want["fleiss_kappa"]                    # = Scott's pi with two raters
    same_stats(ab["validate"].statistics, want)
    ac = {e.id: e for e in report.pairs[1].codes}["validate"]
    # A and C both rated s2 turns 1 and 3 only; A alone: s1 (4), s2 turns 5 and 7, s3 (4)
    assert (ac.n_units, ac.n_units_single_rated) == (2, 10)
    assert ac.raters == ("A", "C")
    assert report.per_transcript is None and report.reference is None


def test_reference_rater_comes_first(project):
    report = build_report(project.reliability.snapshot(), reference="B",
                          cuts=("reference",))
    ref = report.reference
    assert ref.rater == "B" and [b.rater for b in ref.against] == ["A", "C"]
    beh = {e.id: e for e in ref.against[0].codes}["behaviour"]
    assert beh.raters == ("B", "A")
    # rows = B, columns = A: (q, q), (q, reflection), (reflection, reflection)
    assert beh.confusion_matrix.counts == ((1, 1, 0), (0, 1, 0), (0, 0, 0))
    same_stats({k: v for k, v in beh.statistics.items()},
               {k: v for k, v in compute(with_singles(BEHAVIOUR, project, "behaviour",
                                                      cols=[1, 0]),
                                         "nominal", [0, 1, 2]).items()
                if k != "fleiss_kappa"})
    assert report.pairs is None
    with pytest.raises(SessionCoderError, match="reference rater 'Zed'"):
        build_report(project.reliability.snapshot(), reference="Zed")


def test_selection_and_errors(project):
    snap = project.reliability.snapshot(raters="A,B", transcripts=["s1"])
    report = build_report(snap, codes=["validate", "question"], cuts=())
    assert report.raters == ("A", "B") and report.transcripts == ("s1.srt",)
    assert [e.id for e in report.codes] == ["validate", "behaviour"]
    same_stats(report.codes[0].statistics,
               compute(hand(rows_of(VALIDATE, "s1.srt"))[:, :2], "nominal", [0, 1]))
    for kw, msg in (({"raters": ["Zed"]}, "no rater 'Zed'"),
                    ({"transcripts": ["nope"]}, "no transcript 'nope'")):
        with pytest.raises(SessionCoderError, match=msg):
            project.reliability.snapshot(**kw)
    with pytest.raises(SessionCoderError, match="no code 'nope'"):
        build_report(project.reliability.snapshot(), codes=["nope"])
    with pytest.raises(SessionCoderError, match="scheme"):
        build_report(project.reliability.snapshot(), scheme="vibes")


def test_scheme_applies_to_every_coefficient(icc_project):
    report = build_report(icc_project.reliability.snapshot(), scheme="cicchetti", cuts=())
    st = entry_of(report, "validate").statistics
    assert st["fleiss_kappa"].interpretation.scheme_name == "Cicchetti 1994"
    assert st["gwet_ac1"].interpretation.scheme == "cicchetti"
    # alpha's analytic interval is now Krippendorff's own bootstrap (units, not a cluster
    # bootstrap over 6 transcripts): no cluster caution, so it is labelled too
    alpha_ = st["krippendorff_alpha"]
    assert alpha_.ci_method.startswith("Krippendorff bootstrap")
    assert alpha_.caution is None and alpha_.interpretation.scheme == "cicchetti"
    assert report.scheme == "cicchetti"


def test_progress_and_cancel(project):
    calls = []
    build_report(project.reliability.snapshot(), lambda d, t: calls.append((d, t)),
                 reference="A")
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == list(range(1, len(calls) + 1))
    with pytest.raises(Cancelled):
        build_report(project.reliability.snapshot(), cancel=lambda: True)


# -- cluster bootstrap over transcripts ---------------------------------------------------
def _identical_project(tmp_path, n=4):
    names = [f"t{i}.srt" for i in range(n)]
    p = new_project(tmp_path, transcripts=names, raters=())
    rows = ["transcript,segment,rater,code,value"]
    for name in names:       # the same codings in every transcript
        rows += [f"{name},1,A,validate,", f"{name},3,A,validate,", f"{name},1,B,validate,",
                 f"{name},5,B,validate,", f"{name},,A,alliance,{3}", f"{name},,B,alliance,3"]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    p.codings.import_table(tmp_path / "c.csv", complete=True)
    return p


def test_bootstrap_resamples_transcripts(tmp_path):
    p = _identical_project(tmp_path)
    try:
        report = build_report(p.reliability.snapshot(), ci="bootstrap", replicates=200,
                              seed=3, cuts=())
    finally:
        p.close()
    assert report.ci_method == "bootstrap"
    assert report.bootstrap == BootstrapInfo(replicates=200, seed=3, resampled="transcripts")
    st = entry_of(report, "validate").statistics
    for name in ("percent_agreement", "cohen_kappa", "gwet_ac1", "krippendorff_alpha"):
        # every transcript is the same, so every replicate is too: a zero-width interval
        # (resampling segments would not give one)
        assert st[name].ci == pytest.approx([st[name].value] * 2, abs=1e-12), name
        assert st[name].ci_method == "cluster bootstrap (200 replicates, percentile)"


def test_bootstrap_reproducible_with_seed(icc_project):
    snap = icc_project.reliability.snapshot()       # six transcripts that differ
    runs = [build_report(snap, ci="bootstrap", replicates=300, seed=s, cuts=("pairs",))
            for s in (11, 11, 12)]
    assert runs[0] == runs[1]
    a = entry_of(runs[0], "validate").statistics["gwet_ac1"]
    c = entry_of(runs[2], "validate").statistics["gwet_ac1"]
    assert a.value == c.value and a.ci != c.ci
    analytic = entry_of(build_report(snap, cuts=()), "validate").statistics["gwet_ac1"]
    assert a.value == analytic.value and a.ci != analytic.ci
    pair = runs[0].pairs[0].codes[0].statistics["cohen_kappa"]
    assert pair.ci_method == "cluster bootstrap (300 replicates, percentile)"
    icc = entry_of(runs[0], "alliance", "globals").statistics["icc_2_1"]
    assert icc.ci_method.startswith("cluster bootstrap")


# -- blinding -----------------------------------------------------------------------------
def test_blind_project_refuses_a_signed_in_rater(project):
    project.sign_in(project.r["A"])
    with pytest.raises(BlindingError, match="supervisor can turn blinding off"):
        project.reliability.report()
    sup = project.raters.add("Sue", role="supervisor")
    project.sign_in(sup.id)
    with pytest.raises(BlindingError):
        project.reliability.snapshot()
    project.raters.set_blind(False)
    assert project.reliability.report(cuts=()).raters == ("A", "B", "C", "Sue")
    project.access.sign_out()                       # headless use is always allowed
    project.raters.set_blind(True)
    assert project.reliability.report(cuts=()).codes


# -- the CLI ------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run([sys.executable, "main.py", "reliability", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_json_equals_build_report(project):
    path = project.path
    expected = build_report(project.reliability.snapshot(), reference="B")
    project.close()
    out = _cli(path, "--json", "--reference", "B")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(to_json(expected)))
    text = _cli(path, "--codes", "validate,alliance", "--scheme", "koo_li")
    assert text.returncode == 0, text.stderr
    assert "validate (presence) Validate: 8 units, 3 raters" in text.stdout
    assert "interpretation: Koo & Li 2016" in text.stdout
    assert "ICC(2,1) = ICC(A,1)" in text.stdout


def test_cli_errors_are_one_line(project):
    path = project.path
    project.close()
    for args, msg in ((["--raters", "A,Zed"], "no rater 'Zed'"),
                      (["--transcripts", "s9"], "no transcript 's9'"),
                      (["--codes", "nope"], "no code 'nope'")):
        out = _cli(path, *args)
        assert out.returncode == 1
        assert out.stderr.count("\n") == 1 and msg in out.stderr and out.stdout == ""
