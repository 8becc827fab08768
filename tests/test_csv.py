"""Roster CSV import (encodings, headers, duplicates, bad rows) and spreadsheet-safe exports."""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.errors import InvalidInput
from facilitator.rules.attendance import check_in
from facilitator.rules.exports import attendance_csv, neutralise, roster_csv, write_export
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant, list_participants
from facilitator.rules.roster_import import import_roster, read_roster
from facilitator.sources import table_from_bytes
from facilitator.sources.columns import name_rule
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus
from tests.conftest import HOSTILE_NAME

NAMES = ["Zoë", "Łukasz", "Мария", "Nguyễn", "José"]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (lambda text: text.encode("utf-8"), "UTF-8"),
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8"),
        (lambda text: text.encode("utf-16"), "UTF-16"),
        (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "UTF-16"),
        (lambda text: text.encode("utf-16-le"), "UTF-16"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-be-bom", "utf16-no-bom"],
)
def test_unicode_rosters_are_read_in_every_common_encoding(encoded, encoding: str) -> None:
    roster = read_roster(encoded("Name,Notes\r\n" + "\r\n".join(f"{n},note" for n in NAMES) + "\r\n"))
    assert roster.encoding == encoding
    assert [row.name for row in roster.rows] == NAMES
    assert roster.problems == []


def test_a_windows_1252_roster_from_a_spreadsheet() -> None:
    roster = read_roster("Name;Comment\r\nJosé;café ☕\r\nZoë;\r\n".replace("☕", "").encode("cp1252"))
    assert roster.encoding == "Windows-1252"
    assert [(row.name, row.note) for row in roster.rows] == [("José", "café"), ("Zoë", "")]


def test_first_and_last_name_columns_are_joined() -> None:
    roster = read_roster(b"First Name,Last Name,Phone\nAnn,Lee,555\nBo,,556\n")
    assert roster.name_column == "First Name + Last Name"
    assert [row.name for row in roster.rows] == ["Ann Lee", "Bo"]


def test_a_bare_list_of_names_needs_no_header() -> None:
    roster = read_roster(b"Ann\nBo\n\nCy\n")
    assert [row.name for row in roster.rows] == ["Ann", "Bo", "Cy"]


def test_the_name_column_can_be_named() -> None:
    roster = read_roster(b"ID,Who\n1,Ann\n2,Bo\n", name_column="who")
    assert [row.name for row in roster.rows] == ["Ann", "Bo"]
    with pytest.raises(InvalidInput, match="no column called “Name”"):
        read_roster(b"ID,Who\n1,Ann\n", name_column="Name")


def test_no_recognisable_name_column_lists_the_columns() -> None:
    with pytest.raises(InvalidInput, match="columns: “ID”, “Phone”.*--name-column"):
        read_roster(b"ID,Phone\n1,555\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\r\n \r\n", "empty"), (b"Name\nAnn\nB\x00o\n", "Line 3 holds a NUL byte")],
)
def test_unusable_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_roster(data)


def test_bad_rows_are_named_by_line_and_block_the_import(db: Database) -> None:
    roster = read_roster(
        b'Name,Note\nAnn,ok\n"Bo\nBob",two lines\n,no name\n' + b"Cy\x1b[2J,escape\n" + b"D" * 100 + b",long\n"
    )
    assert [str(p) for p in roster.problems] == [
        "line 6: The name contains a control character (U+001B), which cannot be stored.",
        "line 7: The name is 100 characters long; at most 80 fit.",
    ]
    assert [str(p) for p in roster.skipped] == ["line 5: no name (only a note)"]
    assert [row.name for row in roster.rows] == ["Ann", "Bo Bob"]
    with db.begin() as session:
        group = create_group(session, "Tuesday")
    with pytest.raises(InvalidInput, match="2 problem"), db.begin() as session:
        import_roster(session, group.id, roster)
    with db.begin() as session:
        assert list_participants(session, group.id) == []


def test_duplicates_are_reported_and_never_doubled(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        add_participant(session, group.id, "Ann")
    roster = read_roster(b"Name\nann\nBo\nBO \nCy\n")
    assert [(row.name, row.line) for row in roster.repeated] == [("BO", 4)]
    with db.begin() as session:
        result = import_roster(session, group.id, roster)
    assert (result.added, result.already_on_roster) == (["Bo", "Cy"], ["ann"])
    with db.begin() as session:
        assert [p.display_name for p in list_participants(session, group.id)] == ["Ann", "Bo", "Cy"]


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HOSTILE_NAME.replace("<b>", "=")])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_ordinary_cells_are_left_as_they_are() -> None:
    assert [neutralise(c) for c in ("Ann", HOSTILE_NAME, 3, "")] == ["Ann", HOSTILE_NAME, 3, ""]


