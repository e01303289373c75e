"""The reliability view: compute through the button in a worker, the table equals the core's
report for the same settings, sorting, schemes, cuts, cancel keeps the previous results,
blind mode shows no numbers, the disagreement browser opens units, stale marking, models."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from coder.coding.commands import ToggleCode  # noqa: E402
from coder.commands import ChangeSet  # noqa: E402
from coder.reliability.project import build_report  # noqa: E402
from coder.reliability.project.results import BootstrapInfo  # noqa: E402
from coder.coding.scope import applies_to  # noqa: E402
from coder.project import Project  # noqa: E402
from tests.core.test_project_reliability import project  # noqa: E402,F401  (fixture)
from tests.core.test_project_reliability_data import unit, write_srt  # noqa: E402
from ui.reliability import view as reliability_view  # noqa: E402
from ui.reliability.data import COLUMNS, fmt_ci, fmt_value  # noqa: E402
from ui.reliability.table import LABEL_ROLE, STAT_ROLE, VALUE_ROLE  # noqa: E402
from ui.shell import theme as themes  # noqa: E402
from ui.reliability.view import ReliabilityView  # noqa: E402
from ui.shell.style import STYLE  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402

COL = {c.key: i for i, c in enumerate(COLUMNS)}
# Which statistic of the report each column shows, written out per code for the fixture
# project (A, B, C; behaviour and significance only have values from A and B).
EXPECTED = {
    "validate": {"agree": "percent_agreement", "pos": "positive_agreement",
                 "kappa": "fleiss_kappa", "ac": "gwet_ac1", "alpha": "krippendorff_alpha",
                 "icc_a": ("session_counts", "icc_2_1"), "icc_c": ("session_counts", "icc_3_1")},
    "behaviour": {"agree": "percent_agreement", "pos": None, "kappa": "cohen_kappa",
                  "ac": "gwet_ac1", "alpha": "krippendorff_alpha", "icc_a": None},
    "warmth": {"agree": "percent_agreement", "pos": None, "kappa": None,
               "ac": "gwet_ac2_quadratic", "alpha": "krippendorff_alpha", "icc_a": None},
    "significance": {"kappa": "weighted_kappa_quadratic", "ac": "gwet_ac2_quadratic"},
    "alliance": {"agree": None, "kappa": None, "ac": None, "alpha": "krippendorff_alpha",
                 "icc_a": "icc_2_1", "icc_c": "icc_3_1"},
}


def make_view(qtbot, service):
    view = ReliabilityView(service, ProjectEvents(service), JobRunner())
    qtbot.addWidget(view)
    view.setStyleSheet(STYLE)
    view.resize(1300, 800)
    view.show()
    return view


def compute(qtbot, view, timeout=30_000):
    with qtbot.waitSignal(view.computed, timeout=timeout) as blocker:
        qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    return blocker.args[0]


def row_of(view, key):
    row = view.model.row_of(key)
    assert row >= 0, key
    return row


def shown(view, key, col):
    return view.model.index(row_of(view, key), COL[col])


def expected_stat(entry, spec):
    if isinstance(spec, tuple):
        return getattr(entry, spec[0]).statistics[spec[1]]
    return entry.statistics[spec]


def entry_of(entries, key):
    return next(e for e in entries if e.id == key)


def assert_table_equals(view, entries, expected=EXPECTED):
    for key, cols in expected.items():
        e = entry_of(entries, key)
        for col, spec in cols.items():
            index = shown(view, key, col)
            if spec is None:
                assert index.data(VALUE_ROLE) is None and index.data(Qt.DisplayRole) is None, \
                    (key, col)
                continue
            st = expected_stat(e, spec)
            name = spec if isinstance(spec, str) else spec[1]
            assert index.data(STAT_ROLE) == name, (key, col)
            assert index.data(VALUE_ROLE) == st.value, (key, col)
            text = index.data(Qt.DisplayRole)
            assert fmt_value(name, st.value) in text, (key, col, text)
            if st.value is None:
                assert st.undefined_reason in index.data(Qt.ToolTipRole)
            want = st.label
            assert index.data(LABEL_ROLE) == want, (key, col)
        assert view.model.index(row_of(view, key), COL["units"]).data() == e.n_units


# -- computing ------------------------------------------------------------------------------
def test_compute_shows_the_reports_numbers(project, qtbot, qtmodeltester):
    view = make_view(qtbot, project)
    assert view.pages.currentWidget() is view.intro
    assert view.settings.raters.checked() == ["A", "B", "C"]
    report = compute(qtbot, view)
    assert view.pages.currentIndex() == 1
    independent = build_report(project.reliability.snapshot(raters=["A", "B", "C"]),
                               codes=view.settings.codes.checked(), cuts=("per_transcript",
                                                                          "pairs", "reference"))
    assert report == independent
    entries = independent.entries
    assert [view.model.entry(r).id for r in range(view.model.rowCount())] == \
        [e.id for e in entries]
    assert_table_equals(view, entries)
    prev = shown(view, "validate", "prev").data()
    # VALIDATE: A 4 of 12 (3 of 8 paired units, 1 of 4 units A alone rated), B 3 of 8, C 1 of 2
    assert prev == "A 33% · B 38% · C 50%"
    assert "analytic" in view.status.text()
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    qtmodeltester.check(view.disagreements.model)


def test_interval_footnote_names_the_intervals_alpha_carries(project, qtbot):
    """The footnote under an analytic report says how α's intervals were made, as the
    report's own ci_method does (once it said "cluster bootstrap" for every α)."""
    view = make_view(qtbot, project)
    report = compute(qtbot, view)
    methods = {e.statistics["krippendorff_alpha"].ci_method for e in report.entries
               if "krippendorff_alpha" in e.statistics
               and e.statistics["krippendorff_alpha"].ci_method}
    assert methods, "no α interval in the report"
    note = view.footnote.text()
    for method in methods:
        words = "Hayes & Krippendorff 2007" if "Hayes" in method else "cluster bootstrap"
        assert words in note, (method, note)


