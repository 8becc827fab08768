"""Starting the window: the Qt application, the database, and a plain message if it cannot open."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import resources
from facilitator import __version__
from facilitator.db import open_database
from facilitator.errors import FacilitatorError
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
        db = open_database(location)
    except (FacilitatorError, OSError) as exc:
        message_box(None, QMessageBox.Icon.Critical, "Facilitator cannot open your records", str(exc)).exec()
        return 1
    try:
        window = QtMainWindow(db)
        window.show()
        QTimer.singleShot(0, window.offer_resume)
        return app.exec()
    finally:
        db.close()
