"""The list of groups beside every page: one selection, names whole up to a readable most."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView

from ui.common.widgets import named

# A longer group name ends in "…", with the whole name in its tooltip (and the title bar).
GROUP_NAME_CHARS = range(16, 30)


def group_list_view(model: QAbstractListModel) -> QListView:
    view = named(QListView(), "groupList")
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setUniformItemSizes(True)
    view.setAccessibleName("Groups")
    # A name longer than the list's widest ends in "…", not in a scroll bar.
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


def fit_group_list(view: QListView) -> None:
    """The group list as wide as its longest name, up to a readable most: the same on every tab."""
    view.ensurePolished()
    model = view.model()
    widest = max((view.sizeHintForIndex(model.index(row, 0)).width() for row in range(model.rowCount())), default=0)
    least, most = (
        view.fontMetrics().averageCharWidth() * chars for chars in (GROUP_NAME_CHARS.start, GROUP_NAME_CHARS.stop)
    )
    furniture = 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
    view.setFixedWidth(min(max(widest, least), most) + furniture)
