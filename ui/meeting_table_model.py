"""A group's meetings as a Qt table model over snapshots of the core's `MeetingInfo`."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from facilitator.dates import local
from facilitator.meetings import MeetingInfo
from facilitator.models import MeetingState
from ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Date", "Topic", "Present", "Late", "Excused", "Guests")
MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
NUMBER_COLUMNS = range(2, 6)


class MeetingTableModel(QAbstractTableModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self._meetings: list[MeetingInfo] = []

    def set_meetings(self, meetings: list[MeetingInfo]) -> None:
        self.beginResetModel()
        self._meetings = list(meetings)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._meetings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._meetings):
            return None
        meeting = self._meetings[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(meeting, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 1) and (meeting.notes or meeting.edited_at):
            corrected = f"Corrected {local(meeting.edited_at):%d %b %Y %H:%M}" if meeting.edited_at else ""
            return plain_tooltip("\n\n".join(part for part in (meeting.notes, corrected) if part))
        if role == MEETING_ID_ROLE:
            return meeting.id
        if role == SORT_ROLE:
            numbers = (meeting.present, meeting.late, meeting.excused, meeting.guests)
            return (
                meeting.started_at.isoformat()
                if column == 0
                else (meeting.guide_title or "")
                if column == 1
                else (numbers[column - 2])
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(meeting: MeetingInfo, column: int) -> str:
        if column == 0:
            text = local(meeting.started_at).strftime("%a %d %b %Y, %H:%M")
            if meeting.state is MeetingState.OPEN:
                return f"{text} (open)"
            return f"{text} (corrected)" if meeting.edited_at else text
        if column == 1:
            return meeting.guide_title or "—"
        return str((meeting.present, meeting.late, meeting.excused, meeting.guests)[column - 2])
