"""Codebook files on disk: load, save (atomically), and validate many at once (for
``python main.py codebook validate FILE...``)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from coder.codebook.model import Codebook
from coder.codebook.problems import CodebookError, Problem


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM); a problem with line and column when it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[:err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise CodebookError([Problem(file, line, column,
                                     "not UTF-8 text: save the codebook as UTF-8")]) from None


def _read(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise CodebookError([Problem(str(path), None, None,
                                     f"cannot read: {err.strerror or err}")]) from None


def load_codebook(path: str | os.PathLike[str]) -> Codebook:
    """A codebook from a YAML file; :class:`CodebookError` with every problem otherwise."""
    from coder.codebook.parse import parse_codebook

    file = str(path)
    return parse_codebook(decode_text(_read(path), file), file)


def save_codebook(codebook: Codebook, path: str | os.PathLike[str]) -> None:
    """Write YAML through a temporary file renamed into place (no half-written files)."""
    from coder.atomic import write_atomic
    from coder.codebook.dump import dump_codebook

    write_atomic(path, dump_codebook(codebook).encode("utf-8"), private=False)  # no client data


def validate_files(paths: Iterable[str | os.PathLike[str]]) -> list[Problem]:
    """Every problem in every file (empty when all are valid). ``.qdc`` files are checked by
    importing them; other files are read as YAML codebooks."""
    from coder.codebook.qdc_import import import_qdc

    problems: list[Problem] = []
    for path in paths:
        try:
            if str(path).lower().endswith(".qdc"):
                import_qdc(_read(path), str(path))
            else:
                load_codebook(path)
        except CodebookError as err:
            problems.extend(err.problems)
    return problems


def read_codebook_file(path: str | Path) -> tuple[Codebook, list[str]]:
    """(codebook, notes) from YAML or, by extension, REFI-QDA .qdc; notes say what a .qdc
    could not express and what was assumed."""
    from coder.codebook.qdc_import import import_qdc
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        try:
            data = path.read_bytes()
        except OSError as err:
            raise CodebookError([Problem(str(path), None, None,
                                         f"cannot read: {err.strerror or err}")]) from None
        book, notes = import_qdc(data, path.name)
        return book, list(notes)
    return load_codebook(path), []


def write_codebook_file(book: Codebook, path: Path) -> None:
    """YAML, or REFI-QDA .qdc when the name ends in .qdc; atomically."""
    from coder.atomic import write_atomic
    from coder.codebook.qdc import export_qdc
    if path.suffix.lower() == ".qdc":
        write_atomic(path, export_qdc(book), private=False)  # no client data
    else:
        save_codebook(book, path)
