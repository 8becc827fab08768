"""One program at a time on a data folder: a lock on a file in the folder, taken through the
operating system, so that a crashed or killed program never leaves it stuck (the system lets go
of a dead process's locks)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from facilitator.errors import FacilitatorError
from facilitator.storage.locations import make_private_dir, open_own_file

LOCK_NAME = "facilitator.lock"


class InstanceBusy(FacilitatorError):
    """Another Facilitator is using this data folder."""


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> InstanceLock:
        make_private_dir(self.path.parent)
        # Never through a link or another user's file: the lock is written to (a process id).
        handle = os.fdopen(open_own_file(self.path, os.O_RDWR | os.O_CREAT), "r+", encoding="utf-8")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise InstanceBusy(
                f"Facilitator is already open with the records in {self.path.parent}. "
                "Close it first (look for its window), then try again."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            _unlock(self._file)
            self._file.close()
            self._file = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
