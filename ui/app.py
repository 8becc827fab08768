"""Starting the window: the Qt application, the database, and a plain message if it cannot open."""

from __future__ import annotations

import argparse
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import resources
from facilitator import APP_ID, __version__
from facilitator.dates import day_at
from facilitator.errors import (
    DatabaseDamaged,
    FacilitatorError,
    NotOwnPlace,
    RecordsBusy,
    report_failure,
    user_message,
)
from facilitator.storage.instance_lock import InstanceBusy, InstanceLock
from facilitator.storage.locations import DataLocation, add_location_arguments, tighten_data_folder
from ui.common.faults import fault_message
from ui.common.garbage import collect_on_gui_thread
from ui.common.plain import confirm, message_box
from ui.common.style import STYLE_SHEET
from ui.shell.main_window import QtMainWindow

if TYPE_CHECKING:
    from types import TracebackType

    from facilitator.storage.database import Database
    from facilitator.storage.file_check import FileState


PROG = "facilitator-window"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
IN_USE = "Your records are in use"
STARTUP_PROBE = "FACILITATOR_STARTUP_PROBE"


def main(argv: Sequence[str] | None = None) -> int:
    """`facilitator-window`, the desktop launcher: the window, opened without the command
    line's look-up of it (on Windows, a program that opens no console window)."""
    parser = argparse.ArgumentParser(prog=PROG, description="Open Facilitator's window.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_location_arguments(parser)
    args = parser.parse_args(argv)
    location: DataLocation | None = None
    try:
        location = DataLocation.resolve(args.data_dir, args.database_url)
        return run(location)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if sys.stderr is None:  # started with no console (Windows): said in a window instead
            application()
            folder = location.crash_reports_dir if location is not None else None
            message_box(None, QMessageBox.Icon.Critical, "Facilitator", fault_message(folder, exc)).exec()
            return 1
        return report_failure(PROG, exc)


def report_faults(location: DataLocation) -> Callable[[], None]:
    """While the window runs, a fault inside the program (an exception no code expected, in a
    slot or an event) is told in a window with `fault_message`, not printed as a traceback where a
    volunteer never looks. Returns what puts the previous handler back."""
    previous = sys.excepthook

    def told(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        if not isinstance(exc, Exception):  # Ctrl+C in a terminal, or an exit asked for
            previous(kind, exc, trace)
            return
        message = fault_message(location.crash_reports_dir, exc)
        if sys.stderr is not None:
            print(f"{PROG}: {message}", file=sys.stderr)
        front = QApplication.activeModalWidget() or QApplication.activeWindow()
        message_box(front, QMessageBox.Icon.Critical, "Facilitator", message).exec()

    sys.excepthook = told
    return lambda: setattr(sys, "excepthook", previous)


def application() -> QApplication:
    """The one QApplication of the process, created if needed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Facilitator")
    app.setApplicationDisplayName("Facilitator")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Facilitator")
    app.setDesktopFileName(APP_ID)
    icon = QIcon()
    for size in ICON_SIZES:  # drawn from facilitator.svg; pictures load faster than Qt's SVG plug-in
        icon.addFile(str(resources.path("icons", f"facilitator-{size}.png")), QSize(size, size))
    app.setWindowIcon(icon)
    app.setStyleSheet(STYLE_SHEET)
    collect_on_gui_thread(app)
    return app


def run(location: DataLocation) -> int:
    """Open the main window on the data at `location` and run until it is closed."""
    _refuse_without_a_screen()
    probe = StartupProbe.from_environment()
    app = application()
    tightened = tighten_data_folder(location.data_dir)
    lock = _take_lock(location)
    if lock is None:
        return 1
    restore_handler = report_faults(location)
    try:
        path = location.database_path
        file_state = FileStateReading(path).result if path is not None and path.is_file() else None
        window = QtMainWindow(location)
        if probe is not None:
            window.opening.painted.connect(probe.window_drawn)
        failed: list[BaseException] = []

        def open_records() -> None:
            try:
                db = open_or_recover(location, window, file_state)
                if db is not None:
                    window.open_records(db)
                    if probe is not None:
                        probe.records_shown()
                    if tightened:
                        window.operations.say(tightened)
                    _after_opening(window)
                    return
            except BaseException as exc:  # raised again below, outside Qt's event loop
                failed.append(exc)
            window.close()

        # The window is drawn first; the records (and the libraries that read them) load after.
        window.opening.painted.connect(lambda: QTimer.singleShot(0, open_records))
        window.show_at_start()
        app.exec()
        if window.db is not None:
            window.safety.wait_for_check()
        # Closed by now, but kept alive by its own signal connections (they hold `open_records`,
        # which holds the window): delete it, so that a run leaves no window behind.
        window.deleteLater()
        if failed:
            raise failed[0]
        if window.db is None:
            return 1  # the records could not be opened, and the user was told why
        window.db.close()  # a restore may have reopened it
        return 0
    finally:
        restore_handler()
        lock.release()


class StartupProbe:
    """The benchmark's measure of start-up, the same for a virtual environment and an installed
    build (which cannot be given a script): with FACILITATOR_STARTUP_PROBE set to the starter's
    `time.time()` as it started this process, the window prints `<ms to the window drawn> <ms to
    the records shown> <resident MB>` once the records are shown, and the process ends there."""

    def __init__(self, started: float) -> None:
        self._started = started
        self._drawn = math.nan

    @classmethod
    def from_environment(cls) -> StartupProbe | None:
        try:
            return cls(float(os.environ[STARTUP_PROBE]))
        except (KeyError, ValueError):  # not asked for, or not a time: the window as usual
            return None

    def _since_start(self) -> float:
        return (time.time() - self._started) * 1000

    def window_drawn(self) -> None:
        self._drawn = self._since_start()

    def records_shown(self) -> None:
        QApplication.processEvents()  # drawn, not just built
        print(f"{self._drawn:.3f} {self._since_start():.3f} {resident_mb():.1f}", flush=True)
        os._exit(0)  # nothing after the measure runs: no settings saved, no checks started


def resident_mb() -> float:
    """This process's resident memory in megabytes (where only the peak can be read, the peak;
    not a number on Windows)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        pass
    try:
        import resource
    except ImportError:  # Windows
        return math.nan
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)  # bytes on macOS, kilobytes elsewhere


