"""Codebooks: the format (YAML, see codebooks/README.md), its validation, serialisation, diff
and REFI-QDA ``.qdc`` exchange. Pure Python, no Qt.

Typical use::

    cb = load_codebook("codebooks/rupture_repair.yaml")     # CodebookError lists all problems
    for entry in cb.codes():                                 # depth-first, with group path
        print(entry.group_ids, entry.code.id, entry.code.kind)
"""

from coder.codebook.diff import CodebookDiff, CodeChange, diff_codebooks
from coder.codebook.dump import dump_codebook
from coder.codebook.files import load_codebook, save_codebook, validate_files
from coder.codebook.model import (
    ASPECTS,
    KINDS,
    SPEAKER_SCOPES,
    UNITS,
    Code,
    Codebook,
    CodeEntry,
    CodeGroup,
    Scale,
)
from coder.codebook.parse import parse_codebook
from coder.codebook.problems import CodebookError, Problem
from coder.codebook.qdc import export_qdc
from coder.codebook.qdc_import import import_qdc
from coder.codebook.validate import check_codebook

__all__ = [
    "ASPECTS", "KINDS", "SPEAKER_SCOPES", "UNITS",
    "Code", "CodeChange", "CodeEntry", "CodeGroup", "Codebook", "CodebookDiff", "CodebookError",
    "Problem", "Scale",
    "check_codebook", "diff_codebooks", "dump_codebook", "export_qdc", "import_qdc",
    "load_codebook", "parse_codebook", "save_codebook", "validate_files",
]
