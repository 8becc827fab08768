"""Running the core's use cases from the window: one transaction per user action, refusals shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.orm import Session

from facilitator.db import Database
from facilitator.errors import user_message
from ui.plain import message_box

T = TypeVar("T")


class Operations:
    """What every view uses to read or change the records. Passed in, never looked up."""

    def __init__(self, db: Database, parent: QWidget) -> None:
        self.db = db
        self._parent = parent

    def run(self, work: Callable[[Session], T]) -> T | None:
        """Do `work` in its own transaction and return its result. A refusal or a database error
        is shown to the user and None returned; nothing half-done is kept."""
        try:
            with self.db.begin() as session:
                return work(session)
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            self.tell(message)
            return None

    def attempt(self, work: Callable[[], T]) -> T | None:
        """Do `work` that needs no database (writing a file, say); a refusal or an error the
        user can act on is shown and None returned."""
        try:
            return work()
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            self.tell(message)
            return None

    def tell(self, message: str) -> None:
        """Show a refusal or a problem, in plain words, over whatever window is in front."""
        parent = QApplication.activeModalWidget() or self._parent
        message_box(parent, QMessageBox.Icon.Warning, "Facilitator", message).exec()
