"""The window's start-up probe, the benchmark's one measure of start-up for a virtual environment
and an installed build alike: with FACILITATOR_STARTUP_PROBE set, `facilitator-window` prints its
three figures once the records are shown and ends; without it, the window is left alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facilitator.cli import main as cli_main
from ui.app import STARTUP_PROBE, StartupProbe

pytestmark = pytest.mark.sqlite_only("starts the window as a user does, on a data folder of its own")

ROOT = Path(__file__).resolve().parent.parent


def test_the_window_started_with_the_probe_prints_its_start_up_and_ends(tmp_path: Path) -> None:
    data = tmp_path / "records"
    assert cli_main(["--data-dir", str(data), "group", "add", "Tuesday Circle"]) == 0
    window = shutil.which("facilitator-window", path=str(Path(sys.executable).parent))
    assert window is not None, f"facilitator-window is not installed beside {sys.executable}"
    started = time.time()
    env = {
        **os.environ,
        STARTUP_PROBE: repr(started),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [window, "--data-dir", str(data)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    elapsed_ms = (time.time() - started) * 1000
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    drawn, shown, resident = (float(figure) for figure in lines[0].split())
    assert 0 < drawn <= shown < elapsed_ms
    assert resident > 10  # megabytes: Python and Qt alone hold more


def test_without_the_variable_there_is_no_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STARTUP_PROBE, raising=False)
    assert StartupProbe.from_environment() is None
    monkeypatch.setenv(STARTUP_PROBE, "")
    assert StartupProbe.from_environment() is None
