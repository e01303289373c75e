"""The project reliability report: every code, pooled and in cuts, as a typed :class:`Report`.

:func:`build_report` is worker-shaped (DESIGN.md rule 5): ``build_report(snapshot, progress,
cancel, **options)`` touches no database, so the GUI binds the options with
``functools.partial`` and runs it in a thread pool. ``progress(done, total)`` is called after
each entry; ``cancel()`` is checked before each entry and between bootstrap batches, and a
cancelled report raises :class:`coder.segmentation.Cancelled`.

Cuts (each reported per code first, never one coefficient pooled over codes):

* ``codes`` / ``globals``: pooled over the selected transcripts and raters;
* ``per_transcript``: each transcript alone, headline coefficients as point estimates
  (:mod:`.per_transcript` says why); session globals and per-session counts have one unit
  per transcript, so they appear only in the pooled and pair cuts;
* ``pairs``: every pair of selected raters (Fleiss' kappa is left out: with two raters it
  is Scott's pi, which is reported);
* ``reference``: each other rater against the reference (master) rater; these are the pairs
  that include the reference, with the reference as the first rater (rows of a confusion
  matrix), plus sensitivity, specificity, precision and F1 with their 2 x 2 counts
  (presence codes; per category against the rest for category sets; :mod:`.accuracy`).

The report is frozen dataclasses (:mod:`.results`); :func:`~.serialise.to_json` makes the
JSON of ``reliability --json`` from it.

Intervals: analytic by default; ``ci="bootstrap"`` resamples transcripts (cluster bootstrap)
for the pooled, pair and reference cuts with ``replicates`` and ``seed``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Callable

from ...errors import SessionCoderError
from ...forked import Claims, Forked, can_fork, one_blas_thread
from ...jobs import Cancelled
from ..result import load_quantiles
from ..schemes import SCHEMES
from .accuracy import accuracy_extras
from .entries import CiOptions, entry
from .counts import span_pairs
from .matrices import Tables, cut, full_matrix, plan_items
from .per_transcript import per_transcript_columns
from .results import (
    AgainstReference,
    TranscriptEntries,
    BootstrapInfo,
    CodebookRef,
    PairCut,
    ReferenceCut,
    Report,
    TranscriptCut,
)
from ...snapshots import ReliabilitySnapshot

CI_METHODS = ("analytic", "bootstrap")
#: A report over fewer matrix cells (units × raters × items) than this stays in one process.
FORK_FROM_CELLS = 1_000_000
WORKERS_ENV = "SESSION_CODER_REPORT_WORKERS"
ALL_CUTS = ("per_transcript", "pairs", "reference")
PAIR_SKIP = ("fleiss_kappa",)       # = Scott's pi with two raters, reported under that name


def _rater_index(snap: ReliabilitySnapshot, name: str) -> int:
    for i, n in enumerate(snap.rater_names):
        if n.casefold() == str(name).casefold():
            return i
    raise SessionCoderError(f"the reference rater {name!r} is not among the selected raters "
                            f"({', '.join(snap.rater_names)})")


def check_options(snap: ReliabilitySnapshot, *, codes=None, reference=None,
                  ci: str = "analytic", replicates: int = 1000, scheme: str | None = None):
    """Validate the options before any work; returns (items, reference index or None)."""
    if ci not in CI_METHODS:
        raise SessionCoderError(f"ci must be one of {', '.join(CI_METHODS)}, not {ci!r}")
    if ci == "bootstrap" and int(replicates) < 1:
        raise SessionCoderError("the bootstrap needs at least one replicate")
    if scheme is not None and scheme not in SCHEMES:
        raise SessionCoderError(f"unknown interpretation scheme {scheme!r}; use one of "
                                f"{', '.join(SCHEMES)}")
    ref = None if reference is None else _rater_index(snap, reference)
    return plan_items(snap, codes), ref


def build_report(snapshot: ReliabilitySnapshot,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None, **options) -> Report:
    """The reliability report for the raters and transcripts in ``snapshot``; the options
    are :func:`build_report_with`'s."""
    return build_report_with(snapshot, None, progress, cancel, **options)[0]


