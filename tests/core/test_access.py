"""Blinding as access control (issue 10): the supervisor passphrase and the back doors that
the Python API used to leave open. Without a passphrase a project behaves as before."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coder.coding.commands import ToggleCode
from coder.export import ExportOptions
from coder.project import BlindingError, Project
from tests.conftest import ROOT, SAMPLES

SECRET = "correct horse battery"


@pytest.fixture
def path(tmp_path):
    """Two raters and a supervisor have coded one transcript; blind (the default)."""
    path = tmp_path / "p.scproj"
    with Project.create(path) as p:
        p.importing.import_file(SAMPLES / "plain_TC_labels_utf8.txt")
        tid = p.transcripts.list()[0].id
        units = p.transcripts.segments(tid, "turn")
        therapist = [u for u in units if u.role == "therapist"]
        book = p.codebook.current()
        for name, role, code in (("Ana", "rater", "validation"), ("Ben", "rater", "pressure"),
                                 ("Sue", "supervisor", "bond_warmth")):
            rater = p.raters.add(name, role=role)
            p.sign_in(rater.id)
            p.perform(ToggleCode(rater.id, book.code(code), therapist))
    return path


def _seen(p) -> set[str]:
    tid = p.transcripts.list()[0].id
    ids = [u.id for u in p.transcripts.segments(tid, "turn")]
    return {v.code for v in p.codings.on(ids)}


def test_unprotected_project_behaves_as_before(path, tmp_path):
    with Project.open(path) as p:
        assert not p.access.protected
        p.reliability.snapshot()                        # headless, nobody signed in: allowed
        assert p.codings.export_csv(tmp_path / "all.csv") > 0
        p.sign_in("Sue")                                # no passphrase needed
        p.raters.set_blind(False)
        assert _seen(p) == {"validation", "pressure", "bond_warmth"}


def test_a_rater_of_a_blind_project_sees_only_their_own_work_in_every_call(path, tmp_path):
    with Project.open(path) as p:
        ana = p.sign_in("Ana")
        assert _seen(p) == {"validation"}
        with pytest.raises(BlindingError):
            p.reliability.snapshot()
        with pytest.raises(BlindingError):
            p.codings.completed([1], rater_id=p.raters.get("Ben").id)
        p.codings.export_csv(tmp_path / "mine.csv")
        text = (tmp_path / "mine.csv").read_text(encoding="utf-8")
        assert "Ana" in text and "Ben" not in text and "pressure" not in text
        with pytest.raises(BlindingError):
            p.exports.job(tmp_path / "x.xlsx", ExportOptions(raters=("Ben",)))
        job = p.exports.job(tmp_path / "x.xlsx")
        assert job.options.raters == (ana.name,)


def test_protection_closes_the_back_doors(path, tmp_path):
    with Project.open(path) as p:
        p.protect(SECRET)
    raw = path.read_bytes() + b"".join(f.read_bytes() for f in path.parent.glob("p.scproj-*"))
    assert SECRET.encode() not in raw                    # only a salted hash is stored
    with Project.open(path) as p:
        assert p.access.protected
        # nobody signed in, no passphrase: the structure, never codings
        assert [t.name for t in p.transcripts.list()] == ["plain_TC_labels_utf8.txt"]
        assert p.codebook.current() is not None
        with pytest.raises(BlindingError, match="passphrase"):
            p.reliability.snapshot()
        with pytest.raises(BlindingError, match="passphrase"):
            p.codings.export_csv(tmp_path / "all.csv")
        with pytest.raises(BlindingError, match="passphrase"):
            p.exports.job(tmp_path / "x.xlsx")
        # the policy has no setters: it changes only by signing in
        with pytest.raises(AttributeError):
            p.access.viewer = None
        # no new supervisor, no supervisor sign-in, without the passphrase
        with pytest.raises(BlindingError, match="passphrase"):
            p.raters.add("Eve", role="supervisor")
        with pytest.raises(BlindingError, match="passphrase"):
            p.sign_in("Sue")
        with pytest.raises(BlindingError, match="wrong"):
            p.sign_in("Sue", "guess")
        # a rater signs in: only their own work, and blinding stays
        p.sign_in("Ben")
        assert _seen(p) == {"pressure"}
        with pytest.raises(BlindingError):
            p.raters.set_blind(False)
        p.access.sign_out()
        with pytest.raises(BlindingError):
            p.reliability.snapshot()
        # the supervisor with the passphrase
        p.sign_in("Sue", SECRET)
        p.raters.set_blind(False)
        assert _seen(p) == {"validation", "pressure", "bond_warmth"}
        p.raters.add("Eve", role="supervisor")
        # signing in as someone else drops the supervisor's rights
        p.sign_in("Ana")
        with pytest.raises(BlindingError):
            p.raters.set_blind(False)
        kinds = [(e["kind"], e["rater_id"]) for e in p.raters.events()]
        sue = p.raters.get("Sue").id
        assert ("blinding", sue) in kinds and ("protection", None) in kinds


def test_headless_unlock_reads_everything(path, tmp_path):
    with Project.open(path) as p:
        p.protect(SECRET)
    with Project.open(path, readonly=True) as p:
        with pytest.raises(BlindingError, match="wrong"):
            p.unlock("nope")
        p.unlock(SECRET)
        assert p.reliability.snapshot().rater_names == ("Ana", "Ben", "Sue")


def _cli(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})})


def test_cli_protect_and_passphrase_from_the_environment(path, tmp_path):
    plain = {k: v for k, v in os.environ.items() if not k.startswith("SESSION_CODER_PASS")}
    result = _cli("protect", path, env={**plain, "SESSION_CODER_PASSPHRASE": SECRET})
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "reliability", str(path)],
                            capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL, env=plain)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "SESSION_CODER_PASSPHRASE" in result.stderr
    result = _cli("reliability", path, env={**plain, "SESSION_CODER_PASSPHRASE": "wrong one!"})
    assert result.returncode == 1 and "wrong supervisor passphrase" in result.stderr
    result = _cli("reliability", path, "--json",
                  env={**plain, "SESSION_CODER_PASSPHRASE": SECRET})
    assert result.returncode == 0, result.stderr
    # changing it needs the current one
    result = _cli("protect", path, env={**plain, "SESSION_CODER_PASSPHRASE": "wrong one!",
                                        "SESSION_CODER_NEW_PASSPHRASE": "another secret"})
    assert result.returncode == 1
    result = _cli("protect", path, env={**plain, "SESSION_CODER_PASSPHRASE": SECRET,
                                        "SESSION_CODER_NEW_PASSPHRASE": "another secret"})
    assert result.returncode == 0 and "changed" in result.stdout
