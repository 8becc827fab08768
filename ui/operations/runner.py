"""Running the core's use cases from the window: one transaction per user action, refusals shown."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.orm import Session

from facilitator.errors import user_message
from facilitator.storage.database import Database
from ui.common.plain import message_box

T = TypeVar("T")
PROGRESS_AFTER_MS = 400  # quick work finishes before any progress window flickers up
POLL_MS = 25


class Operations:
    """What every view uses to read or change the records. Passed in, never looked up."""

    def __init__(self, db: Database, parent: QWidget) -> None:
        self.db = db
        self._parent = parent
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facilitator-work")

    def run(self, work: Callable[[Session], T]) -> T | None:
        """Do `work` in its own transaction and return its result. A refusal or a database error
        is shown to the user and None returned; nothing half-done is kept."""
        return self.attempt(lambda: self._in_transaction(work))

    def run_in_background(self, work: Callable[[Session], T], label: str) -> T | None:
        """Like `run`, but the work happens on a worker thread while the window stays responsive;
        after a moment a progress window says what is being done. For long work only (a document,
        a big export): everyday actions stay on `run`, in step with what the user sees."""
        future = self._worker.submit(self._in_transaction, work)
        progress = QProgressDialog(label, "", 0, 0, self._parent)
        progress.setWindowTitle("Facilitator")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(PROGRESS_AFTER_MS)
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(POLL_MS)
        poll.timeout.connect(lambda: loop.quit() if future.done() else None)
        poll.start()
        if not future.done():
            loop.exec()
        poll.stop()
        progress.close()
        progress.deleteLater()
        return self.attempt(future.result)

    def _in_transaction(self, work: Callable[[Session], T]) -> T:
        with self.db.begin() as session:
            return work(session)

    def attempt(self, work: Callable[[], T]) -> T | None:
        """Do `work` (writing a file, say; `run` passes its transactions through here too); a
        refusal or an error the user can act on is shown and None returned."""
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
