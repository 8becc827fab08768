"""Use cases for attendance: checking people in to a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.dates import local
from facilitator.errors import AlreadyExists, InvalidState, NotFound
from facilitator.meetings import get_meeting
from facilitator.models import Attendance, AttendanceStatus, Meeting, MeetingState, Membership, utc_now
from facilitator.participants import add_participant, get_participant


@dataclass(frozen=True)
class CheckIn:
    """One person's recorded attendance at one meeting."""

    meeting_id: int
    participant_id: int
    display_name: str
    status: AttendanceStatus
    checked_in_at: datetime


def check_in(
    session: Session,
    meeting_id: int,
    participant_id: int,
    *,
    status: AttendanceStatus = AttendanceStatus.PRESENT,
    now: datetime | None = None,
) -> CheckIn:
    meeting = _open_meeting(session, meeting_id)
    participant = get_participant(session, participant_id)
    is_member = session.scalar(
        select(Membership.id).where(
            Membership.group_id == meeting.group_id,
            Membership.participant_id == participant.id,
            Membership.left_on.is_(None),
        )
    )
    if is_member is None:
        raise NotFound(f"“{participant.display_name}” is not on the roster of {meeting.group.name}.")
    earlier = session.scalar(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.participant_id == participant.id)
    )
    if earlier is not None:
        at = local(earlier.checked_in_at).strftime("%H:%M")
        raise AlreadyExists(f"“{participant.display_name}” is already checked in ({earlier.status.value}, {at}).")
    record = Attendance(meeting=meeting, participant=participant, status=status, checked_in_at=now or utc_now())
    session.add(record)
    session.flush()
    return CheckIn(meeting.id, participant.id, participant.display_name, record.status, record.checked_in_at)


def check_in_newcomer(
    session: Session,
    meeting_id: int,
    display_name: str,
    *,
    status: AttendanceStatus = AttendanceStatus.PRESENT,
    now: datetime | None = None,
) -> CheckIn:
    """Add someone new to the meeting's group and check them in, in one step."""
    meeting = _open_meeting(session, meeting_id)
    newcomer = add_participant(session, meeting.group_id, display_name)
    return check_in(session, meeting.id, newcomer.id, status=status, now=now)


def _open_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = get_meeting(session, meeting_id)
    if meeting.state is not MeetingState.OPEN:
        raise InvalidState(f"Meeting {meeting.id} is closed; nobody can check in to it.")
    return meeting
