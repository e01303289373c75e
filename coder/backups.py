"""Backups and the file's health, for the app and scripts: the public door to
`coder.store.backup` and `coder.store.integrity` (file-level work, done with no project open).
"""

from __future__ import annotations

from .store.backup import (BackupError, BackupInfo, CheckedBackup, RestoreResult, Verdict,
                           backup_dir, check_then_back_up,
                           damage_message, find_backup, list_backups, restore_backup, verify_all, verify_backup)
from .store.integrity import (FULL_CHECK_ON_OPEN_BYTES, IntegrityReport, full_check,
                              needs_background_check)

__all__ = ["BackupError", "BackupInfo", "CheckedBackup", "check_then_back_up", "RestoreResult", "Verdict", "backup_dir", "damage_message", "find_backup",
           "list_backups", "restore_backup", "verify_all", "verify_backup",
           "FULL_CHECK_ON_OPEN_BYTES", "IntegrityReport", "full_check", "needs_background_check"]