def test_roster_export_is_spreadsheet_safe(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        add_participant(session, group.id, '=HYPERLINK("x")', note="+44 7700 900123")
        add_participant(session, group.id, "Zoë")
        export = roster_csv(session, group.id)
    data = export.data
    assert export.rows == 2
    assert data.startswith(codecs.BOM_UTF8)
    rows = _rows(data)
    assert rows[0] == ["Name", "Note", "Joined", "Meetings attended", "Last seen"]
    assert [row[:2] for row in rows[1:]] == [['\'=HYPERLINK("x")', "'+44 7700 900123"], ["Zoë", ""]]


def test_attendance_export_shows_who_was_absent(db: Database) -> None:
    evening = datetime(2026, 3, 3, 19, 0).astimezone()
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann", joined_on=date(2026, 1, 1))
        add_participant(session, group.id, "Bo", joined_on=date(2026, 1, 1))
        cy = add_participant(session, group.id, "Cy", joined_on=date(2026, 1, 1))
        add_participant(session, group.id, "Later", joined_on=date(2026, 6, 1))
        meeting = open_meeting(session, group.id, now=evening)
        check_in(session, meeting.id, ann.id, status=AttendanceStatus.LATE, now=evening + timedelta(minutes=15))
        check_in(session, meeting.id, cy.id, status=AttendanceStatus.EXCUSED, now=evening + timedelta(minutes=5))
        close_meeting(session, meeting.id, now=evening + timedelta(hours=1))
        data = attendance_csv(session, group.id, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)).data
        empty = attendance_csv(session, group.id, date_from=date(2026, 4, 1))
    assert _rows(data) == [
        ["Date", "Start", "Meeting", "Topic", "Participant", "Status", "Marked at"],
        ["2026-03-03", "19:00", str(meeting.id), "", "Ann", "late", "19:15"],
        ["2026-03-03", "19:00", str(meeting.id), "", "Bo", "absent", ""],
        ["2026-03-03", "19:00", str(meeting.id), "", "Cy", "sent word", "19:05"],  # the group's word; when marked
    ]
    assert (empty.rows, len(_rows(empty.data))) == (0, 1)


def test_exports_are_private_and_never_half_written(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_export(target, b"Name\r\nAnn\r\n")
    assert target.read_bytes() == b"Name\r\nAnn\r\n"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileNotFoundError):
        write_export(tmp_path / "missing" / "out.csv", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize("data", [b",,,\n,,\n", b'"",""\n', b";;\r\n"])
def test_a_file_of_empty_cells_is_empty(data: bytes) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        read_roster(data)


def test_a_one_column_list_keeps_commas_in_names() -> None:
    with_header = read_roster(b"Members\nSmith, Ann\nSmith, Bob\nO'Neil, Jr\n")
    assert [row.name for row in with_header.rows] == ["Smith, Ann", "Smith, Bob", "O'Neil, Jr"]
    # Without a header, "Smith, Ann" looks like two columns of names: the first is proposed, and
    # the preview says it was guessed so that the user can choose.
    rule, records = name_rule(table_from_bytes(b"Smith, Ann\nLee, Bo\n"))
    assert (rule.guessed, rule.header_is_a_name) == (True, True)
    assert [rule.name_of(cells) for _, cells in records] == ["Smith", "Lee"]


def test_a_row_with_more_cells_than_the_header_is_a_problem() -> None:
    roster = read_roster(b"Name,Note\nAnn,likes tea\nSmith, Bob, new\n")
    assert [str(p) for p in roster.problems] == [
        "line 3: it has more cells than the 2 columns of the header; "
        "a name or note holding a comma needs quotes around it"
    ]


def test_line_breaks_inside_a_quoted_note_are_kept() -> None:
    roster = read_roster(b'Name,Note\r\nAnn,"first line\r\nsecond line"\r\nBo,\r\n')
    assert roster.problems == []
    assert [(row.name, row.note, row.line) for row in roster.rows] == [
        ("Ann", "first line\nsecond line", 2),
        ("Bo", "", 4),
    ]


def test_a_large_roster_imports_in_one_go(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Big Group")
    roster = read_roster(("Name\n" + "\n".join(f"Person {n}" for n in range(3000))).encode())
    with db.begin() as session:
        assert len(import_roster(session, group.id, roster).added) == 3000
    with db.begin() as session:
        assert len(list_participants(session, group.id)) == 3000
