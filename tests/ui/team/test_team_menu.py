"""The Team menu in the main window: a rater opens a package, codes, it is saved back and
submitted; the Team tab appears with a project."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox  # noqa: E402

from coder.coding.commands import ToggleCode  # noqa: E402
from coder.team.packages import RaterPackage, export_package  # noqa: E402
from tests.core.team.conftest import team  # noqa: E402,F401
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402


@pytest.fixture
def window(qtbot):
    w = MainWindow(AppSettings())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.team_actions._finish_package()
    w.close()


def test_rater_codes_in_an_encrypted_package(team, window, tmp_path, monkeypatch):  # noqa: F811
    out = tmp_path / "ana.scpkg"
    export_package(team._store, "Ana Ruiz", out, "pass phrase")
    team.close()
    menu = window.team_actions
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("pass phrase", True))
    menu.open_package()
    service = window.service
    assert service is not None and service.viewer.name == "Ana Ruiz"
    assert [r.name for r in service.raters.list()] == ["Ana Ruiz"]
    assert window.tabs.indexOf(window.team_view) >= 0
    assert menu.act_pkg_submit.isEnabled() and not menu.act_pkg_export.isEnabled()
    t4 = service.transcripts.get("session04_roles.srt").id
    unit = [s for s in service.transcripts.segments(t4, "turn") if s.role == "therapist"][0]
    window.events.perform(
        ToggleCode(service.viewer.id, service.codebook.current().code("empowerment"), [unit]))
    menu._save_package()
    assert b"empowerment" not in out.read_bytes()          # still encrypted on disk
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    menu.submit_package()
    assert window.service is None and menu.package is None
    pkg = RaterPackage.open(out, "pass phrase")
    try:
        assert pkg.info.submitted_at
        from coder.project import Project
        with Project.open(pkg.work_path, readonly=True) as p:
            p.sign_in(p.raters.get("Ana Ruiz").id)
            assert any(v.code == "empowerment" for v in p.codings.on([unit.id]))
    finally:
        pkg.discard()
