"""Pick for double coding says what it picked and who codes each pick."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from coder.project import Project  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402
from ui.workspace.assignments_dialog import AssignmentsDialog  # noqa: E402


def test_pick_shows_transcripts_and_raters(qtbot, tmp_path):
    service = Project.create(tmp_path / "p.scproj")
    for name in ("zoom_cloud_transcript.vtt", "plain_TC_labels_utf8.txt", "whisper_output.srt"):
        service.importing.import_file(SAMPLES / name)
    ana, ben = service.raters.add("Ana Ruiz"), service.raters.add("Ben Okafor")
    try:
        events = ProjectEvents()
        events.set_project(service)
        dialog = AssignmentsDialog(service, events)
        qtbot.addWidget(dialog)
        for i in range(3):                             # Ana codes everything, Ben one
            dialog.grid.item(i, 0).setCheckState(Qt.Checked)
        dialog.grid.item(0, 1).setCheckState(Qt.Checked)
        dialog.percent.setValue(100)
        dialog.seed.setValue(7)
        dialog._pick()
        text = dialog.pick_result.text()
        assert "seed 7" in text
        first, second = dialog.transcripts[0], dialog.transcripts[1]      # grid rows
        assert f"{first.name}: Ana Ruiz, Ben Okafor" in text
        assert f"{second.name}: Ana Ruiz — needs a second rater" in text
        assert dialog.grid.verticalHeaderItem(0).text().endswith("double coding")
        assert service.assignments.all()[first.id] == [ana.id, ben.id]   # the ticks were saved
    finally:
        service.close()
