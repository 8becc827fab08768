"""Check-in actions as Qt undo commands: each replays the core's use cases to undo or redo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from ui.operations import Operations

Work = Callable[[Session], object]


class ReplayCommand(QUndoCommand):
    """An action that has already been done and committed; undo and redo are new transactions.

    Pushing it does not do the action again. If an undo or redo is refused (the meeting was
    closed meanwhile, say), the refusal is shown and the command leaves the stack.
    """

    def __init__(self, text: str, operations: Operations, *, do: Work, undo: Work, after: Callable[[], None]) -> None:
        super().__init__(text)
        self._operations = operations
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
        if self._operations.run(lambda session: work(session) or True) is None:
            self.setObsolete(True)
        self._after()
