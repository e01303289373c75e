"""CodebookTreeModel: the codebook's groups and codes as a tree for the codebook editor.

Columns: code (colour swatch + label), shortcut key, kind. Groups come first in their parent's
order of the codebook: a group's own codes, then its subgroups (as ``Codebook.codes()`` walks).
The model holds a frozen :class:`Codebook` and a filter (search text, archived shown or not);
any change rebuilds it with a model reset, which is cheap for a few hundred codes.

Drag and drop moves codes between groups. The model does not edit anything itself: a drop
emits :attr:`move_requested` and the panel turns it into an undoable command (DESIGN.md,
rule 3). Connect it queued, so the model is not reset inside the view's drop handling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QSize, Qt,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPixmap

from coder.codebook import Code, Codebook, CodeGroup

MIME_CODE = "application/x-session-coder-code-id"
KIND_NAMES = {"presence": "Presence", "category": "Category", "rating": "Rating",
              "global": "Session global"}
ARCHIVED_GREY = "#8a8f96"


def shortcut_text(key: str | None) -> str:
    """How a shortcut is shown: letters in capitals (the codebook stores them as typed)."""
    return "" if not key else key.upper()


@dataclass(eq=False)
class Node:
    uid: int
    item: Code | CodeGroup | None           # None for the invisible root
    parent: Node | None = None
    row: int = 0
    children: list[Node] = field(default_factory=list)
    group_index: int | None = None          # codes: position in their group's full code list

    @property
    def is_code(self) -> bool:
        return isinstance(self.item, Code)


def code_matches(code: Code, needle: str) -> bool:
    """Search: label, id or definition contain `needle` (already lower-cased)."""
    return not needle or any(needle in s.lower() for s in (code.label, code.id, code.definition))


class CodebookTreeModel(QAbstractItemModel):
    move_requested = Signal(str, str, object)    # code id, target group id, index or None

    HEADERS = ("Code", "Key", "Kind")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._book: Codebook | None = None
        self._needle = ""
        self._show_archived = False
        self._root = Node(0, None)
        self._nodes: dict[int, Node] = {}
        self._swatches: dict[tuple[str | None, bool], QPixmap] = {}
        self._row_height = QFontMetrics(QFont()).height() + 8

    # -- contents ---------------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook | None:
        return self._book

    def set_codebook(self, book: Codebook | None) -> None:
        self._book = book
        self._rebuild()

    def set_filter(self, text: str, show_archived: bool) -> None:
        self._needle, self._show_archived = text.strip().lower(), show_archived
        self._rebuild()

    @property
    def filtering(self) -> bool:
        return bool(self._needle)

    def _visible(self, code: Code) -> bool:
        return (self._show_archived or not code.archived) and code_matches(code, self._needle)

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._nodes = {}
        self._root = Node(0, None)
        counter = iter(range(1, 1 << 30))

        def build(group: CodeGroup, parent: Node) -> Node | None:
            node = Node(next(counter), group, parent)
            for i, code in enumerate(group.codes):
                if self._visible(code):
                    node.children.append(Node(next(counter), code, node, group_index=i))
            for sub in group.groups:
                child = build(sub, node)
                if child is not None:
                    node.children.append(child)
            if self._needle and not node.children:
                return None                     # a search hides groups without a match
            return node

        for g in (self._book.groups if self._book else ()):
            node = build(g, self._root)
            if node is not None:
                self._root.children.append(node)
        self._index_nodes(self._root)
        self.endResetModel()

    def _index_nodes(self, node: Node) -> None:
        for row, child in enumerate(node.children):
            child.row = row
            self._nodes[child.uid] = child
            self._index_nodes(child)

    # -- lookups ------------------------------------------------------------------------------
    def node(self, index: QModelIndex) -> Node:
        if not index.isValid():
            return self._root
        return self._nodes[index.internalId()]

    def item(self, index: QModelIndex) -> Code | CodeGroup | None:
        return self.node(index).item if index.isValid() else None

    def index_of(self, item_id: str) -> QModelIndex:
        """The index of the code or group with this id (invalid when it is not shown)."""
        for node in self._nodes.values():
            if node.item.id == item_id:
                return self.createIndex(node.row, 0, node.uid)
        return QModelIndex()

    def visible_code_ids(self) -> list[str]:
        out: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if child.is_code:
                    out.append(child.item.id)
                else:
                    walk(child)
        walk(self._root)
        return out

    # -- QAbstractItemModel -------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        owner = self.node(parent)
        if row >= len(owner.children):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row].uid)

    def parent(self, index: QModelIndex | None = None):  # noqa: D401 - Qt API
        if index is None:                       # QObject.parent()
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        owner = self.node(index).parent
        if owner is None or owner is self._root:
            return QModelIndex()
        return self.createIndex(owner.row, 0, owner.uid)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS)

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        item, col = self.node(index).item, index.column()
        if role == Qt.SizeHintRole:
            return QSize(-1, self._row_height)
        if isinstance(item, CodeGroup):
            return self._group_data(item, col, role)
        return self._code_data(item, col, role)

    def _group_data(self, g: CodeGroup, col: int, role: int):
        if role == Qt.DisplayRole:
            if col == 0:
                return g.label
            if col == 2 and g.category_set:
                return "Category set"
        elif role == Qt.FontRole and col == 0:
            font = QFont()
            font.setBold(True)
            return font
        elif role == Qt.ForegroundRole and col == 2:
            return QBrush(QColor("#1f3b5c"))
        elif role == Qt.ToolTipRole:
            tip = g.description or g.label
            if g.category_set:
                tip += "\n\nCategory set: each unit gets exactly one of these codes."
            return tip
        return None

    def _code_data(self, c: Code, col: int, role: int):
        if role == Qt.DisplayRole:
            return (c.label, shortcut_text(c.shortcut), KIND_NAMES.get(c.kind, c.kind))[col]
        if role == Qt.DecorationRole and col == 0:
            return self.swatch(c.color, c.archived)
        if role == Qt.ForegroundRole and c.archived:
            return QBrush(QColor(ARCHIVED_GREY))
        if role == Qt.FontRole and c.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.TextAlignmentRole and col == 1:
            return int(Qt.AlignCenter)
        if role == Qt.ToolTipRole:
            tip = f"{c.label} ({c.id})"
            if c.archived:
                tip += " — archived"
            return tip + (f"\n{c.definition}" if c.definition else "")
        return None

    def swatch(self, color: str | None, archived: bool = False) -> QPixmap:
        key = (color, archived)
        if key not in self._swatches:
            pix = QPixmap(14, 14)
            pix.fill(Qt.transparent)
            p = QPainter(pix)
            p.setRenderHint(QPainter.Antialiasing)
            if color:
                fill = QColor(color)
                if archived:
                    fill.setAlpha(90)
                p.setBrush(fill)
                p.setPen(fill.darker(125))
            else:
                p.setBrush(Qt.NoBrush)
                p.setPen(QColor("#b0b6bd"))
            p.drawRoundedRect(1, 1, 12, 12, 3, 3)
            p.end()
            self._swatches[key] = pix
        return self._swatches[key]

    # -- drag and drop -------------------------------------------------------------------------
    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.node(index).is_code:
            return base | Qt.ItemIsDragEnabled
        return base | Qt.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropActions:  # noqa: N802
        return Qt.MoveAction

    def supportedDragActions(self) -> Qt.DropActions:  # noqa: N802
        return Qt.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_CODE]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        ids = list(dict.fromkeys(self.node(i).item.id for i in indexes
                                 if i.isValid() and self.node(i).is_code))
        data = QMimeData()
        data.setData(MIME_CODE, QByteArray("\n".join(ids).encode("utf-8")))
        return data

    def drop_target(self, row: int, parent: QModelIndex) -> tuple[str, int | None] | None:
        """(group id, index in its full code list) for a drop at `row` under `parent`."""
        if not parent.isValid():
            return None
        owner = self.node(parent)
        if owner.is_code:                        # onto a code: just before it
            group = owner.parent
            return (group.item.id, owner.group_index)
        codes = [c for c in owner.children if c.is_code]
        if 0 <= row < len(codes):
            return (owner.item.id, codes[row].group_index)
        if row >= 0 and codes:                   # after the last shown code
            return (owner.item.id, codes[-1].group_index + 1)
        return (owner.item.id, None)             # onto the group: at its end

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return (data is not None and data.hasFormat(MIME_CODE) and action == Qt.MoveAction
                and self.drop_target(row, parent) is not None)

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self.drop_target(row, parent)
        ids = [i for i in bytes(data.data(MIME_CODE).data()).decode("utf-8").split("\n") if i]
        if not ids:
            return False
        for code_id in ids:
            self.move_requested.emit(code_id, target[0], target[1])
        return True
