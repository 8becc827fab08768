"""Running the core's use cases from the window: one transaction per user action, refusals shown."""

from __future__ import annotations

import enum
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Literal, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.orm import Session

from facilitator.errors import user_message
from facilitator.storage.database import Database
from ui.common.faults import fault_message
from ui.common.plain import message_box
from ui.operations.changes import Change

# Pages name the session their work receives from here, so that SQLAlchemy itself stays out of
# them (the import contracts in pyproject.toml).
__all__ = ["Operations", "Session"]

T = TypeVar("T")


class Refused(enum.Enum):
    """What `run` and `attempt` return when the work was refused or failed (the user was told):
    never None, which work may well return when it is done."""

    REFUSED = "refused"

    def __bool__(self) -> Literal[False]:
        return False


REFUSED = Refused.REFUSED
PROGRESS_AFTER_MS = 400  # quick work finishes before any progress window flickers up
POLL_MS = 25


class Operations(QObject):
    """What every view uses to read or change the records. Passed in, never looked up.

    After work that changed something, `changed` says what (and which view asked for it), so
    that every page can redraw what concerns it; `notice` carries a line for the status bar.
    """

    changed = Signal(object, object)  # Change, the view that made it (or None)
    notice = Signal(str)

    def __init__(self, db: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self.db = db
        self._parent = parent
        self._worker: ThreadPoolExecutor | None = None
        self._jobs = 0  # background jobs in flight

    def run(
        self, work: Callable[[Session], T], changes: Change = Change.NOTHING, initiator: object | None = None
    ) -> T | Refused:
        """Do `work` in its own transaction and return its result. A refusal or a database error
        is shown to the user and REFUSED returned; nothing half-done is kept. When it is done,
        `changes` are announced."""
        return self.attempt(lambda: self.run_or_raise(work, changes, initiator))

    def run_or_raise(
        self, work: Callable[[Session], T], changes: Change = Change.NOTHING, initiator: object | None = None
    ) -> T:
        """Like `run`, for a dialog that shows a refusal in its own error line: it raises."""
        result = self._in_transaction(work)
        self.announce(changes, initiator)
        return result

    def announce(self, changes: Change, initiator: object | None = None) -> None:
        """Tell every page what changed (a page skips work it did itself, when it is the initiator)."""
        if changes:
            self.changed.emit(changes, initiator)

    def say(self, text: str) -> None:
        """A line for the status bar: what was just done."""
        self.notice.emit(text)

    @property
    def busy(self) -> bool:
        """Whether work is on the worker thread now (its progress window may show any moment)."""
        return self._jobs > 0

    def run_in_background(self, work: Callable[[Session], T], label: str) -> T | Refused:
        """Like `run`, but the work happens on a worker thread while the window stays responsive;
        after a moment a progress window says what is being done. For long work only (a document,
        a big export): everyday actions stay on `run`, in step with what the user sees."""
        # One worker thread, started for the first job and ended with the last one in flight: a job
        # asked for meanwhile (a shortcut pressed before the progress window shows) waits its turn,
        # and no thread outlives the work it was started for.
        return self.in_background(lambda: self._in_transaction(work), label)

    def in_background(
        self,
        work: Callable[[], T],
        label: str,
        *,
        cancel: Callable[[], object] | None = None,
        status: Callable[[], str] | None = None,
    ) -> T | Refused:
        """Like `attempt`, on the worker thread of `run_in_background`: for long work that opens
        its own transactions (forgetting a person in the records and in every backup). With
        `cancel`, the progress window has a Cancel button that calls it (the work is to notice
        and end early); `status`, when given, is asked now and then for the progress window's words."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facilitator-work")
        worker = self._worker
        self._jobs += 1
        try:
            future = worker.submit(work)
            self._wait_for(future, label, cancel, status)
        finally:
            self._jobs -= 1
            if self._jobs == 0:
                self._worker = None
                worker.shutdown()
        return self.attempt(future.result)

    def _wait_for(
        self,
        future: Future[T],
        label: str,
        cancel: Callable[[], object] | None = None,
        status: Callable[[], str] | None = None,
    ) -> None:
        """Keep the window turning until `future` is done, with a progress window after a moment."""
        progress = QProgressDialog(label, "Cancel", 0, 0, self._parent)
        progress.setWindowTitle("Facilitator")
        if cancel is None:
            progress.setCancelButton(None)
        else:
            progress.canceled.connect(cancel)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setValue(0)  # started: else Qt shows the window after its own 4 s, not PROGRESS_AFTER_MS
        progress.setMinimumDuration(PROGRESS_AFTER_MS)
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(POLL_MS)

        def check() -> None:
            if future.done():
                loop.quit()
            elif status is not None and not progress.wasCanceled():
                progress.setLabelText(status())

        poll.timeout.connect(check)
        poll.start()
        if not future.done():
            loop.exec()
        poll.stop()
        progress.close()
        progress.deleteLater()

    def _in_transaction(self, work: Callable[[Session], T]) -> T:
        with self.db.begin() as session:
            return work(session)

    def attempt(self, work: Callable[[], T]) -> T | Refused:
        """Do `work` (writing a file, say; `run` passes its transactions through here too); a
        refusal or an error the user can act on is shown and REFUSED returned."""
        try:
            return work()
        except Exception as exc:
            if user_message(exc) is None:  # a fault inside the program: told by the window's handler
                raise
            self.tell(fault_message(self.db.location.crash_reports_dir, exc))
            return REFUSED

    def tell(self, message: str) -> None:
        """Show a refusal or a problem, in plain words, over whatever window is in front."""
        parent = QApplication.activeModalWidget() or self._parent
        message_box(parent, QMessageBox.Icon.Warning, "Facilitator", message).exec()
