"""The codings CSV export, streamed one transcript at a time: on random projects it writes
exactly the rows that were imported (every rater's, or under blinding only the signed-in
rater's), in the documented order — transcript name, units before session globals, unit
position, rater name, codebook order — whichever order the transcripts were stored in."""

import csv
import random
import re

import pytest

from coder.errors import InputError
from coder.project import Project
from tests.conftest import ROOT

SESSIONS = [ROOT / "sample_transcripts" / n for n in
            ("session04_roles.srt", "session03_tc_labels.txt", "session01_full_length.vtt")]
HEADER = ["transcript", "segment", "rater", "code", "value", "note"]
RATERS = ["Ana", "Ben", "Cleo"]


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _import_valid(project, path, rows):
    """Import the rows the project accepts (the others are dropped by their line number)."""
    for _ in range(5):
        _write(path, [HEADER, *rows])
        try:
            project.codings.import_table(path, new_raters=True)
            return rows
        except InputError as err:
            bad = {int(n) for n in re.findall(rf"{path.name}:(\d+):", str(err))}
            assert bad, str(err)
            rows = [r for i, r in enumerate(rows, 2) if i not in bad]
    raise AssertionError("the table never became valid")


@pytest.mark.parametrize("seed", range(4))
def test_export_writes_the_imported_rows_in_order_and_only_ones_own_when_blind(tmp_path, seed):
    rnd = random.Random(seed)
    with Project.create(tmp_path / "p.scproj") as p:
        for s in rnd.sample(SESSIONS, len(SESSIONS)):          # stored in a random order
            p.importing.import_file(s)
        names = [t.name for t in p.transcripts.list()]
        codes = p.codings._codebook().code_ids()
        rows, seen = [], set()
        for _ in range(rnd.randint(150, 300)):
            row = [rnd.choice(names), rnd.choice(["", str(rnd.randint(1, 30))]),
                   rnd.choice(RATERS), rnd.choice(codes), rnd.choice(["", "", "2", "4"]),
                   rnd.choice(["", "=1+1", "a, b", 'say "hi"\nthen', "-x"])]
            if tuple(row[:4]) not in seen:
                seen.add(tuple(row[:4]))
                rows.append(row)
        rows = _import_valid(p, tmp_path / "t.csv", rows)
        assert len(rows) > 5

        def key(r):
            return (r[0], r[1] == "", int(r[1] or 0), r[2], codes.index(r[3]))

        def exported(name):
            out = tmp_path / name
            n = p.codings.export_csv(out)
            with open(out, newline="", encoding="utf-8") as fh:
                table = list(csv.reader(fh))
            assert table[0] == HEADER and n == len(table) - 1
            return [r[:5] + [r[5][1:] if r[5][:1] == "'" else r[5]] for r in table[1:]]

        assert exported("all.csv") == sorted(rows, key=key)
        p.raters.set_blind(True)
        for name in RATERS:
            p.sign_in(p.raters.get(name).id)
            assert exported(f"{name}.csv") == sorted((r for r in rows if r[2] == name), key=key)
