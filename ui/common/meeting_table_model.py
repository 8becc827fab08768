"""A group's meetings as a Qt table model over snapshots of the core's `MeetingInfo`, sorted by
the model itself."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt

from facilitator.dates import day_at
from facilitator.rules.meetings import MeetingInfo
from facilitator.storage.models import AttendanceStatus, MeetingState
from ui.common.plain import plain_tooltip
from ui.common.table_model import SnapshotTableModel

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_COLUMNS = range(2, 6)


def _numbers(meeting: MeetingInfo) -> tuple[int, int, int, int]:
    return meeting.present, meeting.late, meeting.excused, meeting.guests


SORT_KEYS = (
    lambda meeting: meeting.started_at,
    lambda meeting: meeting.guide_title or "",
    *(lambda meeting, n=n: _numbers(meeting)[n] for n in range(4)),
)


class MeetingTableModel(SnapshotTableModel[MeetingInfo]):
    """Ten years of meetings are sorted here, in Python, in a millisecond: a sort proxy over them
    would ask `data` for each comparison, thousands of calls each time the page is shown."""

    columns = ("Date", "Topic", "Present", "Late", AttendanceStatus.EXCUSED.word.capitalize(), "Guests")
    roles = frozenset(
        (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole, MEETING_ID_ROLE)
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[MeetingInfo]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._order = (column, order) if 0 <= column < len(self.columns) else None
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        ids = [self._rows[index.row()].id for index in kept]
        self._rows = self._sorted(self._rows)
        row_of = {meeting.id: number for number, meeting in enumerate(self._rows)}
        self.changePersistentIndexList(
            kept, [self.index(row_of[id_], index.column()) for id_, index in zip(ids, kept, strict=True)]
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: Sequence[MeetingInfo]) -> list[MeetingInfo]:
        if self._order is None:
            return list(rows)
        column, order = self._order
        return sorted(rows, key=SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def cell(self, meeting: MeetingInfo, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._date_text(meeting)
            return meeting.guide_title or "—" if column == 1 else str(_numbers(meeting)[column - 2])
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 1):
            # The topic whole (a narrow window cuts it short), then the notes and any correction.
            topic = meeting.guide_title if column == 1 else None
            corrected = f"Corrected {day_at(meeting.held(meeting.edited_at))}" if meeting.edited_at else None
            text = "\n\n".join(part for part in (topic, meeting.notes, corrected) if part)
            return plain_tooltip(text) if text else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MEETING_ID_ROLE:
            return meeting.id
        return None

    @staticmethod
    def _date_text(meeting: MeetingInfo) -> str:
        text = day_at(meeting.held(meeting.started_at))
        if meeting.state is MeetingState.OPEN:
            return f"{text} (open)"
        return f"{text} (corrected)" if meeting.edited_at else text
