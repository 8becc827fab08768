"""Starting the window: the Qt application, the database, and a plain message if it cannot open."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import resources
from facilitator import __version__
from facilitator.backups import newest_good_backup, restore
from facilitator.db import Database, open_database
from facilitator.errors import FacilitatorError
from facilitator.instance_lock import InstanceBusy, InstanceLock
from facilitator.paths import DataLocation
from ui.main_window import QtMainWindow
from ui.plain import message_box
from ui.style import STYLE_SHEET


def application() -> QApplication:
    """The one QApplication of the process, created if needed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Facilitator")
    app.setApplicationDisplayName("Facilitator")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Facilitator")
    app.setDesktopFileName("facilitator")
    app.setWindowIcon(QIcon(str(resources.path("icons", "facilitator.svg"))))
    app.setStyleSheet(STYLE_SHEET)
    return app


def run(location: DataLocation) -> int:
    """Open the main window on the data at `location` and run until it is closed."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        raise FacilitatorError(
            "There is no screen to show the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            "The commands work without one: facilitator --help."
        )
    app = application()
    try:
        lock = InstanceLock(location.data_dir).acquire()
    except (InstanceBusy, OSError) as exc:
        message_box(None, QMessageBox.Icon.Information, "Facilitator is already open", str(exc)).exec()
        return 1
    try:
        db = open_or_recover(location)
        if db is None:
            return 1
        window: QtMainWindow | None = None
        try:
            window = QtMainWindow(db)
            window.show()
            QTimer.singleShot(0, window.offer_resume)
            QTimer.singleShot(0, window.apply_retention_rules)
            return app.exec()
        finally:
            (window.db if window is not None else db).close()  # a restore may have reopened it
    finally:
        lock.release()


def open_or_recover(location: DataLocation) -> Database | None:
    """The records, or, when they cannot be used as they are, the offer of the newest good
    backup in their place (the records as they are stay, as a copy). None if there is neither."""
    try:
        return open_database(location)
    except (FacilitatorError, OSError) as exc:
        problem = str(exc)
    backup = newest_good_backup(location) if location.database_path is not None else None
    if backup is None:
        message_box(None, QMessageBox.Icon.Critical, "Facilitator cannot open your records", problem).exec()
        return None
    box = message_box(
        None,
        QMessageBox.Icon.Warning,
        "Facilitator cannot open your records",
        f"{problem}\n\nThe newest good backup is from {backup.made_at:%A %d %B %Y at %H:%M}. Put it in place of "
        "these records? They are kept as they are, in the backup folder, for anyone who can rescue them.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes,
    )
    box.button(QMessageBox.StandardButton.Yes).setText("Restore the Backup")
    if box.exec() != QMessageBox.StandardButton.Yes:
        return None
    try:
        restore(location, backup.path)
        return open_database(location)
    except (FacilitatorError, OSError) as exc:
        message_box(None, QMessageBox.Icon.Critical, "The backup could not be restored", str(exc)).exec()
        return None
