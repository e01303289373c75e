"""The app's look: one style sheet, calm colours, readable sizes."""

STYLE = """
QLabel#startTitle { font-size: 26px; font-weight: 600; color: #1f3b5c; }
QLabel#panelTitle { font-size: 14px; font-weight: 600; color: #1f3b5c; }
QLabel#hint { color: #666666; }
QLabel#detailHeader { color: #1f3b5c; font-weight: 600; }
QFrame#startCard { background: #ffffff; border: 1px solid #d7dde5; border-radius: 10px; }
QPushButton#startButton { text-align: left; padding: 6px 14px; font-size: 13px; }
QTableView { selection-background-color: #cfe0f5; selection-color: #111111;
             alternate-background-color: #f7f9fb; }
QPlainTextEdit#detailText { font-size: 13px; }
QHeaderView::section { padding: 4px 6px; }
"""
