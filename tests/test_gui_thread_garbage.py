"""Python's garbage is collected on the window's thread only.

A reference cycle that holds a Qt object, collected on a worker thread, deletes that Qt object off
the thread that owns it, which can crash the program. It did once, in a test run: the collection
happened while the roster-import dialog's work was on the worker thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from facilitator.storage.database import Database
from ui.app import application
from ui.operations.runner import Operations


@pytest.fixture
def collections() -> Iterator[list[str]]:
    """The name of the thread of every collection Python makes, eager ones included."""
    seen: list[str] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(threading.current_thread().name)

    threshold = gc.get_threshold()
    gc.set_threshold(1)  # a collection as soon as anything is allocated, if automatic collection were on
    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*threshold)


def test_work_in_the_background_never_collects_the_windows_garbage(qtbot, db: Database, collections: list[str]) -> None:
    application()  # the program's own start
    assert not gc.isenabled()
    parent = QWidget()
    qtbot.addWidget(parent)
    operations = Operations(db, parent)
    for _ in range(50):  # Qt objects in cycles: garbage only a collection frees
        holder: list[object] = [QObject()]
        holder.append(holder)
    del holder

    def work() -> int:
        made = [[n] for n in range(5000)]  # allocations, as any real work makes
        return len(made)

    assert operations.in_background(work, "Working…") == 5000
    assert "facilitator-work_0" not in collections
    assert all(name == threading.main_thread().name for name in collections)
    qtbot.waitUntil(lambda: bool(collections), timeout=5000)  # collected all the same, on this thread
