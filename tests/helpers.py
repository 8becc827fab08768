"""Helpers more than one test file uses, with no Qt in them (the core's tests run without PySide6)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def damage(path: Path) -> None:
    """Scribble over the middle of a database file, as a failing disk might."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@contextmanager
def records_held_elsewhere(data_dir: Path) -> Iterator[None]:
    """Another Facilitator process with the records in `data_dir` open (as its window, or a long
    command, has them) until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from facilitator.records import open_records; "
            "from facilitator.storage.locations import DataLocation; "
            "db = open_records(DataLocation.resolve(sys.argv[1])); print('open', flush=True); time.sleep(120)",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
