"""Databases made by every earlier schema version open in this one with every row kept.

The files in tests/fixtures/migrations were made by make_fixtures.py there, one per earlier
revision; each is copied to a private folder and opened as a user would open it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from facilitator.dates import utc_offset_minutes
from facilitator.records import open_records
from facilitator.storage.database import head_revision, known_revisions
from facilitator.storage.locations import DataLocation
from tests.conftest import CliResult

FIXTURES = Path(__file__).with_name("fixtures") / "migrations"
EARLIER = known_revisions()[:-1]

# Columns added after a fixture's revision, and what an upgrade gives the rows already there.
ADDED_COLUMNS = {
    ("groups", "name_display"): "full",
    ("groups", "handout_names_group"): 0,  # 0013: a handout names no group until the group chooses
    ("meetings", "edited_at"): None,
    ("meetings", "format_id"): None,
    ("share_turns", "paused_at"): None,
    ("share_turns", "paused_seconds"): 0,
    ("share_turns", "extra_seconds"): 0,
    ("attendance_letters", "legal_name"): "",  # 0012: letters issued before had none
    ("attendance_letters", "reference"): "",
}
# 0011: a meeting already recorded keeps the offset this computer's zone had at its start.
OFFSET_ADDED = ("meetings", "utc_offset_minutes")

# Columns that a later revision dropped (0010: never set, or never read).
REMOVED_COLUMNS = {("participants", "archived_at"), ("meetings", "place"), ("meetings", "facilitator_name")}

Rows = dict[tuple[object, ...], dict[str, object]]


def _tables(path: Path) -> dict[str, Rows]:
    """Every table of an SQLite file, each row by its primary key, values exactly as stored."""
    connection = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables: dict[str, Rows] = {}
        for name in names:
            info = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            columns = [column[1] for column in info]
            key = [column[1] for column in sorted(info, key=lambda column: column[5]) if column[5]]
            cursor = connection.execute(f'SELECT {", ".join(columns)} FROM "{name}"')
            rows = [dict(zip(columns, values, strict=True)) for values in cursor]
            tables[name] = {tuple(row[k] for k in key): row for row in rows}
        return tables
    finally:
        connection.close()


def _schema(path: Path) -> dict[tuple[str, str], list[str]]:
    """Each table's and index's definition, line by line in sorted order: Alembic's batch mode
    writes a rebuilt table's CHECK constraints in no fixed order."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        connection.close()
    return {
        (kind, name): sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()) for kind, name, sql in rows
    }


