"""Client-reported session measures: user-defined scales the project records per session.

A measure has a name, a range, which end is better, optionally a parent (it is then a
sub-scale of that measure), and may be marked as rating the relationship (``alliance``), which
the discordance rules read. No published instrument's wording ships here: users name their
own measures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    name: str
    min: float
    max: float
    higher_is_better: bool = True
    parent: str | None = None           # a sub-scale of this measure
    alliance: bool = False              # rates the therapeutic relationship

    def check(self, value: float) -> str | None:
        """Why `value` does not fit, or None."""
        if not (self.min <= value <= self.max):
            return f"{self.name} takes values from {_num(self.min)} to {_num(self.max)}, " \
                   f"not {_num(value)}"
        return None

    def goodness(self, value: float) -> float:
        """Where `value` lies from the worse end (0) to the better end (1)."""
        span = self.max - self.min
        pos = (value - self.min) / span if span else 0.0
        return pos if self.higher_is_better else 1.0 - pos

    @property
    def range_text(self) -> str:
        better = "higher" if self.higher_is_better else "lower"
        return f"{_num(self.min)}-{_num(self.max)}, {better} is better"


@dataclass(frozen=True)
class MeasureValue:
    transcript: str
    measure: str
    value: float


def _num(x: float) -> str:
    return f"{int(x)}" if float(x) == int(x) else f"{x:g}"


def format_value(x: float | None) -> str:
    return "" if x is None else _num(x)
