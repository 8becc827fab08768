"""Shared fixtures: an offscreen Qt platform, a private data folder per test, and no network."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from facilitator.cli import main  # noqa: E402
from facilitator.db import Database, open_database  # noqa: E402
from facilitator.paths import DataLocation  # noqa: E402

HOSTILE_NAME = "<b>Ann</b> & =cmd()"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Facilitator never uses the network: any attempt fails the test."""

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
def location(tmp_path: Path) -> DataLocation:
    return DataLocation.resolve(tmp_path / "data")


@pytest.fixture
def db(location: DataLocation) -> Iterator[Database]:
    database = open_database(location)
    yield database
    database.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(location: DataLocation, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `facilitator --data-dir <test folder> ARGS...` in-process and capture what it prints."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = main(["--data-dir", str(location.data_dir), *args])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
