"""What every sheet writer gets: the workbook, the read connection, the job, the selection
(as the reliability snapshot resolved it), the report and the data matrices (when the
export includes reliability), progress, and facts gathered for the README."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .options import ExportJob
from .ticker import Ticker


@dataclass(eq=False)
class Ctx:
    wb: object
    conn: object
    job: ExportJob
    snap: object                          # ReliabilitySnapshot of the selection
    book: object                          # Codebook
    ticker: Ticker
    code_filter: set | None               # code ids to include (None: all)
    report: object = None                 # the reliability Report (when computed)
    matrices: dict | None = None
    #: item key -> the snapshot units where its raters differ (found with the statistics)
    differing: dict | None = None
    rows: dict = field(default_factory=dict)          # sheet name -> data rows written
    versions_used: set = field(default_factory=set)   # codebook versions in the codings
    labels: dict | None = None                        # code id -> (label, kind), all codes
    consensus: tuple | None = None        # (id, name) of the consensus layer, for data sheets
    cache: dict = field(default_factory=dict)         # values sheets share (feedback sessions)
    #: ``codings(codes=None, transcripts=None)``: ``snap`` with those codings, read now (the
    #: export's snapshot holds none: :func:`coder.store.snapshot_read.read_codings`)
    codings: object = None
    #: Make the heavy sheets' rows in forked children (:meth:`produce`; set by the export
    #: where :func:`coder.forked.can_fork` and the store is SQLite)
    fork: bool = False

    def produce(self, make):
        """The items of ``make()``: in a forked child when ``fork`` (what making them
        allocates goes back to the system with the child; :func:`coder.forked.stream`), else
        here. ``make`` must not touch the ticker (the child's copy reports to no one) and
        reads the project only through ``conn`` and ``codings``: the child reads on the
        read transaction it inherits, while this process leaves the connection alone until
        the last item has come (docs/ARCHITECTURE.md, "Heavy sheets in forked children")."""
        if not self.fork:
            return make()
        from ..forked import stream
        return stream(make, self.ticker.cancel)

    @property
    def rater_ids(self) -> list[int]:
        """Raters of the data sheets: the selection, plus the consensus layer as a rater
        column of its own (statistics never see it: they read the snapshot)."""
        extra = [self.consensus[0]] if self.consensus else []
        return list(self.snap.rater_ids) + extra

    @property
    def rater_name(self) -> dict[int, str]:
        names = dict(zip(self.snap.rater_ids, self.snap.rater_names))
        if self.consensus:
            names[self.consensus[0]] = self.consensus[1]
        return names

    def code_order(self) -> dict[str, int]:
        return {cid: i for i, cid in enumerate(self.book.code_ids())}

    def wanted(self, code_id: str) -> bool:
        return self.code_filter is None or code_id in self.code_filter


def title_cell(ws, text: str, *, size: int | None = None) -> WriteOnlyCell:
    """A bold text cell (titles of blocks; never a formula)."""
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"
    cell.font = Font(bold=True, size=size) if size else Font(bold=True)
    return cell
