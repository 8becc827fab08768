"""Reading a roster from the lists facilitators keep (CSV files, contacts exports, vCards,
workbooks), and adding it to a group.

Reading is separate from writing so that a preview can show everything before anything is
stored, and an import with any error stores nothing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.dates import medium_date
from facilitator.errors import InvalidInput
from facilitator.rules.exports import unneutralise
from facilitator.rules.participants import (
    ParticipantInfo,
    add_checked_people,
    add_to_group,
    current_member_keys,
    former_members,
)
from facilitator.sources import Record, Table, open_table, table_from_bytes
from facilitator.sources.columns import NameRule, name_rule
from facilitator.storage.models import DISPLAY_NAME_MAX
from facilitator.text import clean_name, clean_note, invisible_left_out, name_key, names_alike


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    name: str
    note: str
    key: str  # the name under the one rule for names (`name_key`), worked out once
    left_out: str = ""  # what `clean_name` left out of the name as read, in words (`invisible_left_out`)


@dataclass(frozen=True, slots=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class RosterFile:
    """What a roster file holds, read and checked but not yet stored."""

    kind: str  # "CSV file", "vCard file", "Excel workbook", ...
    encoding: str
    columns: list[str]
    name_column: str
    doubt: str = ""  # what the reader was unsure of (the encoding), to show and ask
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets, and the one read
    sheet: str = ""
    guessed: bool = False  # no heading named the names: the column was chosen by what it holds
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    repeated: list[RosterRow] = field(default_factory=list)  # a name already given higher up in the file
    skipped: list[RosterProblem] = field(default_factory=list)  # records with no name, and what they held

    @property
    def lines(self) -> int:
        """The records read: people, repeats, records with no name and problems."""
        return len(self.rows) + len(self.repeated) + len(self.skipped) + len(self.problems)


class Placement(Enum):
    """Where a line of the file stands, and so what importing it would do."""

    ON_ROSTER = "on-roster"
    NEW = "new"
    BACK = "back"  # someone who had left the group, put back on its roster
    CLOSE = "close"  # a new name close to someone on the roster: added only when the user says so
    REPEATED = "repeated"  # a name already given higher up in the file
    SKIPPED = "skipped"  # a record with no name (a contact that is only an e-mail address)
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
    Placement.CLOSE: "close to someone on the roster",
    Placement.REPEATED: "repeated in the file",
    Placement.SKIPPED: "skipped",
    Placement.PROBLEM: "problem",
}
PROGRESS_EVERY = 1000  # records read between two calls of `progress`
# A roster file's records, at most: far above any group's (100,000 import in seconds), and what
# bounds the memory of a file of short lines, which the size limit of 64 MB lets through by millions.
MAX_LINES = 150_000
COMPANY_WORDS = ("organi", "company", "firma", "empresa", "entreprise", "societe", "azienda", "bedrijf", "unternehmen")
PHONE = re.compile(r"[+(]?[0-9][0-9 ()./-]{4,}")
DATE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")  # Outlook's empty birthday, "0/0/00", too


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One line of the file, and what importing would do with it."""

    line: int
    name: str
    note: str
    placement: Placement
    detail: str = ""  # the problem, what a record with no name held, who a name is close to, when the person left
    left_out: str = ""  # the invisible characters left out of the name, in words

    @property
    def outcome(self) -> str:
        """What the preview shows for the line."""
        if self.placement in (Placement.PROBLEM, Placement.SKIPPED):
            return f"{self.placement.text}: {self.detail}"
        if self.placement is Placement.CLOSE:
            outcome = self.detail
        else:
            outcome = f"{self.placement.text} ({self.detail})" if self.detail else self.placement.text
        return f"{outcome} — {self.left_out}" if self.left_out else outcome

    @property
    def will_add(self) -> bool:
        return self.placement.adds


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    back: list[str]  # people who had left the group, put back on its roster
    already_on_roster: list[str]
    close: list[PreviewRow] = field(default_factory=list)  # lines close to someone on the roster, left out
    left_out: list[int] = field(default_factory=list)  # the lines with a problem, when the good rows were imported


Progress = Callable[[int], object]


