"""The Guides page: the library of topic guides and meeting formats, to browse, search, preview,
copy and edit, and to share as files with another facilitator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from facilitator.plurals import counted
from facilitator.rules.groups import GroupInfo
from facilitator.rules.guide_format import with_fields
from facilitator.rules.guides import (
    GuideSummary,
    copy_text,
    delete_guide,
    duplicate_guide,
    export_guide,
    free_slug,
    get_guide,
    guide_source,
    guide_themes,
    guide_use_count,
    import_guide,
    list_guides,
)
from facilitator.storage.models import GuideKind
from ui.common.guide_html import guide_html
from ui.common.plain import confirm, plain_label, plain_tooltip
from ui.common.table_model import SnapshotTableModel
from ui.common.widgets import button, named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations
from ui.pages.guides.guide_editor import QtGuideEditor

KIND_TEXT = {GuideKind.TOPIC: "Topic guide", GuideKind.FORMAT: "Meeting format"}
NEW_GUIDE = """---
slug: my-topic
kind: topic
title: My topic
theme: Our own topics
share_minutes: 4
version: 1
---

## Summary

What this topic is about, in two or three sentences.

## Facilitator notes

- What to watch for while the group talks about it.

## Opening reading

A few lines to read aloud to open the topic.

## Check-in question

One question each person can answer in a sentence or two?

## Discussion prompts

- A first question for the group?
- A second question?
- A third question?
- A fourth question?

## Exercise

Something practical to try in the room or at home.

## Closing reflection

A few lines to read aloud to close.

## Take home

