"""Opening a roster file for reading: only a saved file of a size a roster can have, refused at
once and in plain words otherwise (a FIFO or a device would be read for ever)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from facilitator.errors import InvalidInput

# The reading is a stream, so this bounds time, not memory: a roster of a hundred thousand people
# exported from Google Contacts is about 25 MB; a million such lines (150 MB) is no roster.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Opening a FIFO for reading waits for a writer; without blocking it opens at once and fstat
# tells what it is. Windows has no FIFOs in the file system and no such flag.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def open_source(path: Path) -> BinaryIO:
    """The file at `path`, open for reading from its start; the caller closes it."""
    try:
        descriptor = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise _folder(path) from None
    except PermissionError:
        if os.path.isdir(path):  # Windows refuses to open a folder this way
            raise _folder(path) from None
        raise InvalidInput(f"{path} cannot be read (permission denied).") from None
    except OSError as exc:
        if os.path.exists(path) and not os.path.isfile(path):  # a socket, a device not there
            raise _not_a_file(path) from None
        raise InvalidInput(f"{path} cannot be read ({exc.strerror or exc}).") from None
    try:
        _check_saved_file(path, os.fstat(descriptor))
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _check_saved_file(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _folder(path)
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path)
    if info.st_size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InvalidInput(f"{path.name} is larger than {limit} MB; a roster file can be at most {limit} MB.")


def _folder(path: Path) -> InvalidInput:
    return InvalidInput(f"{path} is a folder, not a file.")


def _not_a_file(path: Path) -> InvalidInput:
    return InvalidInput(f"{path.name} is not a saved file (a pipe or a device); choose a file of names.")
