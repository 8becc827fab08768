"""Opening the records: a database is made only where no file is, and made whole or not at all; a
file that is not Facilitator's is left exactly as it is; every address is read as the engine reads
it, refused plainly when it cannot be used, and shown without its secrets."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import facilitator.storage.locations as locations_module
from facilitator.errors import DatabaseDamaged, failure_message
from facilitator.records import open_records
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.guides import load_builtin_guides
from facilitator.storage.backups import list_backups, make_backup
from facilitator.storage.instance_lock import LOCK_NAME
from facilitator.storage.locations import DataLocation
from tests.helpers import damage
from tests.test_bad_input import assert_refused

pytestmark = pytest.mark.sqlite_only("about the SQLite file the records live in, and the addresses that name it")

ROOT = Path(__file__).resolve().parent.parent


def _facilitator_database(path: Path) -> bytes:
    """The bytes of a sound Facilitator database holding one group, made at `path` (then removed)."""
    location = DataLocation.resolve(path.parent, f"sqlite:///{path}")
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Tuesday Circle")
    db.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _foreign_database(path: Path) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.execute("INSERT INTO recipes VALUES ('bread')")
    connection.commit()
    connection.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _not_ours(kind: str, scratch: Path) -> bytes:
    """The bytes of a file that is not a usable Facilitator database, of the given kind."""
    scratch.mkdir(exist_ok=True)
    if kind == "empty":
        return b""
    if kind == "truncated":
        whole = _facilitator_database(scratch / "whole.sqlite3")
        return whole[: len(whole) // 3]
    if kind == "foreign":
        return _foreign_database(scratch / "foreign.sqlite3")
    if kind == "damaged":
        damaged = scratch / "damaged.sqlite3"
        damaged.write_bytes(_facilitator_database(damaged))
        damage(damaged)
        return damaged.read_bytes()
    return b"a shopping list: bread, milk, eggs\n" * 200


KINDS = ["empty", "truncated", "foreign", "not a database"]
WINDOW_KINDS = ["empty", "truncated", "foreign", "damaged"]


@pytest.fixture
def backed_up(location: DataLocation) -> list[tuple[Path, bytes]]:
    """A good backup in the data folder, as the records left it before they went bad."""
    db = open_records(location)
    with db.begin() as session:
        create_group(session, "Tuesday Circle")
    make_backup(location, "daily", now=datetime.now() - timedelta(hours=3))
    db.close()
    assert location.database_path is not None
    location.database_path.unlink()
    return [(backup.path, backup.path.read_bytes()) for backup in list_backups(location)]


def _place(location: DataLocation, data: bytes) -> Path:
    path = location.database_path
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _assert_left_as_it_was(path: Path, data: bytes, backups: list[tuple[Path, bytes]], location: DataLocation) -> None:
    assert path.read_bytes() == data
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert [(backup.path, backup.path.read_bytes()) for backup in list_backups(location)] == backups


# ---- item 4: a file that is there is never taken for a new database -------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "command", [["groups"], ["check"], ["checkin", "1", "Ann"], ["group", "add", "Thursday"]], ids=" ".join
)
def test_a_file_that_is_not_a_facilitator_database_is_refused_by_every_command_and_left_as_it_is(
    cli, location: DataLocation, backed_up, tmp_path: Path, kind: str, command: list[str]
) -> None:
    data = _not_ours(kind, tmp_path / "scratch")
    path = _place(location, data)
    result = cli(*command)
    assert_refused(result, str(path))
    assert "Sound" not in result.out
    _assert_left_as_it_was(path, data, backed_up, location)


def test_an_empty_file_is_refused_with_what_it_is_and_what_to_do(cli, location: DataLocation) -> None:
    path = _place(location, b"")
    result = cli("groups")
    assert result.err == (
        f"facilitator: The file {path} is empty, so it is not a Facilitator database; it was left as it is. "
        "Restore a backup in its place, or move it away to start new records.\n"
    )
    assert cli("check").err == result.err


def test_a_database_someone_else_made_is_refused_as_not_facilitators(cli, location: DataLocation, tmp_path) -> None:
    path = _place(location, _not_ours("foreign", tmp_path / "scratch"))
    assert cli("groups").err == (
        f"facilitator: The file {path} holds a database that was not made by Facilitator; it was left as it is. "
        "Restore a backup in its place, or move it away to start new records.\n"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_opening_refuses_it_as_damaged_so_that_a_backup_can_take_its_place(
    location: DataLocation, tmp_path: Path, kind: str
) -> None:
    data = _not_ours(kind, tmp_path / "scratch")
    path = _place(location, data)
    with pytest.raises(DatabaseDamaged, match="it was left as it is"):
        open_records(location)
    assert path.read_bytes() == data


def test_a_database_is_made_only_where_no_file_is_and_only_whole(
    location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    import facilitator.records as records_module

    def fail(session) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(records_module, "load_builtin_guides", fail)
    with pytest.raises(OSError, match="No space left"):
        open_records(location)
    assert [item.name for item in location.data_dir.iterdir()] == [LOCK_NAME]  # the lock taken to make them
    monkeypatch.undo()
    db = open_records(location)
    with db.begin() as session:
        assert list_groups(session) == []
    db.close()


def test_a_kill_while_the_database_is_made_leaves_no_file_to_be_taken_for_it(location: DataLocation) -> None:
    script = (
        "import os, signal, sys\n"
        "import facilitator.records as records\n"
        "from facilitator.storage.locations import DataLocation\n"
        "def killed(session):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "records.load_builtin_guides = killed\n"
        "records.open_records(DataLocation.resolve(sys.argv[1]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, str(location.data_dir)], env=env, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert location.database_path is not None and not location.database_path.exists()
    db = open_records(location)  # the next start makes the records afresh
    with db.begin() as session:
        create_group(session, "Tuesday Circle")
    db.close()


def test_a_file_that_appears_while_the_database_is_made_is_never_overwritten(
    location: DataLocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import facilitator.records as records_module

    foreign = _not_ours("foreign", tmp_path / "scratch")
    path = location.database_path
    assert path is not None

    def another_program_meanwhile(session) -> None:
        path.write_bytes(foreign)
        load_builtin_guides(session)

    monkeypatch.setattr(records_module, "load_builtin_guides", another_program_meanwhile)
    with pytest.raises(DatabaseDamaged, match="not made by Facilitator"):
        open_records(location)
    assert path.read_bytes() == foreign
    assert sorted(item.name for item in location.data_dir.iterdir()) == [LOCK_NAME, "facilitator.sqlite3"]


@pytest.mark.parametrize("kind", WINDOW_KINDS)
def test_the_window_offers_the_newest_good_backup_and_leaves_the_file_as_it_is(
    location: DataLocation, backed_up, tmp_path: Path, qtbot, kind: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.window_helpers import when_modal_opens
    from ui.app import FileStateReading, application, open_or_recover

    application()
    data = _not_ours(kind, tmp_path / "scratch")
    path = _place(location, data)
    said: list[str] = []

    def decline(box) -> None:
        said.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    when_modal_opens(qtbot, decline)
    assert open_or_recover(location, None, FileStateReading(path).result) is None  # as the window starts
    assert str(path) in said[0] and ("it was left as it is" in said[0] or "it was not changed" in said[0])
    assert "The newest good backup is from" in said[0]
    _assert_left_as_it_was(path, data, backed_up, location)


@pytest.mark.parametrize("kind", ["empty", "foreign"])
def test_taking_the_offered_backup_brings_the_records_back(
    location: DataLocation, backed_up, tmp_path: Path, qtbot, kind: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.window_helpers import when_modal_opens
    from ui.app import FileStateReading, application, open_or_recover

    application()
    path = _place(location, _not_ours(kind, tmp_path / "scratch"))
    when_modal_opens(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    recovered = open_or_recover(location, None, FileStateReading(path).result)
    assert recovered is not None
    with recovered.begin() as session:
        assert [group.name for group in list_groups(session)] == ["Tuesday Circle"]
    recovered.close()


# ---- item 5: an SQLite URI names the very file the engine opens --------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    from io import StringIO
    from unittest import mock

    from facilitator.cli import main

    out, err = StringIO(), StringIO()
    with mock.patch("sys.stdout", out), mock.patch("sys.stderr", err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, which nothing may be written to; returns it."""
    folder = tmp_path / "current folder"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize(
    "address",
    [
        "sqlite:///file:{path}?uri=true",
        "sqlite:///file://{path}?uri=true",
        "sqlite:///file://localhost{path}?uri=true&cache=shared",
        "sqlite:///file:{path}?uri=true&mode=rw",
        "sqlite:///{path}",
    ],
)
def test_an_sqlite_uri_names_the_very_file_that_is_backed_up_and_checked(
    tmp_path: Path, elsewhere: Path, address: str
) -> None:
    shared = tmp_path / "shared records" / "org.sqlite3"
    data = tmp_path / "data"
    where = ["--data-dir", str(data), "--database-url", address.format(path=shared)]
    assert _run(*where, "group", "add", "Tuesday Circle")[0] == 0
    location = DataLocation.resolve(data, address.format(path=shared))
    assert location.database_path == shared
    code, out, _err = _run(*where, "backup")
    assert code == 0
    [backup] = list_backups(location)
    with sqlite3.connect(backup.path) as copy:
        assert copy.execute("SELECT name FROM groups").fetchall() == [("Tuesday Circle",)]
    copy.close()
    assert _run(*where, "check")[1] == f"Sound: the records in {shared} passed the integrity and link checks.\n"
    assert list(elsewhere.iterdir()) == []
    assert {path.name for path in shared.parent.iterdir()} <= {"org.sqlite3", "org.sqlite3-wal", "org.sqlite3-shm"}


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("sqlite:///file:org.sqlite3?uri=true", "its file is named relative to whichever folder"),
        ("sqlite:///file:{path}?uri=true&mode=memory", "in memory only"),
        ("sqlite://", "in memory only"),
        ("sqlite:///:memory:", "in memory only"),
        ("sqlite:///file:{path}?uri=true&vfs=unix-dotfile", "it cannot keep its records with “vfs=unix-dotfile”"),
        ("sqlite:///file:{path}?uri=true&nolock=1", "it cannot keep its records with “nolock=1”"),
        ("sqlite:///file:{path}?mode=ro", "it cannot keep its records with “mode=ro”"),
        ("sqlite:///file:{path}?uri=true&key=S3cret-Value", "it cannot keep its records with “key=***”"),
        ("sqlite:///file:{path}", "is an SQLite URI, read as a file name without uri=true"),
        ("sqlite:///file://server{path}?uri=true", "SQLite opens no file on another computer (server)"),
        ("sqlite://someone@/{path}", "an SQLite address names a file, with no user, host or port"),
    ],
)
def test_an_sqlite_address_that_names_no_file_of_its_own_is_refused_and_nothing_is_made(
    tmp_path: Path, elsewhere: Path, address: str, reason: str
) -> None:
    shared = tmp_path / "shared" / "org.sqlite3"
    data = tmp_path / "data"
    for command in (["groups"], ["backup"], ["check"], ["group", "add", "X"]):
        code, out, err = _run("--data-dir", str(data), "--database-url", address.format(path=shared), *command)
        assert (code, out) == (1, "")
        assert err.startswith("facilitator: That is not a database URL Facilitator can use: ") and reason in err
        assert "Something went wrong" not in err and err.count("\n") == 1
    assert list(elsewhere.iterdir()) == [] and not shared.parent.exists() and not data.exists()


