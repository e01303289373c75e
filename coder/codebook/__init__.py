"""Codebooks: the format (YAML, see codebooks/README.md), its validation, serialisation, diff
and REFI-QDA ``.qdc`` exchange. Pure Python, no Qt.

Typical use::

    cb = load_codebook("codebooks/rupture_repair.yaml")     # CodebookError lists all problems
    for entry in cb.codes():                                 # depth-first, with group path
        print(entry.group_ids, entry.code.id, entry.code.kind)

The names load on first use (`coder.lazy`): `from coder.codebook import Code` imports the
model only, not YAML or the REFI-QDA writer.
"""

from typing import TYPE_CHECKING

from coder.lazy import lazy_exports

_EXPORTS = {
    "CodebookDiff": ".diff",
    "CodeChange": ".diff",
    "diff_codebooks": ".diff",
    "dump_codebook": ".dump",
    "load_codebook": ".files",
    "save_codebook": ".files",
    "validate_files": ".files",
    "ASPECTS": ".model",
    "KINDS": ".model",
    "SPEAKER_SCOPES": ".model",
    "UNITS": ".model",
    "Code": ".model",
    "Codebook": ".model",
    "CodeEntry": ".model",
    "CodeGroup": ".model",
    "Scale": ".model",
    "parse_codebook": ".parse",
    "CodebookError": ".problems",
    "Problem": ".problems",
    "export_qdc": ".qdc",
    "import_qdc": ".qdc_import",
    "check_codebook": ".validate",
}

if TYPE_CHECKING:
    from coder.codebook.diff import CodebookDiff, CodeChange, diff_codebooks  # noqa: F401
    from coder.codebook.dump import dump_codebook  # noqa: F401
    from coder.codebook.files import load_codebook, save_codebook, validate_files  # noqa: F401
    from coder.codebook.model import (ASPECTS, KINDS, SPEAKER_SCOPES, UNITS, Code,  # noqa: F401
                                      Codebook, CodeEntry, CodeGroup, Scale)
    from coder.codebook.parse import parse_codebook  # noqa: F401
    from coder.codebook.problems import CodebookError, Problem  # noqa: F401
    from coder.codebook.qdc import export_qdc  # noqa: F401
    from coder.codebook.qdc_import import import_qdc  # noqa: F401
    from coder.codebook.validate import check_codebook  # noqa: F401

__all__ = [
    "ASPECTS", "KINDS", "SPEAKER_SCOPES", "UNITS",
    "Code", "CodeChange", "CodeEntry", "CodeGroup", "Codebook", "CodebookDiff", "CodebookError",
    "Problem", "Scale",
    "check_codebook", "diff_codebooks", "dump_codebook", "export_qdc", "import_qdc",
    "load_codebook", "parse_codebook", "save_codebook", "validate_files",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
