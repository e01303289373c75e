"""The export's heavy stages in forked children (issue 17: ``workbook.FORK_STAGES``).

The statistics item by item and the rows of the Matrix, Sessions and Disagreements sheets
are made in short-lived forked children; the workbook must not change by one cell. Each
check runs in a fresh interpreter (as tests/core/test_report_forked.py): a test process may
run other tests' threads, where the export rightly refuses to fork. Checked: every sheet's
cells the same as the in-process export (sample project with a reference and a bootstrap
interval; a generated study project, one Matrix sheet per item and all items in one
Matrices sheet), that children really made them, a cancel in a forked stage, an error in a
child, and no process left behind; and :func:`coder.forked.stream` itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coder import forked
from coder.errors import SessionCoderError
from coder.jobs import Cancelled

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the export forks only on Linux")
ROOT = Path(__file__).resolve().parents[2]


def _alone(check: str, tmp_path: Path) -> None:
    env = {**os.environ, "SESSION_CODER_HOME": str(tmp_path / "home"),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c",
                           f"import tests.core.test_export_forked as t; t.{check}({str(tmp_path)!r})"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children", encoding="ascii") as f:
        return {int(x) for x in f.read().split()}


class _Count:
    """Counts the forks of the export (streams and per-item parts)."""

    def __init__(self) -> None:
        self.streams = self.parts = 0
        real_stream, real_forked = forked.stream, forked.Forked

        def stream(*a, **k):
            self.streams += 1
            return real_stream(*a, **k)

        class Counted(real_forked):
            def __init__(inner, fn) -> None:
                self.parts += 1
                super().__init__(fn)
        forked.stream = stream
        forked.Forked = Counted


def _both(project, folder: Path, options, name: str):
    from coder.export import workbook
    workbook.FORK_FROM_CELLS = 0                # these projects are small: fork anyway
    from tests.core.test_export_rowxml import assert_same, read_back
    count = _Count()
    before = _children()
    new = folder / f"{name}-forked.xlsx"
    r_new = project.exports.workbook(new, options)
    assert count.streams > 0, "no stage was forked"
    workbook.FORK_STAGES = False
    try:
        old = folder / f"{name}-here.xlsx"
        streams = count.streams
        r_old = project.exports.workbook(old, options)
        assert count.streams == streams, "forked with FORK_STAGES off"
    finally:
        workbook.FORK_STAGES = True
    assert _children() == before
    assert r_new.sheets == r_old.sheets and r_new.rows == r_old.rows
    a, b = read_back(new), read_back(old)
    stamp = next(ref for ref, v in b["README"]["cells"].items() if v[0] == "Exported at")
    n = assert_same(a, b, skip={("README", "B" + stamp[1:])})
    return a, count, n


def _sample(folder: str):
    from coder.project import Project
    from coder.sample import build_sample_project
    from tests.core.test_export_rowxml import sign_in_supervisor
    path = Path(folder) / "sample.scproj"
    build_sample_project(path)
    project = Project.open(path, backup=False)
    sign_in_supervisor(project)
    return project


def test_sample_export_forked_is_the_same(tmp_path):
    _alone("check_sample", tmp_path)


def check_sample(folder: str) -> None:
    from coder.export import SHEETS, ExportOptions
    assert forked.can_fork()
    project = _sample(folder)
    rater = project.raters.list()[0].name
    opts = ExportOptions(sheets=tuple(s for s in SHEETS if s != "Codings"),
                         reference=rater, ci="bootstrap", replicates=20, seed=5,
                         matrix_sheets=1000)
    small = _Count()                       # the sample is small: no child by default
    project.exports.workbook(Path(folder) / "small.xlsx", opts)
    assert small.streams == small.parts == 0
    a, count, n = _both(project, Path(folder), opts, "sample")
    assert {"Reliability", "Reference", "Sessions", "Disagreements"} <= set(a)
    assert any(t.startswith("Matrix ") for t in a) and n > 1000
    # a child per item's statistics, one per Matrix sheet, Sessions and Disagreements
    n_matrix = sum(t.startswith("Matrix ") for t in a)
    assert count.streams == n_matrix + 2 and count.parts >= n_matrix
    project.close()


def test_study_export_forked_is_the_same(tmp_path):
    _alone("check_study", tmp_path)


def check_study(folder: str) -> None:
    from coder.export import ExportOptions
    from coder.project import Project
    from tests.core.test_export_stream_stats import _study_module
    path = Path(folder) / "study.scproj"
    _study_module().build(path, 7, 60, 3, 8, seed=3)
    project = Project.open(path, backup=False)
    a, _, _ = _both(project, Path(folder), None, "study")
    assert len(a["Sessions"]["cells"]) > 7 * 3 and len(a["Disagreements"]["cells"]) > 100
    a, count, _ = _both(project, Path(folder), ExportOptions(matrix_sheets=2), "matrices")
    assert "Matrices" in a and count.streams >= 8
    project.close()


def test_cancel_and_errors_in_a_forked_stage(tmp_path):
    _alone("check_cancel_and_errors", tmp_path)


def check_cancel_and_errors(folder: str) -> None:
    from coder.export import ExportOptions, sheets_sessions, workbook
    workbook.FORK_FROM_CELLS = 0
    project = _sample(folder)
    target = Path(folder) / "out.xlsx"
    before = _children()
    seen = []

    def cancel() -> bool:           # once the Disagreements child runs
        return bool(_children() - before) and seen[-1:] == ["Disagreements"]

    def progress(_d, _t, message=""):
        if message:
            seen.append(message)
    options = ExportOptions(sheets=("README", "Reliability", "Disagreements"))
    real = sheets_sessions._disagreement_rows

    def slow(ctx):                  # the child takes its time before its first row
        import time
        time.sleep(2)
        yield from real(ctx)
    sheets_sessions._disagreement_rows = slow
    try:
        project.exports.workbook(target, options, progress=progress, cancel=cancel)
    except Cancelled:
        pass
    else:
        raise AssertionError("not cancelled")
    finally:
        sheets_sessions._disagreement_rows = real
    assert not target.exists() and _children() == before

    def failing(ctx):               # a user error and a bug, raised in the child
        yield ("x",) * 3
        raise SessionCoderError("the codings could not be read: disk I/O error")
    sheets_sessions._disagreement_rows = failing
    try:
        project.exports.workbook(target, options)
    except SessionCoderError as exc:
        assert "disk I/O error" in str(exc)
    else:
        raise AssertionError("no error")
    finally:
        sheets_sessions._disagreement_rows = real
    assert not target.exists() and _children() == before
    # the project is still readable on the same connection pool afterwards
    project.exports.workbook(target, options)
    assert target.exists()
    project.close()


# -- coder.forked.stream ---------------------------------------------------------------------
def test_stream_gives_every_item_in_order_across_batches(tmp_path):
    _alone("check_stream_items", tmp_path)


def check_stream_items(_folder: str) -> None:
    assert forked.can_fork()
    items = [(i, "é" * (i % 5), None, i / 7) for i in range(2_345)]
    assert list(forked.stream(lambda: iter(items), batch=100)) == items
    assert list(forked.stream(lambda: iter(()))) == []


def test_stream_errors_death_and_early_close(tmp_path):
    _alone("check_stream_failures", tmp_path)


def check_stream_failures(_folder: str) -> None:
    before = _children()

    def bug():
        yield 1
        raise ValueError("boom in the child")
    try:
        list(forked.stream(bug))
    except forked.ForkedPartFailed as exc:
        assert "boom in the child" in str(exc) and "ValueError" in str(exc)
    else:
        raise AssertionError("no error")

    def user():
        raise SessionCoderError("line 3: not a number")
        yield
    try:
        list(forked.stream(user))
    except SessionCoderError as exc:
        assert str(exc) == "line 3: not a number"

    def dies():
        yield 1
        os._exit(3)
    try:
        list(forked.stream(dies, batch=1))
    except forked.ForkedPartFailed as exc:
        assert "ended early" in str(exc)
    else:
        raise AssertionError("no error")
    endless = forked.stream(lambda: iter(range(10 ** 12)))
    assert [next(endless), next(endless)] == [0, 1]
    endless.close()                         # the caller stops early: the child is killed
    try:
        next(forked.stream(lambda: iter([_sleep(30)]), cancel=lambda: True))
    except Cancelled:
        pass
    else:
        raise AssertionError("not cancelled")
    assert _children() == before


def _sleep(s: float):
    import time
    time.sleep(s)
    return s