def _checks(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return (
            connection.execute("PRAGMA integrity_check").fetchall(),
            connection.execute("PRAGMA foreign_key_check").fetchall(),
        )
    finally:
        connection.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fixture(revision: str) -> Path:
    return FIXTURES / f"schema-{revision}.sqlite3"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _upgraded(revision: str, location: DataLocation) -> Path:
    """The fixture copied into the data folder and opened: backed up and upgraded to the newest schema."""
    path = location.database_path
    assert path is not None
    location.data_dir.mkdir(parents=True)
    shutil.copyfile(_fixture(revision), path)
    open_records(location).close()
    return path


def _expected_after_upgrade(table: str, row: dict[str, object], before: dict[str, Rows]) -> dict[str, object]:
    """A row as it should read after the upgrade: unchanged, but for what a migration means to change."""
    row = {column: value for column, value in row.items() if (table, column) not in REMOVED_COLUMNS}
    if table == "share_rounds" and row["budget_seconds"] == 1:
        return {**row, "budget_seconds": None}  # 0008: a 1-second budget meant "no budget"
    if table == "memberships" and row["left_on"] is None:
        # 0010: someone archived by hand left their groups that day, so they stay off the rosters.
        archived_at = before["participants"][(row["participant_id"],)].get("archived_at")
        if archived_at is not None:
            return {**row, "left_on": max(str(archived_at)[:10], str(row["joined_on"]))}
    return row


def _added_value(table: str, column: str, row: dict[str, object]) -> object:
    if (table, column) == OFFSET_ADDED:
        return utc_offset_minutes(_stored_moment(row["started_at"]))
    return ADDED_COLUMNS[table, column]


def _stored_moment(value: object) -> datetime:
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _newcomer_at_tonights_meeting(cli: Callable[..., CliResult]) -> CliResult:
    """Dana Kim, new, checked in to tonight's meeting of the family group (the one left open in
    March 2025 is closed first: it takes no check-ins this long after its start)."""
    assert cli("meeting", "close", "3").code == 0
    assert cli("meeting", "open", "--group", "Thursday Family Group").code == 0
    return cli("checkin", "4", "Dana Kim", "--new")


def test_there_is_a_fixture_for_every_earlier_schema() -> None:
    found = sorted(path.name for path in FIXTURES.glob("schema-*.sqlite3"))
    assert found == [f"schema-{revision}.sqlite3" for revision in EARLIER]
    for revision in EARLIER:
        assert list(_tables(_fixture(revision))["alembic_version"]) == [(revision,)]


@pytest.mark.parametrize("revision", EARLIER)
def test_every_table_of_each_fixture_holds_rows(revision: str) -> None:
    tables = _tables(_fixture(revision))
    assert {name for name, rows in tables.items() if not rows} == set()
    assert "Zoë Nguyễn" in {row["display_name"] for row in tables["participants"].values()}
    assert _checks(_fixture(revision)) == ([("ok",)], [])


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_from_an_earlier_schema_keeps_every_row_when_opened(revision: str, location: DataLocation) -> None:
    before = _tables(_fixture(revision))
    fixture_sha = _sha(_fixture(revision))

    after = _tables(_upgraded(revision, location))

    assert list(after["alembic_version"]) == [(head_revision(),)]
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        for key, row in rows.items():
            assert key in after[table], f"{table} row {key} is gone"
            stored = after[table][key]
            kept = {column: stored[column] for column in row if (table, column) not in REMOVED_COLUMNS}
            assert kept == _expected_after_upgrade(table, row, before), (table, key)
            assert not {column for column in stored if (table, column) in REMOVED_COLUMNS}, (table, key)
            added = {column: stored[column] for column in stored if column not in row}
            assert added == {column: _added_value(table, column, row) for column in added}, (table, key)
        new_rows = [after[table][key] for key in after[table].keys() - rows.keys()]
        if table == "topic_guides":
            assert all(row["builtin"] == 1 for row in new_rows)  # the program's own guides, loaded on opening
        else:
            assert new_rows == [], table
    for table in after.keys() - before.keys():
        assert after[table] == {}, f"the new table {table} should start empty"
    assert _checks(location.database_path) == ([("ok",)], [])  # type: ignore[arg-type]  # SQLite's: a file
    assert _sha(_fixture(revision)) == fixture_sha


@pytest.mark.parametrize("revision", EARLIER)
def test_the_copy_taken_before_the_upgrade_is_the_old_database(revision: str, location: DataLocation) -> None:
    _upgraded(revision, location)
    copies = list(location.backup_dir.glob(f"facilitator-*-before-upgrade-{revision}-to-{head_revision()}.sqlite3"))
    assert len(copies) == 1
    assert _tables(copies[0]) == _tables(_fixture(revision))
    assert _checks(copies[0]) == ([("ok",)], [])


@pytest.mark.parametrize("revision", EARLIER)
def test_the_upgraded_records_read_back_through_the_program(revision: str, location: DataLocation, cli) -> None:
    _upgraded(revision, location)
    has_name_display = revision >= "0002"

    groups = json.loads(cli("groups", "--all", "--json").out)
    # Thursday's third member was archived by hand in the file: off its roster, and now off its count too.
    assert [(g["name"], g["archived"], g["members"], g["meetings"], g["name_display"]) for g in groups] == [
        ("Thursday Family Group", False, 2, 1, "full"),
        ("Tuesday Circle", False, 3, 2, "first_initial" if has_name_display else "full"),
        ("Grupo de los sábados", True, 1, 0, "initials" if has_name_display else "full"),
    ]
    roster = json.loads(cli("participants", "--group", "Tuesday Circle", "--json").out)
    assert [(p["id"], p["name"], p["note"], p["meetings_attended"]) for p in roster] == [
        (1, "Ann Lee", "Prefers to share last.", 2),
        (2, "Zoë Nguyễn", None, 1),
        (3, "Мария Петрова", "Uses the ramp entrance.\nAsk about lifts.", 2),
    ]
    meetings = json.loads(cli("meetings", "--group", "Tuesday Circle", "--json").out)
    assert sorted(
        (m["id"], m["state"], m["guide"], m["present"], m["late"], m["excused"], m["guests"]) for m in meetings
    ) == [
        (1, "closed", "Grief at the holidays", 2, 1, 1, 2),
        (2, "closed", None, 2, 0, 0, 0),
    ]
    # The upgraded database takes new records, and a new person never gets an old id.
    newcomer = _newcomer_at_tonights_meeting(cli)
    assert (newcomer.code, newcomer.err) == (0, "")
    family = json.loads(cli("participants", "--group", "Thursday Family Group", "--json").out)
    assert [(p["id"], p["name"]) for p in family] == [(1, "Ann Lee"), (8, "Dana Kim"), (4, "سارة حداد")]
    if revision >= "0007":
        check = cli("verify-code", "k7qm 2xpd")
        assert check.code == 0 and "Genuine: letter K7QM-2XPD" in check.out and "of Tuesday Circle" in check.out
        kept_with_the_letter = " (legal name Adaeze Okafor-Nwosu; reference CR-2025-0114)" if revision >= "0012" else ""
        assert f"for Ann Lee{kept_with_the_letter} of" in check.out


@pytest.mark.parametrize("revision", EARLIER)
def test_the_committed_fixtures_are_what_the_generator_makes(revision: str, tmp_path: Path) -> None:
    """The generator is the recipe of the files; a change to an old migration would show here too."""
    made = _generator().make_fixture(revision, tmp_path / "made.sqlite3")
    assert _schema(made) == _schema(_fixture(revision))
    assert _tables(made) == _tables(_fixture(revision))


@contextmanager
def _fixture_in_place(revision: str, location: DataLocation) -> Iterator[sqlite3.Connection]:
    """The fixture of `revision` copied in as the records at `location`, open to be changed by hand
    before the program sees it."""
    location.data_dir.mkdir(parents=True)
    path = location.database_path
    assert path is not None
    shutil.copyfile(_fixture(revision), path)
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()


@pytest.mark.parametrize("revision", [revision for revision in EARLIER if revision >= "0003"])
def test_an_id_freed_before_the_upgrade_is_not_given_again(revision: str, location: DataLocation, cli) -> None:
    """0010 rebuilds the participants table on SQLite; the highest id ever given must survive it."""
    with _fixture_in_place(revision, location) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            connection.execute("DELETE FROM participants WHERE id = 7")  # the newest person, forgotten
    open_records(location).close()

    assert _newcomer_at_tonights_meeting(cli).code == 0
    family = json.loads(cli("participants", "--group", "Thursday Family Group", "--json").out)
    assert [(p["id"], p["name"]) for p in family] == [(1, "Ann Lee"), (8, "Dana Kim"), (4, "سارة حداد")]


@pytest.mark.parametrize("revision", [revision for revision in EARLIER if revision < "0011"])  # 0011 forbids one
def test_an_end_before_the_start_is_moved_to_the_start(
    revision: str, location: DataLocation, cli, tmp_path: Path
) -> None:
    """A close under a clock set earlier stored an end two days before the start (before 0011); the
    upgrade moves it to the start, and a letter then gives the meetings' length from the others."""
    from tests.test_documents import flat, pages

    with _fixture_in_place(revision, location) as connection, connection:
        (started,) = connection.execute("SELECT started_at FROM meetings WHERE id = 2").fetchone()
        early = (_stored_moment(started) - timedelta(minutes=3075)).replace(tzinfo=None)
        connection.execute("UPDATE meetings SET ended_at = ? WHERE id = 2", (early.isoformat(" "),))
    open_records(location).close()

    path = location.database_path
    assert path is not None
    after = _tables(path)["meetings"]
    assert after[(2,)]["ended_at"] == after[(2,)]["started_at"]
    assert after[(1,)]["ended_at"] == "2025-03-04 20:00:00.000000"  # a sound end is left as it was
    letter = tmp_path / "letter.pdf"
    made = cli(
        "verify-letter",
        "--participant",
        "Ann Lee",
        "--group",
        "Tuesday Circle",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--signed-by",
        "Sam Okafor",
        "-o",
        str(letter),
    )
    assert made.code == 0, made.err
    text = flat(pages(letter.read_bytes())[0])
    assert "its meetings last about 90 minutes." in text and "-" not in text.split("last about")[1][:6]
