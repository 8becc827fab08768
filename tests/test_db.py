"""Storage: where the data goes, SQLite settings, file permissions and schema migrations."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

import facilitator.storage.database as db_module
from facilitator.errors import DatabaseProblem
from facilitator.records import open_records
from facilitator.rules.demo import build_demo
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import meeting_info
from facilitator.storage.database import MIGRATIONS_DIR, Database, current_revision, head_revision
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import Base

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_data_location_prefers_the_command_line_then_the_environment(tmp_path: Path) -> None:
    env = {"FACILITATOR_DATA_DIR": str(tmp_path / "env"), "FACILITATOR_DATABASE_URL": "sqlite:///x.db"}
    assert DataLocation.resolve(tmp_path / "arg", None, env).data_dir == tmp_path / "arg"
    from_env = DataLocation.resolve(None, None, env)
    assert from_env.data_dir == tmp_path / "env"
    assert from_env.database_url == "sqlite:///x.db"
    default = DataLocation.resolve(None, None, {})
    assert default.data_dir.name == "Facilitator"
    assert default.database_url.endswith("facilitator.sqlite3")


@pytest.mark.sqlite_only("PRAGMAs are SQLite's settings")
def test_every_connection_gets_the_durability_pragmas(db: Database) -> None:
    with db.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
        }
    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 5000}


@posix_only
def test_data_folder_and_database_are_private(db: Database, location: DataLocation) -> None:
    with db.begin() as session:
        create_group(session, "Tuesday")
    assert stat.S_IMODE(location.data_dir.stat().st_mode) == 0o700
    for path in location.data_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_migrations_build_exactly_the_schema_of_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(db.engine) == head_revision()


def test_revisions_read_from_file_names_match_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == head_revision()


def _contents(location: DataLocation) -> object:
    """What the database holds, to show it was left alone: the SQLite file's bytes, or every row on a server."""
    path = location.database_path
    if path is not None:
        return _sha(path)
    engine = create_engine(location.database_url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(connection.execute(text(f'SELECT * FROM "{table}"')).all(), key=repr)
                for table in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


def _write_directly(location: DataLocation, statement: str) -> None:
    """A change made behind Facilitator's back, by another program."""
    location.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(location.database_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def test_a_database_from_a_newer_version_is_refused_and_left_alone(location: DataLocation) -> None:
    open_records(location).close()
    _write_directly(location, "UPDATE alembic_version SET version_num = '9999'")
    before = _contents(location)
    with pytest.raises(DatabaseProblem, match="newer version"):
        open_records(location)
    assert _contents(location) == before


def test_a_database_that_is_not_ours_is_refused_and_left_alone(location: DataLocation) -> None:
    _write_directly(location, "CREATE TABLE recipes (name TEXT)")
    before = _contents(location)
    with pytest.raises(DatabaseProblem, match="not made by Facilitator"):
        open_records(location)
    assert _contents(location) == before


@pytest.mark.sqlite_only("only SQLite's database is a file, which could hold anything")
def test_a_file_that_is_not_a_database_gives_a_plain_error(location: DataLocation) -> None:
    location.data_dir.mkdir(parents=True)
    path = location.database_path
    assert path is not None
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    with pytest.raises(DatabaseProblem, match="is not a database; it was left as it is"):
        open_records(location)
    assert path.read_bytes().startswith(b"this is a shopping list")


@pytest.mark.sqlite_only("the copy before a migration is of the SQLite file, with SQLite's batch rebuild")
def test_a_pending_migration_copies_the_database_first(
    location: DataLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_records(location)
    with db.begin() as session:
        build_demo(session, years=1)
        create_group(session, "Thursday Family Group")
    counts = _row_counts(db)
    db.close()
    old_head = head_revision()
    newer = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, newer)
    # A migration that rebuilds a table, as SQLite's batch mode does for most schema changes.
    (newer / "versions" / "0099_test_rebuild.py").write_text(
        "from alembic import op\n"
        "revision = '0099'\n"
        f"down_revision = {old_head!r}\n"
        "branch_labels = depends_on = None\n"
        "import sqlalchemy as sa\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('participants', recreate='always') as batch:\n"
        "        batch.add_column(sa.Column('pronouns', sa.String(40)))\n"
        "def downgrade():\n"
        "    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", newer)

    upgraded = open_records(location)
    assert current_revision(upgraded.engine) == "0099"
    assert _row_counts(upgraded) == counts
    with upgraded.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    upgraded.close()

    copies = list(location.backup_dir.glob(f"facilitator-*-before-upgrade-{old_head}-to-0099.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("SELECT count(*) FROM attendance").fetchone() == (counts["attendance"],)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(old_head,)]
    copy.close()
    if os.name == "posix":
        assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600


def test_any_sqlalchemy_url_can_hold_the_data(tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared" / "org.sqlite3"
    location = DataLocation.resolve(tmp_path / "data", f"sqlite:///{elsewhere}")
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Saturday Newcomers")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM groups")).scalar() == 1
    db.close()
    assert elsewhere.exists()
    assert not (tmp_path / "data" / "facilitator.sqlite3").exists()


@posix_only
def test_folders_that_already_exist_keep_their_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    db = open_records(DataLocation.resolve(tmp_path / "data", f"sqlite:///{shared / 'org.sqlite3'}"))
    db.close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_a_database_from_the_first_schema_is_upgraded_with_every_row(location: DataLocation) -> None:
    from facilitator.storage.database import create_database_engine, run_migrations

    location.data_dir.mkdir(parents=True)
    engine = create_database_engine(location.database_url)
    run_migrations(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO groups (id, name, description, place, share_seconds, warning_seconds, created_at)"
            " VALUES (1, 'Old Group', '', '', 180, 60, '2025-01-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO meetings (id, group_id, state, started_at, place, facilitator_name, notes, guest_count)"
            " VALUES (1, 1, 'closed', '2025-01-07 18:00:00', '', '', 'kept', 2)"
        )
    engine.dispose()

    db = open_records(location)
    assert current_revision(db.engine) == head_revision()
    with db.begin() as session:
        (group,) = list_groups(session)
        assert (group.name, group.name_display.value, group.meeting_count) == ("Old Group", "full", 1)
        meeting = meeting_info(session, 1)
        assert (meeting.notes, meeting.guests, meeting.edited_at) == ("kept", 2, None)
    db.close()
    if location.database_path is not None:  # only a file can be copied first
        assert len(list(location.backup_dir.glob("facilitator-*-before-upgrade-0001-to-*.sqlite3"))) == 1
