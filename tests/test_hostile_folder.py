"""A hostile or careless folder: links planted where the program writes, a data folder others can
write to, and a folder or file left to another user (root, after one `sudo facilitator`). Nothing
is written through a link or into another user's file, and each refusal says what to do."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.storage.database import DAMAGE_MARKER
from facilitator.storage.instance_lock import LOCK_NAME
from facilitator.storage.locations import DATABASE_FILENAME, DataLocation
from tests.conftest import CliResult

ROOT = hasattr(os, "getuid") and os.getuid() == 0
AS_ROOT = pytest.mark.skipif(not ROOT, reason="needs root: plants files as another user (nobody) with setpriv")
NOBODY = 65534
REPO = Path(__file__).resolve().parents[1]


def made_private(folder: Path) -> str:
    return f"Other users could change files in {folder}, so Facilitator made it private to you.\n"


def planted(target: Path) -> tuple[bytes, int]:
    return target.read_bytes(), target.stat().st_mode & 0o777


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of someone else's a link points at; it must stay as it is."""
    path = tmp_path / "victim.txt"
    path.write_bytes(b"not Facilitator's\n")
    path.chmod(0o644)
    return path


@pytest.mark.sqlite_only("links planted in the data folder, beside the SQLite file")
def test_a_lock_file_that_is_a_link_is_refused_and_not_followed(cli, location: DataLocation, victim: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    copy = location.backup_dir.parent / "copy.sqlite3"
    assert cli("backup", "-o", str(copy)).code == 0
    before = planted(victim)
    (location.data_dir / LOCK_NAME).unlink()  # the commands' own lock file, put in place of by a link
    (location.data_dir / LOCK_NAME).symlink_to(victim)
    refused = cli("restore", str(copy))
    assert refused.code == 1
    assert refused.err == (
        f"facilitator: {location.data_dir / LOCK_NAME} is a link, and Facilitator does not follow links among your "
        "records (someone else may have put it there); nothing was written through it. Remove the link, then try "
        "again.\n"
    )
    assert planted(victim) == before


@pytest.mark.sqlite_only("links planted beside a copy of the SQLite file")
def test_a_partial_backup_that_is_a_link_is_replaced_not_written_through(
    cli, location: DataLocation, tmp_path: Path, victim: Path
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    before = planted(victim)
    copy = tmp_path / "copy.sqlite3"
    (tmp_path / ".copy.sqlite3.partial").symlink_to(victim)
    assert cli("backup", "-o", str(copy)).code == 0
    assert planted(victim) == before
    assert not copy.is_symlink() and oct(copy.stat().st_mode & 0o777) == "0o600"
    assert not (tmp_path / ".copy.sqlite3.partial").exists()


@pytest.mark.sqlite_only("a link in the SQLite file's place")
def test_a_database_that_is_a_link_is_refused(cli, location: DataLocation, victim: Path) -> None:
    location.data_dir.mkdir()
    (location.data_dir / DATABASE_FILENAME).symlink_to(victim)
    before = planted(victim)
    refused = cli("group", "add", "Tuesday")
    assert refused.code == 1 and f"{location.data_dir / DATABASE_FILENAME} is a link" in refused.err
    assert planted(victim) == before


def test_a_data_folder_that_is_a_link_is_refused(cli, location: DataLocation, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    location.data_dir.symlink_to(elsewhere, target_is_directory=True)
    refused = cli("group", "add", "Tuesday")
    assert refused.code == 1 and f"{location.data_dir} is a link" in refused.err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="folder permissions for other users are POSIX's")
def test_a_data_folder_others_can_write_to_is_made_private_and_the_user_told(cli, location: DataLocation) -> None:
    location.data_dir.mkdir()
    location.data_dir.chmod(0o777)
    done = cli("group", "add", "Tuesday")
    assert done.code == 0
    assert done.err == made_private(location.data_dir)
    assert oct(location.data_dir.stat().st_mode & 0o777) == "0o700"
    assert cli("groups").err == ""  # said once


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder root owns that everyone may write to, like /tmp (only there can nobody reach it:
    pytest's own temporary folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="facilitator-shared-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder)


def as_nobody(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "HOME": "/nonexistent"},
        check=False,
    )


def facilitator_as_nobody(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return as_nobody(sys.executable, "-m", "facilitator", "--data-dir", str(data_dir), *args)


@AS_ROOT
@pytest.mark.sqlite_only("links planted in a shared data folder, beside the SQLite file")
def test_links_another_user_plants_in_a_shared_folder_are_not_followed(
    shared_folder: Path, victim: Path, capsys
) -> None:
    from facilitator.cli import main

    def cli(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(["--data-dir", str(shared_folder), *args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    assert cli("group", "add", "Tuesday").code == 0
    (shared_folder / LOCK_NAME).unlink()  # as before any program took the lock in it
    shared_folder.chmod(0o1777)  # shared again, as someone else may make it
    loot = shared_folder / "loot"
    plant = (
        f"import os; os.symlink({str(victim)!r}, {str(shared_folder / LOCK_NAME)!r}); "
        f"open({str(loot)!r}, 'w').close(); os.chmod({str(loot)!r}, 0o644); "
        f"os.symlink({str(loot)!r}, {str(shared_folder / '.copy.sqlite3.partial')!r})"
    )
    assert as_nobody(sys.executable, "-c", plant).returncode == 0
    assert (shared_folder / LOCK_NAME).lstat().st_uid == NOBODY
    before = planted(victim)
    copied = cli("backup", "-o", str(shared_folder / "copy.sqlite3"))
    assert copied.code == 0
    assert copied.err == made_private(shared_folder)
    assert loot.read_bytes() == b""  # the records went into the backup, not into nobody's file
    assert (shared_folder / "copy.sqlite3").stat().st_uid == 0
    refused = cli("restore", str(shared_folder / "copy.sqlite3"))
    assert refused.code == 1 and refused.err.startswith(f"facilitator: {shared_folder / LOCK_NAME} is a link")
    assert planted(victim) == before


@AS_ROOT
@pytest.mark.sqlite_only("backs up the SQLite file")
def test_a_backup_folder_left_to_root_is_named_with_what_to_do(shared_folder: Path) -> None:
    data = shared_folder / "data"
    made = facilitator_as_nobody(data, "group", "add", "Tuesday")
    assert made.returncode == 0, made.stderr
    (data / "backups").mkdir()  # as `sudo facilitator backup` once made it
    backup = facilitator_as_nobody(data, "backup")
    expected = (
        f"The folder {data / 'backups'} belongs to root, probably from running Facilitator as administrator once. "
        f"Give it back to you with: sudo chown -R nobody {shlex.quote(str(data / 'backups'))}"
    )
    assert backup.returncode == 1 and backup.stderr == f"facilitator: {expected}\n"
    assert facilitator_as_nobody(data, "meeting", "open", "--group", "Tuesday").returncode == 0
    assert facilitator_as_nobody(data, "checkin", "1", "Ann", "--new").returncode == 0
    forget = facilitator_as_nobody(data, "forget", "--participant", "Ann", "--group", "Tuesday", "--yes")
    assert forget.returncode == 1 and forget.stderr == (
        f"facilitator: Nothing was deleted: the backup that comes first could not be made. {expected}\n"
    )
    assert "Ann" in facilitator_as_nobody(data, "participants", "--group", "Tuesday").stdout


@AS_ROOT
@pytest.mark.sqlite_only("the SQLite file given to another user")
def test_a_database_that_is_another_users_is_refused_with_what_to_do(cli, location: DataLocation) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    database = location.data_dir / DATABASE_FILENAME
    os.chown(database, NOBODY, NOBODY)
    before = database.read_bytes()
    refused = cli("group", "add", "Wednesday")
    assert refused == CliResult(
        1,
        "",
        f"facilitator: The file {database} belongs to nobody, and Facilitator uses only files and folders of your "
        f"own. Make it yours with: sudo chown root {shlex.quote(str(database))}\n",
    )
    assert database.read_bytes() == before


def facilitator_here(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, given a minute: one that hangs on a planted FIFO fails
    the test (an open() blocked in SQLite or the kernel cannot be interrupted in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "facilitator", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")
@pytest.mark.sqlite_only("a FIFO planted among the SQLite backups")
def test_a_fifo_named_like_a_backup_neither_hangs_forgetting_nor_is_taken_for_a_backup(
    cli, location: DataLocation
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    assert cli("import-roster", "--group", "Tuesday", str(_roster(location, "Ann Forgetme", "Bo Stays"))).code == 0
    assert cli("backup").code == 0
    fifo = location.backup_dir / "facilitator-999999-20260101T000000000000Z-by-hand.sqlite3"
    os.mkfifo(fifo)
    done = facilitator_here(location.data_dir, "forget", "--group", "Tuesday", "--participant", "Ann Forgetme", "--yes")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith("Removed from 2 backups.\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # not Facilitator's: left alone


@pytest.mark.sqlite_only("a FIFO or a link planted beside the SQLite file")
@pytest.mark.parametrize(
    "plant",
    [pytest.param("fifo", marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")), "link"],
)
def test_a_damage_marker_that_is_a_fifo_or_a_link_is_refused_not_read(
    cli, location: DataLocation, victim: Path, plant: str
) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    marker = location.data_dir / DAMAGE_MARKER
    if plant == "fifo":
        os.mkfifo(marker)
        said = f"{marker} is not an ordinary file; Facilitator left it alone. Remove it, then try again."
    else:
        marker.symlink_to(victim)
        said = (
            f"{marker} is a link, and Facilitator does not follow links among your records (someone else may have "
            "put it there); nothing was written through it. Remove the link, then try again."
        )
    refused = facilitator_here(location.data_dir, "group", "add", "Wednesday")
    assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", f"facilitator: {said}\n")
    marker.unlink()
    assert cli("groups").out.count("Wednesday") == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX's")
@pytest.mark.sqlite_only("a FIFO in the SQLite file's place")
@pytest.mark.parametrize("command", [["check"], ["backup"], ["backup", "-o", "copy.sqlite3"]])
def test_a_fifo_in_the_databases_place_is_named_for_what_it_is(cli, location: DataLocation, command: list[str]) -> None:
    location.data_dir.mkdir(parents=True)
    assert location.database_path is not None
    os.mkfifo(location.database_path)
    if command[-1] == "copy.sqlite3":
        command = [*command[:-1], str(location.data_dir.parent / "copy.sqlite3")]
    refused = cli(*command)
    assert (refused.code, refused.out) == (1, "")
    assert refused.err == (
        f"facilitator: {location.database_path} is not an ordinary file; Facilitator left it alone. Remove it, "
        "then try again.\n"
    )


def _roster(location: DataLocation, *names: str) -> Path:
    roster = location.data_dir.parent / "roster.csv"
    roster.write_text("name\n" + "".join(f"{name}\n" for name in names), encoding="utf-8")
    return roster
