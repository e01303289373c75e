"""The import dialog: preview, roles, column mapping, errors, cancel, duplicates, closing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from coder.project import Project  # noqa: E402
from ui.importing.dialog import ImportDialog  # noqa: E402
from ui.importing.models import (CANCELLED, ERROR, FAILED, IMPORTED,  # noqa: E402
                                 PREVIEW_TURNS, READY, SKIPPED)
from ui.shell.jobs import JobRunner  # noqa: E402
from ui.shell.project_events import ProjectEvents  # noqa: E402
from ui.shell.settings import AppSettings  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "format_samples"
TC_FILE = SAMPLES / "plain_TC_labels_utf8.txt"
WAIT_MS = 20_000


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_CODER_HOME", str(tmp_path))
    svc = Project.create(tmp_path / "p.scproj")
    yield svc
    svc.close()


@pytest.fixture
def role_questions(monkeypatch):
    """The dialog asks before importing a file with no therapist or client: answer Yes and
    keep what was asked."""
    asked = []

    def question(_parent, _title, text, *_a):
        asked.append(text)
        return QMessageBox.Yes
    monkeypatch.setattr("ui.importing.dialog.QMessageBox.question", question)
    return asked


@pytest.fixture
def open_dialog(qtbot, service, role_questions):
    def make(files: list[Path]) -> ImportDialog:
        dialog = ImportDialog(service, files, AppSettings(), ProjectEvents(service), JobRunner())
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: all(e.status in (READY, ERROR)
                                    for e in dialog.files.entries), timeout=WAIT_MS)
        return dialog
    return make


def entry_named(dialog: ImportDialog, name: str):
    return next(e for e in dialog.files.entries if e.path.name == name)


def run_import(qtbot, dialog: ImportDialog) -> list:
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.transcripts_imported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    return blocker.args[0]


def big_transcript(path: Path, lines: int = 3000) -> Path:
    text = "\n".join(f"{'T' if i % 2 == 0 else 'C'}: This is line {i}. It has two sentences."
                     for i in range(lines))
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_shows_turns_and_guessed_roles(open_dialog, qtmodeltester):
    dialog = open_dialog([TC_FILE])
    entry = dialog.files.entries[0]
    assert entry.status == READY
    assert dialog.windowTitle() == "Import transcripts"
    assert "5 turns" in entry.status_text() and "UTF-8" in entry.status_text()
    panel = dialog.panel
    assert panel.entry is entry
    model = panel.model
    assert model.rowCount() == 5
    assert [model.index(r, 2).data() for r in range(5)] == ["T", "C", "T", "C", "T"]
    assert model.index(0, 3).data().startswith("Last week you mentioned")
    assert model.index(0, 0).data() == "1"
    assert panel.roles_editor.combos["T"].currentData() == "therapist"
    assert panel.roles_editor.combos["C"].currentData() == "client"
    assert not panel.column_row.isVisible()            # not a table file
    assert dialog.import_button.text() == "Import 1 file"
    qtmodeltester.check(model)


def test_a_long_file_keeps_only_its_first_turns_and_its_counts(open_dialog, tmp_path):
    """A folder of long files must not be held whole while the dialog is open: the entry keeps
    the first turns the preview shows, and counts taken over the whole file."""
    path = tmp_path / "long.vtt"
    cues = [f"00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{i // 60:02d}:{i % 60:02d}.500\n"
            f"<v {('Ben', 'Ana', 'Cleo', 'Ana')[i % 4]}>Line {i}." for i in range(200)]
    path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    dialog = open_dialog([path])
    entry = dialog.files.entries[0]
    preview = entry.preview
    assert len(preview.turns) == PREVIEW_TURNS < preview.turn_count == 200
    assert preview.turns[-1].text == f"Line {PREVIEW_TURNS - 1}."
    assert entry.speaker_counts() == [("Ben", 50), ("Ana", 100), ("Cleo", 50)]
    assert not preview.untimed and preview.speakers == ("Ben", "Ana", "Cleo")
    assert entry.status_text().startswith("200 turns")
    assert f"first {PREVIEW_TURNS} of 200 turns" == dialog.panel.preview_hint.text()
    assert dialog.panel.model.rowCount() == PREVIEW_TURNS


def test_changed_role_is_stored(qtbot, open_dialog, service):
    dialog = open_dialog([TC_FILE])
    combo = dialog.panel.roles_editor.combos["C"]
    combo.setCurrentIndex(combo.findData("other"))
    assert dialog.files.entries[0].roles["C"] == "other"
    infos = run_import(qtbot, dialog)
    assert len(infos) == 1
    roles = {s.label: s.role for s in service.transcripts.speakers(infos[0].id)}
    assert roles == {"T": "therapist", "C": "other"}
    assert dialog.import_button.text() == "Close"
    assert dialog.summary.text() == "1 imported"


def test_csv_column_mapping(qtbot, open_dialog, service, tmp_path, role_questions):
    csv = tmp_path / "mapped.csv"
    csv.write_text("Nr,Sprecher,Von,Bis,Wortlaut\n"
                   "1,Berater,00:00:01.0,00:00:03.5,Wie war die Woche?\n"
                   "2,Klientin,00:00:04.0,00:00:07.0,Anstrengend.\n"
                   "3,Berater,00:00:08.0,00:00:09.0,Erzählen Sie.\n", encoding="utf-8")
    dialog = open_dialog([csv])
    entry = dialog.files.entries[0]
    assert entry.status == ERROR                        # no header looks like a text column
    assert entry.headers == ["Nr", "Sprecher", "Von", "Bis", "Wortlaut"]
    assert not entry.checked
    row = dialog.panel.column_row
    assert row.isVisible()
    for key, header in (("text", "Wortlaut"), ("speaker", "Sprecher"), ("start", "Von"),
                        ("end", "Bis")):
        combo = row.combos[key]
        combo.setCurrentIndex(combo.findData(header))
    qtbot.waitUntil(lambda: entry.status == READY and entry.columns is not None
                    and entry.columns.end == "Bis", timeout=WAIT_MS)
    assert entry.checked
    model = dialog.panel.model
    assert model.rowCount() == 3
    assert model.index(1, 2).data() == "Klientin"
    assert model.index(1, 1).data() == "0:04"
    infos = run_import(qtbot, dialog)
    # Neither "Berater" nor "Klientin" is a known label: the dialog asked before storing.
    assert len(role_questions) == 1 and "no speaker is the therapist or the client" \
        in role_questions[0]
    turns = service.transcripts.turns(infos[0].id)
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in turns] == [
        ("Berater", "Wie war die Woche?", 1000, 3500),
        ("Klientin", "Anstrengend.", 4000, 7000),
        ("Berater", "Erzählen Sie.", 8000, 9000)]


def test_bad_file_shows_error_and_others_import(qtbot, open_dialog, service, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    dialog = open_dialog([empty, TC_FILE])
    bad = entry_named(dialog, "empty.txt")
    assert bad.status == ERROR and bad.message and not bad.checked
    assert "empty" in bad.status_text()
    index = dialog.files.index(dialog.files.row_of(bad))
    assert not dialog.files.flags(index) & Qt.ItemIsUserCheckable
    dialog.select(bad)
    assert bad.message in dialog.panel.detail.text()
    assert dialog.import_button.text() == "Import 1 file"
    infos = run_import(qtbot, dialog)
    assert [i.name for i in infos] == [TC_FILE.name]
    assert [t.name for t in service.transcripts.list()] == [TC_FILE.name]
    assert entry_named(dialog, TC_FILE.name).status == IMPORTED


def test_cancel_during_import_keeps_nothing_half_imported(qtbot, open_dialog, service,
                                                          tmp_path):
    big = big_transcript(tmp_path / "big.txt")
    dialog = open_dialog([TC_FILE, big])
    dialog.options.set_unit("sentence")
    messages = []

    def progressed(index, done, total, message):
        messages.append(message)
        if index == 1 and done > 0 and dialog.cancel_button.isEnabled():
            qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)

    with qtbot.waitSignal(dialog.transcripts_imported, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
        dialog.run.progressed.connect(progressed)
    assert [i.name for i in blocker.args[0]] == [TC_FILE.name]
    assert [t.name for t in service.transcripts.list()] == [TC_FILE.name]
    assert entry_named(dialog, "big.txt").status == CANCELLED
    assert any(m.startswith("Segmenting big.txt — ") and m.endswith("/3,000 turns")
               for m in messages)
    assert dialog.summary.text() == "1 imported, 1 not imported (cancelled)"
    assert dialog.import_button.text() == "Close"


def test_importing_the_same_file_twice_reports_duplicate(qtbot, open_dialog, service):
    first = open_dialog([TC_FILE])
    run_import(qtbot, first)
    first.close()
    second = open_dialog([TC_FILE])
    infos = run_import(qtbot, second)
    assert infos == []
    entry = second.files.entries[0]
    assert entry.status == FAILED
    assert "already imported" in entry.message
    assert second.summary.text() == "Nothing imported, 1 failed"
    assert len(service.transcripts.list()) == 1


def test_closing_while_importing_cancels_and_waits(qtbot, open_dialog, service, tmp_path):
    big = big_transcript(tmp_path / "big.txt")
    other = tmp_path / "later.txt"
    other.write_text("T: Hello.\nC: Hi.\n", encoding="utf-8")
    dialog = open_dialog([big, other])
    dialog.options.set_unit("sentence")
    emitted = []
    dialog.transcripts_imported.connect(emitted.append)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    dialog.reject()
    assert dialog.run.done and not dialog.isVisible()
    assert dialog.runner.active_count() == 0
    assert emitted == [[]]
    assert service.transcripts.list() == []
    assert entry_named(dialog, "big.txt").status == CANCELLED
    assert entry_named(dialog, "later.txt").status == SKIPPED


def test_delete_key_removes_file_and_merge_option_rereads(qtbot, open_dialog):
    dialog = open_dialog([TC_FILE, SAMPLES / "zoom_cloud_transcript.vtt"])
    dialog.file_view.setFocus()
    dialog.select(dialog.files.entries[0])
    qtbot.keyClick(dialog.file_view, Qt.Key_Delete)
    assert [e.path.name for e in dialog.files.entries] == ["zoom_cloud_transcript.vtt"]
    entry = dialog.files.entries[0]
    generation = entry.generation
    dialog.options.merge_box.setChecked(False)
    qtbot.waitUntil(lambda: entry.generation > generation and entry.status == READY,
                    timeout=WAIT_MS)
    assert dialog.options.window_spin.isEnabled() is False
    dialog.options.set_unit("window")
    assert dialog.options.window_spin.isEnabled()


def test_add_folder_uses_the_service_and_skips_known_files(qtbot, open_dialog, monkeypatch,
                                                          service):
    from PySide6.QtWidgets import QFileDialog
    dialog = open_dialog([TC_FILE])
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(SAMPLES)))
    qtbot.mouseClick(dialog.folder_button, Qt.LeftButton)
    names = [e.path.name for e in dialog.files.entries]
    assert names[0] == TC_FILE.name and names.count(TC_FILE.name) == 1
    assert names[1:] == [p.name for p in service.importing.files_in(SAMPLES)
                         if p.name != TC_FILE.name]
    assert dialog.settings.last_folder() == str(SAMPLES)
    qtbot.waitUntil(lambda: all(e.status in (READY, ERROR) for e in dialog.files.entries),
                    timeout=WAIT_MS)


def test_keyboard_ctrl_return_imports_and_escape_closes(qtbot, open_dialog, service):
    dialog = open_dialog([TC_FILE])
    dialog.file_view.setFocus()
    with qtbot.waitSignal(dialog.transcripts_imported, timeout=WAIT_MS):
        qtbot.keyClick(dialog.file_view, Qt.Key_Return, Qt.ControlModifier)
    assert [t.name for t in service.transcripts.list()] == [TC_FILE.name]
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible()


def test_screenshot(qtbot, open_dialog, qapp):
    from ui.shell.style import STYLE
    qapp.setStyleSheet(STYLE)
    try:
        dialog = open_dialog([TC_FILE, SAMPLES / "zoom_cloud_transcript.vtt",
                              SAMPLES / "utterances.csv", SAMPLES / "teams_transcript.docx"])
        dialog.select(entry_named(dialog, "zoom_cloud_transcript.vtt"))
        qtbot.wait(50)          # let the layout settle before grabbing
        assert dialog.grab().save("/tmp/import_dialog.png")
    finally:
        qapp.setStyleSheet("")


def test_the_recording_beside_a_file_is_linked_after_import(qtbot, open_dialog, service,
                                                            tmp_path):
    from tests.core.media_files import write_wav
    folder = tmp_path / "in"
    folder.mkdir()
    text = folder / "s1.txt"
    text.write_text(TC_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    wav = write_wav(folder / "s1.wav", 1.0)
    dialog = open_dialog([text])
    assert dialog.options.link_media()
    run_import(qtbot, dialog)
    tid = service.transcripts.get("s1.txt").id
    qtbot.waitUntil(lambda: service.media.get(tid) is not None, timeout=WAIT_MS)
    assert service.media.get(tid).path == "in/s1.wav"
    from coder.media.files import sha256_of
    assert service.media.get(tid).sha256 == sha256_of(wav)
    qtbot.waitUntil(lambda: "linked s1.wav" in dialog.summary.text(), timeout=WAIT_MS)


def _three_files(tmp_path) -> list[Path]:
    files = []
    for name in ("a.txt", "b.txt", "c.txt"):
        path = tmp_path / name
        path.write_text(f"T: Hello from {name}.\nC: Hi.\n", encoding="utf-8")
        files.append(path)
    return files


def test_many_files_are_read_by_one_job_in_a_child_process(qtbot, open_dialog, service,
                                                           tmp_path, monkeypatch):
    from coder.importers.ahead import prepare_in_process
    from coder.rowcolumns import Columns
    dialog = open_dialog(_three_files(tmp_path))
    real, seen = service.importing.store, []

    def store(prepared, **kw):
        job = dialog.run.job
        seen.append((prepared.parsed.name, type(prepared.parsed.turns), job._call[0]))
        return real(prepared, **kw)
    monkeypatch.setattr(service.importing, "store", store)
    infos = run_import(qtbot, dialog)
    assert [i.name for i in infos] == ["a.txt", "b.txt", "c.txt"]
    assert seen == [(n, Columns, prepare_in_process) for n in ("a.txt", "b.txt", "c.txt")]
    assert [t.name for t in service.transcripts.list()] == ["a.txt", "b.txt", "c.txt"]
    qtbot.waitUntil(lambda: dialog.runner.active_count() == 0, timeout=WAIT_MS)


def test_cancel_while_storing_stops_the_files_read_ahead(qtbot, open_dialog, service,
                                                             tmp_path, monkeypatch):
    dialog = open_dialog(_three_files(tmp_path))
    real = service.importing.store

    def store(prepared, **kw):
        result = real(prepared, **kw)
        dialog.run.cancel()                    # pressed while a.txt was being stored
        return result
    monkeypatch.setattr(service.importing, "store", store)
    infos = run_import(qtbot, dialog)
    assert [i.name for i in infos] == ["a.txt"]
    qtbot.waitUntil(lambda: dialog.runner.active_count() == 0, timeout=WAIT_MS)
    assert [t.name for t in service.transcripts.list()] == ["a.txt"]
    assert entry_named(dialog, "a.txt").status == IMPORTED
    assert entry_named(dialog, "b.txt").status in (CANCELLED, SKIPPED)
    assert entry_named(dialog, "c.txt").status == SKIPPED
