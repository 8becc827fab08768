"""Check-in actions as Qt undo commands: each replays the core's use cases to undo or redo."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from facilitator.errors import user_message
from ui.operations.changes import Change
from ui.operations.runner import Operations, Session

Work = Callable[[Session], object]
log = logging.getLogger(__name__)


class ReplayCommand(QUndoCommand):
    """An action that has already been done and committed; undo and redo are new transactions.

    Pushing it does not do the action again. If an undo or redo is refused (the meeting was
    closed meanwhile, say), the command leaves the stack and the refusal is shown once the
    stack has finished with it: nothing may run a dialog, or raise, inside `undo`/`redo`.
    """

    def __init__(
        self, text: str, operations: Operations, initiator: object, *, do: Work, undo: Work, after: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self._operations = operations
        self._initiator = initiator
        self._do = do
        self._undo = undo
        self._after = after
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._replay(self._do)

    def undo(self) -> None:
        self._replay(self._undo)

    def _replay(self, work: Work) -> None:
        operations, after = self._operations, self._after
        try:
            operations.run_or_raise(work, Change.ATTENDANCE | Change.ROSTER, self._initiator)
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                log.exception("undo or redo failed")
                message = f"This could not be undone or redone ({type(exc).__name__}); nothing was changed."
            self.setObsolete(True)
            # After the stack is done with this command: the dialog's event loop, or a refresh
            # that finds the meeting closed, may otherwise delete it while it is still running.
            QTimer.singleShot(0, lambda: operations.tell(message))
            QTimer.singleShot(0, after)
            return
        after()
