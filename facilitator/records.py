"""Opening the records: the database checked, a backup before an upgrade, the schema brought up to
date and the built-in guides with it. The one way the window and the command line open them, and
the one way to restore or fully check them.

Whoever has the records open holds the data folder's lock (InstanceLock) until it closes them, and
a restore holds it too: a restore never swaps the file under a program writing to it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from facilitator.errors import DatabaseDamaged
from facilitator.rules.guides import load_builtin_guides
from facilitator.storage.backups import CheckReport, check_database, clear_leftovers, make_backup, restore
from facilitator.storage.database import (
    Database,
    create_database_engine,
    damage_message,
    forget_damage,
    head_revision,
    known_damage,
    new_database_file,
    one_at_a_time,
    prepare_database,
    remember_damage,
    upgrade_schema,
)
from facilitator.storage.file_check import FileState
from facilitator.storage.instance_lock import InstanceLock
from facilitator.storage.locations import DataLocation


def open_records(location: DataLocation, file_state: Callable[[], FileState] | None = None) -> Database:
    """Open the records at `location`, ready for use; made first where there is no file.

    A database that is not Facilitator's, is from a newer version or is damaged is refused
    before anything is written to it; an older one is backed up before it is upgraded. Records a
    full check found damaged (`check_records`) open for reading only. `file_state` gives the
    file's state if it was read beforehand (see `prepare_database`). Another program using the
    records is waited for a few seconds (InstanceBusy after that). The lock guards the records'
    file and its backups: records on a server take turns there, as two laptops do.
    """
    # An address that cannot be used is refused here, before the lock makes the data folder.
    path = location.database_path
    engine = create_database_engine(location.database_url)
    try:
        lock = InstanceLock(location.data_dir).acquire() if path is not None else None
    except BaseException:
        engine.dispose()
        raise
    try:
        if path is not None and not os.path.lexists(path):
            _make_records(location, path)
        revision = prepare_database(engine, location, file_state)
        clear_leftovers(location)
        damage = known_damage(location) if path is not None else None
        if revision != head_revision():
            if damage is not None:
                raise DatabaseDamaged(damage_message(location, damage))
            if revision is not None and path is not None:
                make_backup(location, f"before-upgrade-{revision}-to-{head_revision()}")
            upgrade_schema(engine, location)
        database = Database(engine, location, lock=lock, damage=damage)
        if damage is None:
            with database.begin() as session:
                one_at_a_time(session.connection())
                load_builtin_guides(session)
    except BaseException:
        engine.dispose()
        if lock is not None:
            lock.release()
        raise
    return database


def restore_records(location: DataLocation, source: Path) -> Path:
    """Put the backup `source` in place of the records (see `restore`), holding the lock: the
    records must not be open (this process may hold them, closed). Returns the kept copy."""
    with InstanceLock(location.data_dir):
        kept = restore(location, source)
        forget_damage(location)
    return kept


def check_records(location: DataLocation) -> CheckReport:
    """The full integrity and link check of the records' file (`check_database`); damage it finds
    is remembered, so that later openings refuse writes until a backup is restored."""
    report = check_database(location)
    if report.ok:
        forget_damage(location)
    else:
        remember_damage(location, report.problems[0])
    return report


def _make_records(location: DataLocation, path: Path) -> None:
    """New records where there are none: the schema and the built-in guides, made whole in a file
    of their own before they take the name `path` (see `new_database_file`)."""
    with new_database_file(location, path) as engine:
        upgrade_schema(engine, location)
        database = Database(engine, location)
        with database.begin() as session:
            load_builtin_guides(session)
