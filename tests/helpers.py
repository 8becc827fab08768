"""Helpers more than one test file uses, with no Qt in them (the core's tests run without PySide6)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def damage(path: Path) -> None:
    """Scribble over the middle of a database file, as a failing disk might."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@contextmanager
def records_held_elsewhere(data_dir: Path) -> Iterator[None]:
    """Another Facilitator process with the records in `data_dir` open (as its window, or a long
    command, has them) until the block ends."""
    with _another_process(
        "import sys, time; from facilitator.records import open_records; "
        "from facilitator.storage.locations import DataLocation; "
        "db = open_records(DataLocation.resolve(sys.argv[1])); print('ready', flush=True); time.sleep(120)",
        str(data_dir),
    ):
        yield


def damage_an_index(path: Path, index: str = "ix_attendance_participant_id", table: str = "attendance") -> None:
    """Leave an index out of step with its table, every page still well-formed (as a bad sector
    in an index can): SQLite's quick check, run on opening, passes; its full check does not."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")
    entry = connection.execute("SELECT * FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    connection.execute("DELETE FROM sqlite_master WHERE name = ?", (index,))
    connection.close()
    connection = sqlite3.connect(path, isolation_level=None)  # sees the table without its index
    connection.execute(f"DELETE FROM {table} WHERE rowid = (SELECT min(rowid) FROM {table})")  # noqa: S608
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    connection.close()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    finally:
        connection.close()


@contextmanager
def sqlite_lock_held(path: Path, journal_mode: str = "WAL") -> Iterator[None]:
    """Another program (a sqlite3 shell, say) holding SQLite's write lock on the database at `path`,
    in the journal mode given (in DELETE mode, readers are locked out too), until the block ends."""
    with _another_process(
        "import sqlite3, sys, time; connection = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "connection.execute(f'PRAGMA journal_mode = {sys.argv[2]}'); connection.execute('BEGIN EXCLUSIVE'); "
        "connection.execute('CREATE TABLE IF NOT EXISTS other_program (x)'); "
        "print('ready', flush=True); time.sleep(120)",
        str(path),
        journal_mode,
    ):
        yield


@contextmanager
def _another_process(script: str, *args: str) -> Iterator[None]:
    """A Python process running `script` with `args`, from when it prints "ready" until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
