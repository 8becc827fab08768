"""The database: engine, SQLite pragmas, sessions, the checks before opening, and schema migrations."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from facilitator.errors import DatabaseDamaged, DatabaseProblem, RecordsBusy, hide_secrets, is_busy
from facilitator.storage.file_check import NOT_OURS, FileState, read_file_state
from facilitator.storage.locations import (
    PRIVATE_FILE_MODE,
    DataLocation,
    make_private_dir,
    masked_url,
    open_own_file,
    parse_database_url,
    write_private_file,
)

if TYPE_CHECKING:
    from facilitator.storage.instance_lock import InstanceLock

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
# Left in the data folder by a full check that finds damage (which the quick check on opening
# cannot see), so that every later opening refuses writes too; gone once a check passes or a
# backup is restored.
DAMAGE_MARKER = "facilitator.damaged"


def known_revisions() -> list[str]:
    """Schema revisions this program knows, oldest first, read from the migration file names.

    Reading names instead of asking Alembic keeps Alembic out of every start-up where no
    migration is due.
    """
    return sorted(path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself, so DDL in migrations is transactional too
    # (the recipe from SQLAlchemy's SQLite dialect documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA secure_delete = ON")  # a forgotten person's deleted rows are overwritten, not left
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so a unit of work waits its turn (busy
    # timeout) instead of failing half-way when a read turns into a write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_database_engine(url: str) -> Engine:
    parsed = parse_database_url(url)
    try:
        # A failed statement's message would carry the values it wrote (a legal name, a note) into
        # crash reports and messages; the statement itself is enough to fix the fault.
        engine = create_engine(parsed, hide_parameters=True)
    except ImportError as exc:
        if getattr(sys, "frozen", False):  # the standalone program (installers/) carries SQLite alone
            raise DatabaseProblem(
                f"This installed Facilitator keeps its records on this computer and has no driver for "
                f"“{parsed.drivername}”. To keep them on an organisation's server, install Facilitator with "
                "Python (pipx) and the server's driver instead."
            ) from None
        raise DatabaseProblem(f"The database driver for “{parsed.drivername}” is not installed ({exc}).") from None
    except (ArgumentError, ValueError, TypeError) as exc:  # a setting in the address the driver cannot take
        raise DatabaseProblem(
            f"That is not a database URL Facilitator can use: {masked_url(url)} ({hide_secrets(str(exc))})."
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


class Database:
    """An open database. Each user action takes its own session: `with db.begin() as session:`.

    It keeps its hold on the data folder's lock (if given one) until it is closed. Once damage is
    known (`damage`: the first problem a full check found), its connections are query-only:
    damaged records are still read, but a unit of work that would write is refused with
    DatabaseDamaged and writes nothing."""

    def __init__(
        self, engine: Engine, location: DataLocation, *, lock: InstanceLock | None = None, damage: str | None = None
    ) -> None:
        self.engine = engine
        self.location = location
        self.damage: str | None = None
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        if damage is not None:
            self.mark_damaged(damage)

    @contextmanager
    def begin(self, *, commit: bool = True) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        With `commit=False` it is always rolled back: a dry run that shows what would happen.
        Another program holding SQLite's lock past the busy timeout is RecordsBusy.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
                if not commit:
                    session.rollback()
        except DBAPIError as exc:
            if is_busy(exc):
                raise RecordsBusy() from exc
            if self.damage is not None and "readonly" in str(exc.orig):
                raise DatabaseDamaged(damage_message(self.location, self.damage)) from exc
            raise

    def mark_damaged(self, problem: str) -> None:
        """A full check found damage: from now on nothing is written through this database."""
        if self.damage is None and self.engine.dialect.name == "sqlite":
            event.remove(self.engine, "begin", _on_sqlite_begin)
            event.listen(self.engine, "begin", _on_read_only_begin)
            event.listen(self.engine, "connect", _on_read_only_connect)
            self.engine.dispose()  # the connections open now were made writable
        self.damage = problem

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()


def _on_read_only_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only = ON")


def _on_read_only_begin(connection: Any) -> None:
    # A query-only connection cannot take the write lock that BEGIN IMMEDIATE asks for.
    connection.exec_driver_sql("BEGIN")


def damage_message(location: DataLocation, problem: str) -> str:
    """The refusal of a write to records known to be damaged."""
    return (
        f"The database at {location.database_path or location.shown_url} is damaged ({problem}), so nothing "
        "more is written to it; this was not saved. Restore a backup to carry on."
    )


def known_damage(location: DataLocation) -> str | None:
    """The damage a full check found in the records (see DAMAGE_MARKER), or None."""
    try:
        marker = open_own_file(location.data_dir / DAMAGE_MARKER, os.O_RDONLY)
    except FileNotFoundError:
        return None
    with os.fdopen(marker, encoding="utf-8") as text:
        return text.read().strip() or "found by a full check"


def remember_damage(location: DataLocation, problem: str) -> None:
    """Damage a full check found, for every later opening (see DAMAGE_MARKER)."""
    try:
        write_private_file(location.data_dir / DAMAGE_MARKER, f"{problem}\n".encode())
    except OSError:
        pass  # a folder nothing can be written to: no later opening can write to the records either


def forget_damage(location: DataLocation) -> None:
    """The records were found sound, or replaced by a sound backup."""
    marker = location.data_dir / DAMAGE_MARKER
    if marker.exists():  # asked first: on a read-only disk, even removing nothing fails
        marker.unlink()


def prepare_database(
    engine: Engine, location: DataLocation, file_state: Callable[[], FileState] | None = None
) -> str | None:
    """Check what is there before `engine` (on the records at `location`) is used, and return
    the schema revision found (None for an empty server database; an SQLite file is made whole
    beforehand, see `new_database_file`, so one that is there and holds no revision is not
    Facilitator's).

    A database that is not Facilitator's, is from a newer version or is damaged is refused
    before anything is written to it. `file_state` gives the SQLite file's state when it was
    read beforehand (the window has it read while it draws itself); else it is read here.
    """
    path = location.database_path
    try:
        make_private_dir(location.data_dir)
        if path is None:
            revision = current_revision(engine)
            _check_revision(revision)
        else:
            # A file's revision is read from it as it is checked: asking the engine again would
            # inspect the schema at every start. The engine only connects, to refuse here what
            # it cannot open.
            state = (file_state or partial(read_file_state, path))()
            revision = state.revision
            _check_revision(revision)
            if state.problems:
                raise DatabaseDamaged(
                    f"The database at {path} is damaged ({state.problems[0]}); it was not changed. "
                    "Restore a backup to carry on."
                )
            if os.name == "posix":
                path.chmod(PRIVATE_FILE_MODE)
            engine.connect().close()
    except DatabaseError as exc:
        if is_busy(exc):
            raise RecordsBusy() from exc
        raise DatabaseProblem(
            f"The database at {path or location.shown_url} cannot be opened: {hide_secrets(str(exc.orig))}."
        ) from exc
    return revision


@contextmanager
def new_database_file(location: DataLocation, path: Path) -> Iterator[Engine]:
    """An engine on new records for the SQLite file `path`, made in a private file beside it and
    put in its place when the block ends: a database is made only where no file is, and whole or
    not at all, so that a file found later is never taken for a new one. A file that appeared at
    `path` meanwhile is never replaced (what was made is dropped, and that file is opened, and
    checked, as any other). The engine has the settings of the location's address."""
    create_database_engine(location.database_url).dispose()  # an address it cannot take is refused first
    url = parse_database_url(location.database_url)
    make_private_dir(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    made = Path(name)
    try:
        engine = create_database_engine(
            url.set(database=made.as_uri() if url.query.get("uri") else name).render_as_string(hide_password=False)
        )
        try:
            yield engine
        finally:
            engine.dispose()
        connection = sqlite3.connect(made)
        try:  # the log folded in: one file, with no write-ahead log beside it to lose on the move
            connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            connection.close()
        with made.open("rb+") as written:
            os.fsync(written.fileno())
        _put_in_place(made, path)
    finally:
        for part in ("", "-wal", "-shm", "-journal"):
            Path(f"{made}{part}").unlink(missing_ok=True)


def _put_in_place(made: Path, path: Path) -> None:
    """Move a made file to `path` in one step, never over a file that is there."""
    if os.name == "nt":
        with suppress(FileExistsError):  # Windows' rename never replaces a file
            os.rename(made, path)
        return
    try:
        os.link(made, path)  # fails, rather than replace, when `path` is there
    except FileExistsError:
        return
    except OSError:  # a file system without hard links (FAT, some network shares)
        if os.path.lexists(path):
            return
        os.replace(made, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the new name itself survives a power cut
    finally:
        os.close(folder)


def upgrade_schema(engine: Engine, location: DataLocation) -> None:
    """Bring the schema to this program's revision (run_migrations), refusing plainly if it cannot."""
    try:
        run_migrations(engine)
    except DatabaseError as exc:
        if is_busy(exc):
            raise RecordsBusy() from exc
        raise DatabaseProblem(
            f"The database at {location.database_path or location.shown_url} cannot be opened: "
            f"{hide_secrets(str(exc.orig))}."
        ) from exc


SETUP_LOCK = 7_302_417  # any number, the same in every copy of the program


def one_at_a_time(connection: Connection) -> None:
    """On a shared server, two programs starting at once set up the schema and the built-in
    guides one after the other (SQLite's BEGIN IMMEDIATE already makes them take turns)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SETUP_LOCK})")


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseProblem(NOT_OURS)
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def _check_revision(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise DatabaseProblem(
            "This database was made by a newer version of Facilitator; "
            "install that version or newer to open it. Nothing was changed."
        )


def run_migrations(engine: Engine, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Batch mode rebuilds a table by dropping the old one; with foreign keys on, that
            # drop would cascade and delete attendance. SQLite only honours this outside BEGIN.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]  # None only once closed
        try:
            with connection.begin():
                one_at_a_time(connection)
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseProblem(
                        "Bringing the records up to this version would break links between them; nothing was changed."
                    )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]  # None only once closed
