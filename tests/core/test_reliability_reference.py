"""Sensitivity, specificity, precision and F1 against a reference rater, in the report's
reference cut: counted by hand from the test project's codings (the tables in
test_project_reliability), Wilson intervals checked against statsmodels, the F1 jackknife
against a delete-one-unit loop over the listed units, and the degenerate cases."""

from __future__ import annotations

import json
import math

import pytest
from statsmodels.stats.proportion import proportion_confint

from coder.reliability.project import build_report, format_report, to_json
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)


def against(report, rater):
    return next(a for a in report.reference.against if a.rater == rater)


def code(block, key):
    return next(e for e in block.entries if e.id == key)


def wilson(k, n):
    return pytest.approx(list(proportion_confint(k, n, alpha=0.05, method="wilson")))


def jackknife_f1(cells):
    """Delete-one-unit jackknife SE of F1 over a list of cells ("tp", "fp", "fn", "tn")."""
    def f1(cs):
        tp, fp, fn = (cs.count(c) for c in ("tp", "fp", "fn"))
        return 2 * tp / (2 * tp + fp + fn)
    n = len(cells)
    loo = [f1(cells[:i] + cells[i + 1:]) for i in range(n)]
    mean = sum(loo) / n
    return math.sqrt((n - 1) / n * sum((v - mean) ** 2 for v in loo))


def test_presence_code_against_the_reference_by_hand(project):  # noqa: F811
    report = build_report(project.reliability.snapshot(), reference="A", cuts=("reference",))
    e = code(against(report, "B"), "validate")
    acc = e.against_reference
    # VALIDATE (A, B): (1,1) TP; (1,0) FN twice; (0,1) FP twice; (0,0) TN three times;
    # s3 is A's alone (B missing), so it is not counted
    assert (acc.reference, acc.rater) == ("A", "B")
    assert (acc.true_positive, acc.false_positive, acc.false_negative,
            acc.true_negative) == (1, 2, 2, 3)
    st = acc.statistics
    assert st["sensitivity"].value == pytest.approx(1 / 3)
    assert st["specificity"].value == pytest.approx(3 / 5)
    assert st["precision"].value == pytest.approx(1 / 3)
    assert st["f1"].value == pytest.approx(2 / 6)
    assert list(st["sensitivity"].ci) == wilson(1, 3)
    assert list(st["specificity"].ci) == wilson(3, 5)
    assert st["sensitivity"].ci_method == "Wilson score"
    cells = ["tp"] + ["fn"] * 2 + ["fp"] * 2 + ["tn"] * 3
    assert st["f1"].se == pytest.approx(jackknife_f1(cells))
    assert st["f1"].ci_method.startswith("jackknife")
    # eight units: every figure is cautioned, none carries an interpretation label
    assert all(s.caution and "fewer than 10 units" in s.caution and s.interpretation is None
               for s in st.values())
    # the pooled and pair cuts do not carry it
    assert build_report(project.reliability.snapshot(),
                        cuts=()).entry("validate").against_reference is None


def test_degenerate_cases_are_undefined_with_a_reason(project):  # noqa: F811
    report = build_report(project.reliability.snapshot(), reference="B", cuts=("reference",))
    # withdraw: B never applied it; A applied it once (s1 turn 2), six units both left alone
    acc = code(against(report, "A"), "withdraw").against_reference
    assert (acc.true_positive, acc.false_positive, acc.false_negative,
            acc.true_negative) == (0, 1, 0, 6)
    st = acc.statistics
    assert st["sensitivity"].value is None
    assert st["sensitivity"].undefined_reason == "the reference never applied the code"
    assert st["specificity"].value == pytest.approx(6 / 7)
    assert st["precision"].value == 0.0 and st["f1"].value == 0.0
    # C against B on withdraw: two units, nobody applied it: only specificity is defined
    st = code(against(report, "C"), "withdraw").against_reference.statistics
    assert [st[n].value is None for n in ("sensitivity", "specificity", "precision", "f1")] \
        == [True, False, True, True]
    assert "neither the rater nor the reference" in st["f1"].undefined_reason
    assert st["precision"].undefined_reason == "the rater never applied the code"
    # ratings and session globals have no positive class
    assert code(against(report, "A"), "warmth").against_reference is None
    assert code(against(report, "A"), "alliance").against_reference is None


def test_category_set_per_category_against_the_rest(project):  # noqa: F811
    report = build_report(project.reliability.snapshot(), reference="A", cuts=("reference",))
    e = code(against(report, "B"), "behaviour")
    assert e.against_reference is None
    per = e.per_category_against_reference
    assert list(per) == ["question", "reflection", "advice"]
    # BEHAVIOUR (A, B): (q, q), (reflection, q), (reflection, reflection)
    counts = {c: (a.true_positive, a.false_positive, a.false_negative, a.true_negative)
              for c, a in per.items()}
    assert counts == {"question": (1, 1, 0, 1), "reflection": (1, 0, 1, 1),
                      "advice": (0, 0, 0, 3)}
    assert per["question"].statistics["precision"].value == pytest.approx(1 / 2)
    assert per["reflection"].statistics["sensitivity"].value == pytest.approx(1 / 2)
    assert per["advice"].statistics["sensitivity"].value is None        # never used
    assert per["advice"].statistics["specificity"].value == 1.0


def test_json_and_text_carry_the_figures(project):  # noqa: F811
    report = build_report(project.reliability.snapshot(), reference="A", cuts=("reference",))
    data = json.loads(json.dumps(to_json(report)))
    b = next(a for a in data["reference"]["against"] if a["rater"] == "B")
    v = next(c for c in b["codes"] if c["id"] == "validate")["against_reference"]
    assert {k: v[k] for k in ("reference", "rater", "n_units", "true_positive",
                              "false_positive", "false_negative", "true_negative")} == {
        "reference": "A", "rater": "B", "n_units": 8, "true_positive": 1,
        "false_positive": 2, "false_negative": 2, "true_negative": 3}
    assert set(v["statistics"]) == {"sensitivity", "specificity", "precision", "f1"}
    sens = v["statistics"]["sensitivity"]
    assert {"value", "se", "ci", "ci_method", "undefined_reason"} <= set(sens)
    assert sens["value"] == pytest.approx(1 / 3)
    beh = next(c for c in b["codes"] if c["id"] == "behaviour")
    assert set(beh["per_category_against_reference"]) == {"question", "reflection", "advice"}
    assert "against_reference" not in next(c for c in data["codes"] if c["id"] == "validate")
    text = format_report(report)
    assert "TP 1, FP 2, FN 2, TN 3: sensitivity 0.333" in text
    assert "Question vs rest: TP 1, FP 1, FN 0, TN 1" in text