def test_selected_raters_transcripts_and_codes(project, qtbot):
    view = make_view(qtbot, project)
    view.settings.raters.set_checked(["A", "B"])
    view.settings.transcripts.set_checked(["s1.srt", "s2.srt"])
    view.settings.codes.set_checked(["validate", "behaviour"])
    report = compute(qtbot, view)
    independent = build_report(
        project.reliability.snapshot(raters=["A", "B"], transcripts=["s1.srt", "s2.srt"]),
        codes=["validate", "behaviour"])
    assert report.raters == ("A", "B") and view.model.rowCount() == 2
    exp = {"validate": {"kappa": "cohen_kappa", "agree": "percent_agreement"},
           "behaviour": {"kappa": "cohen_kappa", "alpha": "krippendorff_alpha"}}
    assert_table_equals(view, independent.codes, exp)


def test_too_few_raters_is_explained(project, qtbot):
    view = make_view(qtbot, project)
    view.settings.raters.set_checked(["A"])
    qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    assert not view.is_running()
    assert view.banner.isVisible() and "two raters" in view.banner.text()


def test_sorting_keeps_undefined_last(project, qtbot):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    col = COL["alpha"]
    for order in (Qt.DescendingOrder, Qt.AscendingOrder):
        view.table.sortByColumn(col, order)
        values = [view.proxy.index(r, col).data(VALUE_ROLE)
                  for r in range(view.proxy.rowCount())]
        defined = [v for v in values if v is not None]
        assert values[:len(defined)] == defined                     # undefined at the end
        assert defined == sorted(defined, reverse=order == Qt.DescendingOrder)
    view.table.sortByColumn(COL["code"], Qt.AscendingOrder)
    labels = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    assert labels == sorted(labels, key=str.casefold)


