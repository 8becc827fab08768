"""Every program that opens the records, the window and each command alike, holds the data
folder's one lock while they are open, and a restore holds it too; SQLite's own lock held by
another program is "busy", never "damaged"; and damage that only the full check sees stops
every later write."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.errors import DatabaseDamaged, FacilitatorError, user_message
from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage import instance_lock
from facilitator.storage.backups import list_backups, make_backup
from facilitator.storage.database import DAMAGE_MARKER
from facilitator.storage.file_check import read_file_state
from facilitator.storage.instance_lock import InstanceBusy, InstanceLock
from facilitator.storage.locations import DataLocation
from tests.helpers import damage_an_index, records_held_elsewhere, sqlite_lock_held

pytestmark = pytest.mark.sqlite_only("about the SQLite file, its lock and its checks")

BUSY = (
    "Another program is using your records just now, so they could not be opened or changed; they are intact. "
    "Close that program, or wait for it to finish, then try again."
)


def in_use(data_dir: Path) -> str:
    return (
        f"facilitator: Facilitator is already using the records in {data_dir} (its window, or another command). "
        "Close it, or wait for it to finish, then try again.\n"
    )


def held_by_this_process(data_dir: Path) -> bool:
    """Whether the lock file is locked, asked through a descriptor of its own (which the system's
    lock refuses even within the process that holds it)."""
    if not (data_dir / instance_lock.LOCK_NAME).exists():
        return False
    with open(data_dir / instance_lock.LOCK_NAME, "r+", encoding="utf-8") as handle:
        try:
            instance_lock._lock(handle)
        except OSError:
            return True
        instance_lock._unlock(handle)
        return False


def group_names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM groups ORDER BY name")]
    finally:
        connection.close()


# Item 3: one lock for every writer.


def test_a_command_is_refused_while_another_program_has_the_records_open_and_changes_nothing(
    cli, location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    monkeypatch.setattr(instance_lock, "WAIT_SECONDS", 0.2, raising=False)
    with records_held_elsewhere(location.data_dir):
        refused = cli("group", "add", "Wednesday")
        assert (refused.code, refused.out, refused.err) == (1, "", in_use(location.data_dir))
    assert group_names(location.database_path) == ["Tuesday"]  # type: ignore[arg-type]  # SQLite's: a file


@pytest.mark.sqlite_only("backs up the SQLite file")
def test_a_backup_into_the_backup_folder_waits_for_another_program_but_one_elsewhere_does_not(
    cli, location: DataLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other program may be forgetting someone: it rewrites every backup it finds, and a
    backup published after it looked would keep the person it was asked to forget."""
    assert cli("group", "add", "Tuesday").code == 0
    monkeypatch.setattr(instance_lock, "WAIT_SECONDS", 0.2, raising=False)
    with records_held_elsewhere(location.data_dir):
        refused = cli("backup")
        assert (refused.code, refused.out, refused.err) == (1, "", in_use(location.data_dir))
        assert not location.backup_dir.exists() or not any(location.backup_dir.iterdir())
        elsewhere = cli("backup", "-o", str(tmp_path / "stick.sqlite3"))
        assert elsewhere.code == 0 and group_names(tmp_path / "stick.sqlite3") == ["Tuesday"]


def test_the_records_open_twice_in_one_process_hold_the_lock_until_both_are_closed(location: DataLocation) -> None:
    first = open_records(location)
    second = open_records(location)  # as the window does after a restore, and tests do
    first.close()
    assert held_by_this_process(location.data_dir)
    with second.begin() as session:
        create_group(session, "Still Open")
    second.close()
    assert not held_by_this_process(location.data_dir)
    second.close()  # closing twice lets go of nothing more
    with InstanceLock(location.data_dir, wait=0):
        assert held_by_this_process(location.data_dir)


