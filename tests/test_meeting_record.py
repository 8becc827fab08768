"""The meeting record stays right: one meeting an evening unless meant, reopening it, deleting one
opened by mistake (never one with anyone in it), and the notes for next time read next time."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from facilitator.errors import InvalidState
from facilitator.plurals import counted
from facilitator.rules.attendance import check_in, remove_check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import (
    close_meeting,
    delete_empty_meeting,
    meeting_info,
    meeting_on_the_day,
    open_meeting,
    open_meeting_of,
    previous_meeting,
    reopen_meeting,
    set_guest_count,
)
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, Meeting, MeetingState

EVENING = datetime(2026, 3, 3, 19, 0).astimezone()


@pytest.fixture
def tuesday(db: Database) -> dict[str, int]:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ids = {"group": group.id}
        for name in ("Ann", "Bo"):
            ids[name] = add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id
    return ids


def _meetings(db: Database) -> int:
    with db.begin() as session:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0


def test_a_second_meeting_the_same_evening_is_refused_unless_meant(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        first = open_meeting(session, tuesday["group"], now=EVENING)
        close_meeting(session, first.id, now=EVENING + timedelta(minutes=5))
    with db.begin() as session, pytest.raises(InvalidState) as refused:
        open_meeting(session, tuesday["group"], now=EVENING + timedelta(minutes=20))
    assert str(refused.value) == (
        f"Tuesday already met today: meeting {first.id}, opened at 19:00. "
        "Reopen it, or open a second meeting today on purpose."
    )
    assert _meetings(db) == 1
    with db.begin() as session:
        found = meeting_on_the_day(session, tuesday["group"], EVENING + timedelta(hours=3))
        assert found is not None and found.id == first.id
        assert meeting_on_the_day(session, tuesday["group"], EVENING + timedelta(days=1)) is None
        second = open_meeting(session, tuesday["group"], now=EVENING + timedelta(minutes=20), another_today=True)
    assert second.id != first.id and _meetings(db) == 2
    with db.begin() as session:  # next week's meeting is no second meeting
        close_meeting(session, second.id, now=EVENING + timedelta(hours=1))
        open_meeting(session, tuesday["group"], now=EVENING + timedelta(days=7))


def test_a_closed_meeting_is_reopened_the_same_evening_with_its_record(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"], now=EVENING)
        check_in(session, meeting.id, tuesday["Ann"], now=EVENING + timedelta(minutes=1))
        close_meeting(session, meeting.id, notes="Room 4 next week", now=EVENING + timedelta(minutes=5))
    with db.begin() as session:
        reopened = reopen_meeting(session, meeting.id, now=EVENING + timedelta(minutes=30))
    assert (reopened.state, reopened.ended_at, reopened.present, reopened.notes) == (
        MeetingState.OPEN,
        None,
        1,
        "Room 4 next week",
    )
    with db.begin() as session:
        check_in(session, meeting.id, tuesday["Bo"], now=EVENING + timedelta(minutes=31))
        assert open_meeting_of(session, tuesday["group"]) is not None
        with pytest.raises(InvalidState, match="is open already"):
            reopen_meeting(session, meeting.id, now=EVENING + timedelta(minutes=32))
        close_meeting(session, meeting.id, now=EVENING + timedelta(hours=2))
    with db.begin() as session, pytest.raises(InvalidState, match="too long ago to go on with; open a new meeting"):
        reopen_meeting(session, meeting.id, now=EVENING + timedelta(hours=13))


def test_a_meeting_with_anyone_checked_in_is_never_deleted(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"], now=EVENING)
        check_in(session, meeting.id, tuesday["Ann"], status=AttendanceStatus.EXCUSED, now=EVENING)
    with pytest.raises(InvalidState) as refused:
        delete_empty_meeting(db, meeting.id)
    assert str(refused.value) == (
        f"Meeting {meeting.id} has 1 person marked, so it is kept; "
        "take the marks back first if they were made by mistake."
    )
    with db.begin() as session:
        remove_check_in(session, meeting.id, tuesday["Ann"])
        set_guest_count(session, meeting.id, 2)
    with pytest.raises(InvalidState, match=f"Meeting {meeting.id} counted 2 guests, so it is kept."):
        delete_empty_meeting(db, meeting.id)
    assert _meetings(db) == 1


def test_an_empty_meeting_is_deleted_after_a_backup(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        kept = open_meeting(session, tuesday["group"], now=EVENING - timedelta(days=7))
        check_in(session, kept.id, tuesday["Ann"], now=kept.started_at)
        close_meeting(session, kept.id, now=kept.started_at + timedelta(hours=1))
        mistake = open_meeting(session, tuesday["group"], now=EVENING)
        close_meeting(session, mistake.id, now=EVENING + timedelta(minutes=2))
    deleted = delete_empty_meeting(db, mistake.id)
    assert (deleted.id, deleted.group_name) == (mistake.id, "Tuesday")
    assert _meetings(db) == 1
    with db.begin() as session:
        assert meeting_info(session, kept.id).present == 1
        assert meeting_on_the_day(session, tuesday["group"], EVENING) is None  # tonight can be opened afresh
    if db.location.database_path is not None:
        assert [path.name for path in db.location.backup_dir.glob("*-before-deleting-a-meeting.sqlite3")]


def test_the_notes_for_next_time_belong_to_the_meeting_after(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        last_week = open_meeting(session, tuesday["group"], now=EVENING - timedelta(days=7))
        close_meeting(session, last_week.id, notes="Bring the leaflets", now=last_week.started_at + timedelta(hours=1))
        tonight = open_meeting(session, tuesday["group"], now=EVENING)
        before = previous_meeting(session, tonight.id)
        assert before is not None and (before.id, before.notes) == (last_week.id, "Bring the leaflets")
        assert previous_meeting(session, last_week.id) is None


@pytest.mark.parametrize(
    ("number", "word", "reads"),
    [(1, "guest", "1 guest"), (0, "guest", "0 guests"), (2, "meeting", "2 meetings"), (1, "person", "1 person")]
    + [(3, "person", "3 people"), (1, "check-in", "1 check-in"), (2, "share turn", "2 share turns")],
)
def test_counts_read_right_in_the_singular_and_the_plural(number: int, word: str, reads: str) -> None:
    assert counted(number, word) == reads


def test_the_command_line_refuses_a_second_meeting_and_reopens_or_deletes(cli) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    assert cli("meeting", "open", "--group", "Tuesday").code == 0
    closed = cli("meeting", "close", "1")
    assert "0 present, 0 late, 0 sent word, 0 guests." in closed.out
    again = cli("meeting", "open", "--group", "Tuesday")
    assert again.code == 1 and "Traceback" not in again.err
    assert "Tuesday already met today: meeting 1, opened at" in again.err
    assert "Reopen it with: facilitator meeting reopen 1 (or add --another to open a second one)." in again.err
    assert cli("meeting", "reopen", "1").out.strip() == "Reopened meeting 1 of Tuesday; its attendance is kept."
    assert cli("meeting", "close", "1").code == 0
    assert cli("meeting", "delete", "1").out.strip() == "Deleted meeting 1 of Tuesday (nobody was marked at it)."
    # Tonight's, afresh (its id may be the deleted one's: that recorded no one, so nothing named it).
    assert cli("meeting", "open", "--group", "Tuesday").code == 0
    tonight = json.loads(cli("meetings", "--group", "Tuesday", "--json").out)[0]["id"]
    assert cli("checkin", str(tonight), "Ann", "--new").code == 0
    kept = cli("meeting", "delete", str(tonight))
    assert kept.code == 1 and f"Meeting {tonight} has 1 person marked, so it is kept" in kept.err
    closed = cli("meeting", "close", str(tonight))
    assert closed.out.startswith(f"Closed meeting {tonight} of Tuesday: 1 present, 0 late, 0 sent word, 0 guests.")
    assert cli("meeting", "open", "--group", "Tuesday", "--another").code == 0
