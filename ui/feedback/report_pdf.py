"""The feedback report as PDF: the core's HTML laid out by QTextDocument and printed with
QPdfWriter, the timeline painted as an image. Used by the report dialog and (through the
launcher) by ``python main.py report``; it makes an offscreen QGuiApplication if none runs
(so the command works with no display, and with a display it opens no window)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

PAGE_DPI = 300
TIMELINE_W, TIMELINE_H = 1600, 330


def _app():
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance()
    if app is None:
        # headless (the CLI): never a window, and no display needed, whatever the environment
        app = QGuiApplication(["session-coder-report", "-platform", "offscreen"])
    return app


def timeline_image(timeline):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from .timeline_paint import paint_timeline
    image = QImage(TIMELINE_W, TIMELINE_H, QImage.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    p = QPainter(image)
    paint_timeline(p, QRectF(0, 0, TIMELINE_W, TIMELINE_H), timeline, font_px=26)
    p.end()
    return image


def build_document(report, text):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from coder.report.html import render_html
    _app()
    doc = QTextDocument()
    doc.addResource(QTextDocument.ImageResource, QUrl("timeline.png"), timeline_image(report.timeline))
    doc.setHtml(render_html(report, text, '<img src="timeline.png" width="600">'))
    return doc


def write_pdf(report, text, path) -> int:
    """Write the report to `path` (atomically, owner-only); returns the number of pages."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter
    from coder.errors import SessionCoderError
    from coder.report.save import owner_only
    target = Path(path)
    if not target.parent.is_dir():
        raise SessionCoderError(f"{target}: the folder {target.parent} does not exist")
    doc = build_document(report, text)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setResolution(PAGE_DPI)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
        writer.setTitle(f"Supervision feedback: {report.feedback.name}")
        writer.setCreator("Session Coder")
        doc.print_(writer)
        del writer
        data = Path(tmp).read_bytes()
        if not data.startswith(b"%PDF"):
            raise SessionCoderError(f"{target}: the PDF could not be written")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    owner_only(target)
    return page_count(data)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
