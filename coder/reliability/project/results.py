"""The project reliability report as typed values (frozen dataclasses).

Renderers (the text report, the Excel sheets, the reliability view) read attributes of these
values; one serialiser (:mod:`.serialise`) turns a :class:`Report` into the JSON of
``python main.py reliability --json``. Statistics are a mapping ``name -> Statistic`` in the
order the engine computed them, so a coefficient added to the engine reaches every renderer
without a change there.

The shape, from the top:

* :class:`Report`: options and scope, the pooled entries (``codes``, ``globals``) and the
  cuts (``per_transcript``, ``pairs``, ``reference``; ``None`` when not asked for);
* :class:`CodeEntry`: one code (or category set, or session global) in one cut, with its
  :class:`Statistic` values and the kind-specific extras (confusion and coincidence
  matrices, per-category agreement, exact and within-one agreement, span overlap, the
  per-session counts of a presence code);
* :class:`Statistic`: value, standard error, interval and the method that made it, the
  reason when undefined, and the interpretation label of the chosen scheme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Union

#: A rater's prevalence: the share applied (presence), shares per category (category sets,
#: ratings, session globals), ``{"mean": x}`` (per-session counts), or None (no values).
Prevalence = Union[float, Mapping[str, float], None]


def frozen_map(items=()) -> Mapping:
    """A read-only mapping that keeps insertion order (values are shared, not copied)."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Interpretation:
    """The label a value gets under an interpretation scheme ("substantial", Landis & Koch)."""

    label: str
    scheme: str                 # the scheme's key, e.g. "landis_koch"
    scheme_name: str            # e.g. "Landis & Koch 1977"

    @property
    def text(self) -> str:
        return f"{self.label} ({self.scheme_name})"


@dataclass(frozen=True)
class Statistic:
    """One coefficient in one entry. ``value`` None means undefined (``undefined_reason``
    says why); ``ci`` is ``(low, high)`` or None; ``ci_method`` names how the interval was
    made; ``ci_note`` explains a missing or replaced interval. ``caution`` says why a
    defined value tells little (no positive cases, prevalence above 95 %, fewer than 10
    units, a cluster bootstrap over fewer than 10 transcripts); a cautioned value carries no
    interpretation label. ``jackknife_se``: the delete-one-transcript jackknife standard
    error, given beside a cluster bootstrap over fewer than 10 transcripts."""

    value: float | None
    se: float | None = None
    ci: tuple[float, float] | None = None
    ci_method: str | None = None
    undefined_reason: str | None = None
    interpretation: Interpretation | None = None
    ci_note: str | None = None
    caution: str | None = None
    jackknife_se: float | None = None
    #: the convention a statistic follows where conventions differ (e.g. Gwet's for units
    #: rated by one rater only); None where there is nothing to say
    convention: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None

    @property
    def label(self) -> str | None:
        """The interpretation label, or None."""
        return None if self.interpretation is None else self.interpretation.label


Statistics = Mapping[str, Statistic]


@dataclass(frozen=True)
class SpanOverlap:
    """Mean Dice overlap of the raters' text spans for a presence code (descriptive)."""

    n_comparisons: int
    n_comparisons_one_span_only: int
    mean_dice: float | None
    undefined_reason: str | None = None


@dataclass(frozen=True)
class SessionCounts:
    """A presence code's per-session counts (transcripts × raters) and their ICC and alpha."""

    n_transcripts: int
    n_transcripts_single_rated: int
    means: Mapping[str, Prevalence]                # rater -> {"mean": x} or None
    statistics: Statistics


@dataclass(frozen=True)
class ConfusionMatrix:
    """Two raters' cross-table of a category set (units); rows are the first rater."""

    rows: str
    columns: str
    categories: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class CoincidenceMatrix:
    """Krippendorff's coincidence matrix of a category set (pairable values, all raters)."""

    categories: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class EntryNotes:
    """What the data matrix left out, when anything (None: nothing to say)."""

    n_codings_outside_scope: int | None = None
    n_values_off_scale: int | None = None
    n_units_with_two_categories: int | None = None
    raters_without_data: tuple[str, ...] | None = None

    def items(self) -> list[tuple[str, object]]:
        """(name, value) of the notes that are present, in the report's order."""
        return [(k, getattr(self, k)) for k in NOTE_NAMES if getattr(self, k)]


NOTE_NAMES = ("n_codings_outside_scope", "n_values_off_scale", "n_units_with_two_categories",
              "raters_without_data")


@dataclass(frozen=True)
class ReferenceAccuracy:
    """One rater against the reference rater on a presence code (or on one category of a
    set, against the rest), over the units both rated, the reference's "applied" taken as
    the truth: the 2 × 2 counts and ``statistics`` sensitivity, specificity, precision and
    F1 (:func:`~coder.reliability.category.against_reference`)."""

    reference: str
    rater: str
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    statistics: Statistics

    @property
    def n_units(self) -> int:
        return (self.true_positive + self.false_positive + self.false_negative
                + self.true_negative)


