"""Rows of a frozen dataclass kept as columns: :class:`Columns` (issue 17, folder import).

A two-hour transcript is ~1,500 ``ParsedTurn`` and ~1,500 ``SegmentSpec`` objects. Sent
between processes as objects they cost ~4 ms a file to pickle and as much to load; as a few
tuples of plain values they cost a fraction of that, and the store inserts them with
``zip`` instead of reading each object's attributes. A :class:`Columns` reads, compares and
iterates as the tuple of rows it stands for (a row is made when it is read), so every other
reader of the turns or units is unchanged. :func:`column` gives one field of any sequence of
rows, straight from the columns when it has them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from operator import attrgetter


class Columns(Sequence):
    """``rows`` of dataclass ``row_type`` as one tuple per field."""

    __slots__ = ("row_type", "columns", "_n")

    def __init__(self, row_type: type, columns: dict[str, tuple]) -> None:
        names = [f.name for f in fields(row_type)]
        if list(columns) != names:
            raise ValueError(f"columns {list(columns)} are not {row_type.__name__}'s {names}")
        sizes = {len(c) for c in columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sorted(sizes)}")
        self.row_type, self.columns = row_type, columns
        self._n = sizes.pop() if sizes else 0

    @classmethod
    def of(cls, row_type: type, rows: Iterable) -> Columns:
        """The columns of ``rows`` (objects of ``row_type``)."""
        names = [f.name for f in fields(row_type)]
        if len(names) == 1:
            return cls(row_type, {names[0]: tuple(map(attrgetter(names[0]), rows))})
        transposed = tuple(zip(*map(attrgetter(*names), rows)))
        return cls(row_type, dict(zip(names, transposed or ((),) * len(names))))

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Columns(self.row_type, {n: c[index] for n, c in self.columns.items()})
        return self.row_type(*(c[index] for c in self.columns.values()))

    def __iter__(self):
        make = self.row_type
        return (make(*values) for values in zip(*self.columns.values()))

    def __eq__(self, other) -> bool:
        if isinstance(other, Columns):
            return self.row_type is other.row_type and self.columns == other.columns
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(other) == self._n and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Columns({self.row_type.__name__}, {self._n} rows)"

    def __reduce__(self):
        return (Columns, (self.row_type, self.columns))


def column(rows: Sequence, name: str) -> Sequence:
    """Field ``name`` of every row, in order (no row object is made for :class:`Columns`)."""
    if isinstance(rows, Columns):
        return rows.columns[name]
    return tuple(getattr(r, name) for r in rows)
