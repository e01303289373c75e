"""Checks on .docx/.xlsx containers before a library opens them: a zip bomb is refused from
the zip's directory alone, before anything is unpacked.

The sizes a zip declares bound what Python's `zipfile` (used by python-docx and openpyxl)
will ever unpack: it stops at the declared size and fails the checksum if more follows. So
checking the declared sizes is enough, provided the compression is one that `zipfile` can
unpack in bounded steps (stored or deflate — all that Word and Excel write).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError, TranscriptFormatError

MAX_UNPACKED_BYTES = 50_000_000    # the same 50 MB limit as for a transcript file itself
MAX_MEMBERS = 10_000
RATIO_FLOOR = 1_000_000            # parts below 1 MB unpacked may compress as well as they like
MAX_RATIO = 200                    # real XML packs 5-30x; a bomb of repeated text ~1000x
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


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
    check_members(infos, name, kind, archive_size=len(data))


def check_members(infos: list[zipfile.ZipInfo], name: str, kind: str,
                  limit: int = MAX_UNPACKED_BYTES, error: type[InputError] = TranscriptFormatError,
                  archive_size: int | None = None) -> None:
    """Refuse a package whose parts unpack beyond `limit` in all (and each beyond
    `MAX_UNPACKED_BYTES`), compress suspiciously well, are too many, or use a compression
    other than stored/deflate, or claim more packed bytes than the archive holds (a reader
    would allocate that much up front). Pass only the parts that will be read."""
    def refuse(why: str) -> None:
        raise error(f"not imported: {why}; this is not an ordinary {kind} "
                    "(a 'zip bomb' is built this way)", file=name)
    if len(infos) > MAX_MEMBERS:
        refuse(f"the package holds {len(infos):,} parts (at most {MAX_MEMBERS:,})")
    total = 0
    for info in infos:
        if info.compress_type not in _METHODS:
            raise error(f"not a valid {kind} (part {info.filename[:80]} uses an unsupported "
                        "compression)", file=name)
        if archive_size is not None and info.compress_size > archive_size:
            raise error(f"not a valid {kind} (the zip package is damaged: part "
                        f"{info.filename[:80]} claims more bytes than the file has)", file=name)
        total += info.file_size
        part_limit = min(limit, MAX_UNPACKED_BYTES)
        if info.file_size > part_limit:
            refuse(f"part {info.filename[:80]} unpacks to {info.file_size / 1e6:,.0f} MB, more "
                   f"than {part_limit // 1_000_000} MB")
        if total > limit:
            refuse(f"its parts unpack to more than {limit // 1_000_000} MB in all")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            refuse(f"part {info.filename[:80]} unpacks {info.file_size / 1e6:,.0f} MB from "
                   f"{info.compress_size / 1e3:,.0f} KB (over {MAX_RATIO}x)")
