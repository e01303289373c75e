"""The statistics an export shows, with memory bounded by one item at a time (issue 17).

``build_report`` on a whole selection kept every item's full data matrix at once (it made
them all before the first statistic; since issue 17's last round it makes one item's at a
time, two with its forked worker), and ``data_matrices`` returns every matrix as one dict:
it grows with the selection (~2.3 MiB a 1,000-unit transcript of the study project), and
the export held the matrices to its end. Here:

* :func:`report_by_item` builds the report one item (code, category set, global) at a time
  with ``build_report(snapshot, codes=[item])`` and joins the parts in codebook order: the
  same report (every cut is per item; intervals are seeded per entry), one item's matrices
  alive at a time;
* :class:`LazyMatrices` looks like the ``{key: DataMatrix}`` dict of ``data_matrices`` but
  builds a matrix when it is asked for (one at a time while the Matrix sheets, the
  Disagreements sheet and the CSV files iterate), with the same functions.

Both take an optional ``read(codes) -> snapshot``: the export reads its snapshot without
codings and hands :func:`coder.store.snapshot_read.read_codings` here, so that only one
item's codings are in memory at a time, never the selection's (~4 million codings, ~220 MiB
of arrays, for the 1,000-session study). Without it the snapshot given holds every coding.

``tests/core/test_export_stream_stats.py`` checks both against the whole-selection path.
"""

from __future__ import annotations

from ..heap import give_back
from ..reliability.project import build_report_with
from ..reliability.project.matrices import Tables, cut, full_matrix, plan_items
from ..reliability.project.results import (
    AgainstReference,
    PairCut,
    ReferenceCut,
    TranscriptCut,
)
from ..reliability.result import load_quantiles


class LazyMatrices:
    """``{key: DataMatrix}`` of the selection, each matrix built when read (never kept)."""

    def __init__(self, snap, codes=None, read=None) -> None:
        self._snap, self._read = snap, read
        self._items = {item.key: item for item in plan_items(snap, codes)}
        self._tables = None

    def _build(self, key):
        item = self._items[key]
        give_back()                         # the matrix before this one's, freed
        if self._read is not None:           # this item's codings only, read now
            tables = Tables(self._read(item_codes(item)))
        else:
            if self._tables is None:
                self._tables = Tables(self._snap)
            tables = self._tables
        return cut(full_matrix(tables, item), range(len(self._snap.rater_names)))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __contains__(self, key) -> bool:
        return key in self._items

    def keys(self):
        return list(self._items)

    def __getitem__(self, key):
        return self._build(key)

    def items(self):
        for key in self._items:
            yield key, self._build(key)

    def values(self):
        for key in self._items:
            yield self._build(key)


def item_codes(item) -> list[str]:
    """The codebook ids whose codings make ``item``'s data (a category set: its members)."""
    return [c.id for c in item.codes]


def report_by_item(snap, progress=None, cancel=None, read=None, fork=False, **options):
    """``build_report(snap, progress, cancel, **options)``, item by item (see the module
    docstring). ``options["codes"]`` selects items as it does there; ``read``: see the
    module docstring. ``fork``: each item's part is made in a forked child
    (:class:`coder.forked.Forked`, only where :func:`coder.forked.can_fork`) and comes back
    pickled, so what reading its codings and building its matrices allocated goes back to
    the system with the child."""
    return report_with_by_item(snap, None, progress, cancel, read, fork, **options)[0]


def report_with_by_item(snap, also, progress=None, cancel=None, read=None, fork=False,
                        **options):
    """:func:`report_by_item`, and ``{item key: also(pooled matrix)}`` (in item order) as
    ``build_report_with`` gives it (``also`` None: an empty dict); with ``fork``, ``also``
    runs in the item's child and what it returns must pickle."""
    codes = options.pop("codes", None)
    items = plan_items(snap, codes)
    singles = [plan_items(snap, [item.key]) for item in items]
    if not items or any(len(s) != 1 or s[0].key != item.key
                        for s, item in zip(singles, items)):
        # no item, or an id naming two items: the whole-selection call
        whole = snap if read is None else read(None)
        report, extra = build_report_with(whole, also, progress, cancel, codes=codes,
                                          **options)
        return report, {item.key: extra[item.key] for item in items if item.key in extra}
    n = len(items)
    parts = []
    extras = {}
    if fork:
        load_quantiles()
    for i, item in enumerate(items):
        def step(done, total, i=i):
            if progress is not None:
                progress(int(1000 * (i + done / max(total, 1))), 1000 * n)

        def part(step=step, item=item, cancel=cancel):
            part_snap = snap if read is None else read(item_codes(item))
            return build_report_with(part_snap, also, step, cancel, codes=[item.key],
                                     **options)
        if fork:
            from ..forked import Forked
            ticks = [0]

            def on_tick(i=i):                     # a hundredth of the item's steps each
                ticks[0] += 1
                if progress is not None:
                    progress(int(1000 * i + 10 * min(ticks[0], 100)), 1000 * n)
            with Forked(lambda tick: part(step=_hundredths(tick), cancel=None)) as child:
                report, extra = child.result(cancel, on_tick)
        else:
            report, extra = part()
            give_back()       # one item's matrices, freed: back to the system before the next
        parts.append(report)
        extras.update(extra)
    return join_reports(parts), extras


def _hundredths(tick):
    """A ``progress(done, total)`` for a forked part: ``tick()`` once per hundredth done."""
    sent = [0]

    def step(done, total):
        due = min(100, 100 * done // max(total, 1))
        while sent[0] < due:
            sent[0] += 1
            tick()
    return step


def _cat(parts, get) -> tuple:
    return tuple(e for p in parts for e in get(p))


def join_reports(parts):
    """One report from per-item reports of the same snapshot and options (in item order)."""
    from dataclasses import replace
    first = parts[0]
    per_t = pairs = ref = None
    if first.per_transcript is not None:
        per_t = tuple(TranscriptCut(tc.transcript, _cat(parts, lambda p, t=t: p.per_transcript[t].codes))
                      for t, tc in enumerate(first.per_transcript))
    if first.pairs is not None:
        pairs = tuple(PairCut(pc.raters, _cat(parts, lambda p, k=k: p.pairs[k].codes),
                              _cat(parts, lambda p, k=k: p.pairs[k].globals))
                      for k, pc in enumerate(first.pairs))
    if first.reference is not None:
        ref = ReferenceCut(first.reference.rater, tuple(
            AgainstReference(a.rater, _cat(parts, lambda p, k=k: p.reference.against[k].codes),
                             _cat(parts, lambda p, k=k: p.reference.against[k].globals))
            for k, a in enumerate(first.reference.against)))
    return replace(first, codes=_cat(parts, lambda p: p.codes),
                   globals=_cat(parts, lambda p: p.globals),
                   per_transcript=per_t, pairs=pairs, reference=ref)
