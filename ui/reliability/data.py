"""What the reliability view shows, worked out from a finished report (no Qt here).

The numbers all come from the core (:func:`coder.reliability.project.build_report_with`:
the report, and each code's pooled data matrix, of which the job keeps only the units where
the raters disagree; run in a worker by :func:`run_reliability`); this module only picks which of the report's statistics fill which
column for each kind of code, which entries belong to a cut, how a value is written, which
interpretation band colours it, and which units the raters disagree on.

Columns (one row per code; a blank where the statistic does not apply to the kind):

* % agreement and positive agreement next to κ, AC1/AC2 and α, so that a rare code with
  high agreement and a low κ (the prevalence paradox) is visible at a glance;
* κ is Cohen's κ with two raters and Fleiss' κ with three or more (presence, category set),
  quadratic weighted κ for ratings (two raters only); the cell names which one it is;
* ICC(A,1) and ICC(C,1) for session globals and, for presence codes, for the number of
  times each rater applied the code per session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from coder.reliability.project import CodeEntry, Report, Statistic, build_report_with
from coder.reliability.project.entries import interpretation
from coder.jobs import Cancelled
from coder.reliability.schemes import DEFAULT_SCHEME, SCHEMES, Scheme

from ui.reliability.disagreement_rows import BrowseSnapshot, browsable

KIND_NAMES = {"presence": "presence", "category": "category set", "rating": "rating",
              "global": "session global"}
STAT_NAMES = {
    "percent_agreement": "Percent agreement", "positive_agreement": "Positive agreement",
    "negative_agreement": "Negative agreement", "cohen_kappa": "Cohen's κ",
    "weighted_kappa_linear": "Weighted κ (linear)",
    "weighted_kappa_quadratic": "Weighted κ (quadratic)", "scott_pi": "Scott's π",
    "fleiss_kappa": "Fleiss' κ", "brennan_prediger": "Brennan–Prediger",
    "gwet_ac1": "Gwet's AC1", "gwet_ac2_linear": "Gwet's AC2 (linear)",
    "gwet_ac2_quadratic": "Gwet's AC2 (quadratic)", "krippendorff_alpha": "Krippendorff's α",
    "icc_2_1": "ICC(A,1) = Shrout–Fleiss ICC(2,1)",
    "icc_3_1": "ICC(C,1) = Shrout–Fleiss ICC(3,1)",
}
SHORT_NAMES = {"cohen_kappa": "Cohen", "fleiss_kappa": "Fleiss", "scott_pi": "Scott's π",
               "weighted_kappa_quadratic": "κw quadratic", "gwet_ac1": "AC1",
               "gwet_ac2_quadratic": "AC2 quadratic"}
PERCENT_STATS = ("percent_agreement", "positive_agreement", "negative_agreement")
CUT_KINDS = (("pooled", "Pooled"), ("per_transcript", "Per transcript"),
             ("pairs", "Rater pair"), ("reference", "Against reference"))


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    tip: str


COLUMNS = (
    Column("code", "Code", "The code (or category set), its kind and group"),
    Column("units", "Units", "Units rated by at least two of the raters (session globals: "
           "transcripts); units only one rater rated are left out and counted in the tooltip"),
    Column("agree", "Agreement\n(observed)",
           "Percent agreement: pairs of raters giving the same value"),
    Column("pos", "Positive\nagreement", "Presence codes: agreement on the units where someone "
           "applied the code (negative agreement in the tooltip)"),
    Column("kappa", "κ", "Cohen's κ (two raters) or Fleiss' κ (three or more); quadratic "
           "weighted κ for ratings (two raters)"),
    Column("ac", "AC1 / AC2", "Gwet's AC1 (presence, category set); AC2 with quadratic "
           "weights (ratings)"),
    Column("alpha", "α", "Krippendorff's α at the code's level of measurement"),
    Column("icc_a", "ICC(A,1)", "Two-way, absolute agreement, single rater = Shrout–Fleiss "
           "ICC(2,1): session globals, and per-session counts of presence codes"),
    Column("icc_c", "ICC(C,1)", "Two-way, consistency, single rater = Shrout–Fleiss ICC(3,1)"),
    Column("prev", "Prevalence", "Share of units each rater applied the code to (presence)"),
)


@dataclass(frozen=True)
class Cell:
    name: str                      # statistic name in the report
    stat: Statistic
    note: str = ""                 # e.g. "per-session counts"


@dataclass(frozen=True)
class ReliabilityResult:
    """A finished computation: the report, what the disagreement browser needs of the data
    it was computed on, and its options."""

    report: Report
    #: Per code: its data matrix's units where the raters disagree
    #: (:class:`~ui.reliability.disagreement_rows.BrowseMatrix`).
    matrices: dict
    #: The codebook and transcripts of the snapshot (a BrowseSnapshot without units).
    snapshot: object
    options: dict
    computed_at: datetime = field(default_factory=datetime.now)
    #: Per code: the rows of its browse matrix where every rater and transcript is
    #: compared (the pooled cut's disagreement browser): all of them.
    disagreeing: dict = field(default_factory=dict)


def run_reliability(source, *, progress=None, cancel=None, **options) -> ReliabilityResult:
    """A job (JobRunner): the report and the per-code data matrices of one snapshot.
    ``source``: the snapshot, or a read job ``fn(progress, cancel) -> snapshot`` (the
    project's ``reliability.snapshot_job``) run here first, on the worker."""
    snapshot = source(progress, cancel) if callable(source) else source
    if cancel is not None and cancel():
        raise Cancelled("cancelled")
    if progress is not None:
        progress(0, 0, "computing")
    report, browse = build_report_with(snapshot, browsable, progress, cancel, **options)
    if cancel is not None and cancel():
        raise Cancelled("cancelled")
    disagreeing = {key: np.arange(b.values.shape[0]) for key, b in browse.items()}
    none = np.zeros(0, dtype=np.int64)
    source = BrowseSnapshot(snapshot.codebook, tuple(snapshot.transcript_names),
                            tuple(snapshot.transcript_ids), none, none)
    return ReliabilityResult(report, browse, source, dict(options), disagreeing=disagreeing)


def result_summary(result: ReliabilityResult) -> str:
    """One line for the status: what was compared, how the intervals were made, when."""
    r, when = result.report, result.computed_at.strftime("%H:%M:%S")
    ci = ("analytic intervals" if r.ci_method == "analytic" else
          f"cluster bootstrap over transcripts ({r.bootstrap.replicates} "
          f"replicates, seed {r.bootstrap.seed})")
    return f"{len(r.raters)} raters, {len(r.transcripts)} transcripts, {ci}; computed at {when}"


# -- cells ------------------------------------------------------------------------------------
def _first(stats, *names: str) -> tuple[str, Statistic] | None:
    for n in names:
        if n in stats:
            return n, stats[n]
    return None


def cell(entry: CodeEntry, column: str) -> Cell | None:
    """The statistic shown in ``column`` for one report entry (None: not applicable)."""
    stats, kind = entry.statistics, entry.kind
    hit, note = None, ""
    if column == "agree":
        hit = _first(stats, "percent_agreement")
    elif column == "pos":
        hit = _first(stats, "positive_agreement")
    elif column == "kappa":
        hit = (_first(stats, "weighted_kappa_quadratic") if kind == "rating"
               else _first(stats, "cohen_kappa", "fleiss_kappa", "scott_pi")
               if kind in ("presence", "category") else None)
    elif column == "ac":
        hit = _first(stats, "gwet_ac2_quadratic" if kind == "rating" else "gwet_ac1")
    elif column == "alpha":
        hit = _first(stats, "krippendorff_alpha")
    elif column in ("icc_a", "icc_c"):
        name = "icc_2_1" if column == "icc_a" else "icc_3_1"
        if kind == "global":
            hit = _first(stats, name)
        elif kind == "presence" and entry.session_counts:
            counts = entry.session_counts
            hit = _first(counts.statistics, name)
            note = (f"per-session count, {counts.n_transcripts} "
                    f"session{'s' if counts.n_transcripts != 1 else ''}")
    return None if hit is None else Cell(hit[0], hit[1], note)


def stat_title(name: str, entry: CodeEntry | None = None) -> str:
    title = STAT_NAMES.get(name, name)
    if name == "krippendorff_alpha" and entry is not None:
        title += f" ({entry.level})"
    return title


def scheme_for(name: str, scheme_key: str | None) -> Scheme | None:
    """The scheme that labels ``name`` (None: the statistic takes no label)."""
    usual = DEFAULT_SCHEME.get(name)
    if usual is None:
        return None
    return SCHEMES[scheme_key or usual]


def label_for(name: str, value, scheme_key: str | None):
    """The :class:`~coder.reliability.project.results.Interpretation` the core gives a value
    under the chosen scheme (None: no label)."""
    return interpretation(name, value, scheme_key or None)


def band(scheme: Scheme, value: float) -> tuple[int, int]:
    """(rank, number of bands) of a value in a scheme; rank 0 is the best band."""
    labels = [b[2] for b in scheme.bands] + [scheme.floor_label]
    return labels.index(scheme.label(float(value))), len(labels)


def band_text(scheme: Scheme) -> list[tuple[str, str]]:
    """[(label, "≥ .800"), ...] from the top band down."""
    out = []
    for bound, inclusive, lab in scheme.bands:
        out.append((lab, f"{'≥' if inclusive else '>'} {fmt_bound(bound)}"))
    out.append((scheme.floor_label, "below"))
    return out


def fmt_bound(x: float) -> str:
    s = f"{x:.3f}".rstrip("0").removesuffix(".")
    return s.replace("0.", ".", 1) if s.lstrip("-").startswith("0.") else s


def fmt_value(name: str, value) -> str:
    if value is None:
        return "undefined"
    if name in PERCENT_STATS:
        return f"{100 * value:.1f}%"
    return f"{value:.3f}"


def fmt_ci(name: str, ci) -> str:
    if not ci:
        return ""
    if name in PERCENT_STATS:
        return f"[{100 * ci[0]:.0f}–{100 * ci[1]:.0f}%]"
    return f"[{_bare(ci[0])}, {_bare(ci[1])}]"


def _bare(x: float) -> str:
    """Two decimals without the leading zero (APA style for values bounded by 1)."""
    s = f"{x:.2f}"
    return s.replace("0.", ".", 1) if s.lstrip("-").startswith("0.") else s


def short_caution(text: str | None) -> str:
    """A caution in a few words for a table cell ("< 10 units · no positive cases"); the
    whole reason is in the tooltip."""
    if not text:
        return ""
    parts = []
    for part in text.split("; "):
        part = part.split(" (")[0].split(":")[0].replace(" for a cluster bootstrap", "")
        parts.append(part.replace("fewer than ", "< ").replace("prevalence above", "prevalence >"))
    return "⚠ " + " · ".join(dict.fromkeys(parts))


def fmt_share(x) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


# -- cuts -------------------------------------------------------------------------------------
def cut_members(report: Report, kind: str) -> list[str]:
    """Names of the members of a cut kind ("" for the pooled cut)."""
    if kind == "pooled":
        return [""]
    if kind == "per_transcript":
        return [t.transcript for t in report.per_transcript or ()]
    if kind == "pairs":
        return [" × ".join(p.raters) for p in report.pairs or ()]
    ref = report.reference
    return [f"{ref.rater} vs {a.rater}" for a in ref.against] if ref else []


def cut_entries(report: Report, kind: str, member: int = 0) -> list[CodeEntry]:
    """Every code entry (session globals last) of one cut."""
    if kind == "pooled":
        return list(report.entries)
    if kind == "per_transcript":
        return list(report.per_transcript[member].entries)
    part = (report.pairs[member] if kind == "pairs" else report.reference.against[member])
    return list(part.entries)


def cut_scope(report: Report, kind: str,
              member: int = 0) -> tuple[list[str] | None, str | None]:
    """(raters, transcript) a cut compares: None = all of the report's."""
    if kind == "per_transcript":
        return None, report.per_transcript[member].transcript
    if kind == "pairs":
        return list(report.pairs[member].raters), None
    if kind == "reference":
        ref = report.reference
        return [ref.rater, ref.against[member].rater], None
    return None, None


def code_choices(book) -> list[tuple[str, str, str, bool]]:
    """(key, label, kind, archived) of everything the report can cover, codebook order:
    each code, and each category set once (under its group's id)."""
    out, seen = [], set()
    for e in book.codes():
        c, g = e.code, e.group
        if c.kind == "category":
            if g.id not in seen:
                seen.add(g.id)
                members = [m for m in g.codes if m.kind == "category"]
                out.append((g.id, g.label, "category", all(m.archived for m in members)))
            continue
        out.append((c.id, c.label, c.kind, bool(c.archived)))
    return out


def interval_note(report: Report, cut_kind: str) -> str:
    """A sentence under the table saying how the intervals were made."""
    if cut_kind == "per_transcript":
        return ("Per-transcript intervals: 95%, jackknife over the transcript's units "
                "(units treated as independent). Greyed values carry a caution (hover).")
    if report.ci_method == "analytic":
        return ("Intervals: 95%, analytic (Fleiss–Cohen–Everitt for Cohen's κ, Gwet's "
                "variance for AC1/AC2 and Fleiss' κ, F-based for ICC); Krippendorff's α: "
                "Krippendorff's bootstrap (Hayes & Krippendorff 2007), or the cluster "
                "bootstrap over transcripts where that cannot be made (the hover names which). "
                "Greyed values carry a caution (hover).")
    boot = report.bootstrap
    return (f"Intervals: 95% cluster bootstrap resampling whole transcripts "
            f"({boot.replicates} replicates, seed {boot.seed}). Greyed values carry a "
            f"caution (hover).")
