"""What every command of the command line shares: its name, its argument types (a wrong value is
a usage error, exit 2) and the way a command opens the records."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from facilitator.errors import InvalidInput
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from facilitator.storage.database import Database

PROG = "facilitator"
MAX_NUMBER = 2**31 - 1  # ids and counts beyond this fit no database column
_opened: list[Database] = []  # the records this command opened, closed as it ends

# argparse gives the object `add_subparsers` returns no public name.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def positive_int(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number")
    value = int(digits[:12])
    if not 1 <= value <= MAX_NUMBER:
        raise argparse.ArgumentTypeError(f"{value} is not a number from 1 to {MAX_NUMBER}")
    return value


def day(text: str) -> date:
    from facilitator.dates import parse_date

    try:
        return parse_date(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def open_db(location: DataLocation) -> Database:
    """The records, opened (and brought up to date) for one command, and held (with the data
    folder's lock) until the command ends. A forgetting stopped before it reached every backup
    (a command interrupted) is finished first, and said on stderr."""
    from facilitator.records import open_records
    from facilitator.rules.privacy import finish_forgetting

    db = open_records(location)
    _opened.append(db)
    if db.damage is None:
        for copies in finish_forgetting(db):
            print(f"Forgetting someone, stopped before, is now finished. {copies.message}".strip(), file=sys.stderr)
    return db


def close_records() -> None:
    """Close what the command opened: another program, or a restore, may have the records now."""
    while _opened:
        _opened.pop().close()
