"""Reading the lists facilitators already keep (spreadsheets saved as CSV, contacts exports,
phone vCards, workbooks) into one shape: a table of text cells, read a record at a time.

Nothing here knows about groups or the records; `facilitator.rules.roster_import` decides what a
table's names mean for a roster."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

Record = tuple[int, list[str]]  # where the user finds it (line, row or card number), and its cells
HEAD_RECORDS = 200  # read at once, to choose the name column by what the cells look like
SNIFF_BYTES = 4096  # enough to see past a byte-order mark and blank lines to a vCard's first line
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsb, .ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls, and of a password-protected .xlsx
VCARD_START = b"BEGIN:VCARD"
# A vCard may be written in UTF-16 or UTF-32 with its mark, as some Windows tools do (the
# 32-bit marks first: UTF-32's little-endian one starts with UTF-16's).
WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


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
    """The table in the file at `path`, by what the file holds, whatever its name says.
    `encoding` is the user's answer when the reader was unsure of it; `sheet` a workbook's sheet
    other than the first."""
    from facilitator.sources.files import open_source

    return _table(open_source(path), encoding=encoding, sheet=sheet)


def table_from_bytes(data: bytes, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The table in a file's bytes (tests, and files already read)."""
    return _table(io.BytesIO(data), encoding=encoding, sheet=sheet)


def _table(stream: BinaryIO, *, encoding: str | None, sheet: str | None) -> Table:
    """A zip package or an old compound file is a workbook; text whose first line is
    BEGIN:VCARD is a vCard file (in UTF-16 or UTF-32 too, by its mark); anything else is read
    as CSV."""
    start = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if start.startswith((ZIP_MAGIC, OLE_MAGIC)):
        from facilitator.sources.workbooks import workbook_table

        return workbook_table(stream, sheet=sheet)
    if start.removeprefix(codecs.BOM_UTF8).lstrip()[: len(VCARD_START)].upper() == VCARD_START:
        from facilitator.sources.vcards import vcard_table

        return vcard_table(stream, encoding=encoding)
    wide = _wide_vcard(start)
    if wide is not None:
        from facilitator.sources.vcards import vcard_table

        with stream:  # at most the size limit's 64 MB, read into the UTF-8 the cards reader reads
            text = stream.read().decode(wide, errors="replace").removeprefix("\ufeff")
        return vcard_table(io.BytesIO(text.encode("utf-8")))
    from facilitator.sources.csv_files import csv_table

    return csv_table(stream, encoding=encoding)


def _wide_vcard(start: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec a vCard file is written in, by its mark; None for any other file."""
    for mark, codec in WIDE_MARKS:
        if start.startswith(mark):
            text = start[len(mark) :].decode(codec, errors="ignore")
            return codec if text.lstrip()[: len(VCARD_START)].upper() == VCARD_START.decode() else None
    return None
