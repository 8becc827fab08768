"""Where the data lives: the data directory, the database URL, and private files within them."""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.errors import DatabaseProblem, InvalidInput, NotOwnPlace, hide_secrets

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

APP_NAME = "Facilitator"
DATABASE_FILENAME = "facilitator.sqlite3"
DATA_DIR_ENV = "FACILITATOR_DATA_DIR"
DATABASE_URL_ENV = "FACILITATOR_DATABASE_URL"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# POSIX flags with no Windows equivalent; Windows gets an explicit look for links instead.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
BINARY = getattr(os, "O_BINARY", 0)


def default_data_dir() -> Path:
    import appdirs

    return Path(appdirs.user_data_dir(APP_NAME, appauthor=False))


def add_location_arguments(parser: argparse.ArgumentParser) -> None:
    """--data-dir and --database-url, for `DataLocation.resolve`: the command line and the
    window's own launcher take the same two."""
    parser.add_argument("--data-dir", metavar="DIR", help=f"folder for the database and backups (or ${DATA_DIR_ENV})")
    parser.add_argument("--database-url", metavar="URL", help=f"any SQLAlchemy database URL (or ${DATABASE_URL_ENV})")


# What an SQLite address may ask of the file it names, beyond the driver's own settings: only
# what keeps it the one file on disk that backups, restore and check act on.
SQLITE_URI_OPTIONS = {"mode": ("ro", "rw", "rwc"), "cache": ("shared", "private")}
SQLITE_DRIVER_OPTIONS = ("uri", "timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements")


def parse_database_url(text: str) -> URL:
    """A database address SQLAlchemy can read and has a dialect for, or a plain refusal. An SQLite
    address comes back naming its file by its absolute path (see `sqlite_file`), so the engine
    opens exactly the file that backups, restore and check act on."""
    url = _read_url(text)
    if url.get_backend_name() != "sqlite":
        return url
    path = sqlite_file(url, text)
    return url.set(database=path.as_uri() if url.query.get("uri") else str(path))


