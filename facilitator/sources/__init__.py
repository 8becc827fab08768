"""Reading the lists facilitators already keep (spreadsheets saved as CSV, contacts exports,
phone vCards, workbooks) into one shape: a table of text cells, read a record at a time.

Nothing here knows about groups or the records; `facilitator.rules.roster_import` decides what a
table's names mean for a roster."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

Record = tuple[int, list[str]]  # where the user finds it (line, row or card number), and its cells


@dataclass
class Table:
    """A file's columns and records. `records` is read lazily and only once: a file of a hundred
    thousand lines is never held whole. `head` holds the first records, already read, for
    choosing the name column by what the cells look like."""

    kind: str  # what the file is, in the preview's words: "CSV file", "vCard file", "Excel workbook"
    header: Record  # the record the columns' names come from, as read (it may turn out to be a name)
    head: list[Record]
    rest: Iterator[Record]
    encoding: str = ""  # how the bytes were read as text, when they were
    doubt: str = ""  # what the reader was unsure of, for the preview to show and ask
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets; `sheet` is the one read
    sheet: str = ""
    delimiter: str = ""  # between a CSV file's cells, to put back a name that holds one
    # Records the reader could not read, by number: why, for the preview to show. A record in it
    # is still given, with empty cells; it is filled as the records are read.
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [cell.strip() for cell in self.header[1]]

    def records(self) -> Iterator[Record]:
        yield from self.head
        yield from self.rest


def open_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The table in the file at `path`, by what the file holds. `encoding` is the user's answer
    when the reader was unsure of it; `sheet` a workbook's sheet other than the first."""
    from facilitator.sources.csv_files import csv_table
    from facilitator.sources.files import open_source

    return csv_table(open_source(path), encoding=encoding)


def table_from_bytes(data: bytes, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The table in a file's bytes (tests, and files already read)."""
    from facilitator.sources.csv_files import csv_table

    return csv_table(io.BytesIO(data), encoding=encoding)
