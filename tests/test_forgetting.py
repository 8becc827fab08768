"""Forgetting a person when they ask, and each group's rule for how long it keeps meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from facilitator.errors import InvalidInput
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.letters import letter_facts, record_letter
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant, add_to_group, remove_from_roster
from facilitator.rules.privacy import (
    apply_retention,
    forget_person,
    person_records,
    retention_preview,
    retention_years,
    set_retention_years,
)
from facilitator.rules.share_round.machine import Sharer
from facilitator.rules.share_round.turns import turn_ended, turn_started
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    AttendanceLetter,
    Meeting,
    Membership,
    MembershipBreak,
    Participant,
    ShareTurn,
)

T0 = datetime(2020, 3, 3, 19, 0).astimezone()


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_forgotten_person_is_gone_from_every_group_and_the_meetings_stay(db: Database) -> None:
    with db.begin() as session:
        tuesday, thursday = create_group(session, "Tuesday"), create_group(session, "Thursday")
        ann = add_participant(session, tuesday.id, "Ann Lee", joined_on=date(2020, 1, 1))
        bo = add_participant(session, tuesday.id, "Bo", joined_on=date(2020, 1, 1))
        add_to_group(session, ann.id, thursday.id, joined_on=date(2020, 1, 1))
        remove_from_roster(session, thursday.id, ann.id, on=date(2020, 2, 1))
        add_to_group(session, ann.id, thursday.id, joined_on=date(2020, 3, 1))  # a break, kept with the membership
        for group in (tuesday, thursday):
            meeting = open_meeting(session, group.id, now=T0)
            for person in (ann, bo) if group is tuesday else (ann,):
                check_in(session, meeting.id, person.id, now=T0)
            turn_started(session, meeting.id, Sharer(ann.id, "Ann Lee"), 0, now=T0)
            turn_ended(session, meeting.id, 0, seconds_used=60, passed=False, now=T0 + timedelta(minutes=1))
            close_meeting(session, meeting.id, now=T0 + timedelta(hours=1))
        record_letter(
            session,
            letter_facts(session, ann.id, tuesday.id, date(2020, 1, 1), date(2020, 12, 31), signed_by="Sam Rivera"),
        )
        records = person_records(session, ann.id)
        assert (records.groups, records.check_ins, records.share_turns, records.letters) == (
            ["Thursday", "Tuesday"],
            2,
            2,
            1,
        )
        assert count(session, MembershipBreak) == 1
        forget_person(session, ann.id)
    with db.begin() as session:
        assert session.get(Participant, ann.id) is None
        assert count(session, Membership) == 1 and count(session, Attendance) == 1  # Bo's
        assert count(session, MembershipBreak) == 0
        assert count(session, ShareTurn) == 0 and count(session, AttendanceLetter) == 0
        assert count(session, Meeting) == 2


def test_a_group_keeps_the_years_it_chose_and_the_preview_says_what_goes(db: Database) -> None:
    today = date(2026, 11, 24)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        other = create_group(session, "Thursday")
        ann = add_participant(session, group.id, "Ann", joined_on=date(2019, 1, 1))
        for year in range(2019, 2027):
            for group_id in (group.id, other.id):
                meeting = open_meeting(session, group_id, now=datetime(year, 6, 1, 19, 0).astimezone())
                if group_id == group.id:
                    check_in(session, meeting.id, ann.id, now=meeting.started_at)
                close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
        assert retention_years(session, group.id) == 0
        assert retention_preview(session, group.id, today=today).meetings == 0
        preview = retention_preview(session, group.id, 3, today=today)
        assert (preview.before, preview.meetings, preview.check_ins) == (date(2023, 11, 24), 5, 5)
        assert count(session, Meeting) == 16  # a preview deletes nothing
        set_retention_years(session, group.id, 3)
        apply_retention(session, group.id, today=today)
        years = sorted(m.started_at.year for m in session.scalars(select(Meeting).where(Meeting.group_id == group.id)))
        assert years == [2024, 2025, 2026]
        assert count(session, Meeting) == 3 + 8  # the other group keeps all of its own
        with pytest.raises(InvalidInput, match="0 \\(always\\) to 100 years"):
            set_retention_years(session, group.id, -1)


def test_forgetting_and_retention_from_the_command_line_ask_first_and_back_up(cli, location) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    assert cli("meeting", "open", "--group", "Tuesday").code == 0
    assert cli("checkin", "1", "Ann Lee", "--new").code == 0
    asked = cli("forget", "--participant", "ann lee", "--group", "Tuesday")
    assert asked.code == 0 and asked.out.startswith("Would delete Ann Lee: member of Tuesday; 1 attendance mark,")
    assert "Ann Lee" in cli("participants", "--group", "Tuesday").out
    done = cli("forget", "--participant", "Ann Lee", "--group", "Tuesday", "--yes")
    assert done.code == 0 and done.out.startswith("Deleted Ann Lee")
    if location.database_path is not None:  # a server's records are kept by the server's own backups
        assert done.out.rstrip().endswith("0 letters. Removed from 1 backup.")
        assert list(location.backup_dir.glob("*-before-forgetting.sqlite3"))
    assert "Ann Lee" not in cli("participants", "--group", "Tuesday").out
    kept = cli("retention", "--group", "Tuesday", "--years", "2")
    assert kept.code == 0 and kept.out.startswith("Tuesday keeps 2 years of meetings: that would delete nothing now.")
    wrong = cli("retention", "--group", "Tuesday", "--years", "500", "--yes")
    assert wrong.code == 1 and "0 (always) to 100 years" in wrong.err
