"""Reading a roster from a CSV file as spreadsheets save them, and adding it to a group.

Reading is separate from writing so that a preview can show everything before anything is
stored, and an import with any error stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from facilitator.sources import Record, Table, open_table, table_from_bytes
from facilitator.sources.columns import NameRule, name_rule
from facilitator.storage.models import DISPLAY_NAME_MAX
from facilitator.text import clean_name, clean_note, name_key


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


def read_roster_file(path: Path, *, name_column: str | None = None) -> RosterFile:
    return _read(open_table(path), name_column)


def read_roster(data: bytes, *, name_column: str | None = None) -> RosterFile:
    """Read roster bytes. Raises InvalidInput when the file as a whole is unusable."""
    return _read(table_from_bytes(data), name_column)


def _read(table: Table, name_column: str | None) -> RosterFile:
    rule, records = name_rule(table, name_column)
    columns = rule.headings(table.columns)
    roster = RosterFile(encoding=table.encoding, columns=columns, name_column=rule.describe(columns))
    _read_rows(roster, rule, records, table.problems)
    return roster


def _read_rows(roster: RosterFile, rule: NameRule, records: Iterator[Record], unread: dict[int, str]) -> None:
    """Each record into `roster`: a person, a repeat of one, or a problem to show."""
    columns = roster.columns
    seen: dict[str, RosterRow] = {}
    for line, record in records:
        if line in unread:  # filled by the reader as the records are read
            roster.problems.append(RosterProblem(line, unread[line]))
            continue
        if rule.whole_line is None and any(cell.strip() for cell in record[len(columns) :]):
            roster.problems.append(
                RosterProblem(
                    line,
                    f"it has more cells than the {len(columns)} columns of the header; "
                    "a name or note holding a comma needs quotes around it",
                )
            )
            continue
        try:
            name = clean_name(rule.name_of(record), "the name", DISPLAY_NAME_MAX)
            note = clean_note(rule.note_of(record), "the note")
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
