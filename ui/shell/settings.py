"""User preferences in one typed place, over QSettings (DESIGN.md, rule 8).

Project data never lives here. Tests (and anyone who wants a portable set-up) point
settings and app data at a folder with the environment variable ``SESSION_CODER_HOME``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 8


class AppSettings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        home = os.environ.get("SESSION_CODER_HOME")
        if qsettings is None:
            if home:
                qsettings = QSettings(str(Path(home) / "settings.ini"), QSettings.IniFormat)
            else:
                qsettings = QSettings("SessionCoder", "Session Coder")
        self._s = qsettings
        self._home = Path(home) if home else None

    # window
    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    # recent projects
    def recent_projects(self) -> list[str]:
        value = self._s.value("recent/projects", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v and Path(v).exists()]

    def add_recent(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        items = [p for p in self.recent_projects() if p != path]
        self._s.setValue("recent/projects", [path, *items][:MAX_RECENT])

    def last_folder(self) -> str:
        return str(self._s.value("paths/last_folder", str(Path.home())))

    def set_last_folder(self, folder: str | Path) -> None:
        self._s.setValue("paths/last_folder", str(folder))

    # who codes, per project (remembered per machine)
    def rater_for(self, project: str | Path) -> str | None:
        value = self._s.value(f"raters/{self._key(project)}")
        return str(value) if value else None

    def set_rater_for(self, project: str | Path, name: str) -> None:
        self._s.setValue(f"raters/{self._key(project)}", name)

    @staticmethod
    def _key(project: str | Path) -> str:
        import hashlib
        return hashlib.sha1(str(Path(project).resolve()).encode()).hexdigest()[:16]

    def show_hints(self) -> bool:
        return str(self._s.value("coding/show_hints", "true")).lower() == "true"

    def set_show_hints(self, show: bool) -> None:
        self._s.setValue("coding/show_hints", "true" if show else "false")

    def reading_mode(self) -> bool:
        return str(self._s.value("coding/reading_mode", "false")).lower() == "true"

    def set_reading_mode(self, on: bool) -> None:
        self._s.setValue("coding/reading_mode", "true" if on else "false")

    def codings_import_options(self) -> tuple[bool, str]:
        """(mark units completed, missing-value tokens) last used to import codings."""
        complete = str(self._s.value("codings_import/complete", "false")).lower() == "true"
        return complete, str(self._s.value("codings_import/missing", "") or "")

    def set_codings_import_options(self, complete: bool, missing: str) -> None:
        self._s.setValue("codings_import/complete", "true" if complete else "false")
        self._s.setValue("codings_import/missing", missing)

    # app data
    def data_dir(self) -> Path:
        if self._home is not None:
            path = self._home / "data"
        else:
            path = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
        path.mkdir(parents=True, exist_ok=True)
        return path

    def sample_project_path(self) -> Path:
        return self.data_dir() / "sample.scproj"

    def sync(self) -> None:
        self._s.sync()