def _refuse_without_a_screen() -> None:
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        raise FacilitatorError(
            "There is no screen to show the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            "The commands work without one: facilitator --help."
        )


def _take_lock(location: DataLocation) -> InstanceLock | None:
    """The data folder's lock, taken before anything is drawn to say at once that the records are
    in use (opening them adds a hold of this process to it); None when the user was told why not."""
    try:
        return InstanceLock(location.data_dir).acquire()
    except InstanceBusy as exc:
        message_box(None, QMessageBox.Icon.Information, IN_USE, str(exc)).exec()
    except (NotOwnPlace, OSError) as exc:  # a read-only disk, a planted link, another user's folder
        message_box(
            None,
            QMessageBox.Icon.Critical,
            "Facilitator cannot open your records",
            fault_message(location.crash_reports_dir, exc),
        ).exec()
    return None


def _after_opening(window: QtMainWindow) -> None:
    """What start-up does once the records show, each in its turn of the event loop."""
    for step in (
        window.offer_resume,
        window.privacy.finish_forgetting,
        window.privacy.apply_retention_rules,
        window.safety.check_in_background,
        window.documents.ask_for_crisis_contacts_at_start,
    ):
        QTimer.singleShot(0, step)


class FileStateReading(threading.Thread):
    """The records' file checked on a thread of its own while the window is built and drawn:
    SQLite's quick check of ten years of records takes as long as drawing the window, and lets
    go of Python's lock while it reads. `result` waits for it, and raises what it raised."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="facilitator-check", daemon=True)
        self._path = path
        self._state: FileState | None = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        from facilitator.storage.file_check import read_file_state  # on this thread: sqlite3 and all

        try:
            self._state = read_file_state(self._path)
        except BaseException as exc:  # raised again by `result`, on the thread that asks
            self._error = exc

    def result(self) -> FileState:
        self.join()
        if self._error is not None:
            raise self._error
        assert self._state is not None
        return self._state


def open_or_recover(
    location: DataLocation, parent: QWidget | None = None, file_state: Callable[[], FileState] | None = None
) -> Database | None:
    """The records, or, when they are damaged, the offer of the newest good backup in their place
    (the records as they are stay, as a copy). None if they cannot be opened, and the user was
    told why: records another program is using, or from a newer version, are never replaced."""
    from facilitator.dates import local
    from facilitator.records import open_records, restore_records
    from facilitator.storage.backups import newest_good_backup

    try:
        return open_records(location, file_state)
    except DatabaseDamaged as exc:
        problem = str(exc)
    except RecordsBusy as exc:
        message_box(parent, QMessageBox.Icon.Information, IN_USE, str(exc)).exec()
        return None
    except (FacilitatorError, OSError) as exc:
        message_box(
            parent, QMessageBox.Icon.Critical, "Facilitator cannot open your records", user_message(exc) or str(exc)
        ).exec()
        return None
    try:
        backup = newest_good_backup(location) if location.database_path is not None else None
    except FacilitatorError:  # not even a database URL: there is nothing to look for
        backup = None
    if backup is None:
        message_box(parent, QMessageBox.Icon.Critical, "Facilitator cannot open your records", problem).exec()
        return None
    if not confirm(
        parent,
        "Facilitator cannot open your records",
        f"{problem}\n\nThe newest good backup is from {day_at(local(backup.made_at))}. Put it in "
        "place of these records? They are kept as they are, in the backup folder, for anyone who can rescue them.",
        "Restore the Backup",
        icon=QMessageBox.Icon.Warning,
        yes_by_default=True,
    ):
        return None
    try:
        restore_records(location, backup.path)
        return open_records(location)
    except (FacilitatorError, OSError) as exc:
        message_box(parent, QMessageBox.Icon.Critical, "The backup could not be restored", str(exc)).exec()
        return None
