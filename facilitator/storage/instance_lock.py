"""One program at a time on a data folder: a lock on a file in the folder, taken through the
operating system, so that a crashed or killed program never leaves it stuck (the system lets go
of a dead process's locks).

Every program that opens the records holds it while they are open, the window and each command
alike, and so does a restore: a restore can never swap the file under a writer. Within one
process the lock is shared (a count of holds on one open file), since the system's lock would
refuse a second hold taken by the same process through another file."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from facilitator.errors import FacilitatorError
from facilitator.storage.locations import make_private_dir, open_own_file

LOCK_NAME = "facilitator.lock"
WAIT_SECONDS = 5.0  # long enough for another command to finish its work
POLL_SECONDS = 0.05


class InstanceBusy(FacilitatorError):
    """Another Facilitator is using this data folder."""


@dataclass
class _Hold:
    handle: IO[str]
    count: int


_holds: dict[Path, _Hold] = {}  # this process's holds, by lock file
_holds_guard = threading.Lock()


class InstanceLock:
    def __init__(
        self,
        folder: Path,
        *,
        wait: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = folder / LOCK_NAME
        self._wait = wait
        self._clock = clock
        self._sleep = sleep
        self._held = False

    def acquire(self) -> InstanceLock:
        """Take the lock (a further hold, if this process has it already), trying again for up to
        `wait` seconds (WAIT_SECONDS unless told) while another program has it; InstanceBusy after."""
        if self._held:
            return self
        make_private_dir(self.path.parent)
        key = self.path.absolute()
        deadline = self._clock() + (WAIT_SECONDS if self._wait is None else self._wait)
        while not self._take(key):
            if self._clock() >= deadline:
                raise InstanceBusy(
                    f"Facilitator is already using the records in {self.path.parent} (its window, or another "
                    "command). Close it, or wait for it to finish, then try again."
                )
            self._sleep(POLL_SECONDS)
        self._held = True
        return self

    def _take(self, key: Path) -> bool:
        with _holds_guard:
            hold = _holds.get(key)
            if hold is not None:
                hold.count += 1
                return True
            handle = _open_lock_file(self.path)
            try:
                _lock(handle)
            except OSError:
                handle.close()
                return False
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            _holds[key] = _Hold(handle, 1)
            return True

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        with _holds_guard:
            key = self.path.absolute()
            hold = _holds[key]
            hold.count -= 1
            if hold.count == 0:
                del _holds[key]
                _unlock(hold.handle)
                hold.handle.close()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _open_lock_file(path: Path) -> IO[str]:
    # Never through a link or another user's file: the lock is written to (a process id).
    return os.fdopen(open_own_file(path, os.O_RDWR | os.O_CREAT), "r+", encoding="utf-8")


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
