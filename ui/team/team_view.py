"""TeamView: the "Team" tab — Adjudicate, Training, Drift."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from .adjudication_view import AdjudicationView
from .drift_panel import DriftPanel
from .training_panel import TrainingPanel


class TeamView(QWidget):
    def __init__(self, service, events, parent=None, runner=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Team")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Team tabs")
        self.adjudication = AdjudicationView(service, events)
        self.training = TrainingPanel(service, events)
        self.drift = DriftPanel(service, events, runner=runner)
        self.tabs.addTab(self.adjudication, "Adjudicate")
        self.tabs.addTab(self.training, "Training")
        self.tabs.addTab(self.drift, "Drift")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
