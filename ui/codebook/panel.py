"""CodebookPanel: browse and edit the project's codebook.

Left, the code tree (search, archived codes on request, drag a code to move it); right, a
form for the selected code or group; above, the codebook's name, version and size, and the
actions. Every edit is a core command run through `ProjectEvents.perform` on the app's one undo
stack (DESIGN.md, rule 3); the panel reloads itself whenever `ProjectEvents.changed` reports a codebook
change, whoever made it, and keeps the selection on the same id where it still exists.
The edits themselves (add, delete, archive, merge, move, import, export) are in
`ui.codebook.actions.CodebookActions`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFrame, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMenu, QScrollArea, QSplitter, QStackedWidget,
                               QToolBar, QTreeView, QVBoxLayout, QWidget)

from coder.codebook import Code, Codebook
from coder.project import Project

from ui.codebook.actions import CodebookActions
from ui.codebook.form import CodeForm
from ui.codebook.group_form import GroupForm
from ui.codebook.tree_model import CodebookTreeModel
from ui.shell import theme as themes
from ui.shell.project_events import ProjectEvents

def panel_style(t: themes.Theme) -> str:
    """The editor's sheet in the current theme's colours (ui.shell.theme)."""
    return f"""
QLabel#formTitle {{ font-size: 15px; font-weight: 600; color: {t.title}; }}
QLabel#formSection {{ font-weight: 600; color: {t.title}; margin: 0; padding: 8px 0 3px 0;
                     border: none; border-bottom: 1px solid {t.border}; }}
QStackedWidget#formPages {{ border: 1px solid {t.border}; border-radius: 4px;
                           background: {t.base}; }}
