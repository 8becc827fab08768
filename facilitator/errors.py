"""Domain errors: what a user did that the rules refuse, worded for the user to read."""

import errno
import os
import re
import sqlite3
import sys
import unicodedata

RECORDS_BUSY = (
    "Another program is using your records just now, so they could not be opened or changed; "
    "they are intact. Close that program, or wait for it to finish, then try again."
)

# A setting whose name says it holds a secret: password, passwd, pwd, sslpassword, a key, a token...
SECRET_NAME = re.compile(r"pass|pwd|secret|token|key|credential", re.IGNORECASE)
# user:password@ in an address; name=value in an address's query or a driver's connection string.
# Each starts only where a name can start, so a long word is read once, not once per letter.
_ADDRESS_WITH_USER = re.compile(r"((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://[^\s/:@]*:)(\S*)", re.IGNORECASE)
_SETTING = re.compile(r"((?<![\w.-])[\w.-]+\s*=\s*)('[^']*'|\"[^\"]*\"|[^\s&“”]*)")  # “”: our messages' quotes


class FacilitatorError(Exception):
    """A refusal the user can act on. Its message is one plain sentence for the user."""


class NotFound(FacilitatorError):
    """A group, participant or meeting that does not exist."""


class AlreadyExists(FacilitatorError):
    """A name or record that would be doubled."""


class InvalidInput(FacilitatorError):
    """Text or a value the program cannot accept."""


class InvalidState(FacilitatorError):
    """An action that does not fit where things stand, such as checking in to a closed meeting."""


class DatabaseProblem(FacilitatorError):
    """The database cannot be used as it is: from a newer version, not ours, or unreadable."""


class DatabaseDamaged(DatabaseProblem):
    """The database file fails its integrity check; a backup can take its place."""


class NotOwnPlace(FacilitatorError):
    """A file or folder among the records that is a link or another user's: never followed or used."""


class RecordsBusy(FacilitatorError):
    """Another program holds SQLite's lock on the records: they are sound, only busy."""

    def __init__(self, message: str = RECORDS_BUSY) -> None:
        super().__init__(message)


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite refused because another connection holds its lock (raised by sqlite3, or
    by SQLAlchemy wrapping it): never a sign of damage."""
    import sqlite3

    reason = getattr(exc, "orig", exc)
    return isinstance(reason, sqlite3.OperationalError) and any(
        words in str(reason) for words in ("database is locked", "database is busy", "database table is locked")
    )


class BackupFailed(FacilitatorError):
    """The backup that must come before a deletion could not be made, so nothing was deleted."""


DISK_FULL = "The disk is full, so this could not be done; your records are intact. Free some space and try again."
READ_ONLY = (
    "The disk or folder of your records is read-only, so this could not be done; your records are intact. "
    "Make it writable (or copy them elsewhere with backup -o) and try again."
)


def user_message(exc: BaseException) -> str | None:
    """The plain words for an error a user can meet, or None for a fault in the program."""
    if isinstance(exc, FacilitatorError):
        return str(exc)
    if is_busy(exc):
        return RECORDS_BUSY
    disk = _disk_trouble(exc)
    if disk is not None:
        return disk
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().rstrip(".")
        return f"The database could not do this: {' '.join(reason.split())}. Nothing was changed."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}."
    return None


def driver_words(exc: BaseException) -> bool:
    """Whether `user_message` would pass on the database driver's own words (a failed statement,
    a server that went away): the command line shows them; the window saves them to a file."""
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError) and not is_busy(exc) and _disk_trouble(exc) is None


def _disk_trouble(exc: BaseException) -> str | None:
    """A full or read-only disk, however it was met: through SQLAlchemy, SQLite itself (its
    backups) or the file system."""
    if isinstance(exc, OSError):
        return {errno.ENOSPC: DISK_FULL, errno.EDQUOT: DISK_FULL, errno.EROFS: READ_ONLY}.get(exc.errno or 0)
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        reason = str(exc.orig)
    elif isinstance(exc, sqlite3.Error):
        reason = str(exc)
    else:
        return None
    if "disk is full" in reason or "disk full" in reason:
        return DISK_FULL
    if "readonly" in reason or "read-only" in reason:
        return READ_ONLY
    return None


def hide_secrets(text: str) -> str:
    """`text` with every password, key or token an address or connection string in it carries
    replaced by ***: no message shows one."""
    text = _ADDRESS_WITH_USER.sub(_hide_password, text)
    return _SETTING.sub(lambda found: f"{found[1]}***" if SECRET_NAME.search(found[1]) else found[0], text)


def _hide_password(found: re.Match[str]) -> str:
    # The password runs to the last @ of the address: one it holds itself may be left unescaped.
    at = found[2].rfind("@")
    return found[0] if at < 0 else f"{found[1]}***{found[2][at:]}"


def report_failure(prog: str, exc: Exception) -> int:
    """Tell the user, in one line on stderr, what went wrong; exit code 1."""
    return print_failure(prog, failure_message(exc))


def failure_message(exc: Exception) -> str:
    """What to tell the user of an error: its plain words, or for a fault in the program a
    request to report it (FACILITATOR_DEBUG=1 raises it, with its traceback, instead)."""
    message = user_message(exc)
    if message is not None:
        return hide_secrets(message)
    if os.environ.get("FACILITATOR_DEBUG"):
        raise exc
    return hide_secrets(
        f"Something went wrong inside Facilitator ({type(exc).__name__}: {exc}). "
        "Please report it; run again with FACILITATOR_DEBUG=1 for the details."
    )


def print_failure(prog: str, message: str) -> int:
    """One line on stderr; exit code 1. Control characters the user typed are shown, not obeyed."""
    line = "".join(
        f"\\x{ord(char):02x}" if unicodedata.category(char) == "Cc" else char for char in " ".join(message.split())
    )
    print(f"{prog}: {line}", file=sys.stderr)
    return 1
