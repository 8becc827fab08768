"""Backups of the SQLite database: made with SQLite's online backup API, verified after writing,
kept private, pruned by a retention rule; and the checks and the restore that use them.

A backup is never trusted untested: each is read back with `PRAGMA integrity_check` before it
counts, and a restore checks the file it is given before it touches anything.

Backups are ordered by a sequence number in their names that only grows, not by a clock: the
UTC moment beside it is what the clock said, which may have been wrong or may have jumped.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from facilitator.errors import (
    BackupFailed,
    DatabaseDamaged,
    DatabaseProblem,
    FacilitatorError,
    InvalidInput,
    user_message,
)
from facilitator.storage.database import known_revisions, remember_damage
from facilitator.storage.file_check import (
    NOT_OURS,
    integrity_problems,
    on_read_only_disk,
    read_only_uri,
    sqlite_file_revision,
)
from facilitator.storage.instance_lock import InstanceLock
from facilitator.storage.locations import (
    SQLITE_HEADER,
    DataLocation,
    create_new_private_file,
    make_private_dir,
    refuse_unless_own,
)

KEEP_LATEST = 10
KEEP_MONTHS = 12
KEEP_DAMAGED = 3
DAILY = timedelta(days=1)
# A part file this old is no program's work in progress (a backup of ten years of records takes
# seconds): one a killed program left.
LEFTOVER_AGE = timedelta(minutes=10)
REASON = r"(?P<reason>[a-z0-9-]+)"
NAME = re.compile(rf"facilitator-(?P<sequence>\d{{6,}})-(?P<stamp>\d{{8}}T\d{{12}}Z)-{REASON}\.sqlite3")
STAMP = "%Y%m%dT%H%M%S%fZ"
# Names before the sequence: the local time, read as such.
OLD_NAME = re.compile(rf"facilitator-(?P<stamp>\d{{8}}-\d{{6}}-\d{{6}})-{REASON}\.sqlite3")
OLD_STAMP = "%Y%m%d-%H%M%S-%f"
DAMAGED = re.compile(r"damaged-(?:(?P<sequence>\d{6,})-(?P<stamp>\d{8}T\d{12}Z)|(?P<old_stamp>\d{8}-\d{6}-\d{6}))")
# Hidden part files: of a backup, a restore, a document or export, new records being made; with
# any journal SQLite kept beside one.
LEFTOVER = re.compile(r"\..+\.(?:part|partial|restoring|new)(?:-journal|-wal|-shm)?")


class CopyFailedCheck(DatabaseDamaged):
    """A copy of the records failed its full check. SQLite's backup copies the records page by
    page, so the damage is theirs."""

    def __init__(self, problem: str) -> None:
        super().__init__(
            f"Your records are damaged: a copy of them failed its check ({problem}), so it was not kept, and "
            "nothing more is written to them. Restore a backup to carry on."
        )
        self.problem = problem


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime  # the moment the clock gave when it was made (aware; show it with dates.local)
    reason: str
    sequence: int  # the order it was made in; 0 for a backup named before sequences

    @property
    def order(self) -> tuple[int, datetime]:
        return (self.sequence, self.made_at)


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    read_only: bool = False  # on a disk or in a folder nothing can be written to

    @property
    def ok(self) -> bool:
        return not self.problems


def make_backup(location: DataLocation, reason: str, *, now: datetime | None = None) -> Path:
    """A verified private copy of the database in the backup folder; old ones are then pruned
    by the retention rule (see `prune_backups`).

    Made holding the records' lock (this process's own hold, when it has them open): forgetting
    a person rewrites every backup it finds, and must not miss one published while it works."""
    source = _database_file(location)
    moment = _instant(now)
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
    with InstanceLock(location.data_dir):
        folder = make_private_dir(location.backup_dir)
        target = folder / f"facilitator-{_next_sequence(location):06d}-{moment.strftime(STAMP)}-{slug}.sqlite3"
        try:
            copy_database(source, target)
        except CopyFailedCheck as exc:
            remember_damage(location, exc.problem)  # no more writes to them, here or at the next opening
            raise
        prune_backups(location, now=moment)
    return target


def backup_before_deleting(location: DataLocation, reason: str) -> Path | None:
    """A checked backup before records are deleted; None for records on a server, whose own
    backups cover them. Raises BackupFailed, saying nothing was deleted, when it cannot be made."""
    if location.database_path is None:
        return None
    try:
        return make_backup(location, reason)
    except (FacilitatorError, OSError, sqlite3.Error) as exc:
        cause = user_message(exc) or str(exc)
        raise BackupFailed(f"Nothing was deleted: the backup that comes first could not be made. {cause}") from exc


def backup_to(location: DataLocation, target: Path) -> Path:
    """A verified copy of the database where the user asks, readable by them alone."""
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name for the backup.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    database = _database_file(location)
    live = {database.resolve(), *(Path(f"{database}{end}").resolve() for end in ("-wal", "-shm", "-journal"))}
    if target.resolve() in live:
        raise InvalidInput(f"{target.name} holds your records themselves; it was not overwritten. Choose another name.")
    copy_database(database, target)
    return target


def copy_database(source: Path, target: Path) -> Path:
    """Copy through SQLite's online backup API (consistent even while the program writes),
    into a new temporary file that is checked and then renamed into place, so a failed copy
    never leaves a half-written backup. The source is only read: it may be on a read-only disk."""
    partial = target.with_name(f".{target.name}.partial")
    os.close(create_new_private_file(partial))
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no write-ahead log beside it to lose or leave.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            src.close()
            dst.close()
        problems = integrity_problems(partial)
        if problems:
            raise CopyFailedCheck(problems[0])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def list_backups(location: DataLocation) -> list[Backup]:
    """The backups in the backup folder, newest first: in the order they were made, whatever the
    clock said (those named before sequences come before all others, by their time)."""
    found = []
    folder = location.backup_dir
    for path in folder.iterdir() if folder.is_dir() else []:
        if not stat.S_ISREG(path.lstat().st_mode):
            continue  # not one this program made (a FIFO would hang whatever opened it)
        if match := NAME.fullmatch(path.name):
            made_at = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
            found.append(Backup(path, made_at, match["reason"], int(match["sequence"])))
        elif match := OLD_NAME.fullmatch(path.name):
            found.append(Backup(path, datetime.strptime(match["stamp"], OLD_STAMP).astimezone(), match["reason"], 0))
    return sorted(found, key=lambda backup: backup.order, reverse=True)


def prune_backups(location: DataLocation, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups the retention rule does not keep; returns what went.

    Kept: the newest ten, and the newest of each of the twelve latest months that have one. The
    rule counts backups, never the time since one was made, so a clock that is wrong (even years
    ahead) deletes nothing for its age. Kept with them: the three newest copies of damaged records
    (made by a restore, for anyone who can rescue them) that are no older than the backups kept.
    Part files of killed programs go too (see `clear_leftovers`)."""
    backups = list_backups(location)
    keep = {backup.path for backup in backups[:KEEP_LATEST]}
    months: set[tuple[int, int]] = set()
    for backup in backups:  # newest first, so the first seen in a month is its newest
        month = (backup.made_at.year, backup.made_at.month)
        if month not in months and len(months) < KEEP_MONTHS:
            months.add(month)
            keep.add(backup.path)
    removed = [backup.path for backup in backups if backup.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    oldest_kept = min((backup.order for backup in backups if backup.path in keep), default=None)
    for position, (order, folder) in enumerate(_damaged_copies(location)):
        if position >= KEEP_DAMAGED or (oldest_kept is not None and order < oldest_kept):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed + clear_leftovers(location, now=now)


def clear_leftovers(location: DataLocation, *, now: datetime | None = None) -> list[Path]:
    """Remove the part files killed programs left: half-made backups (`.….partial`, which may
    hold a person since forgotten), restores (`.….restoring`) and documents or exports
    (`.….part`). Only those untouched for ten minutes: a running program's own are younger.
    Run at start-up and with every pruning; returns what went."""
    cutoff = (_instant(now) - LEFTOVER_AGE).timestamp()
    removed = []
    for path in _part_files(location):
        if path.lstat().st_mtime < cutoff:
            path.unlink(missing_ok=True)  # a link planted under such a name goes, not what it points at
            removed.append(path)
    return removed


def _part_files(location: DataLocation) -> list[Path]:
    return [
        path
        for folder in (location.data_dir, location.backup_dir)
        for path in (folder.iterdir() if folder.is_dir() else [])
        if LEFTOVER.fullmatch(path.name) and not path.is_dir()
    ]


def backup_due(location: DataLocation, *, now: datetime | None = None) -> bool:
    """Whether the newest backup is a day old, or there is none, or the clock disagrees with the
    newest (it says that backup was made in the future: the clock is or was wrong)."""
    backups = list_backups(location)
    if not backups:
        return True
    age = _instant(now) - backups[0].made_at
    return age < timedelta(0) or age >= DAILY


def newest_good_backup(location: DataLocation) -> Backup | None:
    """The newest backup that passes its check and that this program can open."""
    for backup in list_backups(location):
        try:
            verify_database_file(backup.path)
        except DatabaseProblem:
            continue
        return backup
    return None


def verify_database_file(path: Path) -> str | None:
    """Check that a file is a sound Facilitator database this program can open; returns its
    schema revision (None for an empty one)."""
    if not path.is_file():
        raise DatabaseProblem(f"{path} is not a file.")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseProblem(f"{path.name} is not a Facilitator backup: it holds no database at all.")
    problems = integrity_problems(path)
    if problems:
        raise DatabaseProblem(f"{path.name} is damaged ({problems[0]}).")
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise DatabaseProblem(f"{path.name}: {NOT_OURS}")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise DatabaseProblem(f"{path.name} was made by a newer version of Facilitator; install it to use this file.")
    return revision


def check_database(location: DataLocation) -> CheckReport:
    """The whole database's integrity and links between records, for `facilitator check`. A file
    that is not a Facilitator database is refused as it is on opening (`sqlite_file_revision`)."""
    database = _database_file(location)
    sqlite_file_revision(database)
    return CheckReport(integrity_problems(database), read_only=on_read_only_disk(database))


def restore(location: DataLocation, source: Path) -> Path:
    """Put a backup in place of the database: the file is checked first, the current database is
    kept (as a backup, or as it is when it is damaged), then the swap is a single rename, so a
    restore stopped at any moment leaves the old records or the restored ones. Returns the kept
    copy. The program must not have the database open (the instance lock sees to that)."""
    verify_database_file(source)
    database = _database_file(location, must_exist=False)
    if database.is_symlink() or database.exists():
        refuse_unless_own(database, database.lstat())
    kept = _keep_current(location, database) if database.exists() else None
    incoming = database.with_name(f".{database.name}.restoring")
    copy_database(source, incoming)
    if kept is not None and kept.is_file():
        # Kept as a checked backup, so sound: fold its write-ahead log into the old file and empty
        # it, so that no stale log can be replayed onto the restored database. A damaged file may
        # not even open; its log is in the copy kept as it is.
        connection = sqlite3.connect(database)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(incoming, database)
    return kept or database


def _keep_current(location: DataLocation, database: Path) -> Path:
    """A copy of the records a restore replaces: a checked backup, or, when they are damaged
    (often the reason for restoring), the files as they are, byte for byte, in a folder of their
    own, for anyone who can rescue them."""
    try:
        return make_backup(location, "before-restore")
    except (DatabaseProblem, sqlite3.DatabaseError):  # sqlite3's own: a file that is not even a database
        stamp = datetime.now(UTC).strftime(STAMP)
        folder = make_private_dir(location.backup_dir / f"damaged-{_next_sequence(location):06d}-{stamp}")
        for part in (database, Path(f"{database}-wal")):
            if part.exists():
                with open(part, "rb") as original, os.fdopen(create_new_private_file(folder / part.name), "wb") as copy:
                    shutil.copyfileobj(original, copy)
                    copy.flush()
                    os.fsync(copy.fileno())
        return folder


def _next_sequence(location: DataLocation) -> int:
    """One more than any backup's or damaged copy's so far."""
    made = [backup.sequence for backup in list_backups(location)]
    made += [order[0] for order, _folder in _damaged_copies(location)]
    return max(made, default=0) + 1


def _damaged_copies(location: DataLocation) -> list[tuple[tuple[int, datetime], Path]]:
    """The folders of damaged records kept by restores, newest first, each with its order."""
    found = []
    folder = location.backup_dir
    for path in folder.iterdir() if folder.is_dir() else []:
        if (match := DAMAGED.fullmatch(path.name)) and path.is_dir():
            if match["sequence"]:
                order = (int(match["sequence"]), datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC))
            else:
                order = (0, datetime.strptime(match["old_stamp"], OLD_STAMP).astimezone())
            found.append((order, path))
    return sorted(found, reverse=True)


