"""A fault inside the program, met in the window: plain words on screen, and its details saved
to a private file the facilitator can send, never a traceback in their face."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from facilitator.storage.crash_reports import KEPT, write_crash_report
from facilitator.storage.locations import DataLocation
from tests.window_helpers import when_modal_opens
from ui.app import application, report_faults

SAID = "Something went wrong inside Facilitator. What was recorded before it is kept. Its details were saved in "


def _told(qtbot, location: DataLocation, fault) -> str:
    """What the window says when `fault()` raises inside a slot while the window runs."""
    application()
    seen: list[str] = []

    def read(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    restore = report_faults(location)
    try:
        when_modal_opens(qtbot, read, QMessageBox)
        QTimer.singleShot(0, fault)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        restore()
    return seen[0]


def _boom() -> None:
    raise RuntimeError("the share queue lost its place (postgresql://ann:s3cret@db.example.org/groups)")


def test_a_fault_in_the_window_is_told_in_plain_words_and_its_details_saved(
    qtbot, location: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _told(qtbot, location, _boom)

    assert said.startswith(SAID)
    assert "Traceback" not in said and "RuntimeError" not in said and "FACILITATOR_DEBUG" not in said
    [report] = (location.data_dir / "crash reports").glob("crash *.txt")
    assert f"{report}; please send that file with your report." in said
    details = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details and "RuntimeError: the share queue lost its place" in details
    assert "_boom" in details  # where it happened, for whoever fixes it
    assert "s3cret" not in details and "postgresql://ann:***@db.example.org" in details
    if os.name == "posix":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
    assert capsys.readouterr().err == f"facilitator-window: {said}\n"


def test_a_refusal_raised_where_nobody_caught_it_keeps_its_own_words(qtbot, location: DataLocation) -> None:
    from facilitator.errors import InvalidInput

    def refuse() -> None:
        raise InvalidInput("That name is already on the roster.")

    assert _told(qtbot, location, refuse) == "That name is already on the roster."
    assert not (location.data_dir / "crash reports").exists()


def test_when_the_details_cannot_be_saved_the_window_says_so(qtbot, location: DataLocation) -> None:
    location.data_dir.mkdir(parents=True, exist_ok=True)
    outside = location.data_dir.parent / "elsewhere"
    outside.mkdir()
    (location.data_dir / "crash reports").symlink_to(outside, target_is_directory=True)

    said = _told(qtbot, location, _boom)

    assert said.startswith("Something went wrong inside Facilitator. What was recorded before it is kept. ")
    assert "Its details could not be saved: " in said and "is a link" in said
    assert list(outside.iterdir()) == []


def test_only_the_newest_reports_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "crash reports"
    start = datetime(2026, 12, 2, 9, 0, 0)
    try:
        raise ValueError("again")
    except ValueError as exc:
        fault = exc
    written = [write_crash_report(folder, fault, start + timedelta(seconds=n)) for n in range(KEPT + 3)]
    # Two in the same second get names of their own.
    same_second = write_crash_report(folder, fault, start + timedelta(seconds=KEPT + 2))

    kept = sorted(folder.iterdir())
    assert len(kept) == KEPT
    assert written[0] not in kept and written[-1] in kept
    assert same_second.name == "crash 2026-12-02 09.00.22 (2).txt"
    assert sys.version.split()[0] in written[-1].read_text(encoding="utf-8")


def _fault() -> ValueError:
    try:
        raise ValueError("again")
    except ValueError as exc:
        return exc


def test_a_fault_repeating_within_one_second_keeps_the_newest_reports(tmp_path: Path) -> None:
    """ "(10)" sorts before "(2)" as text: pruned by name, the newest report was removed as soon as
    it was written, and the window named a file that was gone."""
    folder = tmp_path / "crash reports"
    moment = datetime(2026, 12, 2, 9, 0, 0)
    written = [write_crash_report(folder, _fault(), moment) for _ in range(KEPT + 5)]
    assert all(path.exists() for path in written[-KEPT:])
    assert sorted(folder.iterdir()) == sorted(written[-KEPT:])


def test_a_folder_named_like_a_report_is_left_alone_and_the_saved_report_still_told(
    qtbot, location: DataLocation
) -> None:
    """Something not a report among the reports (here a folder) cannot be removed: the report just
    saved is told as saved, not as 'could not be saved'."""
    folder = location.data_dir / "crash reports"
    (folder / "crash 2000-01-01 00.00.00.txt").mkdir(parents=True)
    for second in range(KEPT):
        write_crash_report(folder, _fault(), datetime(2026, 12, 1, 9, 0, second))

    said = _told(qtbot, location, _boom)

    assert said.startswith(SAID)
    assert (folder / "crash 2000-01-01 00.00.00.txt").is_dir()
    assert len([path for path in folder.iterdir() if path.is_file()]) == KEPT


def test_a_database_fault_saves_no_name_in_its_report(db, tmp_path: Path) -> None:
    """A statement that fails carries the values it wrote in its message: a crash report sent to
    whoever fixes the program would hold a person's legal name. The database leaves them out."""
    from sqlalchemy.exc import IntegrityError

    from facilitator.storage.models import AttendanceLetter

    legal = "Adaeze Okafor-Nwosu"
    with pytest.raises(IntegrityError) as failed, db.begin() as session:
        session.add(AttendanceLetter(code=None, participant_id=1, group_id=1, legal_name=legal))  # no code, no dates
        session.flush()
    report = write_crash_report(tmp_path / "crash reports", failed.value, datetime(2026, 12, 2, 9, 0, 0))
    assert "IntegrityError" in report.read_text(encoding="utf-8")
    assert legal not in report.read_text(encoding="utf-8")
