"""A person who asks to be forgotten is forgotten in every copy the program keeps: the live file
(its deleted rows overwritten), each backup rewritten without them (checked) or deleted, and the
leftovers of interrupted copies and restores deleted; the message says exactly what was done."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from facilitator.errors import BackupFailed
from facilitator.rules import privacy
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.privacy import forget_safely
from facilitator.storage import backups
from facilitator.storage.backups import list_backups, make_backup
from facilitator.storage.database import Database, _on_sqlite_connect, run_migrations
from tests.helpers import damage

pytestmark = pytest.mark.sqlite_only("the copies are SQLite files in the data folder")

NAME = "Annabel Forgetme"
OTHER = "Bo Stays"


def _holds(path: Path, name: str) -> bool:
    """Whether the name is anywhere in the file's bytes, in UTF-8, whatever its case."""
    return name.casefold() in path.read_bytes().decode("utf-8", errors="replace").casefold()


def _files(folder: Path) -> list[Path]:
    return [Path(root, name) for root, _dirs, names in os.walk(folder) for name in names]


def _names(path: Path) -> set[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT display_name FROM participants")}
    finally:
        connection.close()


def _two_people_who_came(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, NAME, joined_on=date(2025, 1, 1), note="Ask about the side door")
        bo = add_participant(session, group.id, OTHER, joined_on=date(2025, 1, 1))
        meeting = open_meeting(session, group.id)
        for person in (ann, bo):
            check_in(session, meeting.id, person.id)
        close_meeting(session, meeting.id)
    return ann.id


def test_a_forgotten_person_is_in_no_file_of_the_data_folder(db: Database) -> None:
    ann = _two_people_who_came(db)
    for reason in ("daily", "by-hand", "before-restore"):
        make_backup(db.location, reason)
    newest = list_backups(db.location)[0].path
    # What interrupted work leaves: a copy never renamed into place, and damaged records kept aside.
    shutil.copy(newest, db.location.backup_dir / f".{newest.name}.partial")
    kept_aside = db.location.backup_dir / "damaged-000099-20260101T120000000000Z"  # as a restore names it
    kept_aside.mkdir()
    shutil.copy(newest, kept_aside / "facilitator.sqlite3")
    viewer_copy = db.location.viewer_copies_dir / "attendance-letter-190000.pdf"
    viewer_copy.parent.mkdir()
    viewer_copy.write_bytes(f"%PDF-1.4 ... This letter confirms that {NAME} attended".encode())
    assert all(_holds(path, NAME) for path in (newest, kept_aside / "facilitator.sqlite3", viewer_copy))

    forgotten = forget_safely(db, ann)

    assert forgotten.copies.message == (
        "Removed from 4 backups; 3 other copies that may have held them (unfinished, damaged, or a document "
        "opened in a viewer) were deleted."
    )
    files = _files(db.location.data_dir)
    assert db.location.database_path in files and len([f for f in files if f.suffix == ".sqlite3"]) == 5
    assert [path for path in files if _holds(path, NAME)] == []
    for backup in list_backups(db.location):  # rewritten, not emptied
        assert _names(backup.path) == {OTHER}
    assert not kept_aside.exists()


def test_damaged_records_kept_for_a_rescuer_that_never_held_the_person_are_kept(db: Database) -> None:
    """Such a folder may be the only copy left of weeks of work (the records were damaged and an
    older backup restored); forgetting someone it never held has no reason to delete it."""
    ann = _two_people_who_came(db)
    before_ann = db.location.data_dir.parent / "before-ann.sqlite3"
    make_backup(db.location, "daily")
    with db.begin() as session:  # records without Ann's name anywhere, as if from before she came
        session.execute(
            text("UPDATE participants SET display_name = 'Someone Else', note = '' WHERE id = :id"), {"id": ann}
        )
    backups.backup_to(db.location, before_ann)
    with db.begin() as session:
        session.execute(text("UPDATE participants SET display_name = :name WHERE id = :id"), {"name": NAME, "id": ann})
    rescue = db.location.backup_dir / "damaged-000099-20260101T120000000000Z"  # as a restore names it
    rescue.mkdir()
    shutil.copy(before_ann, rescue / "facilitator.sqlite3")
    assert not _holds(rescue / "facilitator.sqlite3", NAME)

    forgotten = forget_safely(db, ann)

    assert forgotten.copies.message == "Removed from 2 backups."
    assert (rescue / "facilitator.sqlite3").read_bytes() == before_ann.read_bytes()


def test_every_connection_overwrites_what_it_deletes() -> None:
    """SQLite's default (off, unless built otherwise, as many Linux builds are) is not relied on."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA secure_delete = OFF")
        _on_sqlite_connect(connection, None)
        assert connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        connection.close()


def test_the_live_file_keeps_no_trace_of_a_forgotten_person(db: Database) -> None:
    ann = _two_people_who_came(db)
    forget_safely(db, ann)
    live = db.location.database_path
    assert live is not None
    checkpoint = sqlite3.connect(live)
    try:
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        checkpoint.close()
    for path in (live, Path(f"{live}-wal")):
        assert not _holds(path, NAME), path
    assert _names(live) == {OTHER}


def test_a_backup_that_cannot_be_rewritten_is_deleted_and_an_older_one_is_brought_up_to_date(
    db: Database, tmp_path: Path
) -> None:
    ann = _two_people_who_came(db)
    make_backup(db.location, "daily")
    damaged = make_backup(db.location, "by-hand")
    damage(damaged)
    # A backup from an older version of the program, with Ann in it.
    older = db.location.backup_dir / "facilitator-20250101-120000-000000-daily.sqlite3"
    engine = create_engine(f"sqlite:///{older}")
    run_migrations(engine, "0009")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO participants (id, display_name, created_at) VALUES (:id, :name, '2025-01-01 12:00:00')"),
            {"id": ann, "name": NAME},
        )
    engine.dispose()

    forgotten = forget_safely(db, ann)

    assert forgotten.copies.message == "Removed from 3 backups; 1 backup that could not be rewritten was deleted."
    assert not damaged.exists() and older.exists() and NAME not in _names(older)
    assert [path for path in _files(db.location.data_dir) if _holds(path, NAME)] == []


def test_a_rewrite_that_fails_midway_leaves_each_backup_whole_or_deleted(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _two_people_who_came(db)
    first, second, third = (make_backup(db.location, reason) for reason in ("daily", "by-hand", "before-demo"))
    whole = third.read_bytes()
    compact = backups._compact

    def disk_full_for(path: Path) -> None:
        if path.name.startswith((f".{first.name}", f".{third.name}")):
            raise sqlite3.OperationalError("database or disk is full")
        compact(path)

    monkeypatch.setattr(backups, "_compact", disk_full_for)
    unlink = Path.unlink

    def cannot_delete_third(path: Path, missing_ok: bool = False) -> None:
        if path == third:
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", cannot_delete_third)

    forgotten = forget_safely(db, ann)

    assert forgotten.copies.message == (
        "Removed from 2 backups; 1 backup that could not be rewritten was deleted. "
        f"1 copy of the records still holds them and could not be deleted: {third}. Delete it yourself."
    )
    assert not first.exists() and NAME not in _names(second) and third.read_bytes() == whole
    assert sorted(path.name for path in db.location.backup_dir.iterdir()) == sorted(
        backup.path.name for backup in list_backups(db.location)
    )  # no half-written copy left beside them


def test_the_command_line_says_what_was_done_in_the_backups(cli, location) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    assert cli("meeting", "open", "--group", "Tuesday").code == 0
    assert cli("checkin", "1", NAME, OTHER, "--new").code == 0
    assert cli("backup").code == 0
    done = cli("forget", "--participant", NAME, "--group", "Tuesday", "--yes")
    assert done.code == 0
    assert done.out == (
        f"Deleted {NAME}: member of Tuesday; 1 attendance mark, 0 share turns, 0 letters. Removed from 2 backups.\n"
    )


def test_forgetting_stopped_before_the_copies_were_done_is_finished_by_the_next(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _two_people_who_came(db)
    with db.begin() as session:
        cy = add_participant(session, 1, "Cy Third", joined_on=date(2025, 1, 1)).id
    make_backup(db.location, "daily")

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # as if the program were closed while it rewrote the backups

    monkeypatch.setattr(privacy, "rewrite_backup", stopped)
    with pytest.raises(KeyboardInterrupt):
        forget_safely(db, ann)
    live = db.location.database_path
    assert live is not None and NAME not in _names(live)
    assert all(NAME in _names(backup.path) for backup in list_backups(db.location))
    monkeypatch.undo()

    forget_safely(db, cy)

    assert [path for path in _files(db.location.data_dir) if _holds(path, NAME) or _holds(path, "Cy Third")] == []
    assert all(_names(backup.path) == {OTHER} for backup in list_backups(db.location))


def test_a_disk_too_full_to_rewrite_the_backups_refuses_before_anything_is_deleted(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _two_people_who_came(db)
    made = [make_backup(db.location, reason) for reason in ("daily", "by-hand")]
    before = {path: path.read_bytes() for path in made}
    database = db.location.database_path
    assert database is not None
    free = database.stat().st_size
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(10**9, 10**9 - free, free))
    with pytest.raises(BackupFailed, match=r"The disk is too full to forget someone in every backup safely"):
        forget_safely(db, ann)
    assert {path: path.read_bytes() for path in made} == before and len(list_backups(db.location)) == 2
    assert _names(database) == {NAME, OTHER}


def test_any_command_finishes_a_forgetting_that_was_stopped(cli, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ann = _two_people_who_came(db)
    make_backup(db.location, "daily")
    monkeypatch.setattr(privacy, "rewrite_backup", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):  # as if the command were stopped with Ctrl-C
        forget_safely(db, ann)
    monkeypatch.undo()
    db.close()

    listed = cli("groups")

    assert listed.code == 0 and "Tuesday" in listed.out
    assert listed.err == "Forgetting someone, stopped before, is now finished. Removed from 2 backups.\n"
    assert [path for path in _files(db.location.data_dir) if _holds(path, NAME)] == []