def build_report_with(snapshot: ReliabilitySnapshot, also: Callable | None,
                      progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None, *,
                      codes=None, reference: str | None = None, ci: str = "analytic",
                      replicates: int = 1000, seed: int = 0, scheme: str | None = None,
                      confidence: float = 0.95, cuts=ALL_CUTS,
                      workers: int | None = None) -> tuple[Report, dict]:
    """The reliability report for the raters and transcripts in ``snapshot``, and
    ``{item key: also(pooled matrix)}`` when ``also`` is given: ``also`` sees each item's
    pooled data matrix (:func:`data_matrices`' matrix, without its text spans) while the
    report has it, so a caller that needs something of the matrices too (the GUI's
    disagreement browser) does not make them a second time. With a forked worker ``also``
    runs there too: what it returns must pickle.

    ``codes``: code or category-set ids to report (default: all codes not archived).
    ``reference``: a rater name for the reference cut. ``scheme``: interpretation scheme
    for every coefficient (default: each statistic's usual scheme, named beside the label).
    ``cuts``: which of "per_transcript", "pairs", "reference" to add to the pooled figures.
    ``workers``: 1 computes every item here; 2 gives part of the items to a forked child
    (:mod:`coder.forked`) where forking is safe; ``None`` picks 2 for a large report on a
    machine with two or more cores (:func:`_workers`). The result is the same either way.
    Raises SessionCoderError for bad options and Cancelled when cancelled.
    """
    items, ref = check_options(snapshot, codes=codes, reference=reference, ci=ci,
                               replicates=replicates, scheme=scheme)
    unknown = set(cuts) - set(ALL_CUTS)
    if unknown:
        raise SessionCoderError(f"unknown cut(s) {', '.join(sorted(unknown))}")
    opts = CiOptions(ci, int(replicates), seed, confidence, scheme, cancel)
    boot = ci == "bootstrap"
    snap = snapshot
    n_r = len(snap.rater_names)
    pairs = [(a, b) for a, b in combinations(range(n_r), 2)]
    if ref is not None:                       # the reference first in its pairs
        pairs = [(ref, b if a == ref else a) if ref in (a, b) else (a, b) for a, b in pairs]
    want_pairs = "pairs" in cuts or (ref is not None and "reference" in cuts)
    if "pairs" not in cuts:                   # the reference cut alone needs only its pairs
        pairs = [p for p in pairs if p[0] == ref]
    per_t = "per_transcript" in cuts
    unit_items = [i for i in items if i.kind != "global"]
    total = len(items) * (1 + (len(pairs) if want_pairs else 0))
    total += len(unit_items) if per_t else 0
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    def check() -> None:
        if cancel is not None and cancel():
            raise Cancelled(f"cancelled after {done} of {total} steps")

    tables = Tables(snap)
    n_t = len(snap.transcript_names)
    ref_pairs = {p for p in pairs if p[0] == ref} if ref is not None and "reference" in cuts \
        else set()
    pair_keys = pairs if want_pairs else []

    def part(item, tick: Callable[[], None]) -> _ItemPart:
        """Every entry of one item (its matrix made here and dropped after)."""
        check()
        full = full_matrix(tables, item)
        spans = span_pairs(full)
        _ = full.cluster_counts               # every cut takes its codes and counts from these
        pooled = cut(full, range(n_r), spans=False)
        out = _ItemPart(entry(pooled, opts, bootstrap=boot, span_pairs=spans), {}, {}, None,
                        None if also is None else also(pooled))
        tick()
        for p in pair_keys:
            check()
            m = cut(full, p, drop_empty=False, spans=False)
            e = entry(m, opts, bootstrap=boot, skip=PAIR_SKIP, span_pairs=spans)
            out.pairs[p] = e
            if p in ref_pairs:                # the reference cut adds its 2 x 2 figures
                out.reference[p] = replace(e, **accuracy_extras(m, confidence))
            tick()
        if item.kind != "global" and per_t:
            check()
            out.per_transcript = per_transcript_columns(pooled, n_t, opts)
            tick()
        return out

    parts = _run_parts(items, part, step, check, cancel,
                       _workers(workers, snap, items, n_r))
    pooled_codes, pooled_globals = [], []
    pair_out = {p: {"codes": [], "globals": []} for p in pair_keys}
    ref_out = {p: {"codes": [], "globals": []} for p in pair_keys if p in ref_pairs}
    columns = []
    for item in items:
        got = parts[item.key]
        where = "globals" if item.kind == "global" else "codes"
        (pooled_globals if item.kind == "global" else pooled_codes).append(got.pooled)
        for p, e in got.pairs.items():
            pair_out[p][where].append(e)
        for p, e in got.reference.items():
            ref_out[p][where].append(e)
        if got.per_transcript is not None:
            columns.append(got.per_transcript)
    extras = {} if also is None else {item.key: parts[item.key].also for item in items}
    per_transcript = pairs_cut = reference_cut = None
    if per_t:
        columns = tuple(columns)            # every transcript's entries made when read
        per_transcript = tuple(TranscriptCut(snap.transcript_names[t],
                                             TranscriptEntries(columns, t))
                               for t in range(n_t))
    if "pairs" in cuts:
        pairs_cut = tuple(PairCut((snap.rater_names[a], snap.rater_names[b]),
                                  tuple(v["codes"]), tuple(v["globals"]))
                          for (a, b), v in pair_out.items())
    if ref is not None and "reference" in cuts:
        reference_cut = ReferenceCut(snap.rater_names[ref], tuple(
            AgainstReference(snap.rater_names[b], tuple(v["codes"]), tuple(v["globals"]))
            for (a, b), v in ref_out.items()))
    return Report(
        project=snap.project,
        codebook=CodebookRef(snap.codebook.id, snap.codebook.name, snap.codebook_version),
        raters=tuple(snap.rater_names), transcripts=tuple(snap.transcript_names),
        ci_method=ci, confidence=confidence, scheme=scheme or "default",
        codes=tuple(pooled_codes), globals=tuple(pooled_globals),
        per_transcript=per_transcript, pairs=pairs_cut, reference=reference_cut,
        bootstrap=BootstrapInfo(int(replicates), seed) if boot else None), extras


