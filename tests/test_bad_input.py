"""The bad-input corpus: odd roster files, unusual names, malformed guide files, impossible dates
and every command-line argument wrong in each way.

Each case ends in a clear refusal (exit 1 and one plain line on stderr, or exit 2 and the usage
for a malformed command line) with the records exactly as they were, or in the correct result
where the input is acceptable after all. None ends in a traceback or a half-done change.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import shutil
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import archive_group, create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import AttendanceStatus
from tests.conftest import HOSTILE_NAME, CliResult

FIXTURES = Path(__file__).with_name("fixtures") / "bad_input"
GROUP = "Tuesday Circle"
CLOSED, OPEN = "1", "2"  # the seeded meetings: last week's, closed, and tonight's, open
ROSTER = ["Ann Lee", "Bo", "Zoë"]

Tables = dict[str, list[tuple[object, ...]]]


# ---- the records every case starts from, and how a case is judged ---------------------------


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A group with three members, a closed meeting (Ann present, Bo late) and an open one, both
    on a topic guide, and an archived group: made once, copied for every case."""
    location = DataLocation.resolve(tmp_path_factory.mktemp("seed") / "data")
    db = open_records(location)
    last_week = datetime(2026, 3, 3, 18, 30, tzinfo=UTC)
    with db.begin() as session:
        group = create_group(session, GROUP, share_minutes=4)
        ann, bo, _zoe = (add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id for name in ROSTER)
        meeting = open_meeting(session, group.id, guide_slug="coping-strategies", now=last_week)
        check_in(session, meeting.id, ann, now=last_week)
        check_in(session, meeting.id, bo, status=AttendanceStatus.LATE, now=last_week + timedelta(minutes=20))
        close_meeting(session, meeting.id, notes="Bring leaflets.", now=last_week + timedelta(hours=1, minutes=30))
        open_meeting(session, group.id, guide_slug="coping-strategies")
        archive_group(session, create_group(session, "Old Friday Group").id)
    db.close()
    assert location.database_path is not None
    return location.database_path


def _tables(path: Path) -> Tables:
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"'), key=repr) for name in sorted(names)}
    finally:
        connection.close()


