"""New project asks for the codebook (shipped ones with a summary, or a file) and the unit of
coding; the project is made with them and the import dialog starts from that unit."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QRadioButton  # noqa: E402

from coder.codebook.shipped import SHIPPED_DIR, shipped_codebooks  # noqa: E402
from coder.project import Project  # noqa: E402
from ui.importing.dialog import ImportDialog  # noqa: E402
from ui.shell.jobs import JobRunner  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402
from ui.shell.new_project_dialog import NewProjectDialog  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402


def test_dialog_lists_the_shipped_codebooks_with_summaries(qtbot, tmp_path):
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    radios = [r.text() for r in dialog.findChildren(QRadioButton)]
    for item in shipped_codebooks():
        assert item.title.replace("&", "&&") in radios
    assert any(r.startswith("From a &file") for r in radios)
    assert dialog.codebook_path() == shipped_codebooks()[0].path
    dialog.book_group.button(1).setChecked(True)        # rupture & repair rates windows
    assert "windows" in dialog.unit_note.text()
    dialog.file_edit.setText("")
    dialog.file_radio.setChecked(True)
    assert dialog.codebook_path() is None
    dialog._accept()
    assert dialog.result() != QDialog.Accepted and "codebook" in dialog.problem.text()


def test_new_project_is_made_with_the_chosen_codebook_and_unit(qtbot, tmp_path, monkeypatch):
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    target = tmp_path / "study"

    def fake_exec(dialog):
        dialog.path_edit.setText(str(target))
        dialog.file_radio.setChecked(True)
        dialog.file_edit.setText(str(SHIPPED_DIR / "mi_behaviour.yaml"))
        dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("sentence"))
        dialog._accept()
        return dialog.result()
    monkeypatch.setattr(NewProjectDialog, "exec", fake_exec)
    monkeypatch.setattr(window.rater_actions, "switch_rater", lambda: None)
    window.shell_actions.new_project()
    assert window.service is not None
    assert window.service.path == tmp_path / "study.scproj"
    assert window.service.codebook.current().id == "mi_behaviour"
    assert window.service.importing.default_segmentation().unit == "sentence"
    dialog = ImportDialog(window.service, [], window.settings, window.events, JobRunner(), window)
    qtbot.addWidget(dialog)
    assert dialog.options.unit() == "sentence"
    window.close()


def test_existing_file_is_refused_with_a_line(qtbot, tmp_path):
    Project.create(tmp_path / "a.scproj").close()
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "a"))
    dialog._accept()
    assert "already exists" in dialog.problem.text()
