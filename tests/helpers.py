"""Helpers more than one test file uses, with no Qt in them (the core's tests run without PySide6)."""

from __future__ import annotations

import os
from pathlib import Path


def damage(path: Path) -> None:
    """Scribble over the middle of a database file, as a failing disk might."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