@dataclass(frozen=True)
class CodeEntry:
    """One code, category set or session global in one cut of the report."""

    id: str
    kind: str                                  # presence, category, rating, global
    label: str
    group: str
    level: str
    categories: tuple[str, ...] | None
    n_units: int
    n_raters: int
    raters: tuple[str, ...]
    n_units_single_rated: int
    prevalence: Mapping[str, Prevalence]
    statistics: Statistics
    notes: EntryNotes = field(default_factory=EntryNotes)
    #: what to show for each of ``categories`` (a category set's code labels; the ids are
    #: ``categories``); None: show ``categories`` as they are
    category_names: tuple[str, ...] | None = None
    # category sets
    per_category_agreement: Statistics | None = None
    per_category_kappa: Statistics | None = None    # Fleiss' kappa, one category vs the rest
    coincidence_matrix: CoincidenceMatrix | None = None
    confusion_matrix: ConfusionMatrix | None = None
    # ratings
    agreement: Statistics | None = None           # "exact", "within_one"
    interval_check: Statistic | None = None       # Krippendorff's alpha at interval level
    # presence codes
    span_dice: SpanOverlap | None = None
    session_counts: SessionCounts | None = None
    # the reference cut only: the rater against the reference (presence codes), and per
    # category against the rest (category sets)
    against_reference: ReferenceAccuracy | None = None
    per_category_against_reference: Mapping[str, ReferenceAccuracy] | None = None

    def category_name(self, category: str) -> str:
        """The label of one of ``categories`` (the id itself when it has none)."""
        if self.category_names and self.categories and category in self.categories:
            return self.category_names[self.categories.index(category)]
        return category

    def stat(self, *names: str) -> tuple[str, Statistic] | None:
        """The first of ``names`` this entry reports, as (name, statistic)."""
        for n in names:
            st = self.statistics.get(n)
            if st is not None:
                return n, st
        return None


class TranscriptEntries(Sequence):
    """One transcript's entries of the per-transcript cut, made from each code's columns
    (:class:`~.per_transcript.TranscriptColumns`) when first read, then kept. It reads as
    the tuple of entries it stands for (equal to it, same hash, same repr) and pickles as
    the columns and the transcript's index: the columns are shared by every transcript, so
    a report of 1,000 sessions pickles a few hundred arrays, not 20,000 entries."""

    def __init__(self, columns: tuple, t: int) -> None:
        self._columns, self._t, self._made = tuple(columns), int(t), None

    def _entries(self) -> tuple:
        if self._made is None:
            self._made = tuple(c.entry(self._t) for c in self._columns)
        return self._made

    def __len__(self) -> int:
        return len(self._columns)

    def __getitem__(self, i):
        return self._entries()[i]

    def __iter__(self):
        return iter(self._entries())

    def __eq__(self, other) -> bool:
        if isinstance(other, (tuple, TranscriptEntries)):
            return self._entries() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._entries())

    def __repr__(self) -> str:
        return repr(self._entries())

    def __add__(self, other):
        return self._entries() + tuple(other)

    def __reduce__(self):
        return TranscriptEntries, (self._columns, self._t)


@dataclass(frozen=True)
class TranscriptCut:
    """Each code's figures in one transcript alone (session globals are not in this cut).
    ``codes`` is a tuple or a :class:`TranscriptEntries` (the report's own)."""

    transcript: str
    codes: tuple[CodeEntry, ...]

    @property
    def entries(self) -> tuple[CodeEntry, ...]:
        return self.codes


@dataclass(frozen=True)
class PairCut:
    """Every code for one pair of raters."""

    raters: tuple[str, str]
    codes: tuple[CodeEntry, ...]
    globals: tuple[CodeEntry, ...]

    @property
    def entries(self) -> tuple[CodeEntry, ...]:
        return self.codes + self.globals


@dataclass(frozen=True)
class AgainstReference:
    """Every code for one rater against the reference rater (the reference first)."""

    rater: str
    codes: tuple[CodeEntry, ...]
    globals: tuple[CodeEntry, ...]

    @property
    def entries(self) -> tuple[CodeEntry, ...]:
        return self.codes + self.globals


@dataclass(frozen=True)
class ReferenceCut:
    rater: str
    against: tuple[AgainstReference, ...]


@dataclass(frozen=True)
class CodebookRef:
    id: str
    name: str
    version: int | None


@dataclass(frozen=True)
class BootstrapInfo:
    replicates: int
    seed: int
    resampled: str = "transcripts"


@dataclass(frozen=True)
class Report:
    """The project reliability report (see :func:`~.report.build_report`)."""

    project: str
    codebook: CodebookRef
    raters: tuple[str, ...]
    transcripts: tuple[str, ...]
    ci_method: str                              # "analytic" or "bootstrap"
    confidence: float
    scheme: str                                 # a scheme key, or "default"
    codes: tuple[CodeEntry, ...]
    globals: tuple[CodeEntry, ...]
    per_transcript: tuple[TranscriptCut, ...] | None = None
    pairs: tuple[PairCut, ...] | None = None
    reference: ReferenceCut | None = None
    bootstrap: BootstrapInfo | None = None

    @property
    def entries(self) -> tuple[CodeEntry, ...]:
        """The pooled entries: codes, then session globals."""
        return self.codes + self.globals

    def entry(self, key: str) -> CodeEntry:
        """The pooled entry of a code, category set or global id (KeyError if absent)."""
        for e in self.entries:
            if e.id == key:
                return e
        raise KeyError(key)

    @property
    def chosen_scheme(self) -> str | None:
        """The scheme chosen for every coefficient, or None (each statistic's own)."""
        return None if self.scheme == "default" else self.scheme
