"""Reading a roster from a CSV file as spreadsheets save them, and adding it to a group.

Reading is separate from writing so that a preview can show everything before anything is
stored, and an import with any error stores nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.dates import medium_date
from facilitator.errors import InvalidInput
from facilitator.rules.participants import (
    ParticipantInfo,
    add_participants,
    add_to_group,
    current_member_keys,
    list_participants,
)
from facilitator.storage.models import DISPLAY_NAME_MAX
from facilitator.text import clean_name, clean_note, name_key

MAX_FILE_BYTES = 20 * 1024 * 1024
Numbered = list[tuple[int, list[str]]]  # the records that are not blank, each with its line number
CANDIDATE_DELIMITERS = (",", ";", "\t")
NAME_HEADERS = (
    "name",
    "names",
    "display name",
    "full name",
    "nickname",
    "participant",
    "participants",
    "member",
    "members",
    "attendee",
    "attendees",
)
FIRST_NAME_HEADERS = ("first name", "firstname", "given name", "forename")
LAST_NAME_HEADERS = ("last name", "lastname", "surname", "family name")
NOTE_HEADERS = ("note", "notes", "comment", "comments")


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    note: str


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class RosterFile:
    """What a roster file holds, read and checked but not yet stored."""

    encoding: str
    columns: list[str]
    name_column: str
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    repeated: list[RosterRow] = field(default_factory=list)  # a name already given higher up in the file


class Placement(Enum):
    """Where a line of the file stands, and so what importing it would do."""

    ON_ROSTER = "on-roster"
    NEW = "new"
    BACK = "back"  # someone who had left the group, put back on its roster
    REPEATED = "repeated"  # a name already given higher up in the file
    PROBLEM = "problem"

    @property
    def text(self) -> str:
        """What the preview calls it."""
        return PLACEMENT_TEXT[self]

    @property
    def adds(self) -> bool:
        return self in (Placement.NEW, Placement.BACK)


PLACEMENT_TEXT = {
    Placement.ON_ROSTER: "already on the roster",
    Placement.NEW: "new",
    Placement.BACK: "back on the roster",
    Placement.REPEATED: "repeated in the file",
    Placement.PROBLEM: "problem",
}


@dataclass(frozen=True)
class PreviewRow:
    """One line of the file, and what importing would do with it."""

    line: int
    name: str
    note: str
    placement: Placement
    detail: str = ""  # the problem, or when the person left

    @property
    def outcome(self) -> str:
        """What the preview shows for the line."""
        if self.placement is Placement.PROBLEM:
            return f"{self.placement.text}: {self.detail}"
        return f"{self.placement.text} ({self.detail})" if self.detail else self.placement.text

    @property
    def will_add(self) -> bool:
        return self.placement.adds


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    back: list[str]  # people who had left the group, put back on its roster
    already_on_roster: list[str]


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


def read_roster_file(path: Path, *, name_column: str | None = None) -> RosterFile:
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
    return read_roster(data, name_column=name_column)


def read_roster(data: bytes, *, name_column: str | None = None) -> RosterFile:
    """Parse roster CSV bytes. Raises InvalidInput when the file as a whole is unusable."""
    text, encoding = decode_csv_bytes(data)
    numbered, delimiter = _records(text)
    columns, mapping, body = _columns(numbered, delimiter, name_column)
    roster = RosterFile(encoding=encoding, columns=columns, name_column=mapping.describe(columns))
    _read_rows(roster, mapping, body)
    return roster


def _records(text: str) -> tuple[Numbered, str]:
    """The file's records and the delimiter between their cells."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput(f"Line {line} holds a NUL byte; this does not look like a CSV file.")
    delimiter = _delimiter(text)
    first_line = 1
    excel_hint = EXCEL_SEPARATOR.match(text)
    if excel_hint:  # Excel's "sep=;" first line names the separator; it is not a row
        delimiter, text, first_line = excel_hint["separator"], text[excel_hint.end() :], 2
    numbered: Numbered = []
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


def _columns(numbered: Numbered, delimiter: str, name_column: str | None) -> tuple[list[str], _Mapping, Numbered]:
    """The columns, where the names and notes are among them, and the records of people."""
    header_line, header = numbered[0]
    columns = [cell.strip() for cell in header]
    mapping = _map_columns(columns, name_column)
    body = numbered[1:]
    if len([c for c in columns if c]) == 1 and (mapping is None or mapping.name == 0) and name_column is None:
        # One column is a plain list of names, commas and all ("Smith, Ann" is one person).
        if mapping is None and "name" not in name_key(columns[0]):  # "Member name" is a heading
            body = numbered
            columns = ["(names)"]
        mapping = _Mapping(0, None, None, whole_line=delimiter)
    elif mapping is None:
        shown = ", ".join(f"“{c}”" for c in columns if c) or "none"
        asked = f"no column called “{name_column}”" if name_column else "no column of names"
        raise InvalidInput(f"Line {header_line} has {asked} (columns: {shown}); name the column with --name-column.")
    return columns, mapping, body


