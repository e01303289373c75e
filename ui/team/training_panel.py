"""TrainingPanel: each trainee against the master coding, per code, with pass / not yet."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from coder.errors import SessionCoderError
from coder.team.access import TeamAccess


def _f(v) -> str:
    return "undefined" if v is None else f"{v:.2f}"


def report_html(reports) -> str:
    parts = []
    for r in reports:
        verdict = ("<span style='color:#1e7d32'><b>PASS</b></span>" if r.passed
                   else "<span style='color:#a05a00'><b>not yet</b></span>")
        parts.append(f"<h3>{escape(r.trainee)} — {verdict}</h3><p>against "
                     f"{escape(r.master)} on {escape(', '.join(r.transcripts))}</p>")
        parts.append("<table cellpadding=4 cellspacing=0 border=1 style='border-collapse:"
                     "collapse'><tr><th>Code</th><th>Statistic</th><th>Value</th>"
                     "<th>95% interval</th><th>% agreement (95% interval)</th><th>n</th>"
                     "<th>Result</th></tr>")
        for a in r.codes:
            if a.passed is None:
                continue
            ci = f"{a.ci[0]:.2f} – {a.ci[1]:.2f}" if a.ci else "— (bootstrap only)"
            pa_ci = (f" ({a.percent_agreement_ci[0]:.2f} – {a.percent_agreement_ci[1]:.2f})"
                     if a.percent_agreement_ci else "")
            res = "ok" if a.passed else f"below {a.threshold:.2f}"
            why = f" ({escape(a.undefined_reason)})" if a.value is None and a.undefined_reason \
                else ""
            stat = "α" if a.statistic == "krippendorff_alpha" else "ICC(A,1)"
            parts.append(f"<tr><td>{escape(a.label)}</td><td>{stat}</td><td>{_f(a.value)}{why}"
                         f"</td><td>{ci}</td><td>{_f(a.percent_agreement)}{pa_ci}</td>"
                         f"<td>{a.n_units}</td><td>{res}</td></tr>")
        parts.append("</table>")
        for title, items in (("Missed (master applied, trainee did not)", r.misses),
                             ("Extra (trainee applied, master did not)", r.extras),
                             ("Different value", r.differs)):
            if items:
                parts.append(f"<p><b>{title}</b></p><ul>")
                for d in items:
                    parts.append(f"<li>{escape(d.code)} — {escape(d.transcript)} {d.unit_kind} "
                                 f"{d.position}: <i>{escape(d.text[:160])}</i></li>")
                parts.append("</ul>")
    return "".join(parts) or "<p>No trainee has coded the master transcripts yet.</p>"


class TrainingPanel(QWidget):
    def __init__(self, service, events=None, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training against the reference")
        self.service, self.events = service, events
        self.team = TeamAccess.of(service)
        self.master = QComboBox()
        self.master.setAccessibleName("Master rater")
        self.alpha = QDoubleSpinBox()
        self.alpha.setAccessibleName("Pass at alpha of at least")
        self.alpha.setRange(0, 1)
        self.alpha.setSingleStep(0.05)
        self.alpha.setValue(0.80)
        self.icc = QDoubleSpinBox()
        self.icc.setAccessibleName("Pass at ICC of at least")
        self.icc.setRange(0, 1)
        self.icc.setSingleStep(0.05)
        self.icc.setValue(0.75)
        run = QPushButton("Compare")
        run.setToolTip("Compare every trainee with the master coding")
        mark = QPushButton("Mark master…")
        mark.setToolTip("Choose the rater whose coding of some transcripts is the gold standard")
        mark.clicked.connect(self.mark_master)
        self.out = QTextBrowser()
        self.out.setAccessibleName("Training results")
        top = QHBoxLayout()
        for w in (QLabel("Master"), self.master, QLabel("pass at α ≥"), self.alpha,
                  QLabel("ICC ≥"), self.icc, run, mark):
            top.addWidget(w)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.out, 1)
        run.clicked.connect(self.refresh)
        self.reload()

    def showEvent(self, event) -> None:   # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()                       # blinding or masters may have changed

    def reload(self) -> None:
        self.master.blockSignals(True)
        self.master.clear()
        self.master.blockSignals(False)
        names = {r.id: r.name for r in self.service.raters.list()}
        for rid in sorted(set(self.team.masters().values())):
            self.master.addItem(names.get(rid, str(rid)))
        if self.master.count() == 0:
            self.out.setHtml("<p>No master coding is marked yet. Press <b>Mark master…</b>, "
                             "choose the rater whose coding is the gold standard "
                             "and the transcripts the trainees code blind.</p>")
        else:
            self.refresh()

    def mark_master(self) -> None:
        """Choose a rater and the transcripts whose coding by that rater is the master."""
        from coder.team.training import MarkMaster
        from .pick_dialog import PickDialog
        dialog = PickDialog("Mark a master coding", "Master rater",
                            [r.name for r in self.service.raters.list()],
                            self.service.transcripts.list(), parent=self)
        if not dialog.exec():
            return
        name, tids = dialog.chosen()
        if not tids:
            return
        command = MarkMaster(self.service.raters.get(name).id, tids)
        try:
            if self.events is not None:
                self.events.perform(command)
            else:
                self.service.perform(command)
        except SessionCoderError as exc:
            self.out.setHtml(f"<p>{escape(str(exc))}</p>")
            return
        self.reload()
        self.master.setCurrentText(name)
        self.refresh()

    def refresh(self) -> None:
        name = self.master.currentText()
        if not name:
            return
        try:
            reports = self.team.training(name, alpha=self.alpha.value(), icc=self.icc.value())
        except SessionCoderError as exc:
            self.out.setHtml(f"<p>{escape(str(exc))}</p>")
            return
        self.out.setHtml(report_html(reports))
