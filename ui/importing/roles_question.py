"""Before storing files in which no speaker is the therapist (or the client), the import
dialog asks: codes for a role apply only to that role's units."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from coder.roles import missing_roles_note


def roles_confirmed(parent, entries) -> bool:
    """Ask before storing a file in which no speaker is the therapist (or the client)."""
    notes = [f"{e.path.name}: {note}" for e in entries
             if (note := missing_roles_note(e.roles or {})) is not None]
    if not notes:
        return True
    answer = QMessageBox.question(
        parent, "Speaker roles",
        "\n".join(notes) + "\n\nCodes for a role apply only to that role's units. Set the "
        "roles in the speaker list first (No), or import as it is (Yes)?",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes
