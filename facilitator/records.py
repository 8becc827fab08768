"""Opening the records: the database checked, a backup before an upgrade, the schema brought up to
date and the built-in guides with it. The one way the window and the command line open them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from facilitator.rules.guides import load_builtin_guides
from facilitator.storage.backups import make_backup
from facilitator.storage.database import (
    Database,
    head_revision,
    new_database_file,
    one_at_a_time,
    prepare_database,
    upgrade_schema,
)
from facilitator.storage.file_check import FileState
from facilitator.storage.locations import DataLocation


def open_records(location: DataLocation, file_state: Callable[[], FileState] | None = None) -> Database:
    """Open the records at `location`, ready for use; made first where there is no file.

    A database that is not Facilitator's, is from a newer version or is damaged is refused
    before anything is written to it; an older one is backed up before it is upgraded.
    `file_state` gives the file's state if it was read beforehand (see `prepare_database`).
    """
    path = location.database_path
    if path is not None and not os.path.lexists(path):
        _make_records(location, path)
    engine, revision = prepare_database(location, file_state)
    try:
        if revision != head_revision():
            if revision is not None and location.database_path is not None:
                make_backup(location, f"before-upgrade-{revision}-to-{head_revision()}")
            upgrade_schema(engine, location)
        database = Database(engine, location)
        with database.begin() as session:
            one_at_a_time(session.connection())
            load_builtin_guides(session)
    except BaseException:
        engine.dispose()
        raise
    return database


def _make_records(location: DataLocation, path: Path) -> None:
    """New records where there are none: the schema and the built-in guides, made whole in a file
    of their own before they take the name `path` (see `new_database_file`)."""
    with new_database_file(location, path) as engine:
        upgrade_schema(engine, location)
        database = Database(engine, location)
        with database.begin() as session:
            load_builtin_guides(session)