def test_scheme_change_relabels_and_recolours(project, qtbot, tmp_path):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    assert "Krippendorff 2019" in view.model.headerData(COL["alpha"], Qt.Horizontal)
    view.settings.scheme.setCurrentIndex(view.settings.scheme.findData("cicchetti"))
    assert "Cicchetti 1994" in view.model.headerData(COL["alpha"], Qt.Horizontal)
    assert "Cicchetti 1994" in view.model.headerData(COL["kappa"], Qt.Horizontal)
    report = build_report(project.reliability.snapshot(), scheme="cicchetti")
    exp = {k: {c: s for c, s in cols.items() if s is not None} for k, cols in EXPECTED.items()}
    assert_table_equals(view, report.entries, exp)
    assert "Cicchetti 1994" in view.chart.chart.title
    # the whiskers are Krippendorff's own bootstrap with analytic intervals, named so
    assert "Hayes & Krippendorff 2007" in view.chart.chart.title
    assert "no analytic interval" not in view.chart.chart.title
    # colours: the fixture's few units caution every value (grey, no band), so a larger
    # project shows the bands moving
    big = screenshot_project(tmp_path)
    try:
        view = make_view(qtbot, big)
        compute(qtbot, view, timeout=120_000)
        before = {(r, c): view.model.index(r, c).data(Qt.BackgroundRole)
                  for r in range(view.model.rowCount()) for c in range(len(COLUMNS))}
        view.settings.scheme.setCurrentIndex(view.settings.scheme.findData("cicchetti"))
        after = {k: view.model.index(*k).data(Qt.BackgroundRole) for k in before}
        changed = [k for k in before if before[k] != after[k]]
        assert changed, "no cell changed colour"
        assert all(k[1] not in (COL["agree"], COL["pos"]) for k in changed)   # no scheme
    finally:
        big.close()


def test_cautioned_values_are_grey_with_the_reason(project, qtbot):
    view = make_view(qtbot, project)
    report = compute(qtbot, view)
    st = report.entry("validate").statistics["fleiss_kappa"]
    assert st.caution and "fewer than 10 units (8 units)" in st.caution
    index = shown(view, "validate", "kappa")
    assert index.data(LABEL_ROLE) is None
    assert index.data(Qt.BackgroundRole) == QColor(themes.current().caution_bg)
    assert "⚠ < 10 units" in index.data(Qt.DisplayRole)
    assert f"Caution:</b> {st.caution}" in index.data(Qt.ToolTipRole)
    icc = shown(view, "validate", "icc_a")
    assert "per-session count, 2 sessions" in icc.data(Qt.ToolTipRole)    # s3: A only
    assert "fewer than 5 sessions" in icc.data(Qt.ToolTipRole)


def test_cuts_show_the_reports_cuts(project, qtbot):
    view = make_view(qtbot, project)
    view.settings.reference.setCurrentIndex(view.settings.reference.findData("B"))
    report = compute(qtbot, view)
    kinds = [view.cuts.kind.itemData(i) for i in range(view.cuts.kind.count())]
    assert kinds == ["pooled", "per_transcript", "pairs", "reference"]
    pair = [set(p.raters) for p in report.pairs].index({"A", "B"})
    view.set_cut("pairs", pair)
    assert view.cuts.member.currentText() == " × ".join(report.pairs[pair].raters)
    e = entry_of(report.pairs[pair].codes, "validate")
    assert shown(view, "validate", "kappa").data(VALUE_ROLE) == \
        e.statistics["cohen_kappa"].value
    view.set_cut("per_transcript", 1)
    e = entry_of(report.per_transcript[1].codes, "warmth")
    assert shown(view, "warmth", "alpha").data(VALUE_ROLE) == \
        e.statistics["krippendorff_alpha"].value
    assert view.model.row_of("alliance") < 0                   # globals: pooled and pairs
    view.set_cut("reference", 0)
    assert report.reference.rater == "B"
    e = entry_of(report.reference.against[0].codes, "validate")
    assert e.raters[0] == "B"
    assert shown(view, "validate", "agree").data(VALUE_ROLE) == \
        e.statistics["percent_agreement"].value
    # the "Against reference" tab: the report's 2 x 2 counts and figures, A against B
    acc, model = e.against_reference, view.accuracy.model
    row = next(r for r in range(model.rowCount()) if model.item(r, 0).text() == e.label)
    assert [model.item(row, c).text() for c in range(2, 6)] == [
        str(n) for n in (acc.true_positive, acc.false_positive, acc.false_negative,
                         acc.true_negative)]
    sens = acc.statistics["sensitivity"]
    assert model.item(row, 6).data(Qt.UserRole) == sens.value
    assert "A against the reference B" in view.accuracy.title.text()
    categories = [model.item(r, 1).text() for r in range(model.rowCount())
                  if model.item(r, 0).data(Qt.UserRole + 1) == "behaviour"]
    assert categories == ["Question", "Reflection", "Advice"]
    view.set_cut("pooled")
    assert view.accuracy.model.rowCount() == 0 and "Choose a reference" in \
        view.accuracy.title.text()


