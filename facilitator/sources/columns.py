"""Which of a table's columns hold people's names (and notes), from the headers' words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from facilitator.errors import InvalidInput
from facilitator.sources import Record, Table
from facilitator.text import name_key

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
class NameRule:
    """Where a record's name and note are."""

    name: int
    last_name: int | None
    note: int | None
    whole_line: str | None = None  # the delimiter, when each whole line is one name
    header_is_a_name: bool = False  # a bare list of names: its first line is a person, not a heading
    guessed: bool = False  # no heading was recognised; the column was chosen by what its cells look like

    def name_of(self, record: list[str]) -> str:
        if self.whole_line is not None:
            return self.whole_line.join(record)
        first = _cell(record, self.name)
        return f"{first} {_cell(record, self.last_name)}" if self.last_name is not None else first

    def note_of(self, record: list[str]) -> str:
        return _cell(record, self.note) if self.note is not None else ""

    def describe(self, columns: list[str]) -> str:
        """The column or columns the names come from, as the preview names them."""
        if self.header_is_a_name:
            return "(names)"
        if self.last_name is not None:
            return f"{columns[self.name]} + {columns[self.last_name]}"
        return columns[self.name]


def name_rule(table: Table, name_column: str | None = None) -> tuple[NameRule, Iterator[Record]]:
    """Where `table`'s names are (in `name_column` when given), and the records of people."""
    columns = table.columns
    rule = _map_columns(columns, name_column)
    records = table.records()
    if len([c for c in columns if c]) == 1 and (rule is None or rule.name == 0) and name_column is None:
        # One column is a plain list of names, commas and all ("Smith, Ann" is one person).
        bare = rule is None and "name" not in name_key(columns[0])  # "Member name" is a heading
        if bare:
            records = _with_header(table)
        rule = NameRule(0, None, None, whole_line=table.delimiter or ",", header_is_a_name=bare)
    elif rule is None:
        shown = ", ".join(f"“{c}”" for c in columns if c) or "none"
        asked = f"no column called “{name_column}”" if name_column else "no column of names"
        raise InvalidInput(
            f"Line {table.header[0]} has {asked} (columns: {shown}); name the column with --name-column."
        )
    return rule, records


def _with_header(table: Table) -> Iterator[Record]:
    yield table.header
    yield from table.records()


def _map_columns(columns: list[str], name_column: str | None) -> NameRule | None:
    keys = [name_key(column.replace("_", " ")) for column in columns]

    def find(candidates: tuple[str, ...]) -> int | None:
        return next((keys.index(c) for c in candidates if c in keys), None)

    note = find(NOTE_HEADERS)
    if name_column is not None:
        chosen = find((name_key(name_column.replace("_", " ")),))
        return None if chosen is None else NameRule(chosen, None, note)
    name = find(NAME_HEADERS)
    if name is not None:
        return NameRule(name, None, note)
    first = find(FIRST_NAME_HEADERS)
    if first is not None:
        return NameRule(first, find(LAST_NAME_HEADERS), note)
    return None


def _cell(record: list[str], index: int | None) -> str:
    return record[index] if index is not None and index < len(record) else ""
