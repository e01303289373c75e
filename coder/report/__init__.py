"""The feedback report for supervision: gathered from a project (`gather`), written as text
lines / JSON (`text`) or HTML (`html`). The PDF is drawn by the desktop front end
(`ui/feedback/report_pdf.py`, Qt's QTextDocument + QPdfWriter); the core never imports Qt.
"""
