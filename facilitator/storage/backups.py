"""Backups of the SQLite database: made with SQLite's online backup API, verified after writing,
kept private, pruned by a retention rule; and the checks and the restore that use them.

A backup is never trusted untested: each is read back with `PRAGMA integrity_check` before it
counts, and a restore checks the file it is given before it touches anything.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from facilitator.errors import DatabaseProblem, InvalidInput
from facilitator.storage.database import known_revisions
from facilitator.storage.file_check import NOT_OURS, integrity_problems, sqlite_file_revision
from facilitator.storage.locations import DataLocation, make_private_dir, make_private_file

KEEP_LATEST = 10
KEEP_MONTHS = 12
DAILY = timedelta(days=1)
NAME = re.compile(r"facilitator-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.sqlite3")
STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime  # local time, from the file's name
    reason: str


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def make_backup(location: DataLocation, reason: str, *, now: datetime | None = None) -> Path:
    """A verified private copy of the database in the backup folder; old ones are then pruned
    by the retention rule (the newest ten, and the newest of each of the last twelve months)."""
    source = _database_file(location)
    moment = now or datetime.now()
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
    target = make_private_dir(location.backup_dir) / f"facilitator-{moment.strftime(STAMP)}-{slug}.sqlite3"
    copy_database(source, target)
    prune_backups(location, now=moment)
    return target


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
    into a temporary file that is checked and then renamed into place, so a failed copy
    never leaves a half-written backup."""
    partial = target.with_name(f".{target.name}.partial")
    make_private_file(partial)
    try:
        src = sqlite3.connect(source)
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
            raise DatabaseProblem(f"The copy of the database failed its check ({problems[0]}); it was not kept.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def list_backups(location: DataLocation) -> list[Backup]:
    """The backups in the backup folder, newest first."""
    found = []
    folder = location.backup_dir
    for path in folder.iterdir() if folder.is_dir() else []:
        match = NAME.fullmatch(path.name)
        if match:
            found.append(Backup(path, datetime.strptime(match["stamp"], STAMP), match["reason"]))
    return sorted(found, key=lambda backup: backup.made_at, reverse=True)


def prune_backups(location: DataLocation, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups the retention rule does not keep; returns what went."""
    backups = list_backups(location)
    keep = {backup.path for backup in backups[:KEEP_LATEST]}
    moment = now or datetime.now()
    oldest_month = (moment.year * 12 + moment.month - 1) - (KEEP_MONTHS - 1)
    months: set[tuple[int, int]] = set()
    for backup in backups:  # newest first, so the first seen in a month is its newest
        month = (backup.made_at.year, backup.made_at.month)
        if backup.made_at.year * 12 + backup.made_at.month - 1 >= oldest_month and month not in months:
            months.add(month)
            keep.add(backup.path)
    removed = [backup.path for backup in backups if backup.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_due(location: DataLocation, *, now: datetime | None = None) -> bool:
    """Whether a day has passed since the newest backup (or there is none)."""
    backups = list_backups(location)
    return not backups or (now or datetime.now()) - backups[0].made_at >= DAILY


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
    problems = integrity_problems(path)
    if problems:
        raise DatabaseProblem(f"{path.name} is damaged ({problems[0]}).")
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
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
    path = _database_file(location)
    sqlite_file_revision(path)
    return CheckReport(integrity_problems(path))


def restore(location: DataLocation, source: Path) -> Path:
    """Put a backup in place of the database: the file is checked first, the current database is
    kept as a backup, then the swap is a single rename. Returns the kept copy. The program must
    not have the database open (the instance lock sees to that)."""
    verify_database_file(source)
    database = _database_file(location, must_exist=False)
    kept = _keep_current(location, database) if database.exists() else None
    incoming = database.with_name(f".{database.name}.restoring")
    copy_database(source, incoming)
    if database.exists():
        # Fold the write-ahead log into the old file and empty it, so that no stale log can be
        # replayed onto the restored database.
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
    (often the reason for restoring), the files as they are, for anyone who can rescue them."""
    try:
        return make_backup(location, "before-restore")
    except DatabaseProblem:
        folder = make_private_dir(location.backup_dir) / f"damaged-{datetime.now().strftime(STAMP)}"
        make_private_dir(folder)
        for part in (database, Path(f"{database}-wal")):
            if part.exists():
                shutil.copy2(part, folder / part.name)
                make_private_file(folder / part.name)
        return folder


def _database_file(location: DataLocation, *, must_exist: bool = True) -> Path:
    path = location.database_path
    if path is None:
        raise DatabaseProblem(
            f"The database at {location.shown_url} is a server; back it up with the server's own tools."
        )
    if must_exist and not path.is_file():
        raise DatabaseProblem(f"There is no database at {path} yet.")
    return path
