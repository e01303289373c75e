"""kill -9 at any moment loses nothing that was shown and leaves a project that opens.

A child process codes segments one by one and prints each segment id only after the
service has returned (what the GUI would then show). The parent kills it with SIGKILL at
random moments, reopens the project, and checks PRAGMA integrity_check and that every
acknowledged coding is there.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from coder.project import Project
from tests.conftest import ROOT

CHILD = r"""
import sys
sys.path.insert(0, {root!r})
from coder.coding.commands import MarkDone, ToggleCode
from coder.project import Project
project = Project.open({path!r}, backup=False)
rater = project.raters.list()[0]
project.sign_in(rater.id)
book = project.codebook.current()
code = book.code("validation")
info = project.transcripts.list()[0]
segs = [s for s in project.transcripts.segments(info.id, "turn") if s.role == "therapist"]
done = project.codings.completed([s.id for s in segs])
print("ready", flush=True)
for s in segs:
    if s.id in done:
        continue
    project.perform(ToggleCode(rater.id, code, [s]))
    project.perform(MarkDone(rater.id, [s]))
    print(s.id, flush=True)
print("finished", flush=True)
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    path = tmp_path / "crash.scproj"
    with Project.create(path) as project:
        project.importing.import_file(ROOT / "sample_transcripts" / "session01_full_length.vtt")
        project.raters.add("Ana")
    rnd = random.Random(20261126)
    acknowledged: set[int] = set()
    script = CHILD.format(root=str(ROOT), path=str(path))
    for _round in range(8):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout.readline().strip() == "ready"
        wanted = rnd.randint(1, 25)
        line = ""
        for _ in range(wanted):
            line = child.stdout.readline().strip()
            if not line or line == "finished":
                break
            acknowledged.add(int(line))
        time.sleep(rnd.random() * 0.02)          # a random moment, often mid-transaction
        os.kill(child.pid, signal.SIGKILL)
        rest = child.stdout.read()               # lines printed before the kill landed
        acknowledged.update(int(x) for x in rest.split() if x.isdigit())
        child.wait()
        assert child.returncode == -signal.SIGKILL or line == "finished"

        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        coded = {r[0] for r in con.execute("SELECT segment_id FROM coding")}
        done = {r[0] for r in con.execute("SELECT segment_id FROM unit_status")}
        con.close()
        assert acknowledged <= coded, "a coding that was shown is gone"
        assert acknowledged <= done
    assert len(acknowledged) >= 8
    with Project.open(path) as project:       # the stale lock is taken over
        assert project.transcripts.list()[0].turns == 422
