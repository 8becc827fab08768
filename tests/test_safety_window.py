"""Keeping records safe from the window: backups, restore, the damaged-records offer at start-up,
forgetting a person and a group's retention rule."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from facilitator.dates import day_at, local
from facilitator.errors import READ_ONLY
from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant, list_participants
from facilitator.storage import instance_lock
from facilitator.storage.backups import list_backups, make_backup
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from tests.helpers import damage, damage_an_index, records_held_elsewhere, sqlite_lock_held
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.app import application, open_or_recover, run

ROOT = hasattr(os, "getuid") and os.getuid() == 0


def click(answer: QMessageBox.StandardButton):
    return lambda box: box.button(answer).click()


def test_back_up_now_and_on_closing(db: Database, qtbot) -> None:
    window = shown_window(db, qtbot)
    window.actions_by_name[MainAction.BACK_UP].trigger()
    assert [backup.reason for backup in list_backups(db.location)] == ["by-hand"]
    assert window.statusBar().currentMessage().startswith("Backed up to facilitator-")
    window.close()
    assert sorted(backup.reason for backup in list_backups(db.location)) == ["by-hand", "on-exit"]


def test_restore_from_the_window_swaps_the_records_and_keeps_the_old(db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Before")
    saved = make_backup(db.location, "by-hand")
    with db.begin() as session:
        create_group(session, "After")
    window = shown_window(db, qtbot)
    assert window.group_model.rowCount() == 2
    when_modal_opens(qtbot, click(QMessageBox.StandardButton.Yes))
    assert window.safety.restore_backup(saved)
    assert window.group_model.rowCount() == 1 and window.current_group().name == "Before"
    assert "before-restore" in [backup.reason for backup in list_backups(db.location)]
    window.close()


def _tuesday_backed_up(location: DataLocation, when: datetime) -> Path:
    """Records with a group named Tuesday, and a daily backup of them made at `when`."""
    application()
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Tuesday")
    made = make_backup(location, "daily", now=when)
    db.close()
    return made


def _restore_when_offered(qtbot) -> list[str]:
    """What the next message box says, as it is answered with its Yes (Restore the Backup)."""
    said: list[str] = []

    def restore_it(box) -> None:
        said.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal_opens(qtbot, restore_it)
    return said


def test_damaged_records_at_start_up_are_offered_the_newest_good_backup(location: DataLocation, qtbot) -> None:
    _tuesday_backed_up(location, datetime.now() - timedelta(hours=3))
    damage(location.database_path)  # type: ignore[arg-type]  # SQLite's: a file
    said = _restore_when_offered(qtbot)
    recovered = open_or_recover(location)
    assert recovered is not None and "is damaged" in said[0] and "The newest good backup is from" in said[0]
    with recovered.begin() as session:
        assert [group.name for group in list_groups(session)] == ["Tuesday"]
    recovered.close()


def test_records_too_damaged_to_open_are_replaced_by_the_offered_backup(location: DataLocation, qtbot) -> None:
    made = _tuesday_backed_up(location, datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    database = location.database_path
    assert database is not None
    flipped = b"X" + database.read_bytes()[1:]  # the header no longer says "SQLite format 3"
    database.write_bytes(flipped)
    said = _restore_when_offered(qtbot)
    recovered = open_or_recover(location)
    shown = local(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    assert len(said) == 1 and f"The newest good backup is from {day_at(shown)}." in said[0]
    assert recovered is not None
    with recovered.begin() as session:
        assert [group.name for group in list_groups(session)] == ["Tuesday"]
    recovered.close()
    (kept,) = location.backup_dir.glob("damaged-*")
    assert (kept / database.name).read_bytes() == flipped and made.is_file()


def test_restore_from_the_window_replaces_damaged_records(db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Before")
    saved = make_backup(db.location, "by-hand")
    window = shown_window(db, qtbot)
    database = db.location.database_path
    assert database is not None
    db.close()
    database.write_bytes(bytes(4096) + database.read_bytes()[4096:])  # the first page overwritten
    when_modal_opens(qtbot, click(QMessageBox.StandardButton.Yes))
    assert window.safety.restore_backup(saved)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"Restored {saved.name}. The records it replaced are in damaged-")
    )
    assert window.current_group().name == "Before"
    window.close()


@pytest.mark.sqlite_only("overwrites the SQLite file's header")
def test_records_with_no_database_header_left_are_offered_a_backup_too(location: DataLocation, qtbot) -> None:
    application()
    open_records(location).close()
    make_backup(location, "daily", now=datetime.now() - timedelta(hours=3))
    with location.database_path.open("r+b") as file:
        file.write(b"\0" * 16)
    offered: list[list[str]] = []
    when_modal_opens(qtbot, lambda box: (offered.append([b.text() for b in box.buttons()]), box.reject()))
    assert open_or_recover(location) is None
    assert offered and "Restore the Backup" in offered[0]


def test_a_second_window_on_the_same_records_is_told_plainly(
    location: DataLocation, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    application()
    said: list[str] = []
    when_modal_opens(qtbot, lambda box: (said.append(box.text()), box.accept()))
    monkeypatch.setattr(instance_lock, "WAIT_SECONDS", 0.2)
    with records_held_elsewhere(location.data_dir):
        assert run(location) == 1
    assert said == [
        f"Facilitator is already using the records in {location.data_dir} (its window, or another command). "
        "Close it, or wait for it to finish, then try again."
    ]


def test_delete_persons_records_asks_backs_up_and_deletes(db: Database, qtbot) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann Lee")
        add_participant(session, group.id, "Bo")
    window = shown_window(db, qtbot)
    asked: list[str] = []

    def agree(box) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal_opens(qtbot, agree)
    window.roster.forget_requested.emit(ann.id)
    assert asked[0].startswith("Delete all of Ann Lee's records?")
    assert "before-forgetting" in [backup.reason for backup in list_backups(db.location)]
    assert window.statusBar().currentMessage() == "Ann Lee's records were deleted. Removed from 1 backup."
    with db.begin() as session:
        assert [person.display_name for person in list_participants(session, group.id)] == ["Bo"]
    window.close()


def test_forgetting_the_window_was_closed_in_the_middle_of_is_finished_at_the_next_start(
    db: Database, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closed (or killed) while it rewrote the backups, the window had deleted the person from the
    records but not yet from every backup; nothing else would finish it but another forgetting."""
    from facilitator.rules import privacy

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Annabel Forgetme")
        add_participant(session, group.id, "Bo")
    make_backup(db.location, "daily")

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # the program closed while it rewrote the backups

    monkeypatch.setattr(privacy, "rewrite_backup", stopped)
    with pytest.raises(KeyboardInterrupt):
        privacy.forget_safely(db, ann.id)
    monkeypatch.undo()
    assert all(b"Annabel Forgetme" in backup.path.read_bytes() for backup in list_backups(db.location))

    window = shown_window(db, qtbot)
    window.privacy.finish_forgetting()  # as run() does at start-up

    assert [b"Annabel Forgetme" in backup.path.read_bytes() for backup in list_backups(db.location)] == [False] * 2
    assert window.statusBar().currentMessage() == (
        "Deleting someone's records, stopped when Facilitator last closed, is now finished. Removed from 2 backups."
    )
    window.close()


