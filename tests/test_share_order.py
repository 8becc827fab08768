"""The sharing order of a real meeting, derived from attendance and earlier share turns."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.order import Ordering, previous_first_sharer, sharing_order
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, ShareTurn


def _evening(week: int) -> datetime:
    return datetime(2026, 3, 3, 19, 0).astimezone() + timedelta(weeks=week)


def test_rotation_carries_on_from_the_recorded_turns_of_earlier_meetings(db: Database) -> None:
    names = ("Ann", "Bo", "Cy", "Dee")
    firsts = []
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ids = {name: add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id for name in names}
        absent_by_week = {0: set(), 1: {"Cy"}, 2: {"Bo"}}
        for week in range(3):
            meeting = open_meeting(session, group.id, now=_evening(week))
            for offset, name in enumerate(names):
                if name not in absent_by_week[week]:
                    moment = _evening(week) + timedelta(minutes=offset)
                    check_in(session, meeting.id, ids[name], now=moment)
            order = sharing_order(session, meeting.id)
            firsts.append([sharer.display_name for sharer in order])
            for position, sharer in enumerate(order):
                session.add(
                    ShareTurn(
                        meeting_id=meeting.id,
                        participant_id=sharer.participant_id,
                        position=position,
                        started_at=_evening(week) + timedelta(minutes=20 + 3 * position),
                    )
                )
            close_meeting(session, meeting.id, now=_evening(week) + timedelta(hours=1))
    assert firsts == [["Ann", "Bo", "Cy", "Dee"], ["Bo", "Dee", "Ann"], ["Cy", "Dee", "Ann"]]


def test_other_orderings_and_who_is_left_out(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Thursday")
        ann, bo, cy = (add_participant(session, group.id, name).id for name in ("Ann", "Bo", "Cy"))
        meeting = open_meeting(session, group.id, now=_evening(0) - timedelta(hours=3))
        check_in(session, meeting.id, cy, now=_evening(0))
        check_in(session, meeting.id, ann, status=AttendanceStatus.LATE, now=_evening(0) + timedelta(minutes=9))
        check_in(session, meeting.id, bo, status=AttendanceStatus.EXCUSED, now=_evening(0) - timedelta(hours=2))
        assert previous_first_sharer(session, meeting.id) is None
        arrived = [s.display_name for s in sharing_order(session, meeting.id, Ordering.CHECK_IN)]
        shuffled = [s.display_name for s in sharing_order(session, meeting.id, Ordering.SHUFFLE, seed=3)]
        rotated = [s.display_name for s in sharing_order(session, meeting.id)]
    assert arrived == ["Cy", "Ann"]  # excused people are not in the room
    assert sorted(shuffled) == ["Ann", "Cy"]
    assert rotated == ["Ann", "Cy"]