QWidget#codeForm, QWidget#groupForm {{ background: {t.base}; }}
QTreeView {{ selection-background-color: {t.highlight}; selection-color: {t.highlight_text}; }}
"""


BANNER_ERROR = ("QLabel { background: #fdecea; color: #8c1d18; border: 1px solid #f3c1bc;"
                " border-radius: 4px; padding: 6px 8px; }")
BANNER_INFO = ("QLabel { background: #eef4fb; color: #1f3b5c; border: 1px solid #cfdcec;"
               " border-radius: 4px; padding: 6px 8px; }")


class CodebookPanel(QWidget):
    def __init__(self, service: Project, events: ProjectEvents, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Codebook editor")
        self.service, self.events = service, events
        self.book: Codebook | None = None
        self.counts: dict[str, int] = {}
        self._reloading = False
        self._fallback: tuple[str | None, int] = (None, 0)
        self._shown_id: str | None = None
        self.select_after: str | None = None     # an id to select on the next reload
        self.setStyleSheet(panel_style(themes.current()))

        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.info = QLabel()
        self.info.setObjectName("hint")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner.hide()

        self.search = QLineEdit()
        self.search.setAccessibleName("Find a code")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Show codes whose label, id or definition contains this text "
                               "(Ctrl+F)")
        self.show_archived = QCheckBox("Show archived")
        self.model = CodebookTreeModel(self)
        self.tree = QTreeView()
        self.tree.setAccessibleName("Codebook tree")
        self.tree.setModel(self.model)
        self._setup_tree()

        self.code_form = CodeForm()
        self.group_form = GroupForm()
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.setObjectName("formPages")
        self.pages.addWidget(self.empty)
        for form, name in ((self.code_form, "codeForm"), (self.group_form, "groupForm")):
            form.setObjectName(name)
            form.setAttribute(Qt.WA_StyledBackground, True)
            scroll = QScrollArea()
            scroll.setAccessibleName("Details")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            scroll.setWidget(form)
            self.pages.addWidget(scroll)

        self.actions_ = CodebookActions(self)
        self._build_actions()
        self._layout()
        self._connect()
        self.reload()

    # -- construction ----------------------------------------------------------------------
    def _setup_tree(self) -> None:
        t = self.tree
        t.setUniformRowHeights(True)
        t.setSelectionMode(QAbstractItemView.SingleSelection)
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setDragEnabled(True)
        t.setAcceptDrops(True)
        t.setDropIndicatorShown(True)
        t.setDragDropMode(QAbstractItemView.InternalMove)
        t.setDefaultDropAction(Qt.MoveAction)
        t.setContextMenuPolicy(Qt.CustomContextMenu)
        t.setAllColumnsShowFocus(True)
        header = t.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Fixed)
        header.setSectionResizeMode(2, QHeaderView.Fixed)
        fm = self.fontMetrics()
        header.resizeSection(1, fm.horizontalAdvance("Key") + 24)
        header.resizeSection(2, fm.horizontalAdvance("Session global") + 24)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)

    def _action(self, text: str, slot, tip: str = "", shortcut=None,
                context: Qt.ShortcutContext = Qt.WidgetWithChildrenShortcut,
                owner: QWidget | None = None) -> QAction:
        action = QAction(text, self)
        action.setIconText(text)                # keep the "…" on toolbar buttons
        action.triggered.connect(lambda _checked=False: slot())
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(context)
            (owner or self).addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self.actions_
        self.act_add_code = self._action("Add code", a.add_code,
                                         "Add a code to the selected group")
        self.act_add_group = self._action("Add group", a.add_group, "Add a group of codes")
        self.act_delete = self._action("Delete", a.delete, "Delete the selected code or empty "
                                       "group (Delete)", QKeySequence.Delete, owner=self.tree)
        self.act_archive = self._action("Archive", a.toggle_archived,
                                        "Hide the code from new coding; its codings stay")
        self.act_merge = self._action("Merge into…", a.merge,
                                      "Move this code's codings to another code and remove it")
        self.act_import = self._action("Import…", a.import_codebook,
                                       "Use a YAML or REFI-QDA (.qdc) codebook file")
        self.act_export = self._action("Export…", a.export_codebook,
                                       "Save the codebook as YAML or REFI-QDA (.qdc)")
        self.act_history = self._action("History…", a.history,
                                        "Every saved version of the codebook; compare two")
        self.act_rename = self._action("Edit label", self.focus_label, "", Qt.Key_F2)
        self.act_find = self._action("Find", self.focus_search, "", QKeySequence.Find)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        for act in (self.act_add_code, self.act_add_group, None, self.act_archive,
                    self.act_merge, self.act_delete, None, self.act_import, self.act_export,
                    self.act_history):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.title)
        head.addWidget(self.info, 1, Qt.AlignBottom)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(6)
        find = QHBoxLayout()
        find.setSpacing(8)
        find_label = QLabel("Search")
        find_label.setBuddy(self.search)
        find.addWidget(find_label)
        find.addWidget(self.search, 1)
        find.addWidget(self.show_archived)
        ll.addLayout(find)
        ll.addWidget(self.tree, 1)

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([420, 560])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.events.changed.connect(self._changed)
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.show_archived.toggled.connect(lambda _c: self._refilter())
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._selection_changed())
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.model.move_requested.connect(self.actions_.move_code, Qt.QueuedConnection)
        self.code_form.edit_requested.connect(self.actions_.apply_edit)
        self.group_form.edit_requested.connect(self.actions_.apply_edit)

    # -- state --------------------------------------------------------------------------------
    def _changed(self, changes) -> None:
        if getattr(changes, "codebook", False):
            self.reload()

    def reload(self) -> None:
        """Read the codebook again; keep the selection on the same id where it still exists."""
        keep = self.select_after or self.selected_id()
        self.select_after = None
        self.book = self.service.codebook.current()
        self.counts = self.service.codebook.coding_counts()
        self._reloading = True
        self.model.set_codebook(self.book)
        self.tree.expandAll()
        self._reloading = False
        self._update_header()
        self._select(keep)

    def _refilter(self) -> None:
        keep = self.selected_id()
        self._reloading = True
        self.model.set_filter(self.search.text(), self.show_archived.isChecked())
        self.tree.expandAll()
        self._reloading = False
        self._select(keep)

    def _update_header(self) -> None:
        if self.book is None:
            self.title.setText("No codebook")
            self.info.setText("This project has no codebook yet: import one (YAML or .qdc).")
            return
        codes = [e.code for e in self.book.codes()]
        archived = sum(c.archived for c in codes)
        versions = self.service.codebook.versions()
        version = versions[-1]["version"] if versions else 0
        text = f"Project version {version}  ·  {len(codes) - archived} codes"
        if archived:
            text += f" and {archived} archived"
        self.title.setText(self.book.name)
        self.info.setText(text)

    def selected_id(self) -> str | None:
        item = self.model.item(self.tree.currentIndex())
        return None if item is None else item.id

    def selected_item(self) -> Code | None:
        return self.model.item(self.tree.currentIndex())

    def select_id(self, item_id: str | None) -> bool:
        index = self.model.index_of(item_id) if item_id else QModelIndex()
        if not index.isValid():
            return False
        quiet, self._reloading = self._reloading, True     # one form update, below
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self._reloading = quiet
        self.tree.scrollTo(index)
        self._selection_changed()
        return True

    def _select(self, item_id: str | None) -> None:
        if self.select_id(item_id):
            return
        parent_id, row = self._fallback
        parent = self.model.index_of(parent_id) if parent_id else QModelIndex()
        count = self.model.rowCount(parent)
        if count:
            target = self.model.index(min(row, count - 1), 0, parent)
        else:
            target = parent if parent.isValid() else self.model.index(0, 0)
        if target.isValid():
            self.select_id(self.model.item(target).id)
        else:
            self._selection_changed()

    def _selection_changed(self) -> None:
        if self._reloading:
            return
        index = self.tree.currentIndex()
        item = self.model.item(index)
        if index.isValid():
            parent = index.parent()
            self._fallback = (self.model.item(parent).id if parent.isValid() else None,
                              index.row())
        if item is not None and item.id != self._shown_id:
            for i in (1, 2):                     # another item: start at the top of its form
                self.pages.widget(i).verticalScrollBar().setValue(0)
        self._shown_id = None if item is None else item.id
        if isinstance(item, Code):
            self.code_form.show_code(self.book, item.id, self.counts.get(item.id, 0))
            self.pages.setCurrentIndex(1)
        elif item is not None:
            self.group_form.show_group(self.book, item.id)
            self.pages.setCurrentIndex(2)
        else:
            self.empty.setText("Select a code or a group to edit it." if self.book else
                               "Import a codebook to start.")
            self.pages.setCurrentWidget(self.empty)
        self._update_actions(item)

    def _update_actions(self, item) -> None:
        has_book = self.book is not None
        is_code = isinstance(item, Code)
        for act in (self.act_add_code, self.act_add_group, self.act_export, self.act_history):
            act.setEnabled(has_book)
        self.act_delete.setEnabled(item is not None)
        self.act_archive.setEnabled(is_code)
        self.act_merge.setEnabled(is_code)
        self.act_archive.setText("Restore" if is_code and item.archived else "Archive")

    # -- messages and focus -----------------------------------------------------------------
    def show_message(self, text: str, error: bool = True) -> None:
        """A line above the tree: why an edit was refused, or what an action did."""
        self.banner.setStyleSheet(BANNER_ERROR if error else BANNER_INFO)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def focus_label(self) -> None:
        form = {1: self.code_form, 2: self.group_form}.get(self.pages.currentIndex())
        if form is not None:
            form.label.setFocus(Qt.ShortcutFocusReason)
            form.label.selectAll()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        for act in (self.act_add_code, self.act_add_group, None, self.act_archive,
                    self.act_merge, self.act_delete):
            menu.addSeparator() if act is None else menu.addAction(act)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
