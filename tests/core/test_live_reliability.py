"""Live reliability (coder.reliability.live): counts kept unit by unit give the same alpha as
the `krippendorff` package on the report's own data matrices, and after a random sequence of
real coding commands and undos the updated counts equal a fresh build exactly."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from coder.coding.commands import MarkDone, SetCategory, SetRating, ToggleCode
from coder.reliability.project import data_matrices
from tests.core.test_project_reliability_data import code_s1_s2, new_project, rate, unit

LEVEL = {"presence": "nominal", "category": "nominal", "rating": "ordinal",
         "global": "interval"}


@pytest.fixture
def project(tmp_path):
    p = new_project(tmp_path)
    code_s1_s2(p)
    for t, vals in (("s1.srt", {"A": 4, "B": 3}), ("s2.srt", {"A": 2, "B": 2, "C": 3})):
        for r, v in vals.items():
            rate(p, r, "alliance", t, None, v)
    yield p
    p.close()


def reference_alphas(p) -> dict:
    """Alpha per item from the `krippendorff` package on the report's pooled matrices."""
    out = {}
    for key, m in data_matrices(p.reliability.snapshot()).items():
        values = m.values
        if values.shape[0] == 0 or values.shape[1] < 2:
            out[key] = None
            continue
        level = LEVEL[m.item.kind]
        domain = np.asarray(m.categories, dtype=float)
        present = values[~np.isnan(values)]
        if np.unique(present).size < 2:
            out[key] = None                     # one category: alpha is undefined
            continue
        out[key] = krippendorff.alpha(reliability_data=values.T, value_domain=domain,
                                      level_of_measurement=level)
    return out


def check_against_reference(p, live) -> None:
    want = reference_alphas(p)
    for key, value in want.items():
        got = live.alpha(key).value
        if value is None:
            assert got is None, key
        else:
            assert got == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_alpha_per_code_equals_the_krippendorff_package(project):
    live = project.reliability.live()
    check_against_reference(project, live)
    assert live.state() == project.reliability.live_from_rows().state()
    assert live.alpha("validate").n_units > 0
    assert live.units_used("validate", project.transcripts.get("s1.srt").id) == 4   # VALIDATE


def test_random_edits_and_undos_match_a_fresh_build_exactly(project):
    p = project
    live = p.reliability.live()
    rng = random.Random(7)
    book = p.codebook.current()
    members = [c.id for c in book.group("behaviour").codes]
    names = ["s1.srt", "s2.srt", "s3.srt"]
    done_stack = []
    for step in range(160):
        rater = p.r[rng.choice("ABC")]
        t = rng.choice(names)
        pos = rng.randint(1, 8)
        op = rng.random()
        if done_stack and op < 0.2:
            changes = p.revert(done_stack.pop())
        else:
            therapist = pos % 2 == 1
            if op < 0.4:
                command = ToggleCode(rater, book.code("validate" if therapist else "withdraw"),
                                     [unit(p, t, pos)], on=rng.random() < 0.7)
            elif op < 0.5 and therapist:
                command = SetCategory(rater, book.code(rng.choice(members)), members,
                                      [unit(p, t, pos)], on=rng.random() < 0.8)
            elif op < 0.6 and therapist:
                command = SetRating(rater, book.code("warmth"), rng.choice([None, 1, 2, 3, 5]),
                                    unit=unit(p, t, pos))
            elif op < 0.7:
                command = SetRating(rater, book.code("significance"), rng.randint(1, 5),
                                    unit=unit(p, t, rng.randint(1, 3), "window"))
            elif op < 0.8:
                command = SetRating(rater, book.code("alliance"), rng.choice([None, 2, 4]),
                                    transcript_id=p.transcripts.get(t).id)
            else:
                command = MarkDone(rater, [unit(p, t, k) for k in range(pos, min(9, pos + 3))],
                                   done=rng.random() < 0.6)
            changes = p.perform(command)
            done_stack.append(command)
        live.update(p.reliability.live_states(changes))
        if step % 40 == 39:
            assert live.state() == p.reliability.live().state()
    fresh = p.reliability.live()
    assert live.state() == fresh.state()
    assert p.reliability.live_from_rows().state() == fresh.state()   # unit by unit, too
    for item in live.items:
        for t in [None] + [p.transcripts.get(n).id for n in names]:
            a, b = live.alpha(item.key, t), fresh.alpha(item.key, t)
            assert (a.value, a.n_units) == (b.value, b.n_units)
    check_against_reference(p, live)
