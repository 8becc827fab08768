"""What a fault inside the program leaves behind for whoever fixes it: a text file with the
traceback, in the data folder's "crash reports" folder, readable by the user alone.

The window says where the file is instead of showing the traceback (a volunteer cannot act on
one, and it may hold a name). Passwords in database addresses are hidden before anything is
written. Only the newest reports are kept, so a fault that repeats cannot fill the disk."""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from facilitator import __version__
from facilitator.errors import hide_secrets
from facilitator.storage.locations import create_new_private_file, make_private_dir

KEPT = 20


def write_crash_report(folder: Path, exc: BaseException, now: datetime) -> Path:
    """Write the report of `exc` in `folder` (made private if new) and return its path; the oldest
    reports beyond the newest `KEPT` are removed."""
    make_private_dir(folder)
    text = hide_secrets(
        f"Facilitator {__version__} on Python {platform.python_version()}, {platform.platform()} ({sys.platform})\n"
        f"{now.isoformat(timespec='seconds')}\n\n" + "".join(traceback.format_exception(exc))
    )
    path = _new_path(folder, now)
    fd = create_new_private_file(path)
    with os.fdopen(fd, "w", encoding="utf-8") as report:
        report.write(text)
    for old in sorted(folder.glob("crash *.txt"))[:-KEPT]:
        old.unlink(missing_ok=True)
    return path


def _new_path(folder: Path, now: datetime) -> Path:
    """ "crash 2026-12-02 14.05.09.txt", with a number after it when that second already has one."""
    stem = f"crash {now:%Y-%m-%d %H.%M.%S}"
    path, number = folder / f"{stem}.txt", 2
    while path.exists() or path.is_symlink():
        path, number = folder / f"{stem} ({number}).txt", number + 1
    return path
