"""Reading and checking a codings table for import: a job, then a command writes it.

:func:`prepare_codings` is worker-shaped (``fn(view, ..., progress=, cancel=)``): it reads the
file and checks every row against the units, codebook and raters of one consistent read of
the project (a :class:`~coder.store.ReadView`), and returns a frozen :class:`PreparedCodings`
holding the checked rows as compact arrays. :class:`~.table_io.ImportCodings` then writes
that on the main thread (``project.perform``), so the app never parses a table on the GUI
thread. If any row is wrong nothing is imported and the error lists the rows.

Missing values: a row whose ``value`` is one of the import's missing tokens (``missing``,
e.g. ``("n/a", "-99")``; a numeric token also matches the same number written otherwise,
``-99.0``) or one of its code's scale's declared ``missing`` tokens is that rater's missing
value there: it is left out (counted in ``n_missing``), never read as a number or as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..errors import InputError
from ..jobs import Cancel, Progress, check, report
from ..store import codings as store
from .table_checks import (  # noqa: F401 (HUGE, _number, _unusable_number, missing_*: API)
    HUGE,
    Context,
    _number,
    _Plan,
    _unusable_number,
    missing_test,
    missing_tokens,
)
from .table_columns import check_columns
from .table_rows import Rows, read_rows

if TYPE_CHECKING:
    from ..store import Connection


class RaterNamesError(InputError):
    """The table is fine except for new rater names that look like misspellings: importing
    again with `new_raters=True` would create them (the app asks the user)."""


@dataclass(frozen=True)
class PreparedCodings:
    """A checked codings table, ready for :class:`~.table_io.ImportCodings` to write."""

    path: Path
    complete: bool
    new_raters: bool
    missing: tuple[str, ...]
    plan: _Plan = field(repr=False, compare=False)
    n_missing: int = 0            # rows left out: their value was a missing token

    @property
    def n_rows(self) -> int:
        return len(self.plan)


def prepare_codings(view, path, codebook: Codebook, complete: bool = False,
                    new_raters: bool = False, missing=(), *,
                    progress: Progress | None = None,
                    cancel: Cancel | None = None) -> PreparedCodings:
    """Read and check a codings table (a job: reads ``view``, writes nothing)."""
    path, tokens = Path(path), missing_tokens(missing)
    report(progress, 0, 0, "reading the table")
    rows = read_rows(path)
    check(cancel)
    with view.snapshot() as conn:
        plan, n_missing = plan_table(conn, path, rows, codebook, new_raters=new_raters,
                                     missing=tokens, progress=progress, cancel=cancel)
    return PreparedCodings(path, complete, new_raters, tokens, plan, n_missing)


def plan_table(conn: Connection, path: Path, rows: Rows, codebook: Codebook, *,
               new_raters: bool = False, missing=(), progress: Progress | None = None,
               cancel: Cancel | None = None) -> tuple[_Plan, int]:
    """Check every row (column-wise, :mod:`.table_columns`; the rules and wording are
    :mod:`.table_checks`'); returns the plan and the number of rows left out as missing, or
    raises InputError (RaterNamesError when only look-alike rater names are wrong)."""
    ctx = Context(conn, path, codebook, missing)
    plan, n_missing, errors = check_columns(ctx, rows, progress=progress, cancel=cancel)
    errors += _repeats(plan, path)
    misspelt = [] if new_raters else _misspelt_raters(conn, plan, path)
    errors += misspelt
    if errors:
        errors = [text for _, text in sorted(errors)]
        shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
        kind = RaterNamesError if len(misspelt) == len(errors) else InputError
        raise kind(f"nothing was imported; {len(errors)} problem(s) to fix:\n"
                   + "\n".join(shown))
    return plan, n_missing

def _repeats(plan: _Plan, path: Path) -> list[tuple[int, str]]:
    """Rows that repeat the rater, unit and code of an earlier row, or put a second
    category of one set on a unit: found by sorting the plan's arrays (16 bytes a row)
    rather than keeping a set of keys."""
    import numpy as np
    if not len(plan):
        return []
    name, numbers = path.name, plan.numbers
    units = np.asarray(plan.segments, dtype=np.int64)
    units = np.where(units != 0, units, -np.asarray(plan.transcripts, dtype=np.int64))
    raters, codes = np.asarray(plan.raters), np.asarray(plan.codes)
    groups = np.asarray(plan.groups)

    def later_of_equal(rows: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
        """Of `rows` (plan indices), those whose keys equal an earlier row's."""
        if len(rows) < 2:
            return rows[:0]
        picked = [k[rows] for k in keys]
        order = np.lexsort([rows] + picked[::-1])      # by keys, then by row
        same = np.ones(len(order) - 1, dtype=bool)
        for k in picked:
            ks = k[order]
            same &= ks[1:] == ks[:-1]
        return rows[order[1:][same]]
    every = np.arange(len(plan))
    repeated = later_of_equal(every, [units, raters, codes])
    out = [(numbers[i], f"{name}:{numbers[i]}: the same rater, unit and code appear "
            "twice (column code)") for i in repeated.tolist()]
    keep = groups >= 0
    keep[repeated] = False
    for i in later_of_equal(every[keep], [units, raters, groups]).tolist():
        out.append((numbers[i], f"{name}:{numbers[i]}: two categories of the set "
                    f"'{plan.group_labels[groups[i]]}' on one unit (column code)"))
    return out

def _misspelt_raters(conn: Connection, plan: _Plan, path: Path) -> list[tuple[int, str]]:
    from .rater_names import rows_text, suspects
    known = [r.name for r in store.raters(conn)]
    folded = {k.casefold() for k in known}
    new: dict[str, list[int]] = {}
    for index, number in zip(plan.raters, plan.numbers):
        spelled = plan.rater_names[index]
        if spelled.casefold() not in folded:
            new.setdefault(spelled, []).append(number)
    return [(min(s.rows), f"{path.name}: new rater '{s.name}' ({rows_text(s.rows)}) "
             f"is probably a misspelling (did you mean '{s.like}'?); correct it, or allow "
             "new raters with similar names (--new-raters) (column rater)")
            for s in suspects(new, known)]
