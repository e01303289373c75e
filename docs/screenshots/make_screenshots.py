"""Screenshots of the app on the sample project, taken offscreen with ``widget.grab()``:
the start screen, the coding workspace (also in reading mode), the Reliability tab, its Disagreements and the export
dialog, at 1366×768 and 1920×1080, in the light and the dark theme.

Run from the repository root:  python docs/screenshots/make_screenshots.py [OUT_DIR]
(default: docs/screenshots). The sample is built once in a temporary app folder.
PNGs are reduced to a 256-colour palette so each stays a few hundred KB at most.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SESSION_CODER_HOME", tempfile.mkdtemp(prefix="sc-shots-"))

SIZES = ((1366, 768), (1920, 1080))


def save(widget, path: Path) -> None:
    """Grab `widget` and write a small PNG (adaptive 256-colour palette when Pillow is
    there, else Qt's PNG at the highest compression)."""
    image = widget.grab().toImage()
    try:
        from PIL import Image
        from PySide6.QtCore import QBuffer, QIODevice
        buffer = QBuffer()
        buffer.open(QIODevice.WriteOnly)
        image.save(buffer, "PNG")
        import io
        pil = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
        pil.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    except ImportError:
        image.save(str(path), "PNG", 0)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def wait(app, ms: int = 150) -> None:
    from PySide6.QtTest import QTest
    QTest.qWait(ms)


def wait_until(app, test, timeout_s: float = 120) -> None:
    import time
    end = time.monotonic() + timeout_s
    while not test():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        wait(app, 50)


def shoot(app, out: Path, scheme: str, size: tuple[int, int]) -> None:
    from ui.export.dialog import ExportDialog
    from ui.shell import theme
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import AppSettings

    theme.apply(app, scheme)
    tag = f"{size[0]}x{size[1]}-{scheme}"
    w = MainWindow(AppSettings())
    w.resize(*size)
    w.show()
    wait(app)
    save(w, out / f"start-{tag}.png")

    w.shell_actions.open_sample()
    wait_until(app, lambda: w.service is not None and w.workspace.info is not None)
    ws = w.workspace
    ws.go_to_position(12)
    wait(app, 300)
    save(w, out / f"workspace-{tag}.png")
    w.workspace_actions.act_reading.trigger()          # reading mode: whole utterances
    wait(app, 300)
    save(w, out / f"workspace-reading-{tag}.png")
    w.workspace_actions.act_reading.trigger()

    w.shell_actions.show_tab(2)
    view = w.reliability_view
    wait_until(app, lambda: view.result is not None)
    view.table.selectRow(0)
    view.tabs.setCurrentWidget(view.chart)
    wait(app, 300)
    save(w, out / f"reliability-{tag}.png")

    view.tabs.setCurrentWidget(view.disagreements)
    choice = view.disagreements.choice
    best = max(range(choice.count()), key=lambda i: (choice.setCurrentIndex(i),
                                                       view.disagreements.model.rowCount())[1])
    choice.setCurrentIndex(best)
    wait(app, 300)
    save(w, out / f"disagreements-{tag}.png")

    if size == SIZES[0]:                                # the dialog has its own size
        dialog = ExportDialog(w.service, w.settings, w.runner, w)
        dialog.show()
        wait(app, 300)
        save(dialog, out / f"export-{scheme}.png")
        dialog.close()
    w.close_project() if hasattr(w, "close_project") else None
    w.close()
    wait(app)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    for scheme in ("light", "dark"):
        for size in SIZES:
            shoot(app, out, scheme, size)


if __name__ == "__main__":
    main()