# ---- item 15: no password is ever shown -------------------------------------------------------

SECRET = "S3cret-Value"


@pytest.mark.parametrize(
    "address",
    [
        f"postgresql://u@localhost:1/x?password={SECRET}",
        f"postgresql://u:{SECRET}@localhost:1/x",
        f"postgresql://u@localhost:1/x?sslmode=require&sslpassword={SECRET}",
        f"postgresql://u@/x?host=/nonexistent-socket-folder&passwd={SECRET}",
        f"postgresql://u:{SECRET}@localhost:notaport/x?password={SECRET}",
        f"postgresql+nosuchdriver://u@localhost:1/x?password={SECRET}",
    ],
)
@pytest.mark.parametrize("command", [["backup"], ["check"], ["groups"], ["group", "add", "X"]], ids=" ".join)
def test_a_password_in_a_database_address_is_never_shown(
    tmp_path: Path, elsewhere: Path, address: str, command: list[str]
) -> None:
    code, out, err = _run("--data-dir", str(tmp_path / "data"), "--database-url", address, *command)
    assert code == 1 and err.startswith("facilitator: ") and err.count("\n") == 1
    assert SECRET not in out + err and "Something went wrong" not in err and "***" in err


@pytest.mark.parametrize("name", ["password", "passwd", "sslpassword", "api_token", "client_secret", "PGPASSWORD"])
def test_every_secret_setting_of_an_address_is_masked_where_it_is_shown(name: str) -> None:
    location = DataLocation.resolve("/records", f"postgresql://ann:{SECRET}@db.example.org/x?{name}={SECRET}")
    assert location.shown_url == f"postgresql://ann:***@db.example.org/x?{name}=***"


