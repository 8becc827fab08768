"""Who shares in what order at a meeting, worked out from attendance and past share turns."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.rules.attendance import meeting_roll
from facilitator.rules.meetings import get_meeting
from facilitator.rules.share_round.machine import Sharer, check_in_order, rotated_order, shuffled_order
from facilitator.storage.models import AttendanceStatus, Meeting, ShareTurn


class Ordering(enum.StrEnum):
    ROTATE = "rotate"  # start one place after last meeting's first sharer
    CHECK_IN = "check_in"  # in the order people arrived
    SHUFFLE = "shuffle"  # a seeded random order


def previous_first_sharer(session: Session, meeting_id: int) -> int | None:
    """Who shared first at the group's last meeting before this one that had a round."""
    meeting = get_meeting(session, meeting_id)
    return session.scalar(
        select(ShareTurn.participant_id)
        .join(Meeting, Meeting.id == ShareTurn.meeting_id)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.started_at < meeting.started_at,
            ShareTurn.position == 0,
        )
        .order_by(Meeting.started_at.desc())
        .limit(1)
    )


def sharing_order(
    session: Session, meeting_id: int, ordering: Ordering = Ordering.ROTATE, *, seed: int = 0
) -> list[Sharer]:
    """Everyone checked in as present or late, in the order the round should take them.

    Rotation is derived from the share turns recorded at earlier meetings, so it carries on
    across restarts and computers.
    """
    roll = meeting_roll(session, meeting_id)
    here = [entry for entry in roll if entry.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)]
    names = {entry.participant_id: entry.display_name for entry in here}
    if ordering is Ordering.CHECK_IN:
        order = check_in_order([(entry.participant_id, entry.checked_in_at) for entry in here if entry.checked_in_at])
    elif ordering is Ordering.SHUFFLE:
        order = shuffled_order(list(names), seed)
    else:
        roster = [entry.participant_id for entry in roll]  # the roll is in roster (name) order
        order = rotated_order(roster, names.keys(), previous_first_sharer(session, meeting_id))
    return [Sharer(person, names[person]) for person in order]
