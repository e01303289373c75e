"""The supervisor's feedback in the desktop app: the session timeline, the session summary
panel, the measures form, the report dialog and the PDF writer (also used by the CLI)."""