def test_even_a_fault_in_the_program_does_not_show_a_password() -> None:
    fault = RuntimeError(f"engine for postgresql://ann:{SECRET}@db/x?sslpassword={SECRET} (host=db password={SECRET})")
    message = failure_message(fault)
    assert message.startswith("Something went wrong inside Facilitator") and SECRET not in message


# ---- item 16: an empty or impossible place is refused, never taken for the usual one -----------


@pytest.mark.parametrize(
    ("args", "environment", "message"),
    [
        (["--data-dir", ""], {}, "--data-dir is empty."),
        (["--data-dir", "  "], {}, "--data-dir is empty."),
        ([], {"FACILITATOR_DATA_DIR": ""}, "FACILITATOR_DATA_DIR is empty."),
        ([], {"FACILITATOR_DATA_DIR": " \t"}, "FACILITATOR_DATA_DIR is empty."),
        (["--database-url", ""], {}, "--database-url is empty."),
        ([], {"FACILITATOR_DATABASE_URL": ""}, "FACILITATOR_DATABASE_URL is empty."),
    ],
)
def test_an_empty_data_folder_or_address_is_refused_not_taken_for_the_usual_one(
    tmp_path: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch, args, environment, message: str
) -> None:
    usual = tmp_path / "usual"
    monkeypatch.setattr(locations_module, "default_data_dir", lambda: usual)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    code, out, err = _run(*args, "group", "add", "X")
    assert (code, out) == (1, "")
    assert err == f"facilitator: {message} Give it a value, or leave it out for Facilitator's usual one.\n"
    assert not usual.exists() and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("inside", ["backups", "backups/records.sqlite3", "backups/../backups"])
