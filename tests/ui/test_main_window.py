"""Main window wiring: sample project, transcript list, segment table, lazy fetching."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from coder.sample import sample_files  # noqa: E402
from coder.project import Project  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.workspace.segment_model import BLOCK, SegmentTableModel  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402
from ui.workspace.transcript_model import TranscriptListModel  # noqa: E402


@pytest.fixture
def window(qtbot):
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_start_screen_offers_sample_new_open(window):
    assert window.stack.currentWidget() is window.start
    assert window.start.sample_button.text() == "Open the sample project"
    assert not window.import_actions.act_import.isEnabled()


@pytest.mark.slow
def test_sample_project_opens_and_shows_a_transcript(window, qtbot, monkeypatch):
    assert sample_files(), "sample_transcripts/ must hold the sample sessions"
    asked = []
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: asked.append(1))
    window.start.sample_button.click()
    qtbot.waitUntil(lambda: window.service is not None, timeout=60_000)
    assert window.stack.currentWidget() is window.tabs
    # Signed in as the sample's supervisor with blinding lifted, and the status bar says so.
    assert window.service.viewer.role == "supervisor" and not window.service.access.blind
    assert not asked
    assert "blinding lifted" in window.statusBar().currentMessage()
    assert "blinding OFF" in window.status_rater.text()
    infos = window.service.transcripts.list()
    assert len(infos) == len(sample_files()) >= 4
    assert window.transcripts.model.rowCount() == len(infos)
    # The first transcript is shown; pick the full-length one by keyboard-free selection.
    full = max(infos, key=lambda i: i.turns)
    window.transcripts.view.selectRow(window.transcripts.model.row_of(full.id))
    ws = window.workspace
    model = ws.model
    assert model.rowCount() == full.segments >= 300
    assert ws.bar.title.text() == full.name
    ws.table.selectRow(5)
    seg = model.segment(5)
    assert ws.detail.toPlainText() == seg.text
    assert f"Turn {seg.turn_position}" in ws.detail_header.text()
    # Reopening uses the built project instead of rebuilding it.
    window.close_project()
    window.shell_actions.open_sample()
    assert window.service is not None and len(window.service.transcripts.list()) == len(infos)


def test_geometry_and_recent_projects_are_remembered(qtbot, tmp_path):
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.show()
    w.resize(760, 560)     # fits the offscreen screen (restoreGeometry clamps to it)
    assert w.open_project(path, ask_rater=False)
    chosen = (w.size().width(), w.size().height())
    w.close()
    w2 = MainWindow(AppSettings())
    qtbot.addWidget(w2)
    assert (w2.size().width(), w2.size().height()) == chosen
    fresh = AppSettings()
    fresh._s.remove("window/geometry")
    w3 = MainWindow(fresh)
    qtbot.addWidget(w3)
    assert (w3.size().width(), w3.size().height()) != chosen   # the test can tell
    assert AppSettings().recent_projects() == [str(path.resolve())]
    assert w2.start.recent.count() == 1


def test_locked_project_gets_a_message_not_a_crash(window, tmp_path, monkeypatch):
    path = tmp_path / "p.scproj"
    holder = Project.create(path)
    shown = []
    monkeypatch.setattr("ui.shell.main_window.QMessageBox.warning",
                        lambda *a: shown.append(a[2]))
    try:
        assert not window.open_project(path)
    finally:
        holder.close()
    assert "open for writing in another Session Coder" in shown[0]
    assert window.service is None


def _project_with(tmp_path, *names):
    path = tmp_path / "p.scproj"
    service = Project.create(path)
    for name in names:
        service.importing.import_file(SAMPLES / name)
    return service


def test_models_pass_qt_model_tester(qtmodeltester, tmp_path):
    service = _project_with(tmp_path, "zoom_cloud_transcript.vtt", "plain_TC_labels_utf8.txt")
    try:
        tmodel = TranscriptListModel()
        tmodel.set_items(service.transcripts.list())
        qtmodeltester.check(tmodel)
        info = service.transcripts.list()[0]
        qtmodeltester.check(SegmentTableModel(service, info.id, "turn"))
        qtmodeltester.check(SegmentTableModel(service, info.id, "window"))
    finally:
        service.close()


class CountingTranscripts:
    """Wraps a project's transcripts part to count how many units the model asks for."""

    def __init__(self, inner):
        self.inner = inner
        self.rows_fetched = 0

    def count(self, *a):
        return self.inner.count(*a)

    def segments(self, *a):
        rows = self.inner.segments(*a)
        self.rows_fetched += len(rows)
        return rows