def test_the_lock_waits_a_moment_for_another_program_then_says_plainly(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    other = open(folder / instance_lock.LOCK_NAME, "w+", encoding="utf-8")  # noqa: SIM115 - another program's
    instance_lock._lock(other)
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with pytest.raises(InstanceBusy) as refused:
        InstanceLock(folder, wait=1.0, clock=lambda: now[0], sleep=sleep).acquire()
    assert str(refused.value) == in_use(folder).removeprefix("facilitator: ").rstrip("\n")
    assert sum(slept) == pytest.approx(1.0, abs=instance_lock.POLL_SECONDS)

    def other_finishes(seconds: float) -> None:  # the other program is done after a moment
        instance_lock._unlock(other)

    with InstanceLock(folder, wait=1.0, clock=lambda: 0.0, sleep=other_finishes):
        assert held_by_this_process(folder)
    other.close()


CHECKER = """
import os, sys
import facilitator.records, facilitator.rules.attendance, facilitator.rules.meetings, facilitator.rules.participants
from facilitator.cli import main

# Each check-in is a command of its own: a process forked from this one, to spare the imports.
for name in sys.argv[3:]:
    pid = os.fork()
    if pid == 0:
        code = main(["--data-dir", sys.argv[1], "checkin", sys.argv[2], name])
        sys.stdout.flush()
        os._exit(code)
    os.waitpid(pid, 0)
"""

RESTORER = """
import os, random, shutil, signal, sys, time
from pathlib import Path
import facilitator.records, facilitator.storage.backups
from facilitator.cli import main

data, backup, kept, done = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
rng = random.Random(int(sys.argv[5]))
restores = 0
while not done.exists():
    pid = os.fork()
    if pid == 0:
        code = main(["--data-dir", str(data), "restore", backup])
        sys.stdout.flush()
        os._exit(code)
    if rng.random() < 0.3:  # some restores are killed at a random moment
        time.sleep(rng.random() * 0.05)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    restores += 1
    # The copies of the records each restore replaced, kept aside before a later restore's
    # backups could prune them.
    for made in (data / "backups").iterdir():
        if "before-restore" in made.name or made.name.startswith("damaged-"):
            if not (kept / made.name).exists():
                (shutil.copytree if made.is_dir() else shutil.copy2)(made, kept / made.name)
    time.sleep(rng.random() * 0.1)
print("RESTORES", restores, flush=True)
"""


def checked_in(path: Path) -> set[str]:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {
            row[0]
            for row in connection.execute(
                "SELECT participants.display_name FROM attendance JOIN participants ON participants.id = "
                "attendance.participant_id"
            )
        }
    finally:
        connection.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a process per command, to spare the imports")
@pytest.mark.timeout(240)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_restore_racing_command_line_check_ins_never_loses_a_confirmed_one(tmp_path: Path, seed: int) -> None:
    data = tmp_path / "data"
    location = DataLocation.resolve(data)
    db = open_records(location)
    names = [f"Person {number:02}" for number in range(40)]
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        for name in names:
            add_participant(session, group.id, name)
        meeting = open_meeting(session, group.id).id
    db.close()
    backup = make_backup(location, "meeting-opened")  # the meeting, nobody checked in yet
    kept, done = tmp_path / "kept", tmp_path / "done"
    kept.mkdir()
    scripts = tmp_path / "checker.py", tmp_path / "restorer.py"
    for script, text in zip(scripts, (CHECKER, RESTORER), strict=True):
        script.write_text(text, encoding="utf-8")
    restorer = subprocess.Popen(
        [sys.executable, str(scripts[1]), str(data), str(backup), str(kept), str(done), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    checkers = [
        subprocess.Popen(
            [sys.executable, str(scripts[0]), str(data), str(meeting), *names[lane::2]],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for lane in range(2)
    ]
    said = "".join(checker.communicate()[0] for checker in checkers)
    done.touch()
    restores = int(restorer.communicate()[0].split()[-1])
    confirmed = {line.removeprefix("Marked ").removesuffix(": present.") for line in said.splitlines()}
    found = checked_in(data / "facilitator.sqlite3")
    for copy in kept.rglob("*.sqlite3"):
        found |= checked_in(copy)
    assert restores >= 2 and len(confirmed) >= 10, (restores, said)
    assert confirmed <= found, sorted(confirmed - found)


# Item 2: busy is never damaged.


@pytest.mark.parametrize("journal_mode", ["WAL", "DELETE"], ids=["write-ahead log", "rollback journal"])
def test_records_another_program_has_locked_are_busy_not_damaged(
    cli, location: DataLocation, journal_mode: str
) -> None:
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Tuesday")
    db.close()
    with sqlite_lock_held(location.database_path, journal_mode):  # type: ignore[arg-type]  # SQLite's: a file
        refused = cli("group", "add", "Wednesday")
        checked = cli("check")
    assert (refused.code, refused.err) == (1, f"facilitator: {BUSY}\n")
    if journal_mode == "DELETE":  # readers are locked out too: the check cannot read, and says why
        assert (checked.code, checked.err) == (1, f"facilitator: {BUSY}\n")
    else:
        assert checked.code == 0 and checked.out.startswith("Sound:")
    assert group_names(location.database_path) == ["Tuesday"]  # type: ignore[arg-type]  # SQLite's: a file
    assert not (location.data_dir / DAMAGE_MARKER).exists()


def test_the_file_check_and_a_raw_busy_error_say_busy(location: DataLocation) -> None:
    open_records(location).close()
    path = location.database_path
    assert path is not None
    with sqlite_lock_held(path, "DELETE"), pytest.raises(FacilitatorError) as refused:
        read_file_state(path)
    assert str(refused.value) == BUSY
    assert user_message(sqlite3.OperationalError("database is locked")) == BUSY


# Item 7: known damage stops writes.


def test_damage_only_the_full_check_sees_stops_every_later_write(cli, location: DataLocation) -> None:
    db = open_records(location)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann, bo = (add_participant(session, group.id, name).id for name in ("Ann", "Bo"))
        add_participant(session, group.id, "Cy")
        create_group(session, "Wednesday")
        meeting = open_meeting(session, group.id).id
        check_in(session, meeting, ann)
        check_in(session, meeting, bo)
    db.close()
    good = make_backup(location, "by-hand")
    path = location.database_path
    assert path is not None
    damage_an_index(path)
    assert cli("groups").code == 0  # opening (its quick check) sees nothing wrong

    checked = cli("check")
    assert checked.code == 1 and checked.err.startswith("facilitator: Damaged: ")
    before = path.read_bytes(), checked_in(path)
    refusal = (
        f"facilitator: The database at {path} is damaged ({checked.err.split('Damaged: ')[1].split(' (')[0]}), "
        "so nothing more is written to it; this was not saved. Restore a backup to carry on.\n"
    )
    for command in (("meeting", "open", "--group", "Wednesday"), ("checkin", str(meeting), "Cy")):
        refused = cli(*command)
        assert (refused.code, refused.out, refused.err) == (1, "", refusal)
    assert "Tuesday" in cli("groups").out  # still read
    assert (path.read_bytes(), checked_in(path)) == before

    assert cli("restore", str(good)).code == 0
    assert not (location.data_dir / DAMAGE_MARKER).exists()
    assert cli("checkin", str(meeting), "Cy").code == 0


def test_damage_a_backup_finds_stops_every_later_write(cli, location: DataLocation) -> None:
    db = open_records(location)
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann").id
        add_participant(session, group.id, "Cy")
        meeting = open_meeting(session, group.id).id
        check_in(session, meeting, ann)
    db.close()
    path = location.database_path
    assert path is not None
    damage_an_index(path)

    backed_up = cli("backup")
    assert backed_up.code == 1
    assert backed_up.err.startswith("facilitator: Your records are damaged: a copy of them failed its check (")
    assert backed_up.err.endswith(
        "so it was not kept, and nothing more is written to them. Restore a backup to carry on.\n"
    )
    assert list_backups(location) == []
    before = path.read_bytes(), checked_in(path)
    refused = cli("checkin", str(meeting), "Cy")
    assert refused.code == 1 and "so nothing more is written to it; this was not saved." in refused.err
    assert (path.read_bytes(), checked_in(path)) == before


def test_damage_found_while_the_records_are_open_stops_their_writes_too(location: DataLocation) -> None:
    db = open_records(location)
    db.mark_damaged("row 3 missing from index ix_attendance_participant_id")
    with pytest.raises(DatabaseDamaged, match="is damaged \\(row 3 missing"):
        with db.begin() as session:
            create_group(session, "Tuesday")
    with db.begin() as session:
        assert list_groups(session) == []
    db.close()