def test_a_database_in_the_backup_folder_is_refused(tmp_path: Path, elsewhere: Path, inside: str) -> None:
    data = tmp_path / "data"
    for command in (["groups"], ["backup"], ["check"]):
        code, out, err = _run("--data-dir", str(data), "--database-url", f"sqlite:///{data}/{inside}", *command)
        assert (code, out) == (1, "")
        assert err == (
            f"facilitator: The database address names {data}/{inside}, in the backup folder; the records cannot "
            "be kept there. Give another file.\n"
        )
    assert not data.exists()


@pytest.mark.parametrize(
    "address",
    ["postgresql://u@host:notaport/db", "postgresql://u@host:-/db", "postgresql://u@host:99x/db?password=S3cret-Value"],
)
def test_a_malformed_server_address_is_refused_plainly(tmp_path: Path, elsewhere: Path, address: str) -> None:
    code, out, err = _run("--data-dir", str(tmp_path / "data"), "--database-url", address, "groups")
    assert (code, out) == (1, "")
    assert err.startswith("facilitator: That is not a database URL Facilitator can use: postgresql://u@host:")
    assert err.endswith(" (its port is not a number).\n") and SECRET not in err
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "data").exists()


def test_a_driver_setting_that_cannot_be_read_is_refused_plainly(tmp_path: Path, elsewhere: Path) -> None:
    shared = tmp_path / "shared" / "org.sqlite3"
    code, out, err = _run(
        "--data-dir", str(tmp_path / "data"), "--database-url", f"sqlite:///{shared}?timeout=soon", "groups"
    )
    assert (code, out) == (1, "")
    assert err == (
        f"facilitator: That is not a database URL Facilitator can use: sqlite:///{shared}?timeout=soon "
        "(could not convert string to float: 'soon').\n"
    )
    assert list(elsewhere.iterdir()) == [] and not shared.parent.exists()