class Records:
    """The test's copy of the seeded records, and what they held before the case ran."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.before = _tables(path)

    def now(self) -> Tables:
        return _tables(self.path)

    def added(self, table: str) -> list[tuple[Any, ...]]:
        before = set(self.before[table])
        return [row for row in self.now()[table] if row not in before]

    def assert_unchanged(self) -> None:
        assert self.now() == self.before, "the records changed"


@pytest.fixture
def records(seeded_database: Path, location: DataLocation) -> Records:
    path = location.database_path
    assert path is not None
    location.data_dir.mkdir(parents=True)
    shutil.copyfile(seeded_database, path)
    return Records(path)


def assert_refused(result: CliResult, *fragments: str) -> None:
    """Exit 1 and one plain line on stderr that says what is wrong; nothing on stdout."""
    assert "Traceback" not in result.err
    assert "Something went wrong inside Facilitator" not in result.err, result.err
    assert (result.code, result.out) == (1, ""), result
    assert result.err.startswith("facilitator: ") and result.err.count("\n") == 1, result.err
    for fragment in fragments:
        assert fragment in result.err


def assert_usage_error(result: CliResult, *fragments: str) -> None:
    """A command line that does not parse: exit 2 with the usage, nothing on stdout."""
    assert "Traceback" not in result.err
    assert (result.code, result.out) == (2, ""), result
    assert result.err.startswith("usage: facilitator"), result.err
    for fragment in fragments:
        assert fragment in result.err


def _roster_names(cli: Callable[..., CliResult], group: str = GROUP) -> list[str]:
    result = cli("participants", "--group", group, "--json")
    assert result.code == 0, result
    return [person["name"] for person in json.loads(result.out)]


def _usage_id(args: list[str]) -> str:
    """A test id that shows the command line, long or unprintable values abridged."""
    shown = " ".join(
        arg if len(arg) < 20 and arg.isprintable() else f"{arg[:8]}...({len(arg)})" if arg.isprintable() else "(odd)"
        for arg in args
    )
    return shown or "(nothing)"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def _letter(participant: str = "Ann Lee", group: str = GROUP) -> list[str]:
    """`verify-letter` for this year, without its output file."""
    return [
        "verify-letter",
        "--participant",
        participant,
        "--group",
        group,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--signed-by",
        "Sam Rivera",
    ]


# ---- roster files -----------------------------------------------------------------------


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


UNREADABLE_ROSTERS = [
    ("an empty file", b"", "The file is empty: there is no roster in it."),
    ("only blank lines", b"\r\n   \r\n\t\r\n", "The file is empty"),
    ("only empty cells", b",,,\r\n,,\r\n", "The file is empty"),
    ("only empty cells between semicolons", b";;;\r\n;;\r\n", "The file is empty"),
    ("only empty quoted cells", b'"","",""\r\n', "The file is empty"),
    ("a byte-order mark and nothing else", codecs.BOM_UTF8, "The file is empty"),
    ("a UTF-16 byte-order mark and nothing else", codecs.BOM_UTF16_LE, "The file is empty"),
    ("a NUL byte in a name", b"Name\r\nAnn\r\nB\x00o\r\n", "Line 3 holds a NUL byte"),
    ("nothing but NUL bytes", b"\x00" * 64, "holds a NUL byte"),
    ("random bytes", _random_bytes(1, 4096), "The file is not readable text"),
    ("more random bytes", _random_bytes(2, 65536), "The file is not readable text"),
    (
        "a PNG image",
        bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"),
        "not readable",
    ),
    ("no column of names", b"ID,Phone\r\n1,555 0100\r\n", "Line 1 has no column of names (columns: “ID”, “Phone”)"),
]


@pytest.mark.parametrize(("case", "data", "message"), UNREADABLE_ROSTERS, ids=[c[0] for c in UNREADABLE_ROSTERS])
def test_an_unreadable_roster_is_refused_in_one_line_and_nothing_is_added(
    cli, records: Records, tmp_path: Path, case: str, data: bytes, message: str
) -> None:
    roster = _write(tmp_path / "roster.csv", data)
    assert_refused(cli("import-roster", str(roster), "--group", GROUP), message)
    records.assert_unchanged()


ROSTER_PATHS = [
    ("a folder", lambda tmp: tmp, "is a folder, not a file."),
    ("a file that is not there", lambda tmp: tmp / "missing.csv", "There is no file"),
    ("a file in a folder that is not there", lambda tmp: tmp / "nowhere" / "r.csv", "There is no file"),
    ("a name too long for the file system", lambda tmp: tmp / ("x" * 300 + ".csv"), "File name too long"),
    (
        "a file over 64 MB",
        lambda tmp: _sparse(tmp / "huge.csv", 64 * 1024 * 1024 + 1),
        "huge.csv is larger than 64 MB; a roster file can be at most 64 MB.",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), [pytest.param(*row, id=row[0]) for row in ROSTER_PATHS])
def test_a_roster_path_that_is_no_roster_is_refused_in_one_line(
    cli, records: Records, tmp_path: Path, case: str, make: Callable[[Path], Path], message: str
) -> None:
    assert_refused(cli("import-roster", str(make(tmp_path)), "--group", GROUP), message)
    records.assert_unchanged()


BAD_ROWS = [
    (
        "a name of 10,000 characters",
        b"Name\r\nCy\r\n" + b"A" * 10_000 + b"\r\n",
        "line 3: The name is 10000 characters",
    ),
    (
        "a name of 81 characters",
        b"Name\r\n" + b"x" * 81 + b"\r\n",
        "line 2: The name is 81 characters long; at most 80",
    ),
    (
        "an escape sequence in a name",
        b"Name\r\nCy\x1b[2J\r\n",
        "line 2: The name contains a control character (U+001B)",
    ),
    ("a bell in a name", b"Name\r\n\x07Cy\r\n", "control character (U+0007)"),
    ("a DEL in a name", b"Name\r\nCy\x7f\r\n", "control character (U+007F)"),
    ("an end-of-file mark in a name", b"Name\r\nCy\x1a\r\n", "control character (U+001A)"),
    ("a C1 control in a name", "Name\r\nCy\u009b31m\r\n".encode(), "control character (U+009B)"),
    ("a note of 10,001 characters", b"Name,Note\r\nCy," + b"n" * 10_001 + b"\r\n", "The note is 10001 characters"),
    ("a control character in a note", b"Name,Note\r\nCy,ring\x07\r\n", "The note contains a control character"),
    ("more cells than the header", b"Name,Note\r\nCy,tea\r\nSmith, Dee, new\r\n", "line 3: it has more cells than"),
    # A byte that does not fit the file's encoding spoils its line, not the whole file.
    ("a byte Windows-1252 does not have", b"Name\r\nAnn\x81Lee\r\n", "line 2: byte 4 of the line (0x81) is not"),
    ("UTF-16 cut off in a letter", "Name\nAnn\n".encode("utf-16-le")[:-1], "line 2: byte 7 of the line (0x0A) is not"),
    ("UTF-16 with a mark, cut off", "Name\nAnn\n".encode("utf-16")[:-1], "line 2: byte 7 of the line (0x0A) is not"),
]


@pytest.mark.parametrize(("case", "data", "problem"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_roster_with_a_bad_line_names_the_line_and_adds_nobody(
    cli, records: Records, tmp_path: Path, case: str, data: bytes, problem: str
) -> None:
    result = cli("import-roster", str(_write(tmp_path / "roster.csv", data)), "--group", GROUP)
    # One line per problem, then the verdict: each a plain line of its own.
    assert (result.code, result.out) == (1, "")
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert all(line.startswith("facilitator: ") for line in lines), lines
    assert lines[0].startswith("facilitator: roster.csv, line ") and problem in lines[0], lines[0]
    assert lines[-1] == (
        "facilitator: 1 problem(s) in roster.csv; nothing was imported. Add --skip-bad-rows to import the other lines."
    )
    records.assert_unchanged()


def test_fifty_thousand_rows_with_one_bad_line_at_the_end_add_nobody(cli, records: Records, tmp_path: Path) -> None:
    rows = "".join(f"Person {n:05d},note {n}\r\n" for n in range(50_000))
    roster = _write(tmp_path / "big.csv", f"Name,Notes\r\n{rows}Last\x1bOne,\r\n".encode())
    result = cli("import-roster", str(roster), "--group", GROUP)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines() == [
        "facilitator: big.csv, line 50002: The name contains a control character (U+001B), which cannot be stored.",
        "facilitator: 1 problem(s) in big.csv; nothing was imported. Add --skip-bad-rows to import the other lines.",
    ]
    records.assert_unchanged()


def test_a_roster_of_fifty_thousand_names_is_added_whole(cli, records: Records, tmp_path: Path) -> None:
    names = [f"Person {n:05d}" for n in range(50_000)]
    rows = "".join(f"{name},note {n}\r\n" for n, name in enumerate(names))
    result = cli("import-roster", str(_write(tmp_path / "big.csv", f"Name,Notes\r\n{rows}".encode())), "--group", GROUP)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("Read big.csv (UTF-8, names from “Name”): 50000 names.\nAdded 50000 to Tuesday Circle")
    added = records.added("participants")
    assert sorted(row[1] for row in added) == names
    assert len(records.added("memberships")) == 50_000


SPREADSHEET_TEXT = "Name,Notes\r\nJosé Müller,\r\nМария,prefers “Masha”\r\n"


ENCODED_ROSTERS = [
    ("UTF-8", SPREADSHEET_TEXT.encode("utf-8"), "UTF-8", ["José Müller", "Мария"]),
    (
        "UTF-8 with a byte-order mark",
        codecs.BOM_UTF8 + SPREADSHEET_TEXT.encode(),
        "UTF-8",
        ["José Müller", "Мария"],
    ),
    ("UTF-16 with a mark", SPREADSHEET_TEXT.encode("utf-16"), "UTF-16", ["José Müller", "Мария"]),
    (
        "UTF-16 big-endian with a mark",
        codecs.BOM_UTF16_BE + SPREADSHEET_TEXT.encode("utf-16-be"),
        "UTF-16",
        ["José Müller", "Мария"],
    ),
    ("UTF-16 without a mark", SPREADSHEET_TEXT.encode("utf-16-le"), "UTF-16", ["José Müller", "Мария"]),
    ("UTF-32 with a mark", SPREADSHEET_TEXT.encode("utf-32"), "UTF-32", ["José Müller", "Мария"]),
    ("UTF-16 big-endian without a mark", SPREADSHEET_TEXT.encode("utf-16-be"), "UTF-16", ["José Müller", "Мария"]),
    (
        "Windows-1252",
        "Name;Notes\r\nRenée Côté;café “au lait”\r\nŠárka Œlund;\r\n".encode("cp1252"),
        "Windows-1252",
        ["Renée Côté", "Šárka Œlund"],
    ),
    (
        "Latin-1",
        "Name\r\nÆrøskøbing Ås\r\nÑoño Ibáñez\r\n".encode("latin-1"),
        "Windows-1252",
        ["Ærøskøbing Ås", "Ñoño Ibáñez"],
    ),
    ("old Mac line ends", b"Name\rCy Okafor\rDee\r", "UTF-8", ["Cy Okafor", "Dee"]),
    ("blank lines before the header", b"\r\n\r\nName\r\nCy\r\n\r\nDee\r\n", "UTF-8", ["Cy", "Dee"]),
    ("tab-separated", b'Name\tNote\r\n"Cy\tOkafor"\tx\r\n', "UTF-8", ["Cy Okafor"]),
    ("semicolons and quotes", b'Name;Note\r\n"Smith; Ann";"a;b"\r\n', "UTF-8", ["Smith; Ann"]),
    (
        "a one-column list with commas",
        b"Members\r\nSmith, Ann\r\nO'Neil, Jr\r\n",
        "UTF-8",
        ["O'Neil, Jr", "Smith, Ann"],
    ),
]


@pytest.mark.parametrize(
    ("case", "data", "encoding", "names"), [pytest.param(*row, id=row[0]) for row in ENCODED_ROSTERS]
)
def test_a_roster_in_any_common_encoding_adds_its_names_exactly(
    cli, records: Records, tmp_path: Path, case: str, data: bytes, encoding: str, names: list[str]
) -> None:
    result = cli("import-roster", str(_write(tmp_path / "roster.csv", data)), "--group", GROUP)
    assert (result.code, result.err) == (0, "")
    assert f"Read roster.csv ({encoding}," in result.out
    assert sorted(_roster_names(cli)) == sorted(ROSTER + names)
    assert sorted(row[1] for row in records.added("participants")) == sorted(names)


def test_a_roster_of_only_its_header_adds_nobody(cli, records: Records, tmp_path: Path) -> None:
    for header in (b"Name\r\n", b"Name,Notes\r\n", codecs.BOM_UTF8 + b"First Name;Last Name\r\n"):
        result = cli("import-roster", str(_write(tmp_path / "roster.csv", header)), "--group", GROUP)
        assert (result.code, result.err) == (0, "")
        assert "): 0 names.\nAdded 0 to Tuesday Circle." in result.out
    records.assert_unchanged()


def test_quotes_and_line_breaks_inside_cells_are_read_as_a_spreadsheet_means_them(cli, records: Records) -> None:
    roster = FIXTURES / "rosters" / "quotes-and-newlines.csv"
    assert cli("import-roster", str(roster), "--group", GROUP).code == 0
    people = {p["name"]: p["note"] for p in json.loads(cli("participants", "--group", GROUP, "--json").out)}
    assert {name: people[name] for name in people if name not in ROSTER} == {
        "Smith, Ann": "Likes tea,\nand biscuits",
        'Bo "Bobby" Lee': None,
        "Cy Okafor": "a name over two lines",
        "Dee O'Neil": 'She said "hi"',
    }


def test_formula_cells_are_stored_as_typed_and_exported_as_plain_text(cli, records: Records, tmp_path: Path) -> None:
    assert cli("import-roster", str(FIXTURES / "rosters" / "formula-cells.csv"), "--group", GROUP).code == 0
    people = {p["name"]: p["note"] for p in json.loads(cli("participants", "--group", GROUP, "--json").out)}
    formulas = {
        "=cmd()": '=HYPERLINK("http://example.com")',
        "+1": "+44 7700 900123",
        "-1": "-",
        "@SUM(A1:A9)": "@home",
    }
    assert {name: people[name] for name in formulas} == formulas
    out = tmp_path / "roster-out.csv"
    assert cli("export", "roster", "--group", GROUP, "-o", str(out)).code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    exported = {row[0]: row[1] for row in rows[1:]}
    assert {"'" + name: "'" + note for name, note in formulas.items()}.items() <= exported.items()


def test_repeated_column_headers_beside_the_names_do_not_matter(cli, records: Records) -> None:
    roster = FIXTURES / "rosters" / "duplicated-headers-beside-the-names.csv"
    result = cli("import-roster", str(roster), "--group", GROUP)
    assert (result.code, result.err) == (0, "")
    assert "Added 1 to Tuesday Circle: Cy Okafor\nAlready on the roster, not doubled: Ann Lee" in result.out
    assert [row[1:3] for row in records.added("participants")] == [("Cy Okafor", "evenings only")]


# ---- names ------------------------------------------------------------------------------

UNUSUAL_NAMES = [
    ("markup", "<b>Ann</b> & Co", "<b>Ann</b> & Co"),
    ("markup and a formula", HOSTILE_NAME, HOSTILE_NAME),
    ("a script tag", "<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("Arabic, right to left", "سارة حداد", "سارة حداد"),
    ("Hebrew, right to left", "שרה כהן", "שרה כהן"),
    ("right to left with a Latin nickname", "سارة (Sara) حداد", "سارة (Sara) حداد"),
    ("an emoji", "Bo 🌻", "Bo 🌻"),
    ("an emoji family joined by zero-width joiners", "👩\u200d👩\u200d👧 Family", "👩\u200d👩\u200d👧 Family"),
    ("a flag", "🇺🇦 Olena", "🇺🇦 Olena"),
    ("a skin tone", "Dee 👋🏽", "Dee 👋🏽"),
    ("a combining diaeresis, stored composed", "Zoe\u0308 Kim", "Zoë Kim"),
    ("a Vietnamese name typed decomposed", "Nguye\u0302\u0303n", "Nguyễn"),
    ("stacked combining marks", "Z\u0334\u0321\u031ba\u0337l\u0338g\u0335o\u0336", "Z̴̡̛a̷l̸g̵o̶"),
    ("Chinese", "王小明", "王小明"),
    ("a Persian name with a zero-width non-joiner", "می\u200cخواهم", "می\u200cخواهم"),
    ("exactly 80 characters", "x" * 80, "x" * 80),
    ("80 letters typed as 160 code points", "e\u0301" * 80, "é" * 80),
    ("spaces around and between", "   Cy    Okafor  ", "Cy Okafor"),
    ("a tab between the names", "Cy\tOkafor", "Cy Okafor"),
    ("a line break between the names", "Cy\nOkafor", "Cy Okafor"),
    ("a non-breaking space between the names", "Cy\u00a0Okafor", "Cy Okafor"),
    ("a next-line character between the names", "Cy\u0085Okafor", "Cy Okafor"),
    ("an equals sign first", "=cmd()", "=cmd()"),
    ("a plus first", "+1", "+1"),
    ("a minus first", "-1", "-1"),
    ("an at sign first", "@SUM(A1)", "@SUM(A1)"),
    ("quotes and an apostrophe", '"Dee" O\'Neil', '"Dee" O\'Neil'),
    ("a backslash and percent signs", "C:\\Users\\%USERNAME%", "C:\\Users\\%USERNAME%"),
    ("SQL", "Robert'); DROP TABLE participants;--", "Robert'); DROP TABLE participants;--"),
]


@pytest.mark.parametrize(("case", "typed", "stored"), UNUSUAL_NAMES, ids=[c[0] for c in UNUSUAL_NAMES])
def test_a_newcomer_with_an_unusual_name_is_checked_in_under_exactly_that_name(
    cli, records: Records, case: str, typed: str, stored: str
) -> None:
    result = cli("checkin", OPEN, typed, "--new")
    assert (result.code, result.out, result.err) == (0, f"Marked {stored}: present.\n", "")
    assert stored in _roster_names(cli)
    assert [row[1] for row in records.added("participants")] == [stored]
    assert len(records.added("attendance")) == 1
    again = cli("checkin", OPEN, stored)  # found again by the name as stored
    assert_refused(again, f"“{stored}” is already marked")


def test_a_roster_file_of_unusual_names_stores_each_exactly(cli, records: Records) -> None:
    result = cli("import-roster", str(FIXTURES / "rosters" / "unusual-names.csv"), "--group", GROUP)
    assert (result.code, result.err) == (0, "")
    expected = [
        "<b>Ann</b> & Co",
        "<script>alert(1)</script>",
        "سارة حداد",
        "שרה כהן",
        "Bo 🌻",
        "👩\u200d👩\u200d👧 Family",
        "🇺🇦 Olena",
        "Zoë",  # typed with a combining mark, already on the roster as "Zoë": not doubled
        "Z̴̡̛a̷l̸g̵o̶",
        "山田 太郎",
        "Nguyễn Thị Minh Khai",
        "x" * 80,
    ]
    assert "Already on the roster, not doubled: Zoë" in result.out
    assert sorted(row[1] for row in records.added("participants")) == sorted(n for n in expected if n != "Zoë")


UNSTORABLE_NAMES = [
    ("nothing", "", "The name is empty."),
    ("only spaces", "   ", "The name is empty."),
    ("only a non-breaking space", "\u00a0", "The name is empty."),
    ("only line breaks and tabs", "\n\t\r\n", "The name is empty."),
    ("10,000 characters", "A" * 10_000, "The name is 10000 characters long; at most 80 fit."),
    ("81 characters", "x" * 81, "The name is 81 characters long; at most 80 fit."),
    ("a terminal escape sequence", "Cy\x1b[31m", "control character (U+001B)"),
    ("a bell", "\x07Cy", "control character (U+0007)"),
    ("a DEL", "Cy\x7f", "control character (U+007F)"),
    ("a C1 control", "Cy\u009b31m", "control character (U+009B)"),
    ("someone already on the roster, in capitals", "ANN LEE", "“Ann Lee” is already on the roster"),
    ("someone already on the roster, in full-width letters", "Ａｎｎ Ｌｅｅ", "“Ann Lee” is already on the roster"),
    ("someone already on the roster, decomposed", "Zoe\u0308", "“Zoë” is already on the roster"),
]


@pytest.mark.parametrize(("case", "typed", "message"), [pytest.param(*row, id=row[0]) for row in UNSTORABLE_NAMES])
def test_a_name_that_cannot_be_stored_is_refused_in_one_line(
    cli, records: Records, case: str, typed: str, message: str
) -> None:
    result = cli("checkin", OPEN, typed, "--new")
    assert_refused(result, message)
    assert "\x1b" not in result.err and "\x07" not in result.err  # shown, not obeyed
    records.assert_unchanged()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<b>Group</b> & Co", "<b>Group</b> & Co"),
        ("حلقة الثلاثاء", "حلقة الثلاثاء"),
        ("🌻 Sunflower Circle", "🌻 Sunflower Circle"),
        ("Cafe\u0301 Group", "Café Group"),
        ("G" * 120, "G" * 120),
    ],
    ids=["markup", "right to left", "emoji", "combining mark", "120 characters"],
)
def test_a_group_with_an_unusual_name_is_created_under_exactly_that_name(
    cli, records: Records, typed: str, stored: str
) -> None:
    result = cli("group", "add", typed)
    assert (result.code, result.err) == (0, "")
    assert stored in [group["name"] for group in json.loads(cli("groups", "--json").out)]
    assert [row[1] for row in records.added("groups")] == [stored]


UNSTORABLE_TEXT = [
    (["group", "add", "G" * 121], "The group name is 121 characters long; at most 120 fit."),
    (["group", "add", "G" * 10_000], "The group name is 10000 characters long"),
    (["group", "add", "  "], "The group name is empty."),
    (["group", "add", "Bad\x1bGroup"], "The group name contains a control character (U+001B)"),
    (["group", "add", "tuesday   CIRCLE"], "There is already a group called “Tuesday Circle”."),
    (["group", "add", "Fine", "--description", "d" * 10_001], "The group description is 10001 characters long"),
    (["group", "add", "Fine", "--description", "ring\x07"], "description contains a control character (U+0007)"),
    (["group", "rename", GROUP, "G" * 121], "The group name is 121 characters long"),
    (["group", "rename", GROUP, ""], "The group name is empty."),
    (["group", "rename", GROUP, "old friday group"], "There is already a group called “Old Friday Group”."),
    (["meeting", "close", OPEN, "--notes", "n" * 10_001], "The text of the meeting notes is 10001 characters long"),
    (["meeting", "close", OPEN, "--notes", "\x1b[2J"], "The text of the meeting notes contains a control character"),
]


@pytest.mark.parametrize(("args", "message"), [pytest.param(*row, id=_usage_id(row[0])) for row in UNSTORABLE_TEXT])
def test_text_too_long_or_with_control_characters_is_refused_in_one_line(
    cli, records: Records, args: list[str], message: str
) -> None:
    assert_refused(cli(*args), message)
    records.assert_unchanged()


# ---- guide files ------------------------------------------------------------------------

# Guide files are Markdown, but these end in .txt: ruff formats *.md, and some of these are not even UTF-8.
GUIDES = FIXTURES / "guides"
MALFORMED_GUIDES = {
    "empty.txt": "line 1: a guide starts with a line of three dashes (---)",
    "only-blank-lines.txt": "line 1: a guide starts with a line of three dashes (---)",
    "no-header.txt": "line 1: a guide starts with a line of three dashes (---)",
    "header-never-ends.txt": "line 7: the header never ends",
    "header-line-without-colon.txt": "line 5: header lines are “field: value”, not “theme Coping”",
    "field-given-twice.txt": "line 8: field “title” is given twice (first on line 4)",
    "no-kind.txt": "field “kind” is missing",
    "unknown-kind.txt": "line 3: field “kind” is “topic” or “format”, not “poem”",
    "no-slug.txt": "field “slug” is missing",
    "slug-with-capitals-and-spaces.txt": "line 2: field “slug” uses lower-case letters, digits and single dashes",
    "slug-that-is-a-path.txt": "“../../etc/passwd” does not",
    "slug-with-accents.txt": "“café-du-soir” does not",
    "slug-too-long.txt": "at most 80 characters",
    "slug-with-double-dash.txt": "“evening--calm” does not",
    "no-title.txt": "field “title” is missing or empty",
    "empty-title.txt": "line 4: field “title” is missing or empty",
    "title-too-long.txt": "line 4: field “title” is longer than 200 characters",
    "topic-without-theme.txt": "field “theme” is missing or empty",
    "no-version.txt": "field “version” is missing",
    "version-in-words.txt": "line 7: field “version” is a whole number from 1 to 1000000, not “one”",
    "version-zero.txt": "not “0”",
    "version-negative.txt": "not “-1”",
    "version-too-large.txt": "not “1000001”",
    "version-with-a-decimal-point.txt": "not “1.5”",
    "version-in-arabic-digits.txt": "not “١”",
    "share-minutes-zero.txt": "line 6: field “share_minutes” is a whole number from 1 to 30, not “0”",
    "share-minutes-too-many.txt": "not “31”",
    "share-minutes-in-words.txt": "not “four”",
    "text-before-the-first-section.txt": "line 9: text before the first section",
    "heading-with-one-hash.txt": "line 10: a section heading is two hashes and a space",
    "heading-without-a-space.txt": "line 10: a section heading is two hashes and a space",
    "heading-without-a-name.txt": "line 10: a section heading needs a name",
    "section-twice.txt": "line 19: section “summary” appears twice (first on line 10)",
    "no-summary.txt": "section “Summary” is missing or empty",
    "empty-summary.txt": "section “Summary” is missing or empty",
    "no-discussion-prompts.txt": "section “Discussion prompts” is missing or empty",
    "prompts-that-are-not-a-list.txt": "section “Discussion prompts” is a list of 1 to 12 questions",
    "prompts-with-a-paragraph-among-them.txt": "section “Discussion prompts” is a list of 1 to 12 questions",
    "thirteen-prompts.txt": "section “Discussion prompts” is a list of 1 to 12 questions",
    "an-empty-list-item.txt": "line 17: a list item (“- ”) needs some text after the dash",
    "minutes-in-a-topic.txt": "line 10: minutes belong to a meeting format's parts, not a topic",
    "format-without-parts.txt": "a meeting format needs at least one part",
    "format-part-without-minutes.txt": "line 12: a meeting format's part gives its minutes",
    "format-part-of-zero-minutes.txt": "line 8: a part lasts from 1 to 240 minutes, not 0",
    "format-part-longer-than-four-hours.txt": "line 12: a part lasts from 1 to 240 minutes, not 241",
    "format-part-without-a-name.txt": "line 8: a part needs a name before its minutes",
    "format-part-of-an-unknown-kind.txt": "line 12: a part's kind is welcome, opening, check-in, topic, sharing, "
    "discussion, break, check-out, closing or other, not “Austausch”",
    "latin-1.txt": "line 5: this is not UTF-8 text; save the file as UTF-8",
    "windows-1252-smart-quotes.txt": "line 4: this is not UTF-8 text",
    "utf-16-with-bom.txt": "line 1: this is not UTF-8 text",
    "nul-byte.txt": "line 12: the file holds a NUL character",
    "png-image.txt": "line 1: this is not UTF-8 text",
}


def test_every_malformed_guide_file_in_the_corpus_is_tried() -> None:
    on_disk = {path.name for path in GUIDES.iterdir() if not path.name.startswith("good-")}
    assert on_disk == set(MALFORMED_GUIDES)


@pytest.mark.parametrize(("name", "message"), MALFORMED_GUIDES.items(), ids=list(MALFORMED_GUIDES))
def test_a_malformed_guide_file_is_refused_with_its_name_line_and_problem(
    cli, records: Records, name: str, message: str
) -> None:
    result = cli("guides", "import", str(GUIDES / name))
    assert_refused(result, message)
    assert result.err.startswith(f"facilitator: {name}")
    records.assert_unchanged()


GUIDE_PATHS = [
    ("a folder", lambda tmp: tmp, "Could not read"),
    ("a file that is not there", lambda tmp: tmp / "missing.md", "Could not read missing.md: No such file"),
    ("a name too long for the file system", lambda tmp: tmp / ("x" * 300 + ".md"), "File name too long"),
    (
        "a file of 300 KB",
        lambda tmp: _write(tmp / "big.md", b"---\nslug: big\n" + b"x" * 300 * 1024),
        "big.md: the file is larger than 256 KB",
    ),
    (
        "a built-in guide's slug",
        lambda tmp: _write(
            tmp / "mine.md",
            (GUIDES / "good-utf-8-bom-and-windows-line-ends.txt")
            .read_bytes()
            .replace(b"evening-calm", b"coping-strategies"),
        ),
        "The library already has a guide called “coping-strategies”",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), [pytest.param(*row, id=row[0]) for row in GUIDE_PATHS])
def test_a_guide_path_that_is_no_guide_is_refused_in_one_line(
    cli, records: Records, tmp_path: Path, case: str, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    assert_refused(cli("guides", "import", str(path)), message)
    assert_refused(cli("guides", "import", str(path), "--replace"), message)  # built-ins are never replaced
    records.assert_unchanged()


def test_a_guide_with_markup_right_to_left_text_and_emoji_is_imported_exactly(cli, records: Records) -> None:
    path = GUIDES / "good-markup-right-to-left-and-emoji-in-the-title.txt"
    result = cli("guides", "import", str(path))
    assert (result.code, result.err) == (0, "")
    (guide,) = [g for g in json.loads(cli("guides", "list", "--json").out) if g["slug"] == "markup-title"]
    assert (guide["title"], guide["kind"], guide["builtin"]) == ("<b>Calm</b> & =cmd() 🌙 هدوء المساء", "topic", False)
    again = cli("guides", "import", str(path))  # the same file twice changes nothing
    assert again.code == 0
    assert len(records.added("topic_guides")) == 1


def test_a_guide_with_a_byte_order_mark_and_windows_line_ends_round_trips(
    cli, records: Records, tmp_path: Path
) -> None:
    path = GUIDES / "good-utf-8-bom-and-windows-line-ends.txt"
    assert cli("guides", "import", str(path)).code == 0
    out = tmp_path / "out.md"
    assert cli("guides", "export", "evening-calm", "-o", str(out)).code == 0
    assert out.read_bytes() == path.read_bytes().removeprefix(codecs.BOM_UTF8)
    changed = _write(tmp_path / "changed.md", out.read_bytes().replace(b"version: 1", b"version: 2"))
    assert_refused(cli("guides", "import", str(changed)), "already has a guide called “evening-calm”")
    assert cli("guides", "import", str(changed), "--replace").code == 0
    (guide,) = [g for g in json.loads(cli("guides", "list", "--json").out) if g["slug"] == "evening-calm"]
    assert guide["version"] == 2


# ---- dates ------------------------------------------------------------------------------

BAD_DATES = [
    "2026-13-01",
    "2026-00-10",
    "2026-02-30",
    "2026-02-29",
    "0000-01-01",
    "99999-01-01",
    "1969-12-31",
    "3000-01-01",
    "",
    " ",
    "yesterday",
    "2026-1-5",
    "2026/03/05",
    "05.03.2026",
    "03/05/2026",
    "2026-03-05T19:00",
    "２０２６-０３-０５",
]


def _date_commands(tmp: Path) -> dict[str, list[str]]:
    """Every command taking a date, with DATE where one goes; the other options are all right."""
    return {
        "meetings --from": ["meetings", "--group", GROUP, "--from", "DATE"],
        "meetings --to": ["meetings", "--group", GROUP, "--to", "DATE"],
        "export --from": ["export", "attendance", "--group", GROUP, "--from", "DATE", "-o", str(tmp / "a.csv")],
        "export --to": ["export", "attendance", "--group", GROUP, "--to", "DATE", "-o", str(tmp / "a.csv")],
        "report --from": [
            *("report", "attendance", "--group", GROUP, "--from", "DATE", "--to", "2026-12-31"),
            *("-o", str(tmp / "r.pdf")),
        ],
        "report --to": [
            *("report", "attendance", "--group", GROUP, "--from", "2026-01-01", "--to", "DATE"),
            *("-o", str(tmp / "r.pdf")),
        ],
        "verify-letter --from": [
            *("verify-letter", "--participant", "Ann Lee", "--group", GROUP, "--from", "DATE", "--to", "2026-12-31"),
            *("-o", str(tmp / "l.pdf")),
        ],
        "verify-letter --to": [
            *("verify-letter", "--participant", "Ann Lee", "--group", GROUP, "--from", "2026-01-01", "--to", "DATE"),
            *("-o", str(tmp / "l.pdf")),
        ],
        "sign-in-sheet --date": ["sign-in-sheet", "--group", GROUP, "--date", "DATE", "-o", str(tmp / "s.pdf")],
        "handout --date": [
            *("handout", "--guide", "coping-strategies", "--group", GROUP, "--date", "DATE"),
            *("-o", str(tmp / "h.pdf")),
        ],
    }


DATE_OPTIONS = list(_date_commands(Path("x")))


@pytest.mark.parametrize("date", BAD_DATES, ids=[repr(d) for d in BAD_DATES])
@pytest.mark.parametrize("command", DATE_OPTIONS)
def test_a_date_that_is_no_date_or_out_of_range_is_a_usage_error(
    cli, records: Records, tmp_path: Path, command: str, date: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [date if arg == "DATE" else arg for arg in _date_commands(out)[command]]
    result = cli(*args)
    assert_usage_error(result, f"argument {command.split()[-1]}: ")
    assert (
        "is not a date; write it as YYYY-MM-DD" in result.err or "is outside the dates Facilitator keeps" in result.err
    )
    records.assert_unchanged()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", DATE_OPTIONS)
def test_a_date_that_looks_like_an_option_is_a_usage_error(cli, records: Records, tmp_path: Path, command: str) -> None:
    args = ["-2026-01-01" if arg == "DATE" else arg for arg in _date_commands(tmp_path)[command]]
    assert_usage_error(cli(*args), "expected one argument")
    records.assert_unchanged()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meetings", "--group", GROUP], "The range starts (2026-03-02) after it ends (2026-03-01)."),
        (["export", "attendance", "--group", GROUP, "-o", "OUT"], "The range starts (2026-03-02) after it ends"),
        (["report", "attendance", "--group", GROUP, "-o", "OUT"], "--to is before --from."),
        (
            ["verify-letter", "--participant", "Ann Lee", "--group", GROUP, "-o", "OUT"],
            "The letter's range ends before it starts.",
        ),
    ],
    ids=["meetings", "export attendance", "report attendance", "verify-letter"],
)
def test_a_range_that_ends_before_it_starts_is_refused_and_writes_nothing(
    cli, records: Records, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    args = [str(out) if arg == "OUT" else arg for arg in args]
    assert_refused(cli(*args, "--from", "2026-03-02", "--to", "2026-03-01"), message)
    records.assert_unchanged()
    assert not out.exists()


def test_the_widest_range_of_dates_finds_every_meeting(cli, records: Records, tmp_path: Path) -> None:
    widest = ("--from", "1970-01-01", "--to", "2999-12-31")
    meetings = json.loads(cli("meetings", "--group", GROUP, *widest, "--json").out)
    assert [(m["id"], m["state"], m["present"], m["late"]) for m in meetings] == [
        (1, "closed", 1, 1),
        (2, "open", 0, 0),
    ]
    export = cli("export", "attendance", "--group", GROUP, *widest, "-o", str(tmp_path / "a.csv"))
    assert export.code == 0 and "(6 rows)" in export.out
    letter = cli(
        "verify-letter",
        "--participant",
        "ann lee",
        "--group",
        GROUP,
        *widest,
        "--signed-by",
        "Sam",
        "-o",
        str(tmp_path / "l.pdf"),
    )
    assert letter.code == 0 and "Wrote a letter for Ann Lee (1 meeting)" in letter.out
    assert (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF")
    assert len(records.added("attendance_letters")) == 1


# ---- every argument wrong ---------------------------------------------------------------

MISSING = [
    ["--data-dir"],
    ["group"],
    ["group", "add"],
    ["group", "rename", GROUP],
    ["group", "archive"],
    ["group", "restore"],
    ["participants"],
    ["meetings"],
    ["meeting"],
    ["meeting", "open"],
    ["meeting", "close"],
    ["meeting", "reopen"],
    ["meeting", "delete"],
    ["checkin"],
    ["checkin", OPEN],
    ["export"],
    ["export", "roster", "--group", GROUP],
    ["export", "roster", "-o", "x.csv"],
    ["import-roster", "--group", GROUP],
    ["import-roster", "r.csv"],
    ["guides"],
    ["guides", "export", "coping-strategies"],
    ["guides", "export", "-o", "x.md"],
    ["guides", "import"],
    ["handout", "-o", "h.pdf"],
    ["handout", "--meeting", OPEN],
    ["sign-in-sheet", "-o", "s.pdf"],
    ["sign-in-sheet", "--group", GROUP],
    ["packet", "-o", "p.pdf"],
    ["packet", "--meeting", OPEN],
    ["report"],
    ["report", "attendance", "--group", GROUP, "--from", "2026-01-01", "-o", "r.pdf"],
    ["report", "attendance", "--group", GROUP, "--to", "2026-01-01", "-o", "r.pdf"],
    ["verify-letter", "--group", GROUP, "--from", "2026-01-01", "--to", "2026-12-31", "-o", "l.pdf"],
    ["verify-letter", "--participant", "Ann Lee", "--from", "2026-01-01", "--to", "2026-12-31", "-o", "l.pdf"],
    _letter(),
    ["verify-code"],
    ["participants", "--group"],
    ["export", "roster", "--group", GROUP, "-o"],
    ["checkin", OPEN, "Ann Lee", "--late", "--excused"],
    ["handout", "--meeting", OPEN, "--guide", "coping-strategies", "-o", "h.pdf"],
]
UNKNOWN = [
    ["frobnicate"],
    ["Groups"],
    ["group", "delete", GROUP],
    ["meeting", "resume", CLOSED],
    ["guides", "delete", "coping-strategies"],
    ["report", "letters"],
    ["export", "everything", "--group", GROUP, "-o", "x.csv"],
    ["export", "Roster", "--group", GROUP, "-o", "x.csv"],
    *(
        [*command, "--bogus"]
        for command in (
            ["groups"],
            ["group", "add", "X"],
            ["participants", "--group", GROUP],
            ["meetings", "--group", GROUP],
            ["meeting", "open", "--group", GROUP],
            ["meeting", "close", OPEN],
            ["checkin", OPEN, "Ann Lee"],
            ["guides", "list"],
            ["verify-code", "ABCD-EFGH"],
            ["demo"],
        )
    ),
    ["groups", "--json=yes"],
    ["checkin", OPEN, "Ann Lee", "--present"],
]
WRONG_NUMBERS = [
    *(
        [*command[:-1], value, *command[-1:]]
        for command in (["meeting", "close", "--notes=x"], ["checkin", "Ann Lee"])
        for value in ("abc", "", " ", "1.5", "1e3", "0x10", "0", "-1", "-5", "2147483648", "9" * 30, "9" * 5000, "½")
    ),
    *(["handout", "--meeting", value, "-o", "h.pdf"] for value in ("abc", "0", "2147483648")),
    *(["packet", "--meeting", value, "-o", "p.pdf"] for value in ("abc", "-1", "9" * 30)),
    *(["group", "add", "X", "--share-minutes", value] for value in ("three", "3.5", "0", "-3", "", "9" * 30)),
    *(["demo", "--years", value] for value in ("x", "0", "-1", "1.5", "2147483648")),
    *(["demo", "--members", value] for value in ("x", "0", "-40")),
    *(["demo", "--seed", value] for value in ("abc", "1.5", "9" * 5000)),
]
USAGE_ERRORS = [*MISSING, *UNKNOWN, *WRONG_NUMBERS]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=[_usage_id(args) for args in USAGE_ERRORS])
def test_a_command_line_that_does_not_parse_shows_the_usage_and_changes_nothing(
    cli, records: Records, args: list[str]
) -> None:
    assert_usage_error(cli(*args))
    records.assert_unchanged()


USER_ERRORS = [
    # ids that do not exist
    (["meeting", "close", "99"], "There is no meeting with id 99."),
    (["meeting", "close", "2147483647"], "There is no meeting with id 2147483647."),
    (["checkin", "99", "Ann Lee"], "There is no meeting with id 99."),
    (["checkin", "99", "Someone New", "--new"], "There is no meeting with id 99."),
    (["handout", "--meeting", "99", "-o", "OUT"], "There is no meeting with id 99."),
    (["packet", "--meeting", "2147483647", "-o", "OUT"], "There is no meeting with id 2147483647."),
    (["guides", "export", "no-such-guide", "-o", "OUT"], "There is no guide “no-such-guide” in the library."),
    (["verify-code", "ABCD-EFGH"], "No letter with the code ABCD-EFGH is on record here"),
    (["verify-code", ""], "No letter with the code"),
    (["verify-code", "x" * 10_000], "No letter with the code"),
    # names that do not exist
    (["participants", "--group", "Nope"], "There is no group called “Nope”. Groups: Tuesday Circle."),
    (["meetings", "--group", "Nope"], "There is no group called “Nope”."),
    (["meeting", "open", "--group", "Nope"], "There is no group called “Nope”."),
    (["export", "roster", "--group", "Nope", "-o", "OUT"], "There is no group called “Nope”."),
    (["export", "attendance", "--group", "", "-o", "OUT"], "There is no group called “”."),
    (["sign-in-sheet", "--group", "Nope", "-o", "OUT"], "There is no group called “Nope”."),
    (
        ["report", "attendance", "--group", "Nope", "--from", "2026-01-01", "--to", "2026-12-31", "-o", "OUT"],
        "There is no group called “Nope”.",
    ),
    ([*_letter("Nobody"), "-o", "OUT"], "There is nobody called “Nobody” on the roster of Tuesday Circle."),
    ([*_letter(group="Nope"), "-o", "OUT"], "There is no group called “Nope”."),
    (["handout", "--guide", "coping-strategies", "--group", "Nope", "-o", "OUT"], "There is no group called"),
    (["handout", "--guide", "no-such-guide", "--group", GROUP, "-o", "OUT"], "There is no guide “no-such-guide”"),
    (["checkin", OPEN, "Nobody"], "There is nobody called “Nobody” on the roster of Tuesday Circle."),
    (["checkin", OPEN, "Ann Lee", "Nobody", "Bo"], "There is nobody called “Nobody”"),
    (["checkin", OPEN, ""], "There is nobody called “”"),
    (["group", "rename", "Nope", "New Name"], "There is no group called “Nope”."),
    (["group", "archive", "Nope"], "There is no group called “Nope”."),
    (["group", "restore", "Nope"], "There is no group called “Nope”."),
    (["meeting", "open", "--group", "Old Friday Group", "--guide", "no-such-guide"], "is archived"),
    (["guides", "export", "", "-o", "OUT"], "There is no guide “” in the library."),
    # the wrong kind of guide
    (["handout", "--guide", "standard-meeting", "--group", GROUP, "-o", "OUT"], "is a meeting format"),
    # a group, meeting or person in the wrong state
    (["meeting", "close", CLOSED], "Meeting 1 is already closed."),
    (["checkin", CLOSED, "Zoë"], "Meeting 1 is closed; correct it from the meeting history."),
    (["checkin", OPEN, "Ann Lee", "--new"], "“Ann Lee” is already on the roster of Tuesday Circle."),
    (["meeting", "open", "--group", GROUP], "Tuesday Circle already has meeting 2 open since"),
    (["meeting", "open", "--group", "Old Friday Group"], "The group “Old Friday Group” is archived"),
    (["group", "archive", GROUP], "has meeting 2 still open; close it first."),
    (["group", "archive", "Old Friday Group"], "The group “Old Friday Group” is already archived."),
    (["group", "restore", GROUP], "The group “Tuesday Circle” is not archived."),
    (["group", "add", "Tuesday Circle"], "There is already a group called “Tuesday Circle”."),
    (["handout", "--meeting", CLOSED, "--group", GROUP, "-o", "OUT"], "--group and --date go with --guide"),
    (["handout", "--guide", "coping-strategies", "-o", "OUT"], "--guide needs --group"),
    (["export", "roster", "--group", GROUP, "--to", "2026-01-01", "-o", "OUT"], "not the roster"),
    (["demo"], "This data folder already holds real records; the demo will not touch them."),
    # numbers of the right type but beyond what makes sense
    (["group", "add", "X", "--share-minutes", "2147483647"], "A share of 2147483647 minutes is outside 1–30"),
    (["group", "add", "X", "--share-minutes", "31"], "A share of 31 minutes is outside 1–30 minutes."),
    (["demo", "--years", "31"], "--years must be between 1 and 30, not 31."),
    (["demo", "--years", "2147483647"], "--years must be between 1 and 30, not 2147483647."),
    (["demo", "--members", "2147483647"], "--members must be between 4 and 1000, not 2147483647."),
    (["demo", "--members", "3"], "--members must be between 4 and 1000, not 3."),
    ([*_letter(), "--signed-by", "S" * 201, "-o", "OUT"], "signer's name is 201 characters long; at most 200 fit."),
    (["import-roster", "ROSTER", "--group", "Nope"], "There is no group called “Nope”."),
    (["import-roster", "ROSTER", "--group", "Old Friday Group"], "is archived; restore it before changing"),
    (["import-roster", "ROSTER", "--group", GROUP, "--name-column", "Who"], "Line 1 has no column called “Who”"),
]


@pytest.mark.parametrize(("args", "message"), [pytest.param(*row, id=_usage_id(row[0])) for row in USER_ERRORS])
def test_a_wrong_id_name_or_value_is_refused_in_one_line_and_changes_nothing(
    cli, records: Records, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out.pdf"
    roster = _write(tmp_path / "roster.csv", b"Name\r\nNew Person\r\n")
    args = [str(out) if arg == "OUT" else str(roster) if arg == "ROSTER" else arg for arg in args]
    assert_refused(cli(*args), message)
    records.assert_unchanged()
    assert not out.exists()


OUTPUT_COMMANDS = {
    "export roster": ["export", "roster", "--group", GROUP],
    "export attendance": ["export", "attendance", "--group", GROUP],
    "guides export": ["guides", "export", "coping-strategies"],
    "handout": ["handout", "--meeting", OPEN],
    "sign-in-sheet": ["sign-in-sheet", "--group", GROUP],
    "packet": ["packet", "--meeting", OPEN],
    "report attendance": ["report", "attendance", "--group", GROUP, "--from", "2026-01-01", "--to", "2026-12-31"],
    "verify-letter": _letter(),
}


UNWRITABLE_OUTPUTS = [
    (
        "in a folder that is not there",
        lambda tmp: tmp / "nowhere" / "out.file",
        "There is no such folder ({tmp}/nowhere)",
    ),
    ("two folders deep that are not there", lambda tmp: tmp / "a" / "b" / "out.file", "There is no such folder"),
    ("inside a file", lambda tmp: _write(tmp / "plain.txt", b"keep me") / "out.file", "There is no such folder"),
    ("a folder", lambda tmp: tmp, "That is a folder, not a file ({tmp})"),
    ("the empty path, the current folder", lambda tmp: Path(""), "That is a folder, not a file"),
    ("a name too long for the file system", lambda tmp: tmp / ("x" * 300), "File name too long"),
]


@pytest.mark.parametrize(("where", "target", "message"), [pytest.param(*row, id=row[0]) for row in UNWRITABLE_OUTPUTS])
@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_an_output_path_that_cannot_be_written_is_refused_and_nothing_is_kept(
    cli, records: Records, tmp_path: Path, command: str, where: str, target: Callable[[Path], Path], message: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    path = target(out_dir)
    before = sorted(out_dir.rglob("*"))
    result = cli(*OUTPUT_COMMANDS[command], "-o", str(path))
    assert_refused(result, message.format(tmp=out_dir))
    records.assert_unchanged()  # a letter whose file could not be written is not recorded either
    assert sorted(out_dir.rglob("*")) == before  # no half-written file, no temporary left behind


UNUSABLE_STORAGE = [
    (["--data-dir", "FILE", "groups"], "Not a folder"),
    (["--data-dir", "FILE/inside", "groups"], "Not a directory"),
    (["--database-url", "sqlite:///FOLDER", "groups"], "is a folder, not a database file."),
    (["--database-url", "sqlite:///FILE", "groups"], "notes.txt is not a database; it was left as it is."),
    (["--database-url", "sqlite:///FILE", "group", "add", "X"], "notes.txt is not a database; it was left as it is."),
    (["--database-url", "nonsense", "groups"], "is not a database URL Facilitator can use"),
    (["--database-url", "mysql://nobody@localhost/none", "groups"], "The database driver for “mysql”"),
]


def test_the_installed_program_says_how_to_reach_a_server(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in the standalone program (installers/)
    result = cli("--database-url", "mysql://nobody@localhost/none", "groups")
    assert result.code == 1 and "Traceback" not in result.err
    assert "has no driver for “mysql”. To keep them on an organisation's server, install Facilitator with" in result.err


@pytest.mark.parametrize(("args", "message"), [pytest.param(*row, id=_usage_id(row[0])) for row in UNUSABLE_STORAGE])
def test_a_data_folder_or_database_that_cannot_be_used_is_refused_and_left_as_it_was(
    cli, records: Records, tmp_path: Path, args: list[str], message: str
) -> None:
    plain = _write(tmp_path / "notes.txt", b"not a database, and it stays that way\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    args = [arg.replace("FILE", str(plain)).replace("FOLDER", str(folder)) for arg in args]
    assert_refused(cli(*args), message)
    assert plain.read_bytes() == b"not a database, and it stays that way\n"
    assert list(folder.iterdir()) == []
    records.assert_unchanged()


# ---- the problems this corpus found, each fixed --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "roster", "--group", "Tuesday Circle", "-o", "{db}"],
        ["sign-in-sheet", "--group", "Tuesday Circle", "-o", "{db}"],
        ["guides", "export", "coping-strategies", "-o", "{db}"],
        ["export", "roster", "--group", "Tuesday Circle", "-o", "{db}-wal"],
        ["backup", "-o", "{db}"],
    ],
    ids=["csv over the database", "pdf over the database", "guide over the database", "over its log", "backup"],
)
def test_nothing_is_ever_written_over_the_records(cli, location, args: list[str]) -> None:
    assert cli("group", "add", "Tuesday Circle").code == 0
    database = str(location.database_path)
    result = cli(*[arg.replace("{db}", database) for arg in args])
    assert result.code == 1 and "it was not overwritten" in result.err or "holds records" in result.err
    assert cli("groups").code == 0 and "Tuesday Circle" in cli("groups").out


def test_names_that_cannot_be_stored_are_refused_plainly(cli) -> None:
    result = cli("group", "add", "Caf\udce9 Group")
    assert result.code == 1 and "bytes that are not valid text" in result.err
    assert "Something went wrong" not in result.err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ann\u200b", "An invisible character (U+200B) is left out of the group name."),
        ("\ufeffAnn", "An invisible character (U+FEFF) is left out of the group name."),
        ("\u202eAnn", "An invisible character (U+202E) is left out of the group name."),
    ],
    ids=["zero-width space", "byte-order mark", "right-to-left override"],
)
def test_what_cannot_be_seen_is_left_out_of_a_name_with_a_word(cli, name: str, message: str) -> None:
    result = cli("group", "add", name)
    assert result.code == 0 and result.out.splitlines()[0] == message
    assert "Created group 1: Ann " in result.out


def test_joiners_that_scripts_and_emoji_need_are_kept(cli) -> None:
    mehrdad = "\u0645\u0647\u0631\u200c\u062f\u0627\u062f"  # the non-joiner keeps the Persian letters apart
    for name in (mehrdad, "Family \U0001f468\u200d\U0001f469\u200d\U0001f467"):
        assert cli("group", "add", name).code == 0
    assert mehrdad in cli("groups").out


def test_a_long_heading_is_read_in_a_moment(tmp_path) -> None:
    import time as clock

    from facilitator.rules.guide_format import InvalidGuide, parse_guide

    head = "---\nslug: slow\nkind: format\ntitle: Slow\nversion: 1\n---\n## a"
    text = head + " " * 200_000 + "b\n"
    started = clock.perf_counter()
    with pytest.raises(InvalidGuide, match="gives its minutes"):
        parse_guide(text, "slow.md")
    assert clock.perf_counter() - started < 2  # it took about a minute before the fix


def test_ids_are_plain_digits(cli) -> None:
    for wrong in ("1_0", " +1 ", "١"):
        result = cli("meeting", "close", wrong)
        assert result.code == 2 and "is not a whole number" in result.err


@pytest.mark.parametrize(
    ("content", "names", "problem"),
    [
        ('Name,Note\n"Cy,likes tea\nDee,\nEve,\n', None, "a quote opened and never closed"),
        ("Name,Notes\nCy,tea\n;;\n", None, "“;;” has no letters in it"),
        ("Member name\nCy\nDee\n", ["Cy", "Dee"], None),
        ("sep=;\nName;Notes\nCy;tea\n", ["Cy"], None),
    ],
    ids=["a quote never closed", "a line of separators", "an unknown one-column heading", "Excel's sep= line"],
)
def test_rosters_that_once_imported_garbage(
    cli, tmp_path, content: str, names: list[str] | None, problem: str | None
) -> None:
    assert cli("group", "add", "Tuesday Circle").code == 0
    path = tmp_path / "roster.csv"
    path.write_text(content, encoding="utf-8")
    result = cli("import-roster", str(path), "--group", "Tuesday Circle")
    if problem is not None:
        assert result.code == 1 and problem in result.err
        assert "Cy" not in cli("participants", "--group", "Tuesday Circle").out
    else:
        assert result.code == 0
        listed = json.loads(cli("participants", "--group", "Tuesday Circle", "--json").out)
        assert sorted(person["name"] for person in listed) == names
