"""The Qt binding installed keeps Python alive through a long meeting.

PySide6 6.12.0 drops a reference to None on each Qt call that returns nothing; on Python 3.11,
where None is still counted, a few thousand such calls (a few minutes of typing names at check-in)
end the program with "Fatal Python error: none_dealloc". pyproject.toml keeps that release off
Python 3.11; this test makes as many calls as an evening would, in a process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
search = QLineEdit()
for _ in range(20_000):
    search.setText("Chlo")
    search.clear()
print("alive")
"""


def test_twenty_thousand_qt_calls_leave_python_running() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CALLS], capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "alive"), done.stderr[-2000:]