def test_a_retention_rule_previews_backs_up_and_deletes(db: Database, qtbot) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        for year in (2015, 2016, date.today().year):
            meeting = open_meeting(session, group.id, now=datetime(year, 1, 6, 19, 0).astimezone())
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
    window = shown_window(db, qtbot)
    when_modal_opens(qtbot, lambda question: (question.setIntValue(3), question.accept()), QInputDialog)
    asked: list[str] = []
    when_modal_opens(
        qtbot,
        lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.Yes).click()),
        QMessageBox,
    )
    window.actions_by_name[MainAction.RETENTION].trigger()
    assert asked and asked[0].startswith("Tuesday will keep 3 years of meetings. That deletes 2 meetings")
    assert "before-retention" in [backup.reason for backup in list_backups(db.location)]
    assert window.current_group().meeting_count == 1
    window.close()


def test_files_written_for_the_user_are_private(db: Database, tmp_path: Path) -> None:
    made = make_backup(db.location, "by-hand")
    for path in (db.location.data_dir, db.location.backup_dir):
        assert oct(path.stat().st_mode & 0o777) == "0o700"
    for file in (db.location.database_path, made):
        assert oct(file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.skipif(not ROOT, reason="needs root: mounts a small tmpfs and makes it read-only")
def test_records_on_a_read_only_disk_are_said_to_be_intact_at_start_up(tmp_path: Path, qtbot) -> None:
    application()
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(disk)], check=True)
    try:
        location = DataLocation.resolve(disk / "data")
        open_records(location).close()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        said: list[str] = []
        when_modal_opens(qtbot, lambda box: (said.append(box.text()), box.accept()))
        assert run(location) == 1
        assert said == [READ_ONLY]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_lock_that_is_a_link_is_refused_at_start_up(location: DataLocation, tmp_path: Path, qtbot) -> None:
    application()
    location.data_dir.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("kept")
    (location.data_dir / "facilitator.lock").symlink_to(elsewhere)
    said: list[str] = []
    when_modal_opens(qtbot, lambda box: (said.append(box.text()), box.accept()))
    assert run(location) == 1
    assert len(said) == 1 and said[0].startswith(f"{location.data_dir / 'facilitator.lock'} is a link")
    assert elsewhere.read_text() == "kept"


