"""Checks on .docx/.xlsx containers before a library opens them."""

from __future__ import annotations

import io
import zipfile

from ..errors import TranscriptFormatError

MAX_UNZIPPED_BYTES = 1_000_000_000      # a real transcript unpacks to far less than 1 GB


def check_zip(data: bytes, name: str, required: str, kind: str) -> None:
    """Raise a clear error unless `data` is a zip holding `required` and not a zip bomb."""
    if not data.startswith(b"PK"):
        raise TranscriptFormatError(f"not a valid {kind} (the file is not a zip package)",
                                    file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        raise TranscriptFormatError(f"not a valid {kind} (the zip package is damaged)",
                                    file=name) from None
    names = {info.filename for info in infos}
    if required not in names:
        raise TranscriptFormatError(f"not a valid {kind} ({required} is missing)", file=name)
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise TranscriptFormatError(f"not a valid {kind} (it unpacks to more than 1 GB)",
                                    file=name)
