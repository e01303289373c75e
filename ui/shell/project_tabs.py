"""ProjectTabs: the tabs that belong to one open project (Codebook, Reliability, Team,
Feedback), each built the first time it is shown or asked for.

Opening a project used to build all four views and import what they need (the statistics
and numpy for Reliability, the team and feedback parts) before the coding workspace
could be used; now a tab holds an empty placeholder until then, and the view takes its place
at the same index. The views fill themselves when built (constructor or `showEvent`), so a
late build sees the project as it is then.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget


class ProjectTabs:
    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        self._factories: dict[str, tuple[str, Callable[[], QWidget]]] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        self._on_built: dict[str, list[Callable[[QWidget], object]]] = {}
        self._swapping = False
        tabs.currentChanged.connect(self._current_changed)

    def add(self, name: str, title: str, factory: Callable[[], QWidget]) -> None:
        """A tab titled `title` whose view `factory()` makes when it is first needed."""
        placeholder = QWidget()
        self._factories[name] = (title, factory)
        self._placeholders[name] = placeholder
        self.tabs.addTab(placeholder, title)

    def built(self, name: str) -> QWidget | None:
        """The view if it exists already (never builds it)."""
        return self._built.get(name)

    def widget(self, name: str) -> QWidget | None:
        """The view, built now if it was not yet; None when there is no such tab (no project)."""
        if name in self._built:
            return self._built[name]
        if name not in self._placeholders:
            return None
        return self._build(name)

    def when_built(self, name: str, action: Callable[[QWidget], object]) -> None:
        """Run `action(view)` now if the view exists, else right after it is built."""
        if name in self._built:
            action(self._built[name])
        elif name in self._placeholders:
            self._on_built.setdefault(name, []).append(action)

    def clear(self) -> list[QWidget]:
        """Remove every project tab; returns the views that had been built (already removed
        and scheduled for deletion)."""
        views = list(self._built.values())
        for widget in [*self._placeholders.values(), *views]:
            index = self.tabs.indexOf(widget)
            if index >= 0:
                self._swapping = True
                try:
                    self.tabs.removeTab(index)
                finally:
                    self._swapping = False
            widget.deleteLater()
        self._factories.clear()
        self._placeholders.clear()
        self._built.clear()
        self._on_built.clear()
        return views

    def _current_changed(self, index: int) -> None:
        if self._swapping:
            return
        page = self.tabs.widget(index)
        for name, placeholder in self._placeholders.items():
            if placeholder is page:
                self._build(name)
                return

    def _build(self, name: str) -> QWidget:
        title, factory = self._factories[name]
        placeholder = self._placeholders.pop(name)
        view = factory()
        self._built[name] = view
        for action in self._on_built.pop(name, []):    # before it is shown
            action(view)
        index = self.tabs.indexOf(placeholder)
        was_current = self.tabs.currentIndex() == index
        self._swapping = True
        try:
            self.tabs.insertTab(index, view, title)
            self.tabs.removeTab(index + 1)
            if was_current:
                self.tabs.setCurrentIndex(index)
        finally:
            self._swapping = False
        placeholder.deleteLater()
        return view
