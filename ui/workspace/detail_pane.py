"""UnitDetailPane: the full text of the current unit under the unit table — a header line
(where the unit is, who speaks, when), the text with the rater's coded spans and suggestion
hints highlighted, the selected words for span coding, and the rater's note on the unit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ui.shell.formatting import fmt_span
from ui.workspace.span_highlighter import SpanHighlighter
from ui.workspace.span_selection import WordSnapper

SPAN_GREY = "#8a8f98"


def unit_heading(seg) -> str:
    """'Turn 12 · Dana (therapist) · 3:02–3:10', 'Window 2 · 5:00–10:00 · turns 40–88', ..."""
    if seg.kind == "window":
        turns = "no talk" if seg.first_turn is None else \
            f"turns {seg.first_turn}–{seg.last_turn}"
        return f"Window {seg.position} · {fmt_span(seg.start_ms, seg.end_ms)} · {turns}"
    where = (f"Turn {seg.turn_position}" if seg.kind == "turn"
             else f"Sentence {seg.position} (turn {seg.turn_position})")
    head = f"{where} · {seg.speaker or '(unnamed)'} ({seg.role})"
    if seg.start_ms is not None:
        head += f" · {fmt_span(seg.start_ms, seg.end_ms)}"
    return head


class UnitDetailPane(QWidget):
    note_edited = Signal(str)          # the note's new text (stripped), when it was changed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Unit text and note")
        self.header = QLabel("")
        self.header.setObjectName("detailHeader")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setObjectName("detailText")
        self.text.setToolTip("Select words here before pressing a code's key to code only "
                             "that part of the text (the selection snaps to whole words; "
                             "hold Alt while selecting to keep exact characters)")
        self.text.setAccessibleName("Text of the selected unit")
        self.snapper = WordSnapper(self.text)
        self.highlighter = SpanHighlighter(self.text.document())
        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")
        self.note.setAccessibleName("Note on this unit")
        self.note.editingFinished.connect(lambda: self.note_edited.emit(self.note.text().strip()))
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel("Note"))
        note_row.addWidget(self.note, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.header)
        lay.addWidget(self.text, 1)
        lay.addLayout(note_row)

    def clear(self) -> None:
        self.header.setText("")
        self.text.setPlainText("")
        self.note.setText("")
        self.note.setEnabled(False)

    def show_unit(self, model, row: int, own: int | None, show_hints: bool) -> None:
        """Show unit `row` of the CodingTableModel `model` as rater `own` sees it."""
        seg = model.segment(row) if model is not None and row >= 0 else None
        if seg is None:
            self.header.setText("")
            self.text.setPlainText("")
            self.note.setEnabled(False)
            return
        done = " · done" if model.is_done(row) else ""
        self.header.setText(unit_heading(seg) + done)
        if self.text.toPlainText() != seg.text:
            self.text.setPlainText(seg.text)
        spans = []
        for c in model.codings(row):
            code = model.code(c.code)
            if c.rater_id == own and c.span_start is not None:
                spans.append((c.span_start, c.span_end,
                              code.color if code and code.color else SPAN_GREY))
        hints = [(h.start, h.end) for h in model.hints(row)] if show_hints else []
        self.highlighter.set_content(seg.text, spans, hints)
        self.note.setEnabled(own is not None)
        if not self.note.hasFocus():
            self.note.setText(model.note(row) or "")

    def selected_span(self) -> tuple[int, int] | None:
        """The selected words as code-point offsets: whole words, unless the selection was
        made with Alt held (None: no selection)."""
        return self.snapper.span()
