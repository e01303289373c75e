"""The Excel export streams its XML through lxml: lxml is a runtime dependency and openpyxl's
write-only cells are written by its lxml writer (the standard-library writer is slower)."""

import tomllib

from tests.conftest import ROOT


def test_lxml_is_declared_and_openpyxl_writes_cells_with_it():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.replace(" ", "").startswith("lxml") for d in deps["dependencies"])
    from openpyxl.cell import _writer
    from openpyxl.xml import LXML
    assert LXML
    assert _writer.write_cell is _writer.lxml_write_cell
