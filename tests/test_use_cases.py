"""Groups, rosters, meetings and check-in: the rules the window and the command line share."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.rules.attendance import check_in, check_in_newcomer, meeting_roll
from facilitator.rules.groups import (
    archive_group,
    create_group,
    find_group,
    group_info,
    list_groups,
    restore_group,
    update_group,
    weekday_number,
)
from facilitator.rules.meetings import close_meeting, list_meetings, open_meeting, recent_meetings
from facilitator.rules.participants import add_participant, add_to_group, find_member, list_participants
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, MeetingState
from tests.conftest import HOSTILE_NAME


def test_a_group_is_created_with_clean_name_and_share_length(db: Database) -> None:
    with db.begin() as session:
        info = create_group(session, "  Tuesday   Evening  ", share_minutes=4, description="Dual recovery\n")
    assert (info.name, info.share_seconds, info.description) == ("Tuesday Evening", 240, "Dual recovery")
    assert (info.member_count, info.meeting_count, info.last_meeting_at) == (0, 0, None)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("A" * 121, "121 characters"),
        ("Bad\x00name", "control character"),
        ("Esc\x1b[31m", "control character"),
    ],
)
def test_unusable_group_names_are_refused(db: Database, name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message), db.begin() as session:
        create_group(session, name)
    with db.begin() as session:
        assert list_groups(session, include_archived=True) == []


def test_group_names_are_unique_whatever_their_case(db: Database) -> None:
    with db.begin() as session:
        create_group(session, "Family Circle")
    with pytest.raises(AlreadyExists, match="Family Circle"), db.begin() as session:
        create_group(session, "family   CIRCLE")


def test_share_length_must_be_sensible(db: Database) -> None:
    with pytest.raises(InvalidInput, match="outside 1–30 minutes"), db.begin() as session:
        create_group(session, "Long talkers", share_minutes=45)


def test_the_usual_day_time_and_place_are_kept_and_read_as_one_line(db: Database) -> None:
    with db.begin() as session:
        info = create_group(session, "Tuesday", meeting_weekday=1, meeting_time=" 19:00 ", place="  St Mark's   Hall ")
    assert (info.meeting_weekday, info.meeting_time, info.place) == (1, time(19, 0), "St Mark's Hall")
    assert info.usual_meeting == "Meets Tuesdays at 19:00 · St Mark's Hall"
    with db.begin() as session:
        bare = create_group(session, "Thursday")
        changed = update_group(
            session,
            bare.id,
            name="Thursday",
            share_minutes=3,
            description="",
            meeting_weekday=None,
            meeting_time="7.30",
            place="",
        )
    assert (bare.meeting_weekday, bare.meeting_time, bare.place, bare.usual_meeting) == (None, None, "", "")
    assert (changed.meeting_time, changed.usual_meeting) == (time(7, 30), "Meets at 07:30")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"meeting_time": "25:00"}, "not a time of day"),
        ({"meeting_time": "7pm"}, "not a time of day"),
        ({"meeting_time": "19:60"}, "not a time of day"),
        ({"meeting_weekday": 7}, r"0 \(Monday\) to 6 \(Sunday\)"),
        ({"meeting_weekday": -1}, r"0 \(Monday\) to 6 \(Sunday\)"),
        ({"place": "P" * 201}, "201 characters"),
        ({"place": "Hall\x1b[31m"}, "control character"),
    ],
)
def test_an_unusable_day_time_or_place_is_refused_and_nothing_is_written(
    db: Database, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message), db.begin() as session:
        create_group(session, "New", **fields)
    with db.begin() as session:
        assert list_groups(session, include_archived=True) == []
        group = create_group(session, "Tuesday", meeting_weekday=1, meeting_time="19:00", place="Hall")
    settings = {"name": "Renamed", "share_minutes": 5, "description": "Changed", "meeting_weekday": 2}
    with pytest.raises(InvalidInput, match=message), db.begin() as session:
        update_group(session, group.id, **{"meeting_time": "18:00", "place": "Annex", **settings, **fields})
    with db.begin() as session:
        assert group_info(session, group.id) == group


def test_a_weekday_is_named_as_a_person_would() -> None:
    assert [weekday_number(typed) for typed in ("Monday", "tuesdays", " WED ", "sun")] == [0, 1, 2, 6]
    for typed in ("", "t", "Someday", "Tue 19:00"):
        with pytest.raises(InvalidInput, match="not a day of the week"):
            weekday_number(typed)


def test_rename_archive_and_restore(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        create_group(session, "Thursday")
    with pytest.raises(AlreadyExists), db.begin() as session:
        update_group(session, group.id, name="thursday")
    with db.begin() as session:
        assert update_group(session, group.id, name="Tuesday Evening").name == "Tuesday Evening"
        archive_group(session, group.id)
    with db.begin() as session:
        assert [g.name for g in list_groups(session)] == ["Thursday"]
        assert [g.name for g in list_groups(session, include_archived=True)] == ["Thursday", "Tuesday Evening"]
        with pytest.raises(InvalidState, match="already archived"):
            archive_group(session, group.id)
        restore_group(session, group.id)
        assert len(list_groups(session)) == 2


def test_find_group_names_the_groups_there_are(db: Database) -> None:
    with db.begin() as session:
        create_group(session, "Tuesday")
        with pytest.raises(NotFound, match="Groups: Tuesday"):
            find_group(session, "Wednesday")
        assert find_group(session, " TUESDAY ").name == "Tuesday"


def test_a_group_with_an_open_meeting_cannot_be_archived(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        open_meeting(session, group.id)
    with pytest.raises(InvalidState, match="still open"), db.begin() as session:
        archive_group(session, group.id)


def test_roster_names_are_unique_within_a_group_and_shared_across_groups(db: Database) -> None:
    with db.begin() as session:
        tuesday = create_group(session, "Tuesday")
        saturday = create_group(session, "Saturday")
        ann = add_participant(session, tuesday.id, "Ann", note="prefers to pass")
        with pytest.raises(AlreadyExists, match="already on the roster"):
            add_participant(session, tuesday.id, "ANN")
        add_to_group(session, ann.id, saturday.id)
        with pytest.raises(AlreadyExists):
            add_to_group(session, ann.id, saturday.id)
        assert [p.display_name for p in list_participants(session, saturday.id)] == ["Ann"]
        assert find_member(session, tuesday.id, "ann").id == ann.id
        with pytest.raises(NotFound, match="nobody called “Bo”"):
            find_member(session, tuesday.id, "Bo")


def test_hostile_names_are_stored_exactly_as_typed(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, HOSTILE_NAME)
        add_participant(session, group.id, HOSTILE_NAME)
    with db.begin() as session:
        assert list_groups(session)[0].name == HOSTILE_NAME
        assert list_participants(session, group.id)[0].display_name == HOSTILE_NAME


def test_a_meeting_from_opening_to_closing(db: Database) -> None:
    start = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann")
        bo = add_participant(session, group.id, "Bo")
        cy = add_participant(session, group.id, "Cy")
        meeting = open_meeting(session, group.id, now=start)
        with pytest.raises(InvalidState, match="already has meeting"):
            open_meeting(session, group.id)
        check_in(session, meeting.id, ann.id, now=start)
        check_in(session, meeting.id, bo.id, status=AttendanceStatus.LATE, now=start + timedelta(minutes=12))
        check_in(session, meeting.id, cy.id, status=AttendanceStatus.EXCUSED, now=start - timedelta(hours=3))
        check_in_newcomer(session, meeting.id, "Dee", now=start + timedelta(minutes=20))
        with pytest.raises(AlreadyExists, match="already marked \\(late"):
            check_in(session, meeting.id, bo.id)
        closed = close_meeting(session, meeting.id, notes="Room change next week", now=start + timedelta(minutes=90))
    assert closed.state is MeetingState.CLOSED
    assert (closed.present, closed.late, closed.excused) == (2, 1, 1)
    assert closed.notes == "Room change next week"
    with db.begin() as session:
        with pytest.raises(InvalidState, match="already closed"):
            close_meeting(session, meeting.id)
        with pytest.raises(InvalidState, match="closed; correct it from the meeting history"):
            check_in(session, meeting.id, ann.id)
        roster = {p.display_name: p.meetings_attended for p in list_participants(session, group.id)}
    assert roster == {"Ann": 1, "Bo": 1, "Cy": 0, "Dee": 1}


def test_only_members_of_the_group_can_check_in(db: Database) -> None:
    with db.begin() as session:
        tuesday = create_group(session, "Tuesday")
        saturday = create_group(session, "Saturday")
        stranger = add_participant(session, saturday.id, "Eve")
        meeting = open_meeting(session, tuesday.id)
        with pytest.raises(NotFound, match="not on the roster of Tuesday"):
            check_in(session, meeting.id, stranger.id)


def test_meetings_are_listed_by_local_date_range(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        for day in (3, 10, 17):
            moment = datetime(2026, 3, day, 19, 0).astimezone()
            meeting = open_meeting(session, group.id, now=moment)
            close_meeting(session, meeting.id, now=moment + timedelta(hours=1))
        every = list_meetings(session, group.id)
        middle = list_meetings(session, group.id, date_from=date(2026, 3, 10), date_to=date(2026, 3, 10))
        later = list_meetings(session, group.id, date_from=date(2026, 3, 4))
        with pytest.raises(InvalidInput, match="starts .* after it ends"):
            list_meetings(session, group.id, date_from=date(2026, 3, 10), date_to=date(2026, 3, 1))
    assert [m.local_date.day for m in every] == [3, 10, 17]
    with db.begin() as session:
        assert [m.local_date.day for m in recent_meetings(session, group.id, 2)] == [17, 10]
    assert [m.local_date.day for m in middle] == [10]
    assert [m.local_date.day for m in later] == [10, 17]


def test_an_unknown_guide_is_a_plain_error(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        with pytest.raises(NotFound, match="no topic guide “hope”"):
            open_meeting(session, group.id, guide_slug="hope")


def test_every_kind_of_check_in_gets_the_same_answer_however_it_is_made(db: Database) -> None:
    """Current members at an open meeting go the one-statement way; everyone else step by step.
    Either way the record and the refusals are the same."""
    from sqlalchemy import func, select

    from facilitator.rules.participants import remove_from_roster
    from facilitator.storage.models import Attendance, Meeting

    started = datetime(2026, 3, 3, 19, 0, tzinfo=UTC)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, HOSTILE_NAME, joined_on=date(2026, 1, 1))
        bo = add_participant(session, group.id, "Bo", joined_on=date(2026, 1, 1))
        cy = add_participant(session, group.id, "Cy", joined_on=date(2026, 1, 1))
        meeting = open_meeting(session, group.id, now=started)
        # Bo leaves the day after the meeting began (it is still open); Cy left before it.
        remove_from_roster(session, group.id, bo.id, on=date(2026, 3, 4))
        remove_from_roster(session, group.id, cy.id, on=date(2026, 3, 3))
    at = started + timedelta(minutes=5)
    with db.begin() as session:
        done = check_in(session, meeting.id, ann.id, status=AttendanceStatus.LATE, now=at)
    assert (done.display_name, done.status, done.checked_in_at) == (HOSTILE_NAME, AttendanceStatus.LATE, at)
    with db.begin() as session:
        assert check_in(session, meeting.id, bo.id, now=at).display_name == "Bo"
        with pytest.raises(AlreadyExists, match="is already marked \\(late, "):
            check_in(session, meeting.id, ann.id)
        with pytest.raises(NotFound, match="“Cy” is not on the roster of Tuesday"):
            check_in(session, meeting.id, cy.id)
        with pytest.raises(NotFound, match="no meeting with id 999"):
            check_in(session, 999, ann.id)
        with pytest.raises(NotFound):
            check_in(session, meeting.id, 999)
    with db.begin() as session:
        close_meeting(session, meeting.id, now=started + timedelta(hours=1))
    with db.begin() as session:
        dee = add_participant(session, group.id, "Dee", joined_on=date(2026, 1, 1))
        with pytest.raises(InvalidState, match="is closed"):
            check_in(session, meeting.id, dee.id)
    with db.begin() as session:
        check_in(session, meeting.id, dee.id, correcting=True, now=started + timedelta(days=1))
        assert session.get(Meeting, meeting.id).edited_at is not None
        assert session.scalar(select(func.count(Attendance.id))) == 3
        roll = {entry.display_name: entry.status for entry in meeting_roll(session, meeting.id)}
    present = AttendanceStatus.PRESENT
    assert roll == {HOSTILE_NAME: AttendanceStatus.LATE, "Bo": present, "Dee": present}


def test_a_check_in_is_one_statement_and_still_works_where_sqlite_cannot_return_rows(db: Database) -> None:
    """The common check-in writes with one INSERT … SELECT; a database that cannot RETURN rows
    (SQLite before 3.35) gets the step-by-step way, with the same result."""
    from sqlalchemy import event

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann")
        bo = add_participant(session, group.id, "Bo")
        meeting = open_meeting(session, group.id)
    statements: list[str] = []
    listener = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with db.begin() as session:
            assert check_in(session, meeting.id, ann.id).display_name == "Ann"
        work = [s for s in statements if not s.startswith("BEGIN")]
        assert len(work) == 1 and work[0].startswith("INSERT INTO attendance") and "SELECT" in work[0]
        assert "RETURNING" in work[0]
        statements.clear()
        db.engine.dialect.insert_returning = False
        with db.begin() as session:
            assert check_in(session, meeting.id, bo.id).display_name == "Bo"
        assert not any("RETURNING" in s for s in statements) and len(statements) > 2
    finally:
        db.engine.dialect.insert_returning = True
        event.remove(db.engine, "before_cursor_execute", listener)
    with db.begin() as session:
        assert {entry.display_name for entry in meeting_roll(session, meeting.id) if entry.status} == {"Ann", "Bo"}