def test_ctrl_r_computes(project, qtbot):
    view = make_view(qtbot, project)
    assert view.compute_action.shortcut().toString() == "Ctrl+R"
    with qtbot.waitSignal(view.computed, timeout=30_000):
        view.compute_action.trigger()


# -- cancel -----------------------------------------------------------------------------------
def test_cancel_during_bootstrap_keeps_previous_results(project, qtbot, monkeypatch):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    previous = view.result
    alpha = shown(view, "validate", "agree").data(VALUE_ROLE)
    real = reliability_view.run_reliability
    reached = threading.Event()

    def gated(snapshot, *, progress=None, cancel=None, **options):
        def hold(done, total, message=""):         # after the first entry, wait for Cancel
            progress(done, total, message)
            if done == 1:
                reached.set()
                deadline = time.monotonic() + 30
                while not cancel() and time.monotonic() < deadline:
                    threading.Event().wait(0.01)
        return real(snapshot, progress=hold, cancel=cancel, **options)

    monkeypatch.setattr(reliability_view, "run_reliability", gated)
    view.settings.ci.setCurrentIndex(view.settings.ci.findData("bootstrap"))
    assert view.settings.replicates.value() == 1000 and view.settings.replicates.isEnabled()
    qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    assert view.is_running() and view.cancel_button.isVisible()
    assert not view.settings.compute.isEnabled()
    qtbot.waitUntil(lambda: reached.is_set() and view.progress.value() >= 1, timeout=30_000)
    assert view.progress.maximum() > 1
    with qtbot.waitSignal(view.job.cancelled, timeout=30_000):
        qtbot.mouseClick(view.cancel_button, Qt.LeftButton)
    assert not view.is_running() and view.result is previous
    assert shown(view, "validate", "agree").data(VALUE_ROLE) == alpha
    assert "Cancelled" in view.status.text() and "analytic" in view.status.text()
    assert view.settings.compute.isEnabled() and not view.cancel_button.isVisible()


def test_bootstrap_intervals_are_the_reports(project, qtbot):
    view = make_view(qtbot, project)
    view.settings.ci.setCurrentIndex(view.settings.ci.findData("bootstrap"))
    view.settings.replicates.setValue(200)
    view.settings.seed.setValue(7)
    report = compute(qtbot, view)
    assert report.bootstrap == BootstrapInfo(replicates=200, seed=7, resampled="transcripts")
    st = entry_of(report.codes, "validate").statistics["krippendorff_alpha"]
    assert st.ci is not None
    assert fmt_ci("krippendorff_alpha", st.ci) in shown(view, "validate", "alpha").data()
    row = next(r for r in view.chart.rows() if r.key == "validate")
    assert row.ci == st.ci and row.value == st.value
    assert "bootstrap" in view.footnote.text()


# -- blinding ---------------------------------------------------------------------------------
def test_blind_project_shows_the_explanation_and_no_numbers(project, qtbot):
    project.sign_in(project.r["A"])                # blind by default
    view = make_view(qtbot, project)
    assert view.pages.currentWidget() is view.blind
    assert "Project ▸ Blind mode" in view.blind.text()
    qtbot.mouseClick(view.settings.compute, Qt.LeftButton)
    assert not view.is_running() and view.result is None
    assert view.model.rowCount() == 0 and view.disagreements.model.rowCount() == 0
    assert view.pages.currentWidget() is view.blind


def test_blinding_after_a_result_hides_it(project, qtbot):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    assert view.disagreements.model.rowCount() > 0 or view.model.rowCount() > 0
    view.events.sign_in(project.raters.get(project.r["B"]))   # it repaints from the change
    assert view.pages.currentWidget() is view.blind
    assert view.model.rowCount() == 0 and view.disagreements.model.rowCount() == 0
    assert view.disagreements.pages.currentWidget() is view.disagreements.blocked


