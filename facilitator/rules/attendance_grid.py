"""A group's attendance over a date range as a grid: its meetings, its people, and each person's
status at each meeting (or absent, or not a member then). Reports and exports read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.rules.meetings import MeetingInfo, list_meetings, meetings_between
from facilitator.rules.participants import tenures
from facilitator.storage.models import Attendance, AttendanceStatus, Meeting, Membership, Participant
from facilitator.text import name_order

ABSENT = "absent"


@dataclass(frozen=True)
class GridRow:
    participant_id: int
    display_name: str
    marks: tuple[AttendanceStatus | str | None, ...]  # per meeting: a status, ABSENT, or None (not a member)
    checked_in: tuple[datetime | None, ...]  # per meeting: the check-in time, or None

    @property
    def attended(self) -> int:
        return sum(mark in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) for mark in self.marks)

    @property
    def expected(self) -> int:
        """Meetings held while they were a member (or that they came to)."""
        return sum(mark is not None for mark in self.marks)


@dataclass(frozen=True)
class AttendanceGrid:
    meetings: list[MeetingInfo]
    rows: list[GridRow]

    def came(self, column: int) -> int:
        """How many named people were there (present or late) at the meeting in `column`."""
        return sum(row.marks[column] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) for row in self.rows)


def attendance_grid(
    session: Session, group_id: int, *, date_from: date | None = None, date_to: date | None = None
) -> AttendanceGrid:
    """Everyone who was a member during the range, or came, in name order, by meeting."""
    meetings = list_meetings(session, group_id, date_from=date_from, date_to=date_to)
    names = dict(
        session.execute(
            select(Participant.id, Participant.display_name).join(Membership).where(Membership.group_id == group_id)
        ).all()
    )
    tenure = {
        participant_id: spans
        for (_, participant_id), spans in tenures(session, Membership.group_id == group_id).items()
    }
    recorded = {
        (meeting_id, participant_id): (status, checked_in_at)
        for meeting_id, participant_id, status, checked_in_at in session.execute(
            select(Attendance.meeting_id, Attendance.participant_id, Attendance.status, Attendance.checked_in_at)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(*meetings_between(session, group_id, date_from, date_to))
        )
    }
    rows = []
    for participant_id, name in sorted(names.items(), key=lambda item: name_order(item[1])):
        marks: list[AttendanceStatus | str | None] = []
        times: list[datetime | None] = []
        for meeting in meetings:
            entry = recorded.get((meeting.id, participant_id))
            if entry is not None:
                marks.append(entry[0])
                times.append(entry[1])
            else:
                marks.append(ABSENT if tenure[participant_id].covers(meeting.local_date) else None)
                times.append(None)
        if any(mark is not None for mark in marks):
            rows.append(GridRow(participant_id, name, tuple(marks), tuple(times)))
    return AttendanceGrid(meetings, rows)
