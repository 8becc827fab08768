"""Backups, checks and restore, the start-up refusal of a damaged database, and the one-program
lock on a data folder."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from facilitator.errors import DatabaseDamaged, DatabaseProblem
from facilitator.records import open_records
from facilitator.rules.groups import create_group, list_groups
from facilitator.storage import instance_lock
from facilitator.storage.backups import (
    backup_due,
    check_database,
    list_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    restore,
    verify_database_file,
)
from facilitator.storage.instance_lock import InstanceBusy, InstanceLock
from facilitator.storage.locations import DataLocation
from tests.helpers import damage, records_held_elsewhere


def group_names(location: DataLocation) -> list[str]:
    db = open_records(location)
    try:
        with db.begin() as session:
            return [group.name for group in list_groups(session)]
    finally:
        db.close()


def add_group(location: DataLocation, name: str) -> None:
    db = open_records(location)
    with db.begin() as session:
        create_group(session, name)
    db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_a_checked_private_copy(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    path = make_backup(location, "by hand")
    assert path.parent == location.backup_dir and path.name.endswith("-by-hand.sqlite3")
    assert oct(path.stat().st_mode & 0o777) == "0o600" and oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert verify_database_file(path) is not None
    assert sorted(p.name for p in location.backup_dir.iterdir()) == [path.name]  # no journal left beside it
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT name FROM groups").fetchall() == [("Tuesday",)]
    copy.close()


def test_old_backups_go_by_the_retention_rule(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    now = datetime(2026, 11, 24, 12, 0)
    # Three a day for the last five days, then one a week for two years.
    moments = [now - timedelta(days=day, hours=hour) for day in range(5) for hour in (0, 4, 8)]
    moments += [now - timedelta(weeks=week) for week in range(1, 105)]
    for moment in moments:
        make_backup(location, "daily", now=moment)
    prune_backups(location, now=now)
    kept = [backup.made_at for backup in list_backups(location)]
    newest_ten = sorted(moments, reverse=True)[:10]
    assert kept[:10] == newest_ten
    months = {(moment.year, moment.month) for moment in kept}
    assert len(months) == 12 and min(months) == (2025, 12)  # one a month for a year, nothing older
    assert len(kept) <= 10 + 12
    assert not backup_due(location, now=now + timedelta(hours=23))
    assert backup_due(location, now=now + timedelta(hours=24))


def test_restore_checks_the_file_keeps_the_current_records_and_swaps_them(location: DataLocation) -> None:
    add_group(location, "Before")
    saved = make_backup(location, "by hand")
    add_group(location, "After")
    kept = restore(location, saved)
    assert group_names(location) == ["Before"]
    assert sqlite3.connect(kept).execute("SELECT count(*) FROM groups").fetchone() == (2,)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.write_bytes(b"not a database at all" * 100), "is damaged"),
        (
            lambda path: sqlite3.connect(path).execute("CREATE TABLE notes (x)").connection.commit(),
            "not made by Facilitator",
        ),
        (lambda path: None, "is not a file"),
    ],
    ids=["garbage", "someone else's database", "missing"],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    location: DataLocation, tmp_path: Path, make, message: str
) -> None:
    add_group(location, "Kept")
    candidate = tmp_path / "candidate.sqlite3"
    make(candidate)
    before = digest(location.database_path)  # type: ignore[arg-type]  # SQLite's: a file
    with pytest.raises(DatabaseProblem, match=message):
        restore(location, candidate)
    assert digest(location.database_path) == before  # type: ignore[arg-type]  # SQLite's: a file
    assert list_backups(location) == []


def test_a_backup_from_a_newer_program_is_refused(location: DataLocation, tmp_path: Path) -> None:
    add_group(location, "Kept")
    newer = make_backup(location, "by hand")
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseProblem, match="newer version of Facilitator"):
        restore(location, newer)


def test_a_damaged_database_is_never_written_and_the_newest_good_backup_is_found(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    good = make_backup(location, "daily", now=datetime.now() - timedelta(days=2))
    bad = make_backup(location, "daily", now=datetime.now() - timedelta(days=1))
    damage(bad)
    database = location.database_path
    assert database is not None
    damage(database)
    assert not check_database(location).ok
    before = digest(database)
    with pytest.raises(DatabaseDamaged, match="is damaged"):
        open_records(location)
    assert digest(database) == before
    found = newest_good_backup(location)
    assert found is not None and found.path == good
    restore(location, found.path)
    assert check_database(location).ok and group_names(location) == ["Tuesday"]


def test_the_command_line_backs_up_checks_and_restores(cli, location: DataLocation, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    copy = tmp_path / "copy.sqlite3"
    made = cli("backup", "-o", str(copy))
    assert made.code == 0 and copy.is_file() and oct(copy.stat().st_mode & 0o777) == "0o600"
    checked = cli("check")
    assert checked.code == 0 and checked.out.startswith("Sound:")
    assert cli("group", "add", "Wednesday").code == 0
    restored = cli("restore", str(copy))
    assert restored.code == 0 and "are kept in" in restored.out
    assert [line.split()[1] for line in cli("groups").out.splitlines()[1:]] == ["Tuesday"]
    wrong = cli("backup", "-o", str(tmp_path / "missing" / "copy.sqlite3"))
    assert wrong.code == 1 and "does not exist" in wrong.err
    damage(location.database_path)  # type: ignore[arg-type]  # SQLite's: a file
    broken = cli("check")
    assert broken.code == 1 and broken.err.startswith("facilitator: Damaged:") and "Traceback" not in broken.err


def test_one_program_at_a_time_and_a_killed_one_leaves_no_lock(location: DataLocation) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from facilitator.storage.instance_lock import InstanceLock; "
            f"lock = InstanceLock(Path({str(location.data_dir)!r})).acquire(); print('held', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(InstanceBusy, match="already using the records"):
        InstanceLock(location.data_dir, wait=0).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            InstanceLock(location.data_dir, wait=0).acquire().release()
            break
        except InstanceBusy:
            assert time.monotonic() < deadline, "the lock of a killed program stayed stuck"
            time.sleep(0.05)


def test_restore_waits_for_the_window_to_close(
    cli, location: DataLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy)).code == 0
    monkeypatch.setattr(instance_lock, "WAIT_SECONDS", 0.2)
    with records_held_elsewhere(location.data_dir):  # as the window holds them
        refused = cli("restore", str(copy))
    assert refused.code == 1 and "already using the records" in refused.err


@pytest.mark.parametrize(
    ("pragma", "message"),
    [("PRAGMA max_page_count = 1", "The disk is full"), ("PRAGMA query_only = ON", "read-only")],
    ids=["full disk", "read-only disk"],
)
def test_a_full_or_read_only_disk_says_so_and_loses_nothing_saved(
    cli, location: DataLocation, pragma: str, message: str
) -> None:
    from sqlalchemy import event

    from facilitator.cli import main  # noqa: F401 - the CLI shows the same message

    assert cli("group", "add", "Saved Before").code == 0
    db = open_records(location)
    event.listen(db.engine, "connect", lambda connection, _record: connection.execute(pragma))
    db.engine.dispose()
    from facilitator.errors import user_message

    with pytest.raises(Exception) as caught:
        with db.begin() as session:
            for number in range(300):
                create_group(session, f"Group {number} " + "x" * 100)
    assert message in (user_message(caught.value) or "")
    db.close()
    assert group_names(location) == ["Saved Before"]
