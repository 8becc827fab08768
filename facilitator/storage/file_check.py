"""What an SQLite file holds before it is opened, read without writing a byte to it: its schema
revision and any damage. Needs only the standard library, so the window can have it read on a
thread of its own while it draws itself, before SQLAlchemy is even imported."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import DatabaseDamaged, DatabaseProblem, RecordsBusy, is_busy
from facilitator.storage.locations import SQLITE_HEADER, refuse_unless_own

NOT_OURS = "This database was not made by Facilitator; it is left untouched."
_LEFT = "it was left as it is. Restore a backup in its place, or move it away to start new records."


@dataclass(frozen=True)
class FileState:
    revision: str
    problems: list[str]  # what SQLite's quick check found wrong; empty when sound


def read_file_state(path: Path) -> FileState:
    """The revision of the SQLite file at `path` and what its quick check finds wrong. Raises
    DatabaseProblem for a file that cannot be read, DatabaseDamaged for one that is not a
    Facilitator database (see `sqlite_file_revision`), and NotOwnPlace for a link or another
    user's file (names and notes must never be written there). A file found damaged is left with
    nothing beside it that was not there before."""
    refuse_unless_own(path, path.lstat())
    had_log = _has_log(path)
    state = FileState(sqlite_file_revision(path), integrity_problems(path, quick=True))
    if state.problems:
        _drop_log_made_by_reading(path, had_log)
    return state


def sqlite_file_revision(path: Path) -> str:
    """The revision of a Facilitator database file, read without writing a byte to it.

    A file that is there but holds no Facilitator database (empty, cut short, not a database,
    or someone else's) is refused as DatabaseDamaged, so that a backup can be offered in its
    place: Facilitator makes its databases whole (`new_database_file`), never by filling a file
    it finds. A refused file is left with nothing beside it that was not there before.
    """
    had_log = _has_log(path)
    try:
        _refuse_what_is_no_whole_database(path, has_log=had_log or Path(f"{path}-journal").exists())
        return _stored_revision(path)
    except DatabaseProblem:
        _drop_log_made_by_reading(path, had_log)
        raise


def _has_log(path: Path) -> bool:
    return Path(f"{path}-wal").exists() or Path(f"{path}-shm").exists()


def _drop_log_made_by_reading(path: Path, had_log: bool) -> None:
    # SQLite makes a WAL-mode file's log and its index even to read it; an empty log was ours.
    log = Path(f"{path}-wal")
    if not had_log and log.is_file() and log.stat().st_size == 0:
        log.unlink(missing_ok=True)
        Path(f"{path}-shm").unlink(missing_ok=True)


def _refuse_what_is_no_whole_database(path: Path, *, has_log: bool) -> None:
    """Refuse, from its first bytes alone, a file that is empty, no SQLite database, or shorter
    than its header says (unless a log beside it may still complete it)."""
    try:
        with path.open("rb") as file:
            header = file.read(100)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return  # SQLite says why, as it opens it
    if size == 0:
        raise DatabaseDamaged(f"The file {path} is empty, so it is not a Facilitator database; {_LEFT}")
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise DatabaseDamaged(f"The file {path} is not a database; {_LEFT}")
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # SQLite's own test that the page count is current
    expected = (65536 if page_size == 1 else page_size) * pages
    if counted and not has_log and size < expected:
        raise DatabaseDamaged(
            f"The database at {path} is damaged (it is cut short: {size} of its {expected} bytes are there); {_LEFT}"
        )


def _stored_revision(path: Path) -> str:
    tables: set[str] = set()
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            ours = "alembic_version" in tables
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if ours else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise RecordsBusy() from None
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise DatabaseDamaged(f"The database at {path} is damaged ({exc}); {_LEFT}") from None
        raise DatabaseProblem(f"The database at {path} cannot be opened: {exc}.") from None
    if not ours:
        raise DatabaseDamaged(f"The file {path} holds a database that was not made by Facilitator; {_LEFT}")
    if row is None:
        raise DatabaseDamaged(
            f"The database at {path} is damaged (it does not say which version of Facilitator made it); {_LEFT}"
        )
    return str(row[0])


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