def _read_rows(roster: RosterFile, mapping: _Mapping, body: Numbered) -> None:
    """Each record into `roster`: a person, a repeat of one, or a problem to show."""
    columns = roster.columns
    seen: dict[str, RosterRow] = {}
    for line, record in body:
        if mapping.whole_line is None and any(cell.strip() for cell in record[len(columns) :]):
            roster.problems.append(
                RosterProblem(
                    line,
                    f"it has more cells than the {len(columns)} columns of the header; "
                    "a name or note holding a comma needs quotes around it",
                )
            )
            continue
        try:
            name = clean_name(mapping.name_of(record), "the name", DISPLAY_NAME_MAX)
            note = clean_note(mapping.note_of(record), "the note")
        except InvalidInput as exc:
            roster.problems.append(RosterProblem(line, str(exc)))
            continue
        if not any(char.isalnum() for char in name):
            roster.problems.append(RosterProblem(line, f"“{name}” has no letters in it; it is not a name"))
            continue
        row = RosterRow(line, name, note)
        if name_key(name) in seen:
            roster.repeated.append(row)
        else:
            seen[name_key(name)] = row
            roster.rows.append(row)


def preview_import(session: Session, group_id: int, roster: RosterFile) -> list[PreviewRow]:
    """Every line of the file with what importing it would do, in file order; stores nothing."""
    rows = []
    for row, placement, person in _placed(session, group_id, roster):
        left = f"left {medium_date(person.left_on)}" if person is not None and person.left_on else ""
        rows.append(PreviewRow(row.line, row.name, row.note, placement, left))
    rows += [PreviewRow(row.line, row.name, row.note, Placement.REPEATED) for row in roster.repeated]
    rows += [PreviewRow(problem.line, "", "", Placement.PROBLEM, problem.message) for problem in roster.problems]
    return sorted(rows, key=lambda row: row.line)


def import_roster(session: Session, group_id: int, roster: RosterFile) -> ImportResult:
    """Add the file's new names to the group, and put back anyone named who had left it (their
    records and note as they were). Nothing is stored if the file has any problem."""
    if roster.problems:
        raise InvalidInput(
            f"The file has {len(roster.problems)} problem(s); nothing was imported. First: {roster.problems[0]}."
        )
    placed = _placed(session, group_id, roster)
    new = [row for row, placement, _ in placed if placement is Placement.NEW]
    back = [person for _, placement, person in placed if placement is Placement.BACK and person is not None]
    add_participants(session, group_id, [(row.name, row.note or None) for row in new])
    for person in back:
        add_to_group(session, person.id, group_id)
    already = [row.name for row, placement, _ in placed if placement is Placement.ON_ROSTER]
    return ImportResult([row.name for row in new], [person.display_name for person in back], already)


def _placed(
    session: Session, group_id: int, roster: RosterFile
) -> list[tuple[RosterRow, Placement, ParticipantInfo | None]]:
    """Each name of the file with where it stands: on the roster, new, or back, with the person
    who had left the group under that name (of two, the one who left last)."""
    existing = current_member_keys(session, group_id)
    former = sorted(list_participants(session, group_id, former=True), key=lambda person: person.left_on or date.min)
    left = {name_key(person.display_name): person for person in former}
    placed: list[tuple[RosterRow, Placement, ParticipantInfo | None]] = []
    for row in roster.rows:
        key = name_key(row.name)
        if key in existing:
            placed.append((row, Placement.ON_ROSTER, None))
        elif key in left:
            placed.append((row, Placement.BACK, left[key]))
        else:
            placed.append((row, Placement.NEW, None))
    return placed


EXCEL_SEPARATOR = re.compile(r"sep=(?P<separator>[,;\t|])[ \t]*\r?\n")


def _delimiter(text: str) -> str:
    """The separator spreadsheets used: whichever of comma, semicolon (European locales) or tab
    the header line holds most of; a comma when it holds none (a one-column list)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {candidate: header.count(candidate) for candidate in CANDIDATE_DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


@dataclass(frozen=True)
class _Mapping:
    name: int
    last_name: int | None
    note: int | None
    whole_line: str | None = None  # the delimiter, when each whole line is one name

    def name_of(self, record: list[str]) -> str:
        if self.whole_line is not None:
            return self.whole_line.join(record)
        first = _cell(record, self.name)
        return f"{first} {_cell(record, self.last_name)}" if self.last_name is not None else first

    def note_of(self, record: list[str]) -> str:
        return _cell(record, self.note) if self.note is not None else ""

    def describe(self, columns: list[str]) -> str:
        if self.last_name is not None:
            return f"{columns[self.name]} + {columns[self.last_name]}"
        return columns[self.name]


def _map_columns(columns: list[str], name_column: str | None) -> _Mapping | None:
    keys = [name_key(column.replace("_", " ")) for column in columns]

    def find(candidates: tuple[str, ...]) -> int | None:
        return next((keys.index(c) for c in candidates if c in keys), None)

    note = find(NOTE_HEADERS)
    if name_column is not None:
        chosen = find((name_key(name_column.replace("_", " ")),))
        return None if chosen is None else _Mapping(chosen, None, note)
    name = find(NAME_HEADERS)
    if name is not None:
        return _Mapping(name, None, note)
    first = find(FIRST_NAME_HEADERS)
    if first is not None:
        return _Mapping(first, find(LAST_NAME_HEADERS), note)
    return None


def _cell(record: list[str], index: int | None) -> str:
    return record[index] if index is not None and index < len(record) else ""