def _instant(now: datetime | None) -> datetime:
    """`now` (the machine's clock when not given) as a UTC instant; a naive time is local."""
    return (now or datetime.now(UTC)).astimezone(UTC)


def _database_file(location: DataLocation, *, must_exist: bool = True) -> Path:
    path = location.database_path
    if path is None:
        raise DatabaseProblem(
            f"The database at {location.shown_url} is a server; back it up with the server's own tools."
        )
    if must_exist and not path.is_file():
        if path.is_symlink() or path.exists():  # something is there, only not the records
            refuse_unless_own(path, path.lstat())
        raise DatabaseProblem(f"There is no database at {path} yet.")
    return path


def rewrite_backup(path: Path, change: Callable[[Path], None], check: Callable[[Path], None]) -> None:
    """Change a backup in a private copy beside it, compact the copy (so that no free page keeps
    what the change deleted), check it, and put it in place of the backup with one rename. The
    backup is never half-written: on any failure the copy goes and the backup is as it was."""
    copy = path.with_name(f".{path.name}.rewriting.partial")
    try:
        copy_database(path, copy)
        change(copy)
        _compact(copy)
        problems = integrity_problems(copy)
        if problems:
            raise DatabaseProblem(f"The rewritten copy of {path.name} failed its check ({problems[0]}).")
        check(copy)
        os.replace(copy, path)
    finally:
        for part in (copy, *(Path(f"{copy}{end}") for end in ("-wal", "-shm", "-journal"))):
            part.unlink(missing_ok=True)


def _compact(path: Path) -> None:
    """One self-contained file again, rebuilt by VACUUM: what was deleted is in no page of it."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("VACUUM")
    finally:
        connection.close()


def copy_leftovers(location: DataLocation) -> list[Path]:
    """Every copy besides the records and their backups that may hold any record: the part files
    interrupted work left (whatever their age, see `clear_leftovers`), the `damaged-…` folders a
    restore kept aside, and the copies of documents the window opened in the system's viewer."""
    viewer = location.viewer_copies_dir
    found = sorted(viewer.glob("*.pdf")) if viewer.is_dir() else []
    found += [folder for _order, folder in _damaged_copies(location)]
    return found + _part_files(location)


def fold_write_ahead_log(location: DataLocation) -> None:
    """Copy the write-ahead log into the database file and empty it, so that no older version of a
    page lingers in the log."""
    connection = sqlite3.connect(_database_file(location))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
