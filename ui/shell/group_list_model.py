"""The list of groups, as a Qt item model over snapshots of the core's `GroupInfo`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from facilitator.plurals import counted
from ui.common.plain import plain_tooltip

if TYPE_CHECKING:
    from facilitator.rules.groups import GroupInfo
    from facilitator.rules.meetings import MeetingInfo
    from ui.operations.runner import Session

GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class GroupListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupInfo] = []

    def set_groups(self, groups: list[GroupInfo]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def group(self, row: int) -> GroupInfo:
        return self._groups[row]

    def row_of(self, group_id: int) -> int | None:
        return next((row for row, group in enumerate(self._groups) if group.id == group_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return group.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [group.name, f"{counted(group.member_count, 'member')} · {counted(group.meeting_count, 'meeting')}"]
            if group.archived:
                lines.append("Archived")
            return plain_tooltip("\n".join(lines))
        if role == GROUP_ID_ROLE:
            return group.id
        if role == Qt.ItemDataRole.FontRole and group.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and group.archived:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "archived group" if group.archived else "group"
        return None


def groups_and_meeting(
    session: Session, keep: int | None, archived: bool, paper: str | None
) -> tuple[list[GroupInfo], int | None, MeetingInfo | None]:
    """The groups, the row of the one to show (`keep` if listed, else the first), and its open
    meeting: what the window's frame shows, in one transaction. The first time, the paper of the
    user's region (`paper`, a locale name) is settled too."""
    from facilitator.rules.groups import list_groups
    from facilitator.rules.meetings import open_meeting_of
    from facilitator.storage.preferences import settle_page_size

    if paper is not None:
        settle_page_size(session, paper)
    groups = list_groups(session, include_archived=archived)
    rows = [row for row, group in enumerate(groups) if group.id == keep] or ([0] if groups else [])
    row = rows[0] if rows else None
    return groups, row, open_meeting_of(session, groups[row].id) if row is not None else None
