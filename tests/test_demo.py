"""The demo data: lived-in, reproducible, and never over real records."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.errors import InvalidState
from facilitator.rules.demo import build_demo, holds_real_data, holds_records
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.guides import duplicate_guide
from facilitator.rules.letters import letter_facts, record_letter
from facilitator.rules.meetings import list_meetings, set_notes
from facilitator.rules.participants import update_participant
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    Membership,
    Participant,
    ShareTurn,
    TopicGuide,
)
from facilitator.storage.preferences import set_reach_out_weeks

TODAY = date(2026, 11, 24)


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.begin() as session:
        return [
            (m.local_date, m.present, m.late, m.excused, m.guests)
            for g in list_groups(session)
            for m in list_meetings(session, g.id)
        ]


def test_same_seed_same_demo(db: Database) -> None:
    with db.begin() as session:
        build_demo(session, years=2, seed=5, today=TODAY)
    first = _snapshot(db)
    with db.begin() as session:
        build_demo(session, years=2, seed=5, today=TODAY)
    assert _snapshot(db) == first
    with db.begin() as session:
        build_demo(session, years=2, seed=6, today=TODAY)
    assert _snapshot(db) != first


def test_the_demo_looks_like_real_groups(db: Database) -> None:
    with db.begin() as session:
        summary = build_demo(session, years=1, seed=1, today=TODAY)
        groups = list_groups(session)
        statuses = dict(session.execute(select(Attendance.status, func.count()).group_by(Attendance.status)).all())
        people_in_two_groups = session.scalar(
            select(func.count()).select_from(
                select(Membership.participant_id)
                .group_by(Membership.participant_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        turns = session.execute(select(func.count()).select_from(ShareTurn)).scalar_one()
        passes = session.execute(select(func.count()).select_from(ShareTurn).where(ShareTurn.passed)).scalar_one()
    assert (summary.groups, summary.participants) == (3, 40)
    assert len(groups) == 3 and all(g.meeting_count in (52, 53) for g in groups)
    assert "Meets Tuesdays at 19:00 · St Anne's Hall, back room" in {g.usual_meeting for g in groups}
    assert summary.meetings == sum(g.meeting_count for g in groups)
    assert statuses[AttendanceStatus.PRESENT] > statuses[AttendanceStatus.LATE] > 0
    assert statuses[AttendanceStatus.EXCUSED] > 0
    assert people_in_two_groups == 4
    assert turns == summary.share_turns and 0 < passes < turns / 5
    assert any("é" in name or "ë" in name for name in _names(db))


def _names(db: Database) -> list[str]:
    from facilitator.storage.models import Participant

    with db.begin() as session:
        return list(session.scalars(select(Participant.display_name)))


def test_the_demo_never_replaces_real_groups_unasked(db: Database) -> None:
    with db.begin() as session:
        create_group(session, "Our Real Group")
    with pytest.raises(InvalidState, match="real records"), db.begin() as session:
        build_demo(session, today=TODAY)
    with db.begin() as session:
        assert [g.name for g in list_groups(session)] == ["Our Real Group"]


def _records(cli) -> tuple[str, str]:
    return cli("groups", "--all", "--json").out, cli("participants", "--group", "Our Tuesday Group", "--json").out


@pytest.mark.sqlite_only("opens the backup file the demo takes before it replaces the records")
def test_the_demo_refuses_records_added_to_its_own_groups_and_force_backs_them_up(
    cli, location: DataLocation, tmp_path: Path
) -> None:
    """The issue's scenario: a demo group renamed, two people imported into it and a meeting held there."""
    assert cli("demo").code == 0
    assert cli("group", "rename", "Tuesday Dual Recovery Circle", "Our Tuesday Group").code == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("name\nRealperson Ada\nRealperson Bea\n", encoding="utf-8")
    assert cli("import-roster", str(roster), "--group", "Our Tuesday Group").code == 0
    opened = cli("meeting", "open", "--group", "Our Tuesday Group")
    meeting = opened.out.split()[2].rstrip(":")
    assert cli("checkin", meeting, "Realperson Ada").code == 0
    assert cli("meeting", "close", meeting).code == 0
    before = _records(cli)
    assert "Realperson Ada" in before[1]

    refused = cli("demo")
    assert refused.code == 1
    assert "already holds real records; the demo will not touch them" in refused.err
    assert _records(cli) == before
    assert not list(location.backup_dir.glob("*"))

    forced = cli("demo", "--force")
    assert forced.code == 0, forced.err
    backups = list(location.backup_dir.glob("*-before-demo.sqlite3"))
    assert len(backups) == 1 and f"Backed up the records it replaces to {backups[0]}" in forced.out
    kept = sqlite3.connect(f"{backups[0].as_uri()}?mode=ro", uri=True)
    try:
        names = {row[0] for row in kept.execute("SELECT display_name FROM participants")}
        groups = {row[0] for row in kept.execute("SELECT name FROM groups")}
        ada_came = kept.execute(
            "SELECT count(*) FROM attendance JOIN participants ON participants.id = participant_id"
            " JOIN meetings ON meetings.id = meeting_id WHERE display_name = 'Realperson Ada' AND state = 'closed'"
        ).fetchone()[0]
    finally:
        kept.close()
    assert {"Realperson Ada", "Realperson Bea"} <= names and "Our Tuesday Group" in groups and ada_came == 1
    after = _records(cli)
    assert "Our Tuesday Group" not in after[0] and "Tuesday Dual Recovery Circle" in after[0]


