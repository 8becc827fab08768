"""PySide6's plain import back in place of the one that scans every module's source.

Importing PySide6 replaces `builtins.__import__` so that, for every module imported after
it, PySide6 reads the module's whole source file (through `linecache`, where it stays) to see
whether it uses PySide6's opt-in `__feature__` switches (PYSIDE-2029; napari#8584 traces the
same cost). For SQLAlchemy alone that is 45 ms and 19 MB that are never given back, and
ReportLab's first document would add more. Facilitator uses none of those switches, so the
`ui` package, as it loads and before any module of the window, puts back the import PySide6
itself wraps (`__orig_import__`: Python's import with PySide6's lazy loading of its own
modules, and no scan).
"""

from __future__ import annotations

import builtins


def restore_python_import() -> bool:
    """Load PySide6 and undo its import hook; False when there is none to undo (another
    PySide6 may work differently)."""
    import PySide6.QtCore  # noqa: F401 - what installs the hook

    original = getattr(builtins, "__orig_import__", None)
    if original is None or builtins.__import__ is original:
        return False
    builtins.__import__ = original
    return True
