"""CSV files as spreadsheets save them: the encoding, the separator, and the records."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from facilitator.errors import InvalidInput
from facilitator.sources import Record, Table

MAX_FILE_BYTES = 20 * 1024 * 1024
HEAD_RECORDS = 200
CANDIDATE_DELIMITERS = (",", ";", "\t")
EXCEL_SEPARATOR = re.compile(r"sep=(?P<separator>[,;\t|])[ \t]*\r?\n")


def read_limited(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # bounded: a device or an endless pipe is not read for ever
        if len(data) > MAX_FILE_BYTES:
            raise InvalidInput(f"{path.name} is larger than 20 MB; a roster file can be at most 20 MB.")
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise InvalidInput(f"{path} cannot be read (permission denied).") from None
    return data


def csv_table(data: bytes) -> Table:
    """The columns (the first record that is not blank) and the records of CSV bytes."""
    text, encoding = decode_csv_bytes(data)
    numbered, delimiter = _records(text)
    return Table("CSV file", numbered[0], numbered[1:], iter(()), encoding, delimiter=delimiter)


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    A byte-order mark decides first; then UTF-8; then UTF-16 without a mark, recognised by its
    zero bytes; and last Windows-1252, which is what spreadsheets on Windows save as "CSV".
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, encoding), "UTF-16" if encoding == "utf-16" else "UTF-8"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return _decode(data, encoding), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "cp1252"), "Windows-1252"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"The file is not readable text (byte {exc.start + 1} does not fit {encoding}).") from None


def _records(text: str) -> tuple[list[Record], str]:
    """The file's records that are not blank, and the delimiter between their cells."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput(f"Line {line} holds a NUL byte; this does not look like a CSV file.")
    delimiter = _delimiter(text)
    first_line = 1
    excel_hint = EXCEL_SEPARATOR.match(text)
    if excel_hint:  # Excel's "sep=;" first line names the separator; it is not a row
        delimiter, text, first_line = excel_hint["separator"], text[excel_hint.end() :], 2
    numbered: list[Record] = []
    # Strict: a quote never closed is an error to report, not a reason to run the rest of the
    # file together into one name.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                numbered.append((first_line, record))
            first_line = reader.line_num + 1 + (1 if excel_hint else 0)
    except csv.Error as exc:
        line = reader.line_num + (1 if excel_hint else 0)
        raise InvalidInput(f"Line {line} is not valid CSV: {exc} (a quote opened and never closed?).") from None
    if not numbered:
        raise InvalidInput("The file is empty: there is no roster in it.")
    return numbered, delimiter


def _delimiter(text: str) -> str:
    """The separator spreadsheets used: whichever of comma, semicolon (European locales) or tab
    the header line holds most of; a comma when it holds none (a one-column list)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {candidate: header.count(candidate) for candidate in CANDIDATE_DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","