What goes on the handout for people to take home.
"""


class GuideTableModel(SnapshotTableModel[GuideSummary]):
    columns = ("Title", "Kind", "Whose")

    def cell(self, guide: GuideSummary, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (guide.title, KIND_TEXT[guide.kind], guide.owner)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{guide.title}\n{guide.theme}\n\n{guide.summary}".strip())
        if role == Qt.ItemDataRole.UserRole:
            return guide.slug
        return None


class QtGuidesPanel(QWidget):
    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidesPanel")
        self._operations = operations
        filters = self._build_filters()
        self.model = GuideTableModel(self)
        self.view = table_view("guideList", "Guides", self.model, stretch=0)
        self.view.selectionModel().currentChanged.connect(lambda current, _previous: self._show(current))
        self.view.activated.connect(lambda _index: self.edit_current())
        self.count = plain_label("")
        self.preview = named(QTextBrowser(), "guideLibraryPreview")
        self.preview.setAccessibleName("The highlighted guide")
        self.preview.setOpenLinks(False)
        actions = self._build_buttons()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.count)
        left_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        # The list takes the larger part, so that its titles show whole beside the script panel.
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(plain_label("Topic guides and meeting formats", object_name="sectionTitle"))
        layout.addWidget(splitter, 1)
        self._themes_loaded = False

    def _build_filters(self) -> QHBoxLayout:
        """The search over the guides' words, and the kind and theme boxes (returned, in a row)."""
        self.search = named(QLineEdit(), "guideSearch")
        self.search.setPlaceholderText("Search the guides' words")
        self.search.setAccessibleName("Search guides")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.kind = named(QComboBox(), "guideKind")
        self.kind.setAccessibleName("Kind of guide")
        self.kind.addItem("Topics and formats", None)
        for kind, text in KIND_TEXT.items():
            self.kind.addItem(f"{text}s", kind)
        self.kind.currentIndexChanged.connect(lambda _index: self.refresh())
        self.theme = named(QComboBox(), "guideTheme")
        self.theme.setAccessibleName("Theme")
        self.theme.currentIndexChanged.connect(lambda _index: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.theme, 1)
        return filters

    def _build_buttons(self) -> QGridLayout:
        self.new_button = button("New Guide…", "Write a topic guide of your own")
        self.duplicate_button = button("Duplicate to Edit", "Make your own copy of this guide, to change")
        self.edit_button = button("Edit…", "Change your own guide (built-ins are copied first)")
        self.delete_button = button("Delete…", "Delete your own guide (built-ins stay)")
        self.import_button = button("Import…", "Add a guide file another facilitator shared")
        self.export_button = button("Export…", "Save the guide as a file to share or keep")
        self.new_button.clicked.connect(self.new_guide)
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.import_button.clicked.connect(self._choose_import)
        self.export_button.clicked.connect(self._choose_export)
        actions = QGridLayout()
        for place, each in enumerate(
            (self.new_button, self.duplicate_button, self.edit_button, self.delete_button, self.import_button)
        ):
            actions.addWidget(each, place // 3, place % 3)
        actions.addWidget(self.export_button, 1, 2)
        return actions

    # ---- what is shown --------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        if not self._themes_loaded:
            self._load_themes()
        words, kind, theme = self.search.text(), self.kind.currentData(), self.theme.currentData()
        guides = self._operations.run(lambda session: list_guides(session, kind=kind, theme=theme, words=words))
        if guides is REFUSED:
            return
        keep = select or self.current_slug()
        self.model.set_rows(guides)
        self.count.setText(counted(len(guides), "guide") if guides else "No guide has all these words.")
        rows = [guide.slug for guide in guides]
        row = rows.index(keep) if keep in rows else 0
        if guides:
            self.view.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show(QModelIndex())

    def current(self) -> GuideSummary | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def current_slug(self) -> str | None:
        guide = self.current()
        return guide.slug if guide else None

    def _load_themes(self) -> None:
        themes = self._operations.run(guide_themes) or []
        self.theme.blockSignals(True)
        self.theme.clear()
        self.theme.addItem("All themes", None)
        for theme in themes:
            self.theme.addItem(theme, theme)
        self.theme.blockSignals(False)
        self._themes_loaded = True

    def _show(self, index: QModelIndex) -> None:
        guide = self.model.row_at(index.row()) if index.isValid() else None
        for each in (self.duplicate_button, self.edit_button, self.export_button):
            each.setEnabled(guide is not None)
        self.delete_button.setEnabled(guide is not None and not guide.builtin)
        self.edit_button.setText("Edit…" if guide is None or not guide.builtin else "Edit a Copy…")
        if guide is None:
            self.preview.clear()
            return
        parsed = self._operations.run(lambda session: get_guide(session, guide.slug))
        if parsed is not REFUSED:
            self.preview.setHtml(guide_html(parsed))

    # ---- actions --------------------------------------------------------------------------

    def new_guide(self) -> None:
        slug = self._operations.run(lambda session: free_slug(session, "my-topic")) or "my-topic"
        self._edit(with_fields(NEW_GUIDE, slug=slug), replacing=None)

    def duplicate_current(self) -> GuideSummary | None:
        guide = self.current()
        if guide is None:
            return None
        copy = self._operations.run(lambda session: duplicate_guide(session, guide.slug), Change.LIBRARY, self)
        if copy is REFUSED:
            return None
        self._reread(copy.slug)
        return copy

    def edit_current(self) -> None:
        guide = self.current()
        if guide is None:
            return
        if guide.builtin:  # built-ins stay as shipped: the facilitator edits a copy, kept on Save
            text = self._operations.run(lambda session: copy_text(session, guide.slug))
            if text is not REFUSED:
                self._edit(text, replacing=None)
            return
        text = self._operations.run(lambda session: guide_source(session, guide.slug))
        if text is not REFUSED:
            self._edit(text, replacing=guide.slug)

    def delete_current(self) -> None:
        guide = self.current()
        if guide is None or guide.builtin:
            return
        used = self._operations.run(lambda session: guide_use_count(session, guide.slug))
        if used is REFUSED:
            return
        meetings = f" {used} past meetings used it; they will no longer name it." if used else ""
        if not confirm(self, "Delete Guide", f"Delete your guide “{guide.title}”?{meetings}", "Delete"):
            return
        if self._operations.run(lambda session: delete_guide(session, guide.slug), Change.LIBRARY, self) is not REFUSED:
            self._reread(None)

    def import_from(self, path: Path) -> GuideSummary | None:
        imported = self._operations.run(lambda session: import_guide(session, path), Change.LIBRARY, self)
        if imported is REFUSED:
            return None
        self._reread(imported.slug)
        return imported

    def export_to(self, path: Path) -> Path | None:
        guide = self.current()
        if guide is None:
            return None
        exported = self._operations.run(lambda session: export_guide(session, guide.slug, path))
        return None if exported is REFUSED else exported

    # ---- inside -----------------------------------------------------------------------------

    def _edit(self, text: str, *, replacing: str | None) -> None:
        editor = QtGuideEditor(self._operations, text, replacing=replacing, parent=self)
        editor.exec()
        saved = editor.saved
        editor.deleteLater()
        if saved is not None:
            self._reread(saved.slug)

    def _reread(self, select: str | None) -> None:
        self._themes_loaded = False
        self.refresh(select)

    def show_group(self, group: GroupInfo | None) -> None:
        """The library is the same for every group."""
        self.refresh()

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if initiator is not self and changes & Change.LIBRARY and self.isVisible():
            self._themes_loaded = False
            self.refresh()

    def shut_down(self) -> None:
        """Nothing runs here between actions."""

    def _choose_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Import Guide", "", "Guide files (*.md *.txt);;All files (*)")
        if name:
            self.import_from(Path(name))

    def _choose_export(self) -> None:
        guide = self.current()
        if guide is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, "Export Guide", f"{guide.slug}.md", "Guide files (*.md)")
        if name:
            self.export_to(Path(name))
