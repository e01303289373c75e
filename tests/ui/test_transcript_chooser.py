"""The transcript chooser does not offer Session Coder's own exports."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl  # noqa: E402
from PySide6.QtWidgets import QFileSystemModel  # noqa: E402

from coder.export.marker import mark_workbook  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402
from ui.importing.transcript_chooser import HideExports, transcript_dialog  # noqa: E402


def test_exports_are_hidden_and_transcripts_shown(qtbot, tmp_path):
    wb = openpyxl.Workbook()
    mark_workbook(wb)
    wb.save(tmp_path / "study export.xlsx")
    (tmp_path / "codings.csv").write_text("transcript,unit_kind,unit,speaker\n", "utf-8")
    for name in ("utterances.xlsx", "utterances.csv", "zoom_cloud_transcript.vtt"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    model = QFileSystemModel()
    with qtbot.waitSignal(model.directoryLoaded, timeout=10_000):
        root = model.setRootPath(str(tmp_path))
    proxy = HideExports()
    proxy.setSourceModel(model)
    proxy_root = proxy.mapFromSource(root)
    shown = sorted(proxy.index(r, 0, proxy_root).data() for r in range(proxy.rowCount(proxy_root)))
    assert shown == ["utterances.csv", "utterances.xlsx", "zoom_cloud_transcript.vtt"]
    dialog = transcript_dialog(None, tmp_path)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.proxyModel(), HideExports)
    assert "*.vtt" in dialog.nameFilters()[0] and "*.xlsx" in dialog.nameFilters()[0]
