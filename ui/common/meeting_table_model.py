"""A group's meetings as a Qt table model over snapshots of the core's `MeetingInfo`."""

from __future__ import annotations

from PySide6.QtCore import Qt

from facilitator.dates import local
from facilitator.rules.meetings import MeetingInfo
from facilitator.storage.models import MeetingState
from ui.common.plain import plain_tooltip
from ui.common.table_model import SnapshotTableModel

MEETING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
NUMBER_COLUMNS = range(2, 6)


class MeetingTableModel(SnapshotTableModel[MeetingInfo]):
    columns = ("Date", "Topic", "Present", "Late", "Excused", "Guests")

    def cell(self, meeting: MeetingInfo, row_number: int, column: int, role: int) -> object:
        numbers = (meeting.present, meeting.late, meeting.excused, meeting.guests)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._date_text(meeting)
            return meeting.guide_title or "—" if column == 1 else str(numbers[column - 2])
        if role == SORT_ROLE:
            if column == 0:
                return meeting.started_at.isoformat()
            return meeting.guide_title or "" if column == 1 else numbers[column - 2]
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 1):
            # The topic whole (a narrow window cuts it short), then the notes and any correction.
            topic = meeting.guide_title if column == 1 else None
            corrected = f"Corrected {local(meeting.edited_at):%d %b %Y %H:%M}" if meeting.edited_at else None
            text = "\n\n".join(part for part in (topic, meeting.notes, corrected) if part)
            return plain_tooltip(text) if text else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MEETING_ID_ROLE:
            return meeting.id
        return None

    @staticmethod
    def _date_text(meeting: MeetingInfo) -> str:
        text = local(meeting.started_at).strftime("%a %d %b %Y, %H:%M")
        if meeting.state is MeetingState.OPEN:
            return f"{text} (open)"
        return f"{text} (corrected)" if meeting.edited_at else text