# -- disagreements ----------------------------------------------------------------------------
def test_disagreement_click_opens_the_unit(project, qtbot):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    view.select_code("validate")
    view.tabs.setCurrentWidget(view.disagreements)
    panel = view.disagreements
    assert panel.current_key() == "validate"
    model = panel.model
    assert model.raters == ["A", "B", "C"]
    rows = [(d.transcript, d.position, d.values) for d in model.rows]
    # VALIDATE: s1 1 [1,1,-] agree; s1 3 [1,0,-], s1 5 [0,1,-], s1 7 [0,1,-], s2 1 [1,0,1]
    assert rows == [("s1.srt", 3, ("applied", "not applied", "")),
                    ("s1.srt", 5, ("not applied", "applied", "")),
                    ("s1.srt", 7, ("not applied", "applied", "")),
                    ("s2.srt", 1, ("applied", "not applied", "applied"))]
    assert model.index(0, 2).data() == unit(project, "s1.srt", 3).text
    assert model.index(0, 5).data() == "missing"
    index = model.index(0, 1)
    rect = panel.view.visualRect(index)
    with qtbot.waitSignal(view.open_unit, timeout=5000) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == [project.transcripts.get("s1.srt").id, 3]


def test_disagreements_follow_the_pair_cut(project, qtbot):
    view = make_view(qtbot, project)
    report = compute(qtbot, view)
    pair = [p.raters for p in report.pairs].index(("A", "C"))
    view.set_cut("pairs", pair)
    view.select_code("validate")
    model = view.disagreements.model
    assert model.raters == ["A", "C"]
    assert [(d.transcript, d.position) for d in model.rows] == []     # A, C agree on s2
    view.select_code("behaviour")
    assert view.confusion.current_key() == "behaviour"


def test_confusion_matrix_is_the_reports(project, qtbot):
    view = make_view(qtbot, project)
    report = compute(qtbot, view)
    e = entry_of(report.codes, "behaviour")
    view.select_code("behaviour")
    heat = view.confusion.heatmap
    assert heat.values == [list(r) for r in e.confusion_matrix.counts]
    assert heat.labels == ["Question", "Reflection", "Advice"]      # labels, codebook order
    assert heat.row_title == "A" and heat.col_title == "B"


# -- stale results ----------------------------------------------------------------------------
def test_coding_change_marks_results_stale(project, qtbot):
    view = make_view(qtbot, project)
    compute(qtbot, view)
    assert not view.banner.isVisible()
    code = project.codebook.current().code("validate")
    view.events.perform(ToggleCode(project.r["B"], code, [unit(project, "s2.srt", 3)]))
    assert view.stale and view.banner.isVisible() and "Recompute" in view.banner.text()
    with qtbot.waitSignal(view.computed, timeout=30_000):
        view.banner.linkActivated.emit("recompute")
    assert not view.stale and not view.banner.isVisible()
    view.events.announce(ChangeSet())                 # nothing changed: stays fresh
    assert not view.stale


# -- screenshots ------------------------------------------------------------------------------
BOOK = """id: shots\nname: Screenshot book\nversion: 1\ngroups:
  - id: ruptures\n    label: Rupture markers\n    codes:
{presence}
  - id: mi\n    label: Therapist behaviour\n    category_set: true\n    codes:
{categories}
  - id: ratings\n    label: Ratings\n    codes:
      - id: empathy_turn\n        label: Empathic attunement\n        kind: rating
        definition: A test code.\n        scale: {{min: 1, max: 5}}\n        roles: [therapist]
  - id: globals\n    label: Session\n    codes:
      - id: alliance\n        label: Alliance quality\n        kind: global
        definition: A test code.\n        scale: {{min: 1, max: 5}}
      - id: adherence\n        label: Adherence extent\n        kind: global
        definition: A test code.\n        scale: {{min: 0, max: 4}}
"""
PRESENCE = [("denial", "Denial", "client", 0.10, 0.04), ("minimal", "Minimal response",
            "client", 0.20, 0.08), ("topic_shift", "Topic shift", "client", 0.12, 0.10),
            ("complaint", "Complaint about therapist", "client", 0.03, 0.03),
            ("validate", "Validation", "therapist", 0.30, 0.06),
            ("rationale", "Gives a rationale", "therapist", 0.15, 0.12),
            ("invite", "Invites talk about the relationship", "therapist", 0.02, 0.02)]
CATEGORIES = [("question", "Question"), ("simple", "Simple reflection"),
              ("complex", "Complex reflection"), ("inform", "Giving information"),
              ("affirm", "Affirm")]


