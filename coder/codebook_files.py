"""Codebook files by extension: YAML (ours) or REFI-QDA .qdc, read and written atomically."""

from __future__ import annotations

from pathlib import Path

from .codebook import Codebook, CodebookError, Problem, export_qdc, import_qdc, load_codebook
from .atomic import write_atomic
from .codebook.files import save_codebook


def read_codebook_file(path: str | Path) -> tuple[Codebook, list[str]]:
    """(codebook, notes): notes say what a .qdc could not express and what was assumed."""
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
    if path.suffix.lower() == ".qdc":
        write_atomic(path, export_qdc(book), private=False)  # no client data
    else:
        save_codebook(book, path)
