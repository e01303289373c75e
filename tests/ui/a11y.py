"""What a screen reader would hear: the accessible names of a window's widgets."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea,
                               QAbstractSlider, QAbstractSpinBox, QComboBox, QHeaderView,
                               QLineEdit, QScrollBar, QTabBar, QTabWidget, QWidget)

INTERACTIVE = (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox,
               QComboBox, QLineEdit, QAbstractScrollArea, QTabWidget)
INTERNAL_PARENTS = (QComboBox, QAbstractSpinBox, QTabBar)


def is_custom(widget: QWidget) -> bool:
    return type(widget).__module__.startswith("ui.")


def spoken_name(widget: QWidget) -> str:
    """The name assistive technology gets: the accessible name, else what Qt derives (a
    button's text, a field's buddy label)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Name) if iface is not None else ""
    return (widget.accessibleName() or name or "").strip()


def _internal(widget: QWidget) -> bool:
    if widget.objectName().startswith("qt_") or isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, INTERNAL_PARENTS):
            return True
        if isinstance(parent, QAbstractScrollArea) and widget in (
                parent.viewport(), parent.horizontalScrollBar(), parent.verticalScrollBar()):
            return True
        parent = parent.parentWidget() if parent.parentWidget() is not widget else None
        break
    return False


def unnamed(root: QWidget) -> list[str]:
    """Visible widgets of our own classes or of interactive kinds with no spoken name."""
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if _internal(widget) or not (is_custom(widget) or isinstance(widget, INTERACTIVE)):
            continue
        if type(widget).__name__ == "QAbstractItemView":
            continue
        if not spoken_name(widget):
            out.append(f"{type(widget).__module__}.{type(widget).__name__} "
                       f"'{widget.objectName()}' in {type(widget.parentWidget()).__name__}")
    return out
