"""What an SQLite file holds before it is opened, read without writing a byte to it: its schema
revision and any damage. Needs only the standard library, so the window can have it read on a
thread of its own while it draws itself, before SQLAlchemy is even imported."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import DatabaseDamaged, DatabaseProblem, RecordsBusy, is_busy
from facilitator.storage.locations import refuse_unless_own

NOT_OURS = "This database was not made by Facilitator; it is left untouched."


@dataclass(frozen=True)
class FileState:
    revision: str | None
    problems: list[str]  # what SQLite's quick check found wrong; empty when sound


def read_file_state(path: Path) -> FileState:
    """The revision of the SQLite file at `path` and what its quick check finds wrong. Raises
    DatabaseProblem for a file that is not a database, or not Facilitator's, and NotOwnPlace for a
    link or another user's file (names and notes must never be written there)."""
    refuse_unless_own(path, path.lstat())
    return FileState(sqlite_file_revision(path), integrity_problems(path, quick=True))


def sqlite_file_revision(path: Path) -> str | None:
    """The revision of an SQLite file, read without writing a byte to it. A file another program
    holds locked past the busy timeout is RecordsBusy; one SQLite finds no database in, damaged."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseProblem(NOT_OURS)
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise RecordsBusy() from None
        damaged = getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
        raise (DatabaseDamaged if damaged else DatabaseProblem)(
            f"The database at {path} cannot be opened: {exc}."
        ) from None


def read_only_uri(path: Path) -> str:
    """The URI that opens an SQLite file for reading only. On a read-only disk SQLite cannot make
    the shared-memory file a write-ahead log needs, so a file with no log beside it (closed
    cleanly) is opened as immutable; one with a log is read with it, through the -shm left there."""
    uri = f"{path.absolute().as_uri()}?mode=ro"
    if on_read_only_disk(path) and not os.path.exists(f"{path}-wal"):
        uri += "&immutable=1"
    return uri


def on_read_only_disk(path: Path) -> bool:
    """Whether nothing can be written beside the file (a read-only disk, or a folder closed to writing)."""
    return path.parent.is_dir() and not os.access(path.parent, os.W_OK)


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity check (or its quicker form, without the index cross-checks) and
    its foreign-key check find wrong with a database file, read without writing to it. A file
    another program holds locked is not damaged: RecordsBusy."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            found = [row[0] for row in connection.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}")]
            problems = [] if found == ["ok"] else found
            broken = connection.execute("PRAGMA foreign_key_check").fetchall()
            return problems + [f"a {table} record points at a missing record" for table, *_rest in broken[:5]]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if is_busy(error):
            raise RecordsBusy() from None
        return [str(error)]
