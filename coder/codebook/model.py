"""The codebook as frozen values: :class:`Codebook` > :class:`CodeGroup` tree > :class:`Code`.

A codebook mixes four kinds of code (see DOMAIN.md, "Units and kinds of codes"):

- ``presence``: applied / not applied to a unit;
- ``category``: one of a mutually exclusive set; such codes sit in a group with
  ``category_set=True`` and every direct code of that group is a category;
- ``rating``: an ordinal value on :class:`Scale` per segment or window;
- ``global``: one rating on :class:`Scale` per session.

Values are plain and hashable (sequences are tuples; lists passed in are turned into tuples).
They say nothing about validity: :func:`coder.codebook.validate.check_codebook` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

KINDS: tuple[str, ...] = ("presence", "category", "rating", "global")
RATED_KINDS: tuple[str, ...] = ("rating", "global")
#: Which speakers a code may be applied to (a codebook scope; not a speaker role).
SPEAKER_SCOPES: tuple[str, ...] = ("therapist", "client", "any")
UNITS: tuple[str, ...] = ("segment", "window")
ASPECTS: tuple[str, ...] = ("adherence", "competence")
#: What a group's codes count as in the supervisor's feedback (``counts_as``): rupture markers
#: (withdrawal, confrontation), repair strategies (direct, indirect, or unspecified) and
#: model-consistent / inconsistent moves. Subgroups inherit their parent's unless they set one.
COUNTS_AS: tuple[str, ...] = ("withdrawal", "confrontation", "repair", "repair_direct",
                              "repair_indirect", "consistent", "inconsistent")
MARKER_KINDS: tuple[str, ...] = ("withdrawal", "confrontation")
REPAIR_KINDS: tuple[str, ...] = ("repair", "repair_direct", "repair_indirect")


def _tuple(obj: object, name: str) -> None:
    value = getattr(obj, name)
    if not isinstance(value, tuple):
        object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True)
class Scale:
    """Whole-number points ``min..max``; ``labels`` names some of them, as (point, label)
    pairs kept sorted by point (a dict is accepted and converted). ``missing``: value texts
    that mean "no rating" when codings are imported from a table (e.g. ``("n/a", "-99")``);
    never a point of the scale."""

    min: int
    max: int
    labels: tuple[tuple[int, str], ...] = ()
    missing: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        items = self.labels.items() if isinstance(self.labels, dict) else self.labels
        object.__setattr__(self, "labels",
                           tuple(sorted(((p, lab) for p, lab in items), key=lambda x: x[0])))
        object.__setattr__(self, "missing", tuple(str(t) for t in self.missing))

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.min, self.max + 1))

    def label(self, point: int) -> str | None:
        return dict(self.labels).get(point)


@dataclass(frozen=True)
class Code:
    """One code. ``id`` is stable for the life of a codebook and never reused."""

    id: str
    label: str
    kind: str = "presence"
    definition: str = ""
    use_when: str = ""
    not_when: str = ""
    examples: tuple[str, ...] = ()
    scale: Scale | None = None
    unit: str = "segment"                 # ratings: a segment or a time window
    roles: tuple[str, ...] = ("any",)     # speakers whose units the code applies to
    item: str | None = None               # adherence and competence: two aspects of one item
    aspect: str | None = None
    shortcut: str | None = None           # one key: a letter, a digit or F1..F12
    color: str | None = None              # "#RRGGBB"
    markers: tuple[str, ...] = ()         # phrases that suggest the code
    archived: bool = False                # kept for old codings, hidden for new ones

    def __post_init__(self) -> None:
        for name in ("examples", "roles", "markers"):
            _tuple(self, name)

    @property
    def is_rated(self) -> bool:
        return self.kind in RATED_KINDS


@dataclass(frozen=True)
class CodeGroup:
    """A node of the tree. With ``category_set`` its direct codes are mutually exclusive."""

    id: str
    label: str
    description: str = ""
    category_set: bool = False
    codes: tuple[Code, ...] = ()
    groups: tuple[CodeGroup, ...] = ()
    counts_as: str | None = None          # one of COUNTS_AS; None: inherit / nothing

    def __post_init__(self) -> None:
        _tuple(self, "codes")
        _tuple(self, "groups")


class CodeEntry(NamedTuple):
    """A code with the groups that hold it, outermost first."""

    groups: tuple[CodeGroup, ...]
    code: Code

    @property
    def group(self) -> CodeGroup:
        return self.groups[-1]

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    @property
    def counts_as(self) -> str | None:
        """The innermost ``counts_as`` among the groups that hold the code."""
        for g in reversed(self.groups):
            if g.counts_as:
                return g.counts_as
        return None


@dataclass(frozen=True)
class Codebook:
    id: str
    name: str
    version: int | str = 1
    description: str = ""
    citations: tuple[str, ...] = ()
    groups: tuple[CodeGroup, ...] = field(default=())

    def __post_init__(self) -> None:
        _tuple(self, "citations")
        _tuple(self, "groups")

    def codes(self) -> Iterator[CodeEntry]:
        """Every code, depth-first: a group's own codes, then those of its subgroups."""
        def walk(groups: tuple[CodeGroup, ...], path: tuple[CodeGroup, ...]):
            for g in groups:
                inner = path + (g,)
                for c in g.codes:
                    yield CodeEntry(inner, c)
                yield from walk(g.groups, inner)
        return walk(self.groups, ())

    def iter_groups(self) -> Iterator[tuple[tuple[CodeGroup, ...], CodeGroup]]:
        """Every group depth-first with its ancestors (outermost first)."""
        def walk(groups: tuple[CodeGroup, ...], path: tuple[CodeGroup, ...]):
            for g in groups:
                yield path, g
                yield from walk(g.groups, path + (g,))
        return walk(self.groups, ())

    def code(self, code_id: str) -> Code:
        """The code with this id; KeyError if there is none."""
        return self.entry(code_id).code

    def entry(self, code_id: str) -> CodeEntry:
        for e in self.codes():
            if e.code.id == code_id:
                return e
        raise KeyError(code_id)

    def group(self, group_id: str) -> CodeGroup:
        for _, g in self.iter_groups():
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def code_ids(self) -> tuple[str, ...]:
        return tuple(e.code.id for e in self.codes())
