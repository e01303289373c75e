"""Memory of a process and every process it forked, sampled from outside (issue 17).

The Excel export makes its heavy sheets in short-lived forked children: the process's own
peak (``ru_maxrss``) no longer says what the export used. :class:`TreeMemory` samples, every
`EVERY_S` from a thread of the bench (not of the measured process: a thread there would stop
it forking), what the tree holds in memory: the root's resident set (``statm``, as
``ru_maxrss`` counts it) plus each descendant's private pages (``Private_Clean`` +
``Private_Dirty`` of ``smaps_rollup``): the pages a child shares copy-on-write with its
parent are counted once, in the parent; a page either side has written since the fork is
private to the child and counted there. The root reports its stage and its baseline by
writing lines to a stage file (:func:`tell`): ``base <MiB>`` once before the work, then the
name of each stage; the peaks are kept per stage.

A sample can miss a peak shorter than `EVERY_S`; the root's own ``ru_maxrss`` is reported
beside it (never above the tree's peak by more than that).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

MiB = 2 ** 20
EVERY_S = 0.02
_PAGE = os.sysconf("SC_PAGE_SIZE")


def tell(stage_file: str | None, line: str) -> None:
    """Append one line (``base <MiB>`` or a stage's name) to the stage file, if any."""
    if stage_file:
        with open(stage_file, "a", encoding="utf-8") as fh:
            fh.write(line.replace("\n", " ") + "\n")


def resident_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * _PAGE / MiB


def private_mib(pid: int) -> float:
    kib = 0
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                kib += int(line.split()[1])
    return kib / 1024


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    kids = [int(x) for x in fh.read().split()]
                out += kids
                todo += kids
        except OSError:                       # it ended meanwhile
            continue
    return out


class TreeMemory:
    """Samples the tree of ``pid`` until :meth:`stop`; peaks over the root's baseline."""

    def __init__(self, pid: int, stage_file: str) -> None:
        self.pid, self.stage_file = pid, stage_file
        self.base: float | None = None
        self.stage = "before"
        self.peak = 0.0                        # the tree, absolute MiB
        self.peaks: dict[str, float] = {}      # stage -> the tree's peak, absolute MiB
        self.most_children = 0
        self._lines = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _read_stage(self) -> None:
        try:
            lines = Path(self.stage_file).read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines[self._lines:]:
            if line.startswith("base ") and self.base is None:
                self.base = float(line.split()[1])
            elif line:
                self.stage = line
        self._lines = len(lines)

    def sample(self) -> float | None:
        try:
            total = resident_mib(self.pid)
        except OSError:
            return None
        kids = descendants(self.pid)
        self.most_children = max(self.most_children, len(kids))
        for kid in kids:
            try:
                total += private_mib(kid)
            except OSError:
                pass
        return total

    def _run(self) -> None:
        while not self._stop:
            self._read_stage()
            now = self.sample()
            if now is not None and self.base is not None:
                self.peak = max(self.peak, now)
                self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), now)
            time.sleep(EVERY_S)

    def stop(self) -> None:
        self._stop = True
        self._thread.join()
        self._read_stage()

    def over(self) -> tuple[float, dict[str, float]]:
        """The tree's peak and each stage's, in MiB over the root's baseline."""
        base = self.base or 0.0
        return self.peak - base, {s: p - base for s, p in self.peaks.items()}
