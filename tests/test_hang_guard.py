"""A test stuck in a dialog nobody answers ends the run, with every thread's stack, within its timeout.

The window's garbage timer runs Python code inside any modal loop, and pytest-timeout's default
(an alarm signal) raises its failure there, where Qt drops it: a message box left open once hung
CI silently for its whole 90 minutes. pyproject.toml sets `timeout_method = "thread"`, which
prints the stacks and stops the run from a thread of its own. Spread over cores (dev.py test's
pytest-xdist), it stops that test's worker: the test fails by name and the others carry on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STUCK = """
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.common.garbage import collect_on_gui_thread


@pytest.mark.timeout(3)
def test_a_message_box_nobody_answers() -> None:
    app = QApplication.instance() or QApplication([])
    collect_on_gui_thread(app)
    QMessageBox(QMessageBox.Icon.Warning, "Facilitator", "Nobody reads this.").exec()


def test_the_next_one() -> None:
    pass  # the outer test counts it among the passed: it ran
"""


def test_a_test_stuck_in_a_modal_dialog_ends_the_run_with_its_stack(tmp_path: Path) -> None:
    ran = run_stuck(tmp_path)
    said = ran.stdout + ran.stderr
    assert ran.returncode != 0
    assert "Timeout" in said
    assert "test_a_message_box_nobody_answers" in said and "exec()" in said


def test_spread_over_cores_a_stuck_test_fails_by_name_and_the_others_run(tmp_path: Path) -> None:
    ran = run_stuck(tmp_path, "-n", "2", "--dist", "worksteal")
    assert ran.returncode != 0
    crashed = re.compile(r"worker 'gw\d' crashed while running 'test_stuck.py::test_a_message_box_nobody_answers'")
    assert crashed.search(ran.stdout)
    assert "1 failed, 1 passed" in ran.stdout


def run_stuck(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_stuck.py").write_text(STUCK, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml")]
    return subprocess.run(
        [*command, *options, "--rootdir", str(folder), str(folder / "test_stuck.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # the guard failing: this test fails here instead of hanging the suite
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