class CountingService:
    def __init__(self, project):
        self.transcripts = CountingTranscripts(project.transcripts)

    @property
    def rows_fetched(self):
        return self.transcripts.rows_fetched


def test_segment_model_fetches_only_blocks_that_are_shown(tmp_path, qtbot):
    path = tmp_path / "long.txt"
    path.write_text("\n".join(f"{'T' if i % 2 else 'C'}: line {i}." for i in range(2000)))
    service = Project.create(tmp_path / "p.scproj")
    try:
        info = service.importing.import_file(path).transcript
        counting = CountingService(service)
        model = SegmentTableModel(counting, info.id, "turn")
        assert model.rowCount() == 2000 and counting.rows_fetched == 0
        assert model.data(model.index(1500, 4)) == "line 1500."
        assert counting.rows_fetched == BLOCK
        assert model.data(model.index(1501, 2), Qt.DisplayRole) == "T"
        assert counting.rows_fetched == BLOCK
    finally:
        service.close()


def test_project_tabs_and_a_disagreement_opens_the_unit(window, tmp_path, qtbot):
    service = _project_with(tmp_path, "plain_TC_labels_utf8.txt")
    path = service.path
    service.close()
    assert window.open_project(path, ask_rater=False)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert labels == ["Code", "Codebook", "Reliability", "Team", "Feedback"]
    info = window.service.transcripts.list()[0]
    window.tabs.setCurrentWidget(window.reliability_view)
    window.reliability_view.open_unit_of_kind.emit(info.id, "turn", 4)
    assert window.tabs.currentWidget() is window.coding_page
    assert window.workspace.current_row() == 3
    window.close_project()
    assert window.tabs.count() == 1 and window.reliability_view is None


@pytest.mark.slow
def test_command_line_sample_and_project(qtbot, tmp_path, monkeypatch):
    """What `python main.py --sample` and `python main.py PROJECT` do before the event loop."""
    from ui.shell.app import parse_args, start_window
    from ui.workspace.rater_actions import RaterActions
    monkeypatch.setattr(RaterActions, "switch_rater", lambda self: None)
    window = start_window(parse_args(["--sample"])[0])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.service is not None, timeout=60_000)
    assert window.service.name == "Sample project"
    window.close()
    path = tmp_path / "p.scproj"
    Project.create(path).close()
    other = start_window(parse_args([str(path)])[0])
    qtbot.addWidget(other)
    assert other.service is not None and other.service.path == path
    other.close()


def test_closing_the_project_ends_the_reports_spare_child(window, tmp_path, qtbot,
                                                          monkeypatch):
    """A spare child readied for the next report (and holding what it read ahead) ends when
    its project closes: it must not keep another project's data or file open."""
    from coder.process_spare import has_spare
    from ui.reliability.view import ReliabilityView
    monkeypatch.setattr(ReliabilityView, "process_from_bytes", 0)     # "large": any size
    service = _project_with(tmp_path, "plain_TC_labels_utf8.txt")
    boss = service.raters.add("Sam", role="supervisor")
    service.sign_in(boss.id)
    service.raters.set_blind(False)                 # reliability may be computed
    path = service.path
    service.close()
    assert window.open_project(path, ask_rater=False)
    window.tabs.setCurrentWidget(window.reliability_view)
    qtbot.waitUntil(has_spare, timeout=60_000)
    window.close_project()
    assert not has_spare()
    import multiprocessing
    assert multiprocessing.active_children() == []
