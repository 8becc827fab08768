"""Backups, checks and restore, the start-up refusal of a damaged database, and the one-program
lock on a data folder."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.errors import DatabaseDamaged, DatabaseProblem
from facilitator.records import open_records
from facilitator.rules.groups import create_group, list_groups
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
from tests.helpers import damage

KILLS = int(os.environ.get("FACILITATOR_CRASH_KILLS", "12"))


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
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    # Three a day for the last five days, then one a week for two years, made in that order.
    moments = [now - timedelta(days=day, hours=hour) for day in range(5) for hour in (0, 4, 8)]
    moments += [now - timedelta(weeks=week) for week in range(1, 105)]
    for moment in sorted(moments):
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
    with InstanceLock(location.data_dir):
        with pytest.raises(InstanceBusy, match="already open"):
            InstanceLock(location.data_dir).acquire()
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
    with pytest.raises(InstanceBusy):
        InstanceLock(location.data_dir).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            InstanceLock(location.data_dir).acquire().release()
            break
        except InstanceBusy:
            assert time.monotonic() < deadline, "the lock of a killed program stayed stuck"
            time.sleep(0.05)


def test_restore_waits_for_the_window_to_close(cli, location: DataLocation, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy)).code == 0
    with InstanceLock(location.data_dir):  # as the window holds it
        refused = cli("restore", str(copy))
    assert refused.code == 1 and "already open" in refused.err


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


RIGHT_NOW = datetime(2026, 12, 1, 16, 35, tzinfo=UTC)


@pytest.mark.parametrize(
    "wrong",
    [RIGHT_NOW.replace(year=2036), RIGHT_NOW + timedelta(minutes=40)],
    ids=["ten years ahead", "an hour's jump"],
)
def test_backups_go_in_the_order_they_were_made_whatever_the_clock_said(location: DataLocation, wrong) -> None:
    add_group(location, "Tuesday")
    under_the_wrong_clock = make_backup(location, "daily", now=wrong)
    assert backup_due(location, now=RIGHT_NOW)  # the newest backup is from "the future": the clock disagrees
    made = make_backup(location, "daily", now=RIGHT_NOW)
    assert [backup.path for backup in list_backups(location)] == [made, under_the_wrong_clock]
    found = newest_good_backup(location)
    assert found is not None and found.path == made and found.made_at == RIGHT_NOW
    assert made.name == "facilitator-000002-20261201T163500000000Z-daily.sqlite3"
    assert not backup_due(location, now=RIGHT_NOW + timedelta(hours=23))
    assert backup_due(location, now=RIGHT_NOW + timedelta(days=1))  # the next day's backup is taken
    next_day = make_backup(location, "daily", now=RIGHT_NOW + timedelta(days=1))
    assert list_backups(location)[0].path == next_day


def test_backups_named_by_an_older_version_still_count_before_the_new_ones(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    made = make_backup(location, "daily", now=RIGHT_NOW)
    older = [location.backup_dir / f"facilitator-2030{day}-101500-000000-daily.sqlite3" for day in ("0102", "0101")]
    for path in older:
        shutil.copyfile(made, path)
    assert [backup.path for backup in list_backups(location)] == [made, *older]
    assert list_backups(location)[1].made_at == datetime(2030, 1, 2, 10, 15).astimezone()  # local time, as named
    assert make_backup(location, "daily", now=RIGHT_NOW).name.startswith("facilitator-000002-")


def test_a_clock_years_ahead_deletes_no_backup_by_its_age(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    monthly = [make_backup(location, "daily", now=RIGHT_NOW - timedelta(days=31 * n)) for n in range(10, -1, -1)]
    make_backup(location, "daily", now=RIGHT_NOW.replace(year=2036))  # the newest ten, and twelve months
    assert set(monthly) <= {backup.path for backup in list_backups(location)}


def flip_a_header_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0xFF]) + data[1:]


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 3 + 100]


def overwrite_the_first_page(data: bytes) -> bytes:
    return bytes(range(256)) * 16 + data[4096:]


DAMAGES = [flip_a_header_byte, truncate, overwrite_the_first_page]


@pytest.mark.sqlite_only("damages the SQLite file")
@pytest.mark.parametrize("damage_it", DAMAGES, ids=lambda damage_it: damage_it.__name__.replace("_", " "))
def test_restore_replaces_damaged_records_and_keeps_them_as_they_were(
    cli, location: DataLocation, tmp_path: Path, damage_it
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy)).code == 0
    assert cli("group", "add", "Wednesday").code == 0
    database = location.database_path
    assert database is not None
    damaged = damage_it(database.read_bytes())
    database.write_bytes(damaged)
    log = Path(f"{database}-wal")
    log.write_bytes(b"the log of the damaged file, whatever it holds")
    restored = cli("restore", str(copy))
    assert restored.code == 0, restored.err
    kept = next(location.backup_dir.glob("damaged-*"))
    assert restored.out == f"Restored the records from copy.sqlite3. The records it replaced are kept in {kept}.\n"
    assert (kept / database.name).read_bytes() == damaged
    assert (kept / log.name).read_bytes() == b"the log of the damaged file, whatever it holds"
    assert oct((kept / database.name).stat().st_mode & 0o777) == "0o600"
    assert cli("check").code == 0 and group_names(location) == ["Tuesday"]


RESTORER = """
import sys
from facilitator.cli import main
from facilitator.storage.backups import restore  # imported before READY, so that the kill lands in the restore

print("READY", flush=True)
sys.exit(main(["--data-dir", sys.argv[1], "restore", sys.argv[2]]))
"""


@pytest.mark.sqlite_only("kills a restore of the SQLite file, then checks the file")
@pytest.mark.timeout(max(120, 2 * KILLS))
def test_a_restore_killed_at_any_moment_leaves_the_old_records_or_the_restored_ones(tmp_path: Path) -> None:
    location = DataLocation.resolve(tmp_path / "data")
    worker = tmp_path / "restorer.py"
    worker.write_text(RESTORER, encoding="utf-8")
    copies = {}
    for name in ("First", "Second"):
        add_group(location, name)
        copies[name] = make_backup(location, name)
    rng = random.Random(20261201)
    now, outcomes = "Second", []
    for _kill in range(KILLS):
        wanted = "First" if now == "Second" else "Second"
        process = subprocess.Popen(
            [sys.executable, str(worker), str(location.data_dir), str(copies[wanted])],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "READY"
        time.sleep(rng.random() * 0.15)  # where the kill lands; the assertions hold wherever it does
        process.kill()
        process.wait()
        assert check_database(location).ok
        names = group_names(location)
        assert names in (["First"], ["First", "Second"]), names
        outcomes.append(names[-1] == wanted)
        now = names[-1]
    assert len(set(outcomes)) == 2 or KILLS < 8, "the kills all landed on one side of the swap"
