"""Duration of a media file through Qt Multimedia (FFmpeg backend), for what `wave` cannot
read. Registered as a core prober by `main.py` and the app; imports Qt Multimedia only when
called. Works headless: a QCoreApplication is made when none exists."""

from __future__ import annotations

from pathlib import Path


def qt_duration_ms(path: Path, timeout_ms: int = 10_000) -> int | None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QUrl
    try:
        from PySide6.QtMultimedia import QMediaPlayer
    except ImportError:                      # Addons or libpulse missing: duration unknown
        return None
    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - keeps it alive
    player = QMediaPlayer()
    loop = QEventLoop()
    done = {QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.InvalidMedia,
            QMediaPlayer.MediaStatus.BufferedMedia}
    player.mediaStatusChanged.connect(lambda s: loop.quit() if s in done else None)
    player.errorOccurred.connect(lambda *_: loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    player.setSource(QUrl.fromLocalFile(str(Path(path).absolute())))
    if player.mediaStatus() not in done:
        loop.exec()
    duration = player.duration()
    player.setSource(QUrl())
    return duration if duration > 0 else None
