"""Helpers the window tests share: opening the main window, and acting on a modal dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from facilitator.storage.database import Database
from ui.app import application
from ui.shell.main_window import QtMainWindow


def shown_window(db: Database, qtbot, *, active: bool = False) -> QtMainWindow:
    """The main window over `db`, shown (and made the active window, for window-wide shortcuts);
    qtbot closes and deletes it after the test."""
    application()
    window = QtMainWindow.with_records(db)
    qtbot.addWidget(window)
    if active:
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
    else:
        window.show()
        qtbot.waitExposed(window)
    return window


def when_modal_opens(qtbot, act: Callable[[Any], object], kind: type[QWidget] = QWidget) -> None:
    """Run `act` on the next modal dialog (of `kind`) once it is showing (dialogs block the test
    otherwise). With a `kind`, another modal that shows first (a progress window) is passed over."""

    def attempt() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, kind):
            QTimer.singleShot(10, attempt)
        else:
            act(modal)

    QTimer.singleShot(0, attempt)