def read_roster_file(
    path: Path,
    *,
    name_column: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> RosterFile:
    """Read a roster file of any kind (`open_table`), a record at a time: `progress` is told now
    and then how many records were read (it may raise to stop the reading). Opens no transaction:
    the records are not locked while a big file is read."""
    return _read(open_table(path, encoding=_known(encoding), sheet=sheet), name_column, progress)


def read_roster(
    data: bytes, *, name_column: str | None = None, encoding: str | None = None, sheet: str | None = None
) -> RosterFile:
    """Read roster bytes. Raises InvalidInput when the file as a whole is unusable."""
    return _read(table_from_bytes(data, encoding=_known(encoding), sheet=sheet), name_column, None)


def _known(encoding: str | None) -> str | None:
    """The user's name for an encoding, refused plainly when it names none."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(
                f"“{encoding}” is not an encoding Facilitator knows; try UTF-8, Windows-1252 or ISO-8859-1."
            ) from None
    return encoding


def _read(table: Table, name_column: str | None, progress: Progress | None) -> RosterFile:
    rule, records = name_rule(table, name_column)
    columns = rule.headings(table.columns)
    roster = RosterFile(
        kind=table.kind,
        encoding=table.encoding,
        columns=columns,
        name_column=rule.describe(columns),
        doubt=table.doubt,
        sheets=table.sheets,
        sheet=table.sheet,
        guessed=rule.guessed,
    )
    _read_rows(roster, rule, records, table.problems, progress)
    return roster


def _read_rows(
    roster: RosterFile,
    rule: NameRule,
    records: Iterator[Record],
    unread: dict[int, str],
    progress: Progress | None,
) -> None:
    """Each record into `roster`: a person, a repeat of one, a record with no name, or a problem."""
    columns = roster.columns
    seen: set[str] = set()
    for count, (line, record) in enumerate(records, 1):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if count > MAX_LINES:
            raise InvalidInput(
                f"The file has more than {MAX_LINES:,} lines; a roster file can hold at most {MAX_LINES:,}. "
                "Split it into smaller files, or keep only this group's people in it."
            )
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
        given = rule.name_of(record)
        if not given.strip():
            held = _what_it_held(columns, record, rule.note_of(record).strip())
            roster.skipped.append(RosterProblem(line, f"no name (only {held})"))
            continue
        try:
            given = unneutralise(given)
            name = clean_name(given, "the name", DISPLAY_NAME_MAX)
            note = clean_note(unneutralise(rule.note_of(record)), "the note")
        except InvalidInput as exc:
            roster.problems.append(RosterProblem(line, str(exc)))
            continue
        if not any(char.isalnum() for char in name):
            roster.problems.append(RosterProblem(line, f"“{name}” has no letters in it; it is not a name"))
            continue
        row = RosterRow(line, name, note, name_key(name), invisible_left_out(given, "the name"))
        if row.key in seen:
            roster.repeated.append(row)
        else:
            seen.add(row.key)
            roster.rows.append(row)
    if progress is not None:
        progress(roster.lines)


def _what_it_held(columns: list[str], record: list[str], note: str) -> str:
    """A record with no name, in a few words: "an e-mail address", "a company", or its columns."""
    kinds: list[str] = []
    others: list[str] = []
    for column, cell in zip(columns, record, strict=False):
        cell = cell.strip()
        if not cell:
            continue
        if cell == note:
            kind = "a note"
        elif "@" in cell and " " not in cell:
            kind = "an e-mail address"
        elif any(word in name_key(column) for word in COMPANY_WORDS):
            kind = "a company"
        elif PHONE.fullmatch(cell) and not DATE.fullmatch(cell):
            kind = "a phone number"
        else:
            others.append(f"“{column}”" if column else "a cell")
            continue
        if kind not in kinds:
            kinds.append(kind)
    shown = kinds or others[:3] or ["empty cells"]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


@dataclass(frozen=True)
class RosterStanding:
    """What a group's roster holds that a file's names are placed against, read in one short
    transaction: placing a big file's names then holds no lock on the records."""

    current: dict[str, str]  # name key → name, of everyone on the roster now
    former: dict[str, ParticipantInfo]  # by name key, those who have left (of two, the one who left last)


def roster_standing(session: Session, group_id: int) -> RosterStanding:
    former = sorted(former_members(session, group_id), key=lambda person: person.left_on or date.min)
    return RosterStanding(
        current_member_keys(session, group_id), {name_key(person.display_name): person for person in former}
    )


def preview_import(session: Session, group_id: int, roster: RosterFile) -> list[PreviewRow]:
    """Every line of the file with what importing it would do, in file order; stores nothing."""
    return preview_rows(roster_standing(session, group_id), roster)


def preview_rows(standing: RosterStanding, roster: RosterFile) -> list[PreviewRow]:
    """`preview_import` on a roster's standing read beforehand; needs no transaction."""
    rows = []
    for row, placement, detail in _placed(standing, roster):
        rows.append(PreviewRow(row.line, row.name, row.note, placement, detail, row.left_out))
    rows += [PreviewRow(row.line, row.name, row.note, Placement.REPEATED, "", row.left_out) for row in roster.repeated]
    rows += [PreviewRow(each.line, "", "", Placement.SKIPPED, each.message) for each in roster.skipped]
    rows += [PreviewRow(problem.line, "", "", Placement.PROBLEM, problem.message) for problem in roster.problems]
    rows.sort(key=lambda row: row.line)
    return rows


def import_roster(
    session: Session, group_id: int, roster: RosterFile, *, skip_bad_rows: bool = False, add_close: bool = False
) -> ImportResult:
    """Add the file's new names to the group, and put back anyone named who had left it (their
    records and note as they were); names close to someone on the roster only with `add_close`.
    A file with any problem stores nothing, unless `skip_bad_rows` says to import the other lines.
    All of it or nothing: the caller's transaction holds it."""
    if roster.problems and not skip_bad_rows:
        raise InvalidInput(
            f"The file has {len(roster.problems)} problem(s); nothing was imported. First: {roster.problems[0]}."
        )
    standing = roster_standing(session, group_id)
    placed = _placed(standing, roster)
    adding = (Placement.NEW, Placement.CLOSE) if add_close else (Placement.NEW,)
    new = [row for row, placement, _ in placed if placement in adding]
    back = [row for row, placement, _ in placed if placement is Placement.BACK]
    add_checked_people(session, group_id, [(row.name, row.note or None) for row in new])
    left = standing.former
    for row in back:
        add_to_group(session, left[row.key].id, group_id)
    return ImportResult(
        added=[row.name for row in new],
        back=[left[row.key].display_name for row in back],
        already_on_roster=[row.name for row, placement, _ in placed if placement is Placement.ON_ROSTER],
        close=[
            PreviewRow(row.line, row.name, row.note, placement, detail)
            for row, placement, detail in placed
            if placement is Placement.CLOSE and not add_close
        ],
        left_out=[problem.line for problem in roster.problems],
    )


def _placed(standing: RosterStanding, roster: RosterFile) -> list[tuple[RosterRow, Placement, str]]:
    """Each name of the file with where it stands (on the roster, back, close to someone on it,
    or new) and the preview's detail: when the person left, or who the name is close to."""
    members = _Candidates(standing.current)
    placed: list[tuple[RosterRow, Placement, str]] = []
    for row in roster.rows:
        if row.key in standing.current:
            placed.append((row, Placement.ON_ROSTER, ""))
        elif row.key in standing.former:
            person = standing.former[row.key]
            placed.append((row, Placement.BACK, f"left {medium_date(person.left_on)}" if person.left_on else ""))
        elif alike := [name for name in members.for_key(row.key) if names_alike(row.name, name)]:
            placed.append((row, Placement.CLOSE, f"close to {' or '.join(f'“{m}”' for m in alike)} on the roster"))
        else:
            placed.append((row, Placement.NEW, ""))
    return placed


class _Candidates:
    """The roster's names indexed by what any two names alike (`names_alike`) have in common:
    each word of the new one starts a word of the other (a search finds it), or they differ by
    one letter at most (added, missing or changed), and so agree in their first half or in their
    last. A hundred thousand new names beside a roster of forty are four million pairs: a few
    look-ups for each new name find the few that are put to `names_alike` itself."""

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names  # key → name
        self._by_initial: dict[str, set[str]] = {}
        self._by_half: dict[tuple[int, str, str], set[str]] = {}
        for key in names:
            for word in key.split():
                self._by_initial.setdefault(word[0], set()).add(key)
            # Against a name one letter longer or shorter, the shorter of the two sets the halves.
            for shorter in {len(key) - 1, len(key)}:
                for half in self._halves(key, shorter):
                    self._by_half.setdefault((len(key), *half), set()).add(key)

    @staticmethod
    def _halves(key: str, shorter: int) -> tuple[tuple[str, str], tuple[str, str]]:
        first = shorter // 2
        return ("start", key[:first]), ("end", key[len(key) - (shorter - first) :])

    def for_key(self, key: str) -> list[str]:
        """The names on the roster that `key`'s name may be alike, by name."""
        words = key.split()
        found = set.intersection(*(self._by_initial.get(word[0], set()) for word in words)) if words else set()
        found = {other for other in found if all(any(o.startswith(w) for o in other.split()) for w in words)}
        for length in (len(key) - 1, len(key), len(key) + 1):
            for half in self._halves(key, min(length, len(key))):
                found |= self._by_half.get((length, *half), set())
        return [self._names[other] for other in sorted(found)]