BUSY = (
    "Another program is using your records just now, so they could not be opened or changed; they are intact. "
    "Close that program, or wait for it to finish, then try again."
)


@pytest.mark.sqlite_only("another program holds SQLite's lock on the file")
@pytest.mark.parametrize("journal_mode", ["WAL", "DELETE"], ids=["write-ahead log", "rollback journal"])
def test_busy_records_at_start_up_are_said_to_be_busy_and_never_replaced(
    location: DataLocation, qtbot, journal_mode: str
) -> None:
    application()
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Tuesday")
    make_backup(location, "daily", now=datetime.now() - timedelta(hours=3))
    db.close()
    said: list[tuple[str, list[str]]] = []
    when_modal_opens(qtbot, lambda box: (said.append((box.text(), [b.text() for b in box.buttons()])), box.accept()))
    with sqlite_lock_held(location.database_path, journal_mode):  # type: ignore[arg-type]  # SQLite's: a file
        assert run(location) == 1
    assert said == [(BUSY, ["OK"])]
    assert [backup.reason for backup in list_backups(location)] == ["daily"]  # nothing restored


@pytest.mark.sqlite_only("damages an index of the SQLite file")
def test_damage_the_full_check_finds_after_start_up_is_told_once_and_stops_writes(
    location: DataLocation, qtbot
) -> None:
    db = open_records(location)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        meeting = open_meeting(session, group.id)
        for name in ("Ann", "Bo"):
            check_in(session, meeting.id, add_participant(session, group.id, name).id)
    db.close()
    damage_an_index(location.database_path)  # type: ignore[arg-type]  # SQLite's: a file
    db = open_records(location)  # its quick check passes
    window = shown_window(db, qtbot)
    said: list[tuple[str, list[str]]] = []
    when_modal_opens(
        qtbot,
        lambda box: (
            said.append((box.text(), [b.text() for b in box.buttons()])),
            box.button(QMessageBox.StandardButton.Cancel).click(),
        ),
    )
    window.safety.check_in_background()
    qtbot.waitUntil(lambda: bool(said))
    window.safety.wait_for_check()
    (text, buttons), *more = said
    assert not more and sorted(buttons) == ["Not Now", "Restore from Backup…"]
    assert text.startswith("The full check of your records found damage (") and "Nothing more is written" in text
    refused: list[str] = []
    when_modal_opens(qtbot, lambda box: (refused.append(box.text()), box.accept()))
    window.operations.run(lambda session: create_group(session, "Wednesday"))
    assert refused and refused[0].startswith(f"The database at {location.database_path} is damaged (")
    assert refused[0].endswith("so nothing more is written to it; this was not saved. Restore a backup to carry on.")
    with db.begin(commit=False) as session:
        assert [group.name for group in list_groups(session)] == ["Tuesday"]
    window.close()