@dataclass
class _ItemPart:
    """One item's entries: pooled, per pair, per reference pair, per transcript."""

    pooled: object
    pairs: dict
    reference: dict
    per_transcript: object          # TranscriptColumns, or None
    also: object = None


def _workers(asked: int | None, snap: ReliabilitySnapshot, items, n_r: int) -> int:
    """How many processes share the items: ``asked`` when given (or the environment's
    SESSION_CODER_REPORT_WORKERS); else 2 when the report is large (FORK_FROM_CELLS) and
    the machine has two cores; always 1 where forking is not safe (:func:`can_fork`)."""
    if asked is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        asked = int(env) if env.isdigit() else None
    if asked is None:
        big = snap.n_units * max(n_r, 1) * len(items) >= FORK_FROM_CELLS
        asked = 2 if big and (os.cpu_count() or 1) >= 2 else 1
    return 2 if asked >= 2 and len(items) >= 2 and can_fork() else 1


#: An item's work relative to a presence code's (measured on the 1,000-session study: a
#: rating, with its many distinct rows, 2.2x; a session global, one row a session, 0.25x):
#: the order in which the two processes take the items, heaviest first.
WEIGHT = {"presence": 1.0, "category": 2.0, "rating": 2.0, "global": 0.25}


def _run_parts(items, part, step, check, cancel, workers: int) -> dict:
    """``{item key: part(item, tick)}``, the items shared between this process and, with
    ``workers`` = 2, a forked child; progress counts both sides' steps. Each side takes the
    next item, heaviest first, when it is done with its last (:class:`~coder.forked.Claims`),
    so both end within one item of each other."""
    if workers < 2 or len(items) > Claims.LIMIT:
        return {item.key: part(item, step) for item in items}
    order = sorted(items, key=lambda i: -WEIGHT.get(i.kind, 1.0))
    out = {}
    load_quantiles()                    # once, here, and its BLAS limited below with numpy's
    with one_blas_thread(), Claims(len(order)) as claims, \
            Forked(lambda tick: [(i, part(order[i], tick)) for i in claims]) as child:
        def tick() -> None:
            step()
            for _ in range(child.ticks()):
                step()
        for i in claims:
            out[order[i].key] = part(order[i], tick)
        check()
        for i, got in child.result(cancel, step):
            out[order[i].key] = got
    return out


def data_matrices(snapshot: ReliabilitySnapshot, codes=None) -> dict:
    """Each item's pooled reliability data, exactly as the report's pooled figures use it:
    ``{id: DataMatrix}`` (``.units`` / ``.unit_labels`` label the rows, ``.raters`` the
    columns, ``.values`` the numbers; NaN = missing; category sets hold 0-based positions
    into ``.category_labels``). Keys are code ids, category-set group ids and global ids."""
    items = plan_items(snapshot, codes)
    tables = Tables(snapshot)
    n_r = len(snapshot.rater_names)
    return {item.key: cut(full_matrix(tables, item), range(n_r)) for item in items}


def count_matrices(snapshot: ReliabilitySnapshot, codes=None) -> dict:
    """Per-session counts of each presence code (transcripts × raters) as the report's pooled
    ICC uses them: ``{code id: DataMatrix}``."""
    from .counts import session_counts
    return {k: session_counts(m) for k, m in data_matrices(snapshot, codes).items()
            if m.kind == "presence"}
