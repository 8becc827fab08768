"""What a fault inside the program leaves behind for whoever fixes it: a text file with the
traceback, in the data folder's "crash reports" folder, readable by the user alone.

The window says where the file is instead of showing the traceback (a volunteer cannot act on
one, and it may hold a name). Passwords in database addresses are hidden before anything is
written. Only the newest reports are kept, so a fault that repeats cannot fill the disk."""

from __future__ import annotations

import os
import platform
import re
import sys
import traceback
from datetime import datetime
from pathlib import Path

from facilitator import __version__
from facilitator.errors import hide_secrets
from facilitator.storage.locations import create_new_private_file, make_private_dir

KEPT = 20
# "crash 2026-12-02 14.05.09.txt", or "... (2).txt" for another report in the same second (`_new_path`).
REPORT_NAME = re.compile(r"crash (\d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d)(?: \((\d+)\))?\.txt")


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
    _remove_oldest(folder)
    return path


def _remove_oldest(folder: Path) -> None:
    """Remove the reports beyond the newest `KEPT`, oldest first by time and number ("(10)" is
    newer than "(2)"). Anything else in the folder is left alone, and one that cannot be removed
    is left too: the report just saved is there all the same."""
    reports = sorted(
        (found[1], int(found[2] or 1), path)
        for path in folder.iterdir()
        if (found := REPORT_NAME.fullmatch(path.name)) and (path.is_symlink() or path.is_file())
    )
    for *_when, old in reports[:-KEPT]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            continue


def _new_path(folder: Path, now: datetime) -> Path:
    """ "crash 2026-12-02 14.05.09.txt", with a number after it higher than any that second has
    (a number freed by `_remove_oldest` is not taken again: that report would be the oldest)."""
    moment = f"{now:%Y-%m-%d %H.%M.%S}"
    taken = [
        int(found[2] or 1)
        for path in folder.iterdir()
        if (found := REPORT_NAME.fullmatch(path.name)) and found[1] == moment
    ]
    number = max(taken, default=0) + 1
    return folder / (f"crash {moment}.txt" if number == 1 else f"crash {moment} ({number}).txt")
