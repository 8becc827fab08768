"""Python's garbage collected on the window's thread, never on a worker.

Python collects reference cycles on whichever thread happens to allocate when a threshold is
crossed. A cycle holding a Qt object, collected on a worker thread, deletes that object off the
thread that owns it, and Qt can crash. So automatic collection is turned off, and the window's
thread collects instead, from a timer, whenever Python would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_MS = 500


class GuiThreadGarbage(QObject):
    """Collects on the thread it lives in, the generation Python's own thresholds say is due."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        if due:
            gc.collect(due[-1])


def collect_on_gui_thread(app: QCoreApplication) -> None:
    """From now on, only `app`'s thread collects garbage (once per application)."""
    if app.findChild(GuiThreadGarbage) is None:
        GuiThreadGarbage(app)
