"""Peaks of a recording that is not WAV (MP3, M4A, MP4, WebM ...) with Qt Multimedia's
QAudioDecoder, run inside a JobRunner worker: the decoder gets its own event loop there."""

from __future__ import annotations

from pathlib import Path

from coder.jobs import Cancelled, check
from coder.media.model import MediaProblem
from coder.media.peaks import Peaks


def decoded_peaks(path: Path, buckets: int, *, progress=None, cancel=None) -> Peaks:
    import numpy as np
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    try:
        from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat
    except ImportError as err:
        from ui.media.availability import reason
        raise MediaProblem(reason(err)) from None

    decoder = QAudioDecoder()
    fmt = QAudioFormat()
    fmt.setSampleRate(8000)                 # an overview needs no more
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    decoder.setAudioFormat(fmt)
    chunks: list = []
    state = {"error": None, "cancelled": False}
    loop = QEventLoop()

    def take() -> None:
        buf = decoder.read()
        if buf.isValid():
            chunks.append(np.frombuffer(bytes(buf.constData()), dtype=np.int16).copy())
        if cancel is not None and cancel():
            state["cancelled"] = True
            decoder.stop()
            loop.quit()

    decoder.bufferReady.connect(take)
    decoder.finished.connect(loop.quit)
    decoder.error.connect(lambda *_: (state.__setitem__("error", decoder.errorString()),
                                      loop.quit()))
    ticker = QTimer()
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: progress and decoder.duration() > 0 and progress(
        max(0, decoder.position()), decoder.duration()))
    ticker.start()
    decoder.setSource(QUrl.fromLocalFile(str(Path(path).absolute())))
    decoder.start()
    loop.exec()
    ticker.stop()
    if state["cancelled"]:
        raise Cancelled()
    check(cancel)
    if state["error"]:
        raise MediaProblem(f"{path}: cannot decode the audio ({state['error']})")
    samples = np.concatenate(chunks).astype(float) / 32768.0 if chunks else np.zeros(0)
    from coder.media.peaks import reduce_peaks
    return reduce_peaks(samples, buckets, round(samples.size * 1000 / 8000))
