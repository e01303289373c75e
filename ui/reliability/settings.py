"""The settings bar of the reliability view: what to compare and how.

Raters, transcripts and codes are chosen in compact pop-up check lists (`CheckListButton`,
"Raters: all 3"); then the reference rater, the interval method (analytic, or a cluster
bootstrap over transcripts with its replicates and seed), the interpretation scheme and the
Compute button. Reloading keeps the user's choices for names that still exist; new raters,
transcripts and codes arrive ticked (archived codes unticked).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMenu, QPushButton, QSizePolicy, QSpinBox, QToolButton, QVBoxLayout,
                               QWidget, QWidgetAction)

from coder.reliability.schemes import SCHEMES

from ui.reliability.data import CUT_KINDS, KIND_NAMES, code_choices, cut_members

USUAL = "Usual per statistic"
USUAL_TIP = ("Landis & Koch 1977 for κ and AC, Krippendorff 2019 for α, Koo & Li 2016 "
             "for ICC")


# Made once: a study's list has 1,000 transcripts, and PySide6's enums cost per use.
_KEY, _CHECKED = Qt.UserRole, Qt.Checked


class CheckListButton(QToolButton):
    """A button that opens a check list; its text says how many are ticked."""

    changed = Signal()

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.setPopupMode(QToolButton.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.setStyleSheet("QToolButton { padding: 3px 8px; } "
                           "QToolButton::menu-indicator { image: none; width: 0px; }")
        self.list = QListWidget()
        self.list.setMinimumWidth(260)
        self.list.itemChanged.connect(self._changed)
        box = QWidget()
        all_, none = QPushButton("All"), QPushButton("None")
        all_.clicked.connect(lambda: self.set_all(True))
        none.clicked.connect(lambda: self.set_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_)
        buttons.addWidget(none)
        buttons.addStretch(1)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.list)
        lay.addLayout(buttons)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(box)
        menu.addAction(action)
        self.setMenu(menu)
        self._update_text()

    def set_items(self, items: list[tuple[str, str, bool, str]]) -> None:
        """[(key, text, ticked by default, tooltip)]; keeps earlier choices by key."""
        before = {self.list.item(i).data(Qt.UserRole): self.list.item(i).checkState()
                  for i in range(self.list.count())}
        self.list.blockSignals(True)
        self.list.clear()
        for key, text, default, tip in items:
            it = QListWidgetItem(text)
            it.setData(Qt.UserRole, key)
            it.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
            state = before.get(key, Qt.Checked if default else Qt.Unchecked)
            it.setCheckState(state)
            if tip:
                it.setToolTip(tip)
            self.list.addItem(it)
        self.list.setFixedHeight(min(360, 8 + 22 * max(3, self.list.count())))
        self.list.blockSignals(False)
        self._update_text()

    def keys(self) -> list[str]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]

    def count(self) -> int:
        return self.list.count()

    def checked(self) -> list[str]:
        items = map(self.list.item, range(self.list.count()))
        return [it.data(_KEY) for it in items if it.checkState() == _CHECKED]

    def any_checked(self) -> bool:
        return any(self.list.item(i).checkState() == _CHECKED
                   for i in range(self.list.count()))

    def set_checked(self, keys) -> None:
        keys = set(keys)
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            it = self.list.item(i)
            it.setCheckState(Qt.Checked if it.data(Qt.UserRole) in keys else Qt.Unchecked)
        self.list.blockSignals(False)
        self._changed()

    def set_all(self, on: bool) -> None:
        self.set_checked(self.keys() if on else [])

    def _changed(self, *_args) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        n, k = self.list.count(), len(self.checked())
        what = ("all " + str(n)) if k == n and n else "none" if k == 0 else f"{k} of {n}"
        self.setText(f"{self.title}: {what}  ▾")


class ReliabilitySettings(QWidget):
    compute_requested = Signal()
    scheme_changed = Signal(str)        # "" = each statistic's usual scheme

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reliability settings")
        self.raters = CheckListButton("Raters")
        self.transcripts = CheckListButton("Transcripts")
        self.codes = CheckListButton("Codes")
        self.reference = QComboBox()
        self.reference.setToolTip("A master coder to compare every other rater against "
                                  "(the \"Against reference\" cut)")
        self.ci = QComboBox()
        self.ci.addItem("Analytic", "analytic")
        self.ci.addItem("Cluster bootstrap by transcript", "bootstrap")
        self.ci.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.ci.setToolTip("Analytic: Fleiss–Cohen–Everitt for κ, Gwet's variance for "
                           "AC1/AC2, F-based for ICC (α has none).\nBootstrap: resamples whole "
                           "transcripts, since units within a session are not independent.")
        self.replicates = QSpinBox()
        self.replicates.setAccessibleName("Bootstrap replicates")
        self.replicates.setRange(100, 10000)
        self.replicates.setSingleStep(500)
        self.replicates.setValue(1000)
        self.replicates.setSuffix(" replicates")
        self.seed = QSpinBox()
        self.seed.setAccessibleName("Random seed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("The same seed gives the same intervals")
        self.scheme = QComboBox()
        self.scheme.addItem(USUAL, "")
        self.scheme.setItemData(0, USUAL_TIP, Qt.ToolTipRole)
        for key, sch in SCHEMES.items():
            self.scheme.addItem(sch.display_name, key)
            self.scheme.setItemData(self.scheme.count() - 1, sch.citation, Qt.ToolTipRole)
        self.scheme.setToolTip("Interpretation labels and colours; the scheme's name is shown "
                               "beside every label")
        self.compute = QPushButton("Compute")
        self.compute.setDefault(True)
        self.compute.setToolTip("Compute reliability for the chosen raters, transcripts and "
                                "codes (Ctrl+R)")
        self.compute.clicked.connect(self.compute_requested)
        self.ci.currentIndexChanged.connect(self._ci_changed)
        self.scheme.currentIndexChanged.connect(
            lambda: self.scheme_changed.emit(self.scheme.currentData()))
        self.raters.changed.connect(self._fill_reference)

        # Two rows, so the tab fits a laptop screen (one row needed ~1,200 px).
        top, bottom = QHBoxLayout(), QHBoxLayout()
        for w in (self.raters, self.transcripts, self.codes):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.compute)
        for text, w in (("Reference", self.reference), ("Intervals", self.ci)):
            bottom.addWidget(QLabel(text))
            bottom.addWidget(w)
        bottom.addWidget(self.replicates)
        bottom.addWidget(self.seed)
        bottom.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addLayout(bottom)
        self._ci_changed()

    def load(self, service) -> None:
        """Fill the lists from the project (keeps earlier choices)."""
        self.raters.set_items([(r.name, r.name, True, f"{r.role} ({r.initials})")
                               for r in service.raters.list()])
        self.transcripts.set_items([(t.name, t.name, True, f"{t.turns} turns")
                                    for t in service.transcripts.list()])
        book = service.codebook.current()
        items = [] if book is None else code_choices(book)
        self.codes.set_items([
            (key, f"{label}{' (archived)' if archived else ''}", not archived,
             f"{KIND_NAMES.get(kind, kind)} · id {key}")
            for key, label, kind, archived in items])
        self._fill_reference()

    def _fill_reference(self) -> None:
        current = self.reference.currentData()
        self.reference.blockSignals(True)
        self.reference.clear()
        self.reference.addItem("none", None)
        for name in self.raters.checked():
            self.reference.addItem(name, name)
        i = self.reference.findData(current) if current else 0
        self.reference.setCurrentIndex(max(0, i))
        self.reference.blockSignals(False)

    def _ci_changed(self) -> None:
        boot = self.ci.currentData() == "bootstrap"
        self.replicates.setEnabled(boot)
        self.seed.setEnabled(boot)

    def problem(self) -> str | None:
        """Why Compute cannot run with these choices (None: it can)."""
        if len(self.raters.checked()) < 2:
            return "Tick at least two raters to compare."
        if not self.transcripts.any_checked():
            return "Tick at least one transcript."
        if not self.codes.checked():
            return "Tick at least one code."
        return None

    def selection(self) -> tuple[list[str], list[str]]:
        return self.raters.checked(), self.transcripts.checked()

    def options(self) -> dict:
        """Keyword options for build_report."""
        return {"codes": self.codes.checked(), "reference": self.reference.currentData(),
                "ci": self.ci.currentData(), "replicates": self.replicates.value(),
                "seed": self.seed.value(), "scheme": self.scheme.currentData() or None}

    def scheme_key(self) -> str:
        return self.scheme.currentData() or ""

    def set_running(self, running: bool) -> None:
        for w in (self.raters, self.transcripts, self.codes, self.reference, self.ci,
                  self.compute):
            w.setEnabled(not running)
        self.replicates.setEnabled(not running and self.ci.currentData() == "bootstrap")
        self.seed.setEnabled(not running and self.ci.currentData() == "bootstrap")


class CutSelector(QWidget):
    """Which cut of the report to show: pooled, a transcript, a rater pair, or a rater
    against the reference."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Report cut")
        self.report = None                        # the Report whose cuts are offered
        self.kind, self.member = QComboBox(), QComboBox()
        self.kind.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.member.setMinimumContentsLength(14)
        self.member.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.kind.currentIndexChanged.connect(self._fill_members)
        self.member.currentIndexChanged.connect(lambda _i: self.changed.emit())
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 12, 0)
        lay.addWidget(QLabel("Cut"))
        lay.addWidget(self.kind)
        lay.addWidget(self.member)
        lay.addStretch(1)
        self.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)

    def set_report(self, report) -> None:
        """Offer the report's cuts, keeping the current choice where it still exists."""
        self.report = report
        self.setVisible(report is not None)
        kind = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        if report is not None:
            for key, title in CUT_KINDS:
                if key == "pooled" or getattr(report, key):
                    self.kind.addItem(title, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        self._fill_members()

    def _fill_members(self) -> None:
        current = self.member.currentText()
        kind = self.kind.currentData() or "pooled"
        members = [] if self.report is None else cut_members(self.report, kind)
        self.member.blockSignals(True)
        self.member.clear()
        self.member.addItems([m for m in members if m])
        self.member.setCurrentIndex(max(0, self.member.findText(current)))
        self.member.setVisible(kind != "pooled")
        self.member.blockSignals(False)
        self.layout().invalidate()
        self.updateGeometry()
        self.changed.emit()

    def set_cut(self, kind: str, member: int = 0) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.member.setCurrentIndex(member)

    def current(self) -> tuple[str, int]:
        return self.kind.currentData() or "pooled", max(0, self.member.currentIndex())

    def where(self) -> str:
        kind, _ = self.current()
        if kind == "pooled":
            return "pooled"
        prefix = {"per_transcript": "transcript", "pairs": "raters",
                  "reference": "reference"}[kind]
        return f"{prefix} {self.member.currentText()}"
