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
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.errors import DISK_FULL, READ_ONLY, DatabaseDamaged, DatabaseProblem
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
from facilitator.storage.locations import DATABASE_FILENAME, DataLocation
from tests.conftest import CliResult
from tests.helpers import damage, records_held_elsewhere

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
        (lambda path: path.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 100), "is not a Facilitator backup: it"),
        (lambda path: path.write_bytes(b"SQLite format 3\x00" + b"not a database at all" * 100), "is damaged"),
        (
            lambda path: sqlite3.connect(path).execute("CREATE TABLE notes (x)").connection.commit(),
            "not made by Facilitator",
        ),
        (lambda path: None, "is not a file"),
    ],
    ids=["a text file", "garbage after the header", "someone else's database", "missing"],
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


RIGHT_NOW = datetime(2026, 12, 1, 16, 35, tzinfo=UTC)


@pytest.mark.parametrize(
    "wrong",
    [RIGHT_NOW.replace(year=2036), RIGHT_NOW + timedelta(minutes=40)],
    ids=["ten years ahead", "forty minutes ahead, then set right"],
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

    def start_restoring(name: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(worker), str(location.data_dir), str(copies[name])], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "READY"
        return process

    first = start_restoring("First")
    started = time.monotonic()
    assert first.wait() == 0
    whole = time.monotonic() - started  # the restore's time on this machine: the kills land all over it
    rng = random.Random(20261201)
    for _kill in range(KILLS):
        now = group_names(location)[-1]
        process = start_restoring("First" if now == "Second" else "Second")
        time.sleep(rng.random() * whole)  # where the kill lands; the assertions hold wherever it does
        process.kill()
        process.wait()
        assert check_database(location).ok
        assert group_names(location) in (["First"], ["First", "Second"])


def test_part_files_killed_programs_left_are_cleared_at_start_up_but_not_a_running_ones(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    made = make_backup(location, "daily")
    data, backups = location.data_dir, location.backup_dir
    left = [
        backups / f".{made.name}.partial",  # a killed backup: it may hold someone since forgotten
        backups / f".{made.name}.partial-journal",
        data / ".facilitator.sqlite3.restoring",  # a killed restore
        data / "..facilitator.sqlite3.restoring.partial",
        data / ".attendance.pdf.k2j3h4.part",  # a killed PDF or export
    ]
    for path in left:
        shutil.copyfile(made, path)
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    elsewhere = location.data_dir.parent / "someone else's.txt"
    elsewhere.write_text("kept")
    (backups / ".planted.sqlite3.partial").symlink_to(elsewhere)
    os.utime(backups / ".planted.sqlite3.partial", (0, 0), follow_symlinks=False)
    running = backups / ".facilitator-000009-20261201T163500000000Z-daily.sqlite3.partial"  # another program's, now
    running.write_bytes(b"being written")
    open_records(location).close()
    assert not any(path.exists() for path in left) and not (backups / ".planted.sqlite3.partial").is_symlink()
    assert elsewhere.read_text() == "kept" and running.exists()
    os.utime(running, (time.time() - 3600, time.time() - 3600))
    prune_backups(location)  # and with every pruning
    assert not running.exists() and made.exists()


def test_copies_of_damaged_records_are_pruned_to_the_newest_three(location: DataLocation) -> None:
    add_group(location, "Tuesday")
    older = location.backup_dir / "damaged-20200101-101500-000000"  # named by an older version
    older.mkdir(parents=True)
    made = make_backup(location, "daily", now=RIGHT_NOW)
    database = location.database_path
    assert database is not None
    copy = location.data_dir.parent / "copy.sqlite3"
    shutil.copyfile(made, copy)
    for _restore in range(5):
        database.write_bytes(flip_a_header_byte(database.read_bytes()))
        restore(location, copy)
    prune_backups(location, now=RIGHT_NOW)
    kept = sorted(path.name for path in location.backup_dir.glob("damaged-*"))
    assert [name.split("-")[1] for name in kept] == ["000004", "000005", "000006"]


ROOT = hasattr(os, "getuid") and os.getuid() == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB disk (tmpfs) of its own, for filling up or making read-only."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def on_disk(disk: Path, capsys) -> Callable[..., CliResult]:
    from facilitator.cli import main

    def cli(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(["--data-dir", str(disk / "data"), *args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return cli


@pytest.mark.skipif(not ROOT, reason="needs root: mounts a small tmpfs and fills it")
def test_a_full_disk_says_so_and_keeps_the_records_intact(small_disk: Path, capsys) -> None:
    cli = on_disk(small_disk, capsys)
    assert cli("group", "add", "Tuesday").code == 0
    assert cli("meeting", "open", "--group", "Tuesday").code == 0
    assert cli("checkin", "1", "Ann", "--new").code == 0
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(bytes(free - 100_000))  # room to open the records, not to copy them
    full = f"facilitator: {DISK_FULL}\n"
    assert cli("backup") == CliResult(1, "", full)
    assert cli("backup", "-o", str(small_disk / "copy.sqlite3")) == CliResult(1, "", full)
    refused = cli("forget", "--participant", "Ann", "--group", "Tuesday", "--yes")
    assert (refused.code, refused.out) == (1, "")
    assert refused.err.startswith("facilitator: The disk is too full to forget someone in every backup safely")
    assert refused.err.endswith("nothing was deleted. Free some space and try again.\n")
    assert sorted(path.name for path in small_disk.rglob("*.partial")) == []
    (small_disk / "filler").unlink()
    assert cli("check").code == 0 and "Ann" in cli("participants", "--group", "Tuesday").out


KILLED_WRITER = """
import os, sys
from facilitator.records import open_records
from facilitator.rules.groups import create_group
from facilitator.storage.locations import DataLocation

db = open_records(DataLocation.resolve(sys.argv[1]))
with db.begin() as session:
    create_group(session, "Wednesday")
os._exit(0)  # as if killed: the write-ahead log stays beside the file
"""


@pytest.mark.skipif(not ROOT, reason="needs root: mounts a small tmpfs and makes it read-only")
@pytest.mark.parametrize("killed", [False, True], ids=["closed cleanly", "with a killed program's log"])
def test_records_on_a_read_only_disk_are_sound_and_can_be_copied_elsewhere(
    small_disk: Path, tmp_path: Path, capsys, killed: bool
) -> None:
    cli = on_disk(small_disk, capsys)
    data = str(small_disk / "data")
    # In processes of their own: a file this one still held open would keep the disk from going read-only.
    subprocess.run([sys.executable, "-m", "facilitator", "--data-dir", data, "group", "add", "Tuesday"], check=True)
    if killed:
        subprocess.run([sys.executable, "-c", KILLED_WRITER, data], check=True)
    database = small_disk / "data" / DATABASE_FILENAME
    assert Path(f"{database}-wal").exists() == killed
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    assert remounted.returncode == 0, remounted.stderr
    assert cli("check") == CliResult(
        0,
        f"Sound: the records in {database} passed the integrity and link checks. They are on a read-only disk, "
        "so nothing can be changed there.\n",
        "",
    )
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", "-o", str(copy)).code == 0
    names = sqlite3.connect(copy).execute("SELECT name FROM groups ORDER BY id").fetchall()
    assert names == ([("Tuesday",), ("Wednesday",)] if killed else [("Tuesday",)])
    assert cli("backup") == CliResult(1, "", f"facilitator: {READ_ONLY}\n")
    assert cli("group", "add", "Thursday") == CliResult(1, "", f"facilitator: {READ_ONLY}\n")
