"""How the command line prints: one-line failures, JSON, aligned tables, dates."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from facilitator.cli.common import PROG
from facilitator.errors import print_failure


def prepare_output() -> None:
    """UTF-8 into files and pipes (JSON readers expect it); never a crash on a narrow console."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


def fail(message: str) -> int:
    return print_failure(PROG, message)


def warn(message: str) -> None:
    """A line on stderr that is not the failure of the command."""
    print(f"{PROG}: {message}", file=sys.stderr)


def print_json(value: Any) -> int:
    print(json.dumps(value, ensure_ascii=False, indent=2))
    return 0


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    for row in cells:
        aligned = (cell.rjust(w) if num else cell.ljust(w) for cell, w, num in zip(row, widths, numeric, strict=True))
        print("  ".join(aligned).rstrip())


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def held_day(moment: datetime | None) -> str:
    """The day of a meeting's moment, read on the clock it was held by (as the rules hand it over)."""
    return moment.date().isoformat() if moment is not None else "—"
