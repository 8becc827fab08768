"""Shared fixtures: an offscreen Qt platform, a private data folder per test, no network, and no
window, timer or thread left behind by a window test.

With FACILITATOR_TEST_DATABASE_URL set to a PostgreSQL server, every test that asks for the
database gets a fresh, empty database of its own on that server instead of an SQLite file
(`.ci/with-postgres` starts a throwaway server and sets it). Tests that are about SQLite's file
carry `@pytest.mark.sqlite_only(reason)` and are skipped there with that reason.

Tests marked `real_display` (focus, activation, key bindings: tests/real_display.py) need a real
display with a window manager; on the offscreen platform they fail, unless deselected with
`-m "not real_display"`.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import threading
import uuid
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer  # imported where used: the core's tests run without PySide6
    from PySide6.QtWidgets import QApplication

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from facilitator.cli import main  # noqa: E402
from facilitator.records import open_records  # noqa: E402
from facilitator.storage.database import Database  # noqa: E402
from facilitator.storage.locations import DATABASE_URL_ENV, DataLocation  # noqa: E402

HOSTILE_NAME = "<b>Ann</b> & =cmd()"
TEST_SERVER_ENV = "FACILITATOR_TEST_DATABASE_URL"


def postgres_test_url() -> str | None:
    """The PostgreSQL server the tests run against, with psycopg 3 as its driver; None for SQLite."""
    server = os.environ.get(TEST_SERVER_ENV)
    if not server:
        return None
    from sqlalchemy.engine import make_url

    url = make_url(server)
    if url.get_backend_name() != "postgresql":
        raise pytest.UsageError(f"{TEST_SERVER_ENV} must name a PostgreSQL server, not {url.get_backend_name()}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the test extra's driver; SQLAlchemy 2.0 would pick psycopg2
    return url.render_as_string(hide_password=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if postgres_test_url() is None:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            if not marker.args:
                raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test about focus, activation or real key bindings cannot pass or fail honestly offscreen
    (no window manager, other key bindings): it fails there, unless deselected by -m."""
    if item.get_closest_marker("real_display") is not None and not real_display_available():
        pytest.fail(
            "this test needs a real display with a window manager; the Qt platform here is "
            f"{os.environ['QT_QPA_PLATFORM']!r}: run under a real X server: python3 dev.py test does",
            pytrace=False,
        )


def real_display_available() -> bool:
    return os.environ["QT_QPA_PLATFORM"] not in ("offscreen", "minimal")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Engine | None]:
    """A connection to the test server's maintenance database, for creating and dropping test databases."""
    url = postgres_test_url()
    if url is None:
        yield None
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(postgres_server: Engine | None) -> Iterator[str | None]:
    """A fresh, empty PostgreSQL database for this test (dropped after it), or None for SQLite."""
    if postgres_server is None:
        yield None
        return
    name = f"facilitator_test_{uuid.uuid4().hex[:16]}"
    with postgres_server.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield postgres_server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with postgres_server.connect() as connection:
            # FORCE: a connection the test left open must not keep the database alive.
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Facilitator never uses the network: any attempt fails the test. (A PostgreSQL test server is
    reached through libpq, beneath Python's sockets; .ci/with-postgres offers only a Unix socket.)"""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def private_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data folder through the same override a user has."""
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FACILITATOR_DATABASE_URL", raising=False)


@pytest.fixture
def location(tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch) -> DataLocation:
    """The test's data folder, and its database: an SQLite file there, or its own PostgreSQL database."""
    if database_url is not None:
        monkeypatch.setenv(DATABASE_URL_ENV, database_url)
    return DataLocation.resolve(tmp_path / "data", database_url)


@pytest.fixture
def db(location: DataLocation) -> Iterator[Database]:
    database = open_records(location)
    yield database
    database.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(location: DataLocation, capsys: pytest.CaptureFixture[str]):
    """Run `facilitator --data-dir <test folder> [--database-url <test database>] ARGS...` in-process
    and capture what it prints."""
    where = ["--data-dir", str(location.data_dir)]
    if location.explicit_database_url is not None:
        where += ["--database-url", location.explicit_database_url]

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = main([*where, *args])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def qapp(qapp: QApplication) -> QApplication:
    """pytest-qt's application, collecting garbage on its own thread only, as the program's does."""
    from ui.common.garbage import collect_on_gui_thread

    collect_on_gui_thread(qapp)
    return qapp


@pytest.fixture(autouse=True)
def nothing_left_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """A window test (one using `qtbot` or `qapp`) must leave no top-level widget, running QTimer or Python
    thread behind: close and delete what it opened, as the window does on close. Set up before the
    test's own fixtures, so it looks after their teardown (and pytest-qt's closing of the widgets
    given to `qtbot.addWidget`)."""
    if "qapp" not in request.fixturenames:  # qtbot asks for it too
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    request.getfixturevalue("qapp")
    widgets_before = QApplication.topLevelWidgets()
    threads_before = set(threading.enumerate())
    started: weakref.WeakKeyDictionary[QTimer, str] = weakref.WeakKeyDictionary()
    start = QTimer.start

    def tracked_start(timer: QTimer, *args: object) -> None:
        started[timer] = _caller()
        start(timer, *args)

    QTimer.start = tracked_start  # type: ignore[method-assign]  # every start is traced while the test runs
    try:
        yield
    finally:
        QTimer.start = start  # type: ignore[method-assign]  # Qt's own again
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    widgets = [w for w in QApplication.topLevelWidgets() if not any(w is before for before in widgets_before)]
    timers = [(timer, where) for timer, where in list(started.items()) if _still_running(timer)]
    for timer, _where in timers:  # so that what one test left cannot fail the next
        timer.stop()
    for widget in widgets:
        widget.close()
        widget.deleteLater()
    threads = [thread.name for thread in threading.enumerate() if thread not in threads_before and thread.is_alive()]
    left = [f"top-level widget {type(w).__name__} {w.objectName() or w.windowTitle()!r}" for w in widgets]
    left += [f"running QTimer started at {where}" for _timer, where in timers]
    left += [f"thread {name}" for name in threads]
    assert not left, "the test left behind: " + "; ".join(left)


def _caller() -> str:
    """Where in Facilitator's own code (or the tests') a timer was started."""
    root = str(Path(__file__).resolve().parent.parent)
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and not frame.f_code.co_filename.startswith(root):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "an unknown place"


def _still_running(timer: QTimer) -> bool:
    try:
        return bool(timer.isActive())
    except RuntimeError:  # its C++ object is gone: deleted with its parent, so stopped
        return False