def _read_url(text: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = make_url(text)
        url.get_dialect()
    except ValueError:  # make_url reads the port as a number
        raise DatabaseProblem(f"{_unusable(text)} (its port is not a number).") from None
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseProblem(f"{_unusable(text)} ({hide_secrets(str(exc))}).") from None
    return url


def sqlite_file(url: URL, text: str) -> Path:
    """The file an SQLite address (`text`, read as `url`) names, as SQLite itself would open it,
    or a plain refusal of an address that names no file of its own on disk."""
    if url.username or url.password or url.host or url.port:
        raise DatabaseProblem(f"{_unusable(text)}: an SQLite address names a file, with no user, host or port.")
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        raise DatabaseProblem(
            f"{_unusable(text)}: it keeps the records in memory only, and they would be lost when Facilitator closes."
        )
    uri = url.query.get("uri")
    if uri not in (None, "true"):
        raise DatabaseProblem(f"{_unusable(text)}: uri=true is the only setting of “uri” it understands.")
    for name, value in url.query.items():
        allowed = SQLITE_URI_OPTIONS.get(name, ()) if uri else ()
        if name not in SQLITE_DRIVER_OPTIONS and value not in allowed:
            setting = hide_secrets(f"{name}={value}")
            raise DatabaseProblem(f"{_unusable(text)}: it cannot keep its records with “{setting}”.")
    if not uri:
        if database.startswith("file:"):
            raise DatabaseProblem(
                f"{_unusable(text)}: “{database}” is an SQLite URI, read as a file name without uri=true. "
                "Add ?uri=true, or give the file's path itself."
            )
        return Path(database).absolute()
    if not database.startswith("file:"):  # SQLite reads any other name as a plain file name
        return Path(database).absolute()
    from urllib.request import url2pathname

    rest = database.removeprefix("file:")
    if rest.startswith("//"):
        authority, slash, rest = rest[2:].partition("/")
        if authority not in ("", "localhost"):
            raise DatabaseProblem(f"{_unusable(text)}: SQLite opens no file on another computer ({authority}).")
        rest = slash + rest
    path = Path(url2pathname(rest.partition("#")[0]))
    if not path.is_absolute():
        raise DatabaseProblem(
            f"{_unusable(text)}: its file is named relative to whichever folder Facilitator starts in; "
            "give the whole path (file:/…)."
        )
    return path


def masked_url(text: str) -> str:
    """A database address as messages show it: with no password, key or token in it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return hide_secrets(make_url(text).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return hide_secrets(text)


def _unusable(text: str) -> str:
    return f"That is not a database URL Facilitator can use: {masked_url(text)}"


def _given(value: str | os.PathLike[str] | None, option: str, environ: Mapping[str, str], variable: str) -> str | None:
    """What the command line, or else the environment, gives for a setting; None when neither
    does. Given empty, it is refused: an empty setting is a mistake, not a wish for the default."""
    for given, where in ((value, option), (environ.get(variable), variable)):
        if given is None:
            continue
        text = os.fspath(given)
        if not text.strip():
            raise InvalidInput(f"{where} is empty. Give it a value, or leave it out for Facilitator's usual one.")
        return text
    return None


@dataclass(frozen=True)
class DataLocation:
    """The data directory and the database the program works on."""

    data_dir: Path
    explicit_database_url: str | None = None

    @classmethod
    def resolve(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        database_url: str | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> DataLocation:
        """Command-line values win over the environment, which wins over the platform default."""
        chosen_dir = _given(data_dir, "--data-dir", environ, DATA_DIR_ENV)
        chosen_url = _given(database_url, "--database-url", environ, DATABASE_URL_ENV)
        return cls(Path(chosen_dir or default_data_dir()).expanduser().absolute(), chosen_url)

    @property
    def database_path(self) -> Path | None:
        """The SQLite file, or None when the database is elsewhere (an organisation's server).
        A folder, or the backup folder or a file in it, is refused plainly."""
        if self.explicit_database_url is None:
            path = self.data_dir / DATABASE_FILENAME
        else:
            url = _read_url(self.explicit_database_url)
            if url.get_backend_name() != "sqlite":
                return None
            path = sqlite_file(url, self.explicit_database_url)
        backups = self.backup_dir.resolve()
        if path.resolve() == backups or backups in path.resolve().parents:
            raise DatabaseProblem(
                f"The database address names {path}, in the backup folder; the records cannot be kept there. "
                "Give another file."
            )
        if path.is_dir():
            raise DatabaseProblem(f"{path} is a folder, not a database file.")
        return path

    @property
    def database_url(self) -> str:
        if self.explicit_database_url is not None:
            return self.explicit_database_url
        return f"sqlite:///{self.data_dir / DATABASE_FILENAME}"

    @property
    def shown_url(self) -> str:
        """The database address as messages show it: never with its password (see `masked_url`)."""
        return masked_url(self.database_url)

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def viewer_copies_dir(self) -> Path:
        """Where the window puts the copy of a document it opens in the system's viewer."""
        return self.data_dir / "documents"

    @property
    def crash_reports_dir(self) -> Path:
        """Where the details of a fault inside the program are saved (`crash_reports`)."""
        return self.data_dir / "crash reports"

    @property
    def window_state_file(self) -> Path:
        return self.data_dir / "window.ini"


def make_private_dir(path: Path) -> Path:
    """Create the directory and any missing parents, readable by the user alone on POSIX.

    Folders that already exist are left as they are (they may be the user's own), but the
    folder itself is refused when it is a link or another user's (see `refuse_unless_own`).
    """
    missing = [folder for folder in (path, *path.parents) if not folder.exists() and not folder.is_symlink()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        if os.name == "posix":
            folder.chmod(PRIVATE_DIR_MODE)
    refuse_unless_own(path, path.lstat())
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a folder", str(path))
    return path


def tighten_data_folder(folder: Path) -> str | None:
    """Make a data folder that other users can write to private (0700), as a shared or
    world-writable folder lets them plant links and files among the records; returns the
    sentence that tells the user so, or None when nothing needed doing."""
    if os.name != "posix" or not folder.is_dir():
        return None
    info = folder.lstat()
    refuse_unless_own(folder, info)
    if not info.st_mode & 0o022:
        return None
    folder.chmod(PRIVATE_DIR_MODE)
    return f"Other users could change files in {folder}, so Facilitator made it private to you."


def make_private_file(path: Path) -> Path:
    """Create an empty file readable by the user alone, or tighten an existing one of the user's
    own; a link or another user's file is refused (see `open_own_file`)."""
    os.close(open_own_file(path, os.O_WRONLY | os.O_CREAT))
    return path


def open_own_file(path: Path, flags: int) -> int:
    """Open (or with O_CREAT, create) a file that must be the user's own regular file, readable by
    them alone: a link is never followed and another user's file never used. Returns the descriptor."""
    if NOFOLLOW == 0 and path.is_symlink():  # Windows: no O_NOFOLLOW, so look first
        refuse_unless_own(path, path.lstat())
    try:
        # O_NONBLOCK: a FIFO planted in the lock's place must not hang the program.
        fd = os.open(path, flags | NOFOLLOW | NONBLOCK | BINARY, PRIVATE_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            refuse_unless_own(path, path.lstat())
        raise
    try:
        refuse_unless_own(path, os.fstat(fd))
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_new_private_file(path: Path) -> int:
    """A new, empty file readable by the user alone, open for writing: no link is followed and no
    existing file reused. A leftover of that exact name (a file of ours a killed program left, or a
    link someone planted) is removed first: removing a link removes the link, not what it points at."""
    try:
        path.unlink(missing_ok=True)
    except PermissionError:  # another user's, in a shared folder with the sticky bit (like /tmp)
        refuse_unless_own(path, path.lstat())
        raise
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | BINARY, PRIVATE_FILE_MODE)


def refuse_unless_own(path: Path, info: os.stat_result) -> None:
    """Refuse, in plain words, a file or folder that is a link or that belongs to another user."""
    kind = "folder" if stat.S_ISDIR(info.st_mode) else "file"
    if stat.S_ISLNK(info.st_mode):
        raise NotOwnPlace(
            f"{path} is a link, and Facilitator does not follow links among your records (someone else may "
            "have put it there); nothing was written through it. Remove the link, then try again."
        )
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise NotOwnPlace(f"{path} is not an ordinary file; Facilitator left it alone. Remove it, then try again.")
    if not hasattr(os, "getuid") or info.st_uid == os.getuid():
        return
    owner, me = _user_name(info.st_uid), _user_name(os.getuid())
    command = f"sudo chown {'-R ' if kind == 'folder' else ''}{me} {shlex.quote(str(path))}"
    if info.st_uid == 0:
        why = f"probably from running Facilitator as administrator once. Give it back to you with: {command}"
    else:
        why = f"and Facilitator uses only files and folders of your own. Make it yours with: {command}"
    raise NotOwnPlace(f"The {kind} {path} belongs to {owner}, {why}")


def _user_name(uid: int) -> str:
    import pwd  # POSIX only, as is an owner to name

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


SQLITE_HEADER = b"SQLite format 3\x00"


def _refuse_overwriting_a_database(path: Path) -> None:
    """An export or a document is never written over a database, or over the journal beside
    one: a file dialog that opens in the data folder must not be able to destroy the records."""
    journal = next((path.name[: -len(end)] for end in ("-wal", "-shm", "-journal") if path.name.endswith(end)), None)
    for candidate in (path, path.with_name(journal) if journal else None):
        if candidate is not None and candidate.is_file():
            with candidate.open("rb") as handle:
                if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    raise InvalidInput(
                        f"{path.name} holds records (it is a database, perhaps Facilitator's own); it was not "
                        "overwritten. Choose another file name."
                    )


def write_private_file(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it is filled, synced, then renamed."""
    publish_file(stage_private_file(path, data), path)


def stage_private_file(path: Path, data: bytes) -> Path:
    """The file's whole contents, synced, in a private hidden file beside `path`, to be put in place
    with `publish_file` once whatever the file stands for is done (a letter's record committed)."""
    path = path.absolute()
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "That is a folder, not a file", str(path))
    _refuse_overwriting_a_database(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "There is no such folder", str(path.parent))
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def publish_file(staged: Path, path: Path) -> None:
    """Put a staged file in place with one rename; if that fails, the staged file goes."""
    try:
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise type(exc)(exc.errno, exc.strerror, str(path.absolute())) from None
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
