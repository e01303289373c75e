"""The typed reliability report and its one serialiser: the ``--json`` key order of every kind
of entry is the contract's, values are plain JSON, and a statistic the report has never seen
flows through the serialiser, the text report and the Excel columns without a change there."""

from __future__ import annotations

import dataclasses
import json

import pytest

from coder.export.sheets_stats import stat_cells, stat_columns, stat_names
from coder.reliability.project import build_report, format_report, to_json
from coder.reliability.project.results import Interpretation, Statistic, frozen_map
from tests.core.test_project_reliability import project  # noqa: F401  (fixture)

ENTRY_HEAD = ["id", "kind", "label", "group", "level", "categories", "n_units", "n_raters",
              "raters", "n_units_single_rated", "prevalence", "statistics"]
STAT_KEYS = ["value", "se", "ci", "ci_method", "undefined_reason", "convention",
             "interpretation"]


def _entry(data: dict, key: str, section: str = "codes") -> dict:
    return next(e for e in data[section] if e["id"] == key)


def test_json_key_order_per_kind(project):
    report = build_report(project.reliability.snapshot(), reference="B")
    data = to_json(report)
    assert list(data) == ["project", "codebook", "raters", "transcripts", "ci_method",
                          "confidence", "scheme", "codes", "globals", "per_transcript",
                          "pairs", "reference"]
    assert list(_entry(data, "validate")) == ENTRY_HEAD + ["span_dice", "session_counts"]
    # behaviour: C completed units without choosing a category (no data for the set)
    assert list(_entry(data, "behaviour")) == ENTRY_HEAD + [
        "raters_without_data", "per_category_agreement", "per_category_kappa",
        "coincidence_matrix", "confusion_matrix"]
    assert list(_entry(data, "warmth")) == ENTRY_HEAD + ["agreement", "interval_check"]
    assert list(_entry(data, "alliance", "globals")) == ENTRY_HEAD
    assert list(_entry(data, "validate")["statistics"]["fleiss_kappa"]) == STAT_KEYS + [
        "caution"]
    per_t = data["per_transcript"][0]
    assert list(per_t) == ["transcript", "codes"]
    assert list(per_t["codes"][0]) == [k for k in ENTRY_HEAD if k != "categories"]
    assert list(per_t["codes"][0]["statistics"]["percent_agreement"]) == STAT_KEYS + [
        "ci_note", "caution"]
    assert list(data["pairs"][0]) == ["raters", "codes", "globals"]
    assert list(data["reference"]) == ["rater", "against"]
    assert list(data["reference"]["against"][0]) == ["rater", "codes", "globals"]
    # plain JSON: lists, not tuples; the round trip changes nothing
    assert json.loads(json.dumps(data)) == data
    beh = _entry(data, "behaviour")
    assert beh["confusion_matrix"]["counts"] == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]
    assert beh["raters_without_data"] == ["C"]


def test_bootstrap_block_follows_the_cuts(project):
    data = to_json(build_report(project.reliability.snapshot(), ci="bootstrap",
                                replicates=20, seed=1, cuts=()))
    assert list(data)[-1] == "bootstrap"
    assert data["bootstrap"] == {"replicates": 20, "seed": 1, "resampled": "transcripts"}


def test_the_report_is_frozen(project):
    report = build_report(project.reliability.snapshot(), cuts=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.codes[0].n_units = 3
    with pytest.raises(TypeError):
        report.codes[0].statistics["gwet_ac1"] = None


def test_a_new_statistic_flows_through_every_renderer(project):
    """A coefficient the renderers do not name (as the engine adds them) reaches the JSON,
    the text report and the Excel columns by its name."""
    report = build_report(project.reliability.snapshot(), cuts=())
    e = report.entry("validate")
    new = Statistic(0.25, 0.05, (0.15, 0.35), "made up for this test", None,
                    Interpretation("fair", "landis_koch", "Landis & Koch 1977"))
    stats = frozen_map({**e.statistics, "zz_new_kappa": new})
    e2 = dataclasses.replace(e, statistics=stats)
    report2 = dataclasses.replace(report, codes=(e2,) + report.codes[1:])
    got = to_json(report2)["codes"][0]["statistics"]["zz_new_kappa"]
    assert got == {"value": 0.25, "se": 0.05, "ci": [0.15, 0.35],
                   "ci_method": "made up for this test", "undefined_reason": None,
                   "convention": None, "interpretation": {"label": "fair", "scheme": "landis_koch",
                                      "scheme_name": "Landis & Koch 1977"}}
    line = next(ln for ln in format_report(report2).splitlines()
                if ln.strip().startswith("zz_new_kappa"))
    assert line.split()[1:4] == ["0.250", "[0.150,", "0.350]"]
    assert "made up for this test" in line and line.endswith("fair (Landis & Koch 1977)")
    names = stat_names([e2])
    assert names[-1] == "zz_new_kappa"
    cols = [c.name for c in stat_columns(names, None, False)]
    cells = stat_cells(e2, names, None, False)
    at = cols.index("zz_new_kappa")
    assert cols[at:at + 3] == ["zz_new_kappa", "zz_new_kappa_ci_low", "zz_new_kappa_ci_high"]
    assert cells[at:at + 3] == [0.25, 0.15, 0.35]