Row = TypeVar("Row", Participant, Meeting, Attendance, TopicGuide, Group)


def _first(session: Session, model: type[Row]) -> Row:
    return session.scalars(select(model).limit(1)).one()


CHANGES = {
    "a person's note": lambda s: update_participant(
        s, (person := _first(s, Participant)).id, display_name=person.display_name, note="Real note"
    ),
    "a closed meeting's notes": lambda s: set_notes(s, _first(s, Meeting).id, "Real notes", correcting=True),
    "a check-in taken back": lambda s: s.delete(_first(s, Attendance)),
    "a setting": lambda s: set_reach_out_weeks(s, 5),
    "a guide of the facilitator's own": lambda s: duplicate_guide(s, _first(s, TopicGuide).slug),
    "a letter": lambda s: record_letter(
        s,
        letter_facts(
            s, _first(s, Participant).id, _first(s, Group).id, date(2025, 1, 1), date(2025, 12, 31), signed_by="Sam"
        ),
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_anything_changed_after_the_demo_makes_its_records_real(db: Database, change) -> None:
    with db.begin() as session:
        build_demo(session, today=TODAY)
        assert not holds_real_data(session)
        change(session)
        session.flush()
        assert holds_real_data(session)
        with pytest.raises(InvalidState, match="real records"):
            build_demo(session, today=TODAY)


def test_records_without_the_demo_fingerprint_are_real_unless_there_are_none(db: Database) -> None:
    with db.begin() as session:
        assert not holds_records(session) and not holds_real_data(session)  # the built-in guides alone
        set_reach_out_weeks(session, 5)
        assert holds_records(session) and holds_real_data(session)


def test_reading_the_demo_leaves_it_a_demo_and_force_backs_up_even_a_demo(cli, location: DataLocation) -> None:
    assert cli("demo").code == 0
    readings = [("groups", "--all"), ("participants", "--group", "Newcomers' Welcome")]
    if location.database_path is not None:  # a server is checked with its own tools
        readings.append(("check",))
    for reading in readings:
        assert cli(*reading).code == 0
    again = cli("demo", "--seed", "2")
    assert again.code == 0 and "Backed up" not in again.out
    forced = cli("demo", "--force")
    assert forced.code == 0 and ("Backed up the records it replaces to" in forced.out) == (
        location.database_path is not None
    )


@pytest.mark.sqlite_only("makes the backup folder unusable, so that the backup before the demo fails")
def test_nothing_is_replaced_when_the_backup_before_the_demo_fails(cli, location: DataLocation) -> None:
    assert cli("group", "add", "Our Real Group").code == 0
    location.backup_dir.write_text("not a folder", encoding="utf-8")
    failed = cli("demo", "--force")
    assert failed.code == 1
    assert "Nothing was replaced: the backup that comes first could not be made." in failed.err
    assert "Our Real Group" in cli("groups").out
