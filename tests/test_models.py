"""The stored records: time zones, constraints and what deleting a meeting takes with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    Membership,
    Participant,
    ShareTurn,
)


def _meeting_with_member(db: Database) -> tuple[int, int]:
    with db.begin() as session:
        group = Group(name="Tuesday")
        person = Participant(display_name="Ann")
        meeting = Meeting(group=group, started_at=datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
        session.add_all(
            [group, person, meeting, Membership(group=group, participant=person, joined_on=datetime(2026, 1, 1).date())]
        )
        session.flush()
        return meeting.id, person.id


def test_times_are_stored_in_utc_and_read_back_aware(db: Database) -> None:
    evening_in_tokyo = datetime(2026, 3, 3, 19, 30, tzinfo=timezone(timedelta(hours=9)))
    with db.begin() as session:
        group = Group(name="Tokyo")
        session.add(Meeting(group=group, started_at=evening_in_tokyo))
    with db.begin() as session:
        started = session.scalar(select(Meeting.started_at))
        raw = session.execute(text("SELECT started_at FROM meetings")).scalar()
    assert started == evening_in_tokyo
    assert started.tzinfo is UTC
    assert started.hour == 10
    assert str(raw).startswith("2026-03-03 10:30:00")


def test_a_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        with db.begin() as session:
            session.add(Meeting(group=Group(name="Naive"), started_at=datetime(2026, 3, 3, 18, 0)))


def test_one_attendance_per_person_per_meeting(db: Database) -> None:
    meeting_id, person_id = _meeting_with_member(db)
    with db.begin() as session:
        session.add(Attendance(meeting_id=meeting_id, participant_id=person_id, status=AttendanceStatus.PRESENT))
    with pytest.raises(IntegrityError):
        with db.begin() as session:
            session.add(Attendance(meeting_id=meeting_id, participant_id=person_id, status=AttendanceStatus.LATE))


def test_foreign_keys_are_enforced(db: Database) -> None:
    meeting_id, _ = _meeting_with_member(db)
    with pytest.raises(IntegrityError):
        with db.begin() as session:
            session.add(Attendance(meeting_id=meeting_id, participant_id=999, status=AttendanceStatus.PRESENT))


def test_an_unknown_status_is_refused_by_the_database_itself(db: Database) -> None:
    meeting_id, person_id = _meeting_with_member(db)
    with pytest.raises(IntegrityError):
        with db.begin() as session:
            session.execute(
                text(
                    "INSERT INTO attendance (meeting_id, participant_id, status, checked_in_at)"
                    " VALUES (:m, :p, 'maybe', '2026-03-03 18:00:00')"
                ),
                {"m": meeting_id, "p": person_id},
            )


def test_deleting_a_meeting_takes_its_attendance_and_turns_with_it(db: Database) -> None:
    meeting_id, person_id = _meeting_with_member(db)
    now = datetime.now(UTC)
    with db.begin() as session:
        session.add(Attendance(meeting_id=meeting_id, participant_id=person_id, status=AttendanceStatus.PRESENT))
        session.add(ShareTurn(meeting_id=meeting_id, participant_id=person_id, position=0, started_at=now))
    with db.begin() as session:
        session.execute(text("DELETE FROM meetings WHERE id = :m"), {"m": meeting_id})
    with db.begin() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0
        assert session.scalar(select(func.count()).select_from(ShareTurn)) == 0
        assert session.scalar(select(func.count()).select_from(Participant)) == 1


def test_a_group_with_meetings_cannot_be_deleted_under_them(db: Database) -> None:
    _meeting_with_member(db)
    with pytest.raises(IntegrityError):
        with db.begin() as session:
            session.execute(text("DELETE FROM memberships"))
            session.execute(text("DELETE FROM groups"))
