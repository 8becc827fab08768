"""Deleting through the core's safe paths: a backup comes first, and without one nothing goes.
The window and the command line both delete through these functions."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator.documents.settings import change_document_settings
from facilitator.errors import BackupFailed
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.letters import check_letter, genuine_message, letter_facts, record_letter
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.privacy import (
    apply_due_retention,
    apply_retention_safely,
    forget_safely,
    retention_years,
    set_retention_years,
)
from facilitator.storage.database import Database
from facilitator.storage.models import Attendance, Base, Meeting, Participant

NOW = datetime(2026, 11, 24, 12, 0).astimezone()
ON_A_FILE = "a backup is a copy of the SQLite file"


def _group_with_years_of_meetings(db: Database, name: str, years: range) -> tuple[int, int]:
    """A group with one closed meeting each June of `years`, Ann checked in to each; (group, Ann)."""
    with db.begin() as session:
        group = create_group(session, name)
        ann = add_participant(session, group.id, "Ann Lee", joined_on=date(years.start, 1, 1))
        for year in years:
            meeting = open_meeting(session, group.id, now=datetime(year, 6, 1, 19, 0).astimezone())
            check_in(session, meeting.id, ann.id, now=meeting.started_at)
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
    return group.id, ann.id


def _rows(path: Path, model: type[Base]) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {model.__tablename__}").fetchone()[0])
    finally:
        connection.close()


def _meetings(db: Database) -> int:
    with db.begin() as session:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0


def _block_the_backup_folder(db: Database) -> None:
    """A file where the backup folder should be: no backup can be made there."""
    folder = db.location.backup_dir
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")


def test_forgetting_backs_up_first_and_then_removes_the_person_from_that_backup_too(db: Database) -> None:
    _group, ann = _group_with_years_of_meetings(db, "Tuesday", range(2025, 2026))
    forgotten = forget_safely(db, ann)
    assert forgotten.records.display_name == "Ann Lee" and forgotten.records.check_ins == 1
    with db.begin() as session:
        assert session.get(Participant, ann) is None
    if db.location.database_path is None:
        assert forgotten.backup is None  # a server's own backups keep its records
        return
    assert forgotten.backup is not None and forgotten.backup.parent == db.location.backup_dir
    assert forgotten.backup.name.endswith("-before-forgetting.sqlite3")
    assert _rows(forgotten.backup, Participant) == 0 and _rows(forgotten.backup, Attendance) == 0
    assert _rows(forgotten.backup, Meeting) == 1 and forgotten.copies.message == "Removed from 1 backup."


@pytest.mark.sqlite_only(ON_A_FILE)
def test_forgetting_deletes_nothing_when_the_backup_cannot_be_made(db: Database) -> None:
    _group, ann = _group_with_years_of_meetings(db, "Tuesday", range(2025, 2026))
    _block_the_backup_folder(db)
    with pytest.raises(BackupFailed, match="Nothing was deleted"):
        forget_safely(db, ann)
    with db.begin() as session:
        assert session.get(Participant, ann) is not None


def test_retention_backs_up_first_then_saves_the_rule_and_deletes(db: Database) -> None:
    group, _ann = _group_with_years_of_meetings(db, "Tuesday", range(2019, 2027))
    applied = apply_retention_safely(db, group, 3, now=NOW)
    assert (applied.gone.years, applied.gone.meetings, applied.gone.check_ins) == (3, 5, 5)
    assert _meetings(db) == 3
    with db.begin() as session:
        assert retention_years(session, group) == 3
    if db.location.database_path is not None:
        assert applied.backup is not None and applied.backup.name.endswith("-before-retention.sqlite3")
        assert _rows(applied.backup, Meeting) == 8


def test_retention_with_nothing_to_delete_takes_no_backup(db: Database) -> None:
    group, _ann = _group_with_years_of_meetings(db, "Tuesday", range(2025, 2027))
    applied = apply_retention_safely(db, group, 5, now=NOW)
    assert applied.gone.meetings == 0 and applied.backup is None
    assert not list(db.location.backup_dir.glob("*-before-retention.sqlite3"))
    with db.begin() as session:
        assert retention_years(session, group) == 5  # the rule is kept all the same


@pytest.mark.sqlite_only(ON_A_FILE)
def test_retention_changes_nothing_when_the_backup_cannot_be_made(db: Database) -> None:
    group, _ann = _group_with_years_of_meetings(db, "Tuesday", range(2019, 2027))
    _block_the_backup_folder(db)
    with pytest.raises(BackupFailed, match="Nothing was deleted"):
        apply_retention_safely(db, group, 3, now=NOW)
    assert _meetings(db) == 8
    with db.begin() as session:
        assert retention_years(session, group) == 0  # nor was the new rule saved


def test_the_start_up_sweep_takes_one_backup_for_every_group_due(db: Database) -> None:
    tuesday, _ann = _group_with_years_of_meetings(db, "Tuesday", range(2019, 2027))
    thursday, _bo = _group_with_years_of_meetings(db, "Thursday", range(2019, 2027))
    _group_with_years_of_meetings(db, "Friday", range(2019, 2027))  # keeps every meeting
    assert apply_due_retention(db, now=NOW).backup is None  # nothing due yet: no backup
    with db.begin() as session:
        set_retention_years(session, tuesday, 3)
        set_retention_years(session, thursday, 5)
    swept = apply_due_retention(db, now=NOW)
    assert swept.meetings == 5 + 3 and _meetings(db) == 3 + 5 + 8
    if db.location.database_path is not None:
        assert swept.backup is not None and _rows(swept.backup, Meeting) == 24
        assert len(list(db.location.backup_dir.glob("*-before-retention.sqlite3"))) == 1
    assert apply_due_retention(db, now=NOW).meetings == 0


@pytest.mark.sqlite_only(ON_A_FILE)
def test_the_start_up_sweep_deletes_nothing_when_the_backup_cannot_be_made(db: Database) -> None:
    group, _ann = _group_with_years_of_meetings(db, "Tuesday", range(2019, 2027))
    with db.begin() as session:
        set_retention_years(session, group, 3)
    _block_the_backup_folder(db)
    with pytest.raises(BackupFailed):
        apply_due_retention(db, now=NOW)
    assert _meetings(db) == 8


def test_a_checked_code_reads_the_same_wherever_it_is_checked(db: Database) -> None:
    group, ann = _group_with_years_of_meetings(db, "Tuesday", range(2025, 2026))
    with db.begin() as session:
        change_document_settings(session, {"contact": "0161 496 0000"})  # a letter without the group's name needs it
        facts = letter_facts(
            session, ann, group, date(2025, 1, 1), date(2025, 12, 31), anonymous=True, signed_by="Sam Rivera"
        )
        record_letter(session, facts)
        message = genuine_message(check_letter(session, facts.code))
    assert message.startswith(f"Genuine: letter {facts.code} was issued on ")
    assert "Ann Lee of Tuesday (the group's name was left out of the letter): 1 meeting from" in message