def screenshot_project(folder):
    pres = "\n".join(f"      - id: {i}\n        label: {lab}\n        kind: presence\n"
                     f"        definition: A test code.\n        roles: [{role}]"
                     for i, lab, role, _, _ in PRESENCE)
    cats = "\n".join(f"      - id: {i}\n        label: {lab}\n        kind: category\n"
                     f"        definition: A test code.\n        roles: [therapist]"
                     for i, lab in CATEGORIES)
    (folder / "book.yaml").write_text(BOOK.format(presence=pres, categories=cats),
                                      encoding="utf-8")
    p = Project.create(folder / "shots.scproj", codebook=folder / "book.yaml")
    names = [f"session{i:02d}.srt" for i in range(1, 9)]
    for name in names:
        p.importing.import_file(write_srt(folder, name, n_turns=38))
    book, rng = p.codebook.current(), random.Random(4)
    rows = ["transcript,segment,rater,code,value"]
    raters = ("Ana", "Ben", "Cleo")
    for name in names:
        tid = p.transcripts.get(name).id
        for seg in p.transcripts.segments(tid, "turn"):
            for cid, _, _, prev, err in PRESENCE:
                if not applies_to(book.code(cid), "turn", seg.role):
                    continue
                truth = rng.random() < prev
                for r in raters:
                    if truth != (rng.random() < err):
                        rows.append(f"{name},{seg.position},{r},{cid},")
            if seg.role == "therapist":
                truth = rng.choices(range(5), weights=(5, 3, 2, 2, 1))[0]
                rating = rng.randint(2, 5)
                for r in raters:
                    c = truth if rng.random() < 0.8 else rng.randrange(5)
                    rows.append(f"{name},{seg.position},{r},{CATEGORIES[c][0]},")
                    v = min(5, max(1, rating + rng.choice((0, 0, 0, 1, -1))))
                    rows.append(f"{name},{seg.position},{r},empathy_turn,{v}")
        a, b = rng.randint(2, 5), rng.randint(0, 4)
        for r in raters:
            rows.append(f"{name},,{r},alliance,{min(5, max(1, a + rng.choice((0, 0, 1))))}")
            rows.append(f"{name},,{r},adherence,{min(4, max(0, b + rng.choice((0, -1, 1))))}")
    (folder / "codings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    p.codings.import_table(folder / "codings.csv", complete=True)
    return p


@pytest.mark.slow
def test_screenshots(tmp_path, qtbot):
    p = screenshot_project(tmp_path)
    try:
        view = make_view(qtbot, p)
        view.settings.ci.setCurrentIndex(view.settings.ci.findData("bootstrap"))
        compute(qtbot, view, timeout=120_000)
        view.select_code("validate")
        view.splitter.setSizes([430, 330])
        QApplication.processEvents()                    # once: apply the pending layout
        view.grab().save("/tmp/reliability_table.png")
        view.tabs.setCurrentWidget(view.chart)
        view.splitter.setSizes([260, 500])
        QApplication.processEvents()                    # once: apply the pending layout
        view.grab().save("/tmp/reliability_chart.png")
        view.select_code("mi")
        view.set_cut("pairs", 0)
        view.tabs.setCurrentWidget(view.confusion)
        QApplication.processEvents()                    # once: apply the pending layout
        view.grab().save("/tmp/reliability_confusion.png")
        view.tabs.setCurrentWidget(view.disagreements)
        QApplication.processEvents()                    # once: apply the pending layout
        view.grab().save("/tmp/reliability_disagreements.png")
        assert view.model.rowCount() == len(PRESENCE) + 4
    finally:
        p.close()


def test_compute_needs_a_ticked_transcript_rater_pair_and_code(project, qtbot):
    view = make_view(qtbot, project)
    s = view.settings
    assert s.problem() is None
    assert s.transcripts.count() == len(s.transcripts.keys()) > 0
    s.transcripts.set_all(False)
    assert not s.transcripts.any_checked() and s.transcripts.checked() == []
    assert s.problem() == "Tick at least one transcript."
    last = s.transcripts.keys()[-1]
    s.transcripts.set_checked([last])                 # the last one alone is enough
    assert s.transcripts.any_checked() and s.transcripts.checked() == [last]
    assert s.problem() is None
    s.raters.set_checked(s.raters.keys()[:1])
    assert s.problem() == "Tick at least two raters to compare."
    s.raters.set_all(True)
    s.codes.set_all(False)
    assert s.problem() == "Tick at least one code."
    view.compute()
    assert view.job is None                           # refused, said in the banner
