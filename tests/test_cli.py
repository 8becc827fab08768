"""The command line: every command, its output, and plain errors with the right exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator import __version__
from facilitator.cli import main
from facilitator.storage.locations import DataLocation
from tests.conftest import HOSTILE_NAME, CliResult


def assert_plain_error(result: CliResult, code: int, *fragments: str) -> None:
    """A refusal: the exit code, and words a person can act on, never a traceback."""
    assert result.code == code
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err
    if code == 1:
        assert result.err.count("\n") == 1 and result.err.startswith("facilitator: ")


@pytest.fixture
def tuesday(cli) -> None:
    assert cli("group", "add", "Tuesday Circle", "--share-minutes", "4").code == 0
    assert (
        cli(
            "import-roster",
            str(_write(Path(os.environ["FACILITATOR_DATA_DIR"]).parent / "r.csv", "Name\nAnn\nBo\nCy\n")),
            "--group",
            "Tuesday Circle",
        ).code
        == 0
    )


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_version(cli) -> None:
    result = cli("--version")
    assert (result.code, result.out.strip()) == (0, f"facilitator {__version__}")


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "--data-dir", str(tmp_path / "d"), "groups"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "No groups yet" in result.stdout


def test_a_group_is_added_with_its_usual_day_time_and_place(cli) -> None:
    added = cli("group", "add", "Tuesday Circle", "--weekday", "tue", "--time", "19:00", "--place", "St Mark's Hall")
    assert (added.code, added.out.splitlines()[-1]) == (0, "Meets Tuesdays at 19:00 · St Mark's Hall.")
    assert_plain_error(cli("group", "add", "Other", "--weekday", "Someday"), 1, "“Someday” is not a day of the week")
    assert_plain_error(cli("group", "add", "Other", "--time", "25:00"), 1, "“25:00” is not a time of day")
    assert [group["name"] for group in json.loads(cli("groups", "--json").out)] == ["Tuesday Circle"]


def test_group_commands(cli) -> None:
    assert "Created group 1: Tuesday Circle (3-minute shares)" in cli("group", "add", "Tuesday Circle").out
    assert_plain_error(cli("group", "add", "tuesday circle"), 1, "already a group called “Tuesday Circle”")
    assert cli("group", "rename", "Tuesday Circle", "Tuesday Evening").code == 0
    assert_plain_error(cli("group", "rename", "Nope", "X"), 1, "no group called “Nope”", "Groups: Tuesday Evening")
    assert "Archived Tuesday Evening" in cli("group", "archive", "tuesday evening").out
    assert "No groups yet" in cli("groups").out
    assert "Tuesday Evening (archived)" in cli("groups", "--all").out
    assert cli("group", "restore", "Tuesday Evening").code == 0
    listing = json.loads(cli("groups", "--json").out)
    assert listing == [
        {
            "id": 1,
            "name": "Tuesday Evening",
            "description": "",
            "share_seconds": 180,
            "warning_seconds": 60,
            "name_display": "first_initial",
            "handout_names_group": False,
            "archived": False,
            "members": 0,
            "meetings": 0,
            "last_meeting": None,
        }
    ]


def test_checkin_says_sent_word_and_still_takes_the_old_excused(cli, tuesday) -> None:
    """The group's word is "sent word"; scripts written with --excused keep working, and the
    stored value (and the JSON key) stays "excused"."""
    assert cli("meeting", "open", "--group", "Tuesday Circle").code == 0
    assert cli("checkin", "1", "Ann", "--excused").out == "Marked Ann: sent word.\n"
    assert cli("checkin", "1", "Bo", "--sent-word").out == "Marked Bo: sent word.\n"
    [meeting] = json.loads(cli("meetings", "--group", "Tuesday Circle", "--json").out)
    assert (meeting["present"], meeting["excused"]) == (0, 2)
    helped = cli("checkin", "--help").out
    assert "--sent-word" in helped and "--excused" not in helped
    assert "checkin             mark people here at an open meeting" in cli("--help").out


def test_a_whole_meeting_from_the_terminal(cli, tuesday) -> None:
    opened = cli("meeting", "open", "--group", "tuesday circle")
    assert opened.code == 0 and "Opened meeting 1" in opened.out
    assert_plain_error(cli("meeting", "open", "--group", "Tuesday Circle"), 1, "already has meeting 1 open")
    assert cli("checkin", "1", "Ann", "bo").out.splitlines() == [
        "Marked Ann: present.",
        "Marked Bo: present.",
    ]
    assert cli("checkin", "1", "Cy", "--late").code == 0
    assert cli("checkin", "1", "Dee", "--new", "--sent-word").out.strip() == "Marked Dee: sent word."
    assert_plain_error(cli("checkin", "1", "Ann"), 1, "“Ann” is already marked (present")
    closed = cli("meeting", "close", "1", "--notes", "Bring leaflets")
    assert "2 present, 1 late, 1 sent word, 0 guests" in closed.out
    assert_plain_error(cli("meeting", "close", "1"), 1, "already closed")
    assert_plain_error(cli("checkin", "1", "Ann"), 1, "closed; correct it from the meeting history")
    meetings = json.loads(cli("meetings", "--group", "Tuesday Circle", "--json").out)
    assert [(m["id"], m["state"], m["present"], m["late"], m["excused"], m["guests"]) for m in meetings] == [
        (1, "closed", 2, 1, 1, 0)
    ]
    assert set(meetings[0]) == {
        "id",
        "group_id",
        "date",
        "started_at",
        "ended_at",
        "state",
        "guide",
        "present",
        "late",
        "excused",
        "guests",
    }
    table = cli("meetings", "--group", "Tuesday Circle").out.splitlines()
    assert re.split(r"\s{2,}", table[0].strip()) == [
        *("ID", "Date", "Start", "Topic", "State", "Present", "Late", "Sent word", "Guests")
    ]
    roster = json.loads(cli("participants", "--group", "Tuesday Circle", "--json").out)
    assert [(p["name"], p["meetings_attended"]) for p in roster] == [("Ann", 1), ("Bo", 1), ("Cy", 1), ("Dee", 0)]


def test_checking_in_several_names_is_all_or_nothing(cli, tuesday) -> None:
    cli("meeting", "open", "--group", "Tuesday Circle")
    assert_plain_error(cli("checkin", "1", "Ann", "Nobody", "Bo"), 1, "nobody called “Nobody”")
    meetings = json.loads(cli("meetings", "--group", "Tuesday Circle", "--json").out)
    assert meetings[0]["present"] == 0


def test_meetings_date_range_and_bad_dates(cli, tuesday) -> None:
    cli("meeting", "open", "--group", "Tuesday Circle")
    assert "no meetings in that range" in cli("meetings", "--group", "Tuesday Circle", "--to", "2000-01-01").out
    for bad in ("2026-13-01", "yesterday", "0001-01-01", "2026-02-30"):
        assert_plain_error(cli("meetings", "--group", "Tuesday Circle", "--from", bad), 2)
    assert_plain_error(
        cli("meetings", "--group", "Tuesday Circle", "--from", "2026-03-02", "--to", "2026-03-01"),
        1,
        "starts (2026-03-02) after it ends",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["group"],
        ["group", "add"],
        ["group", "add", "X", "--share-minutes", "0"],
        ["group", "add", "X", "--share-minutes", "three"],
        ["checkin", "abc", "Ann"],
        ["checkin", "-1", "Ann"],
        ["checkin", "1"],
        ["checkin", "1", "Ann", "--late", "--excused"],
        ["participants"],
        ["export", "everything", "--group", "X", "-o", "x.csv"],
        ["export", "roster", "--group", "X"],
        ["import-roster"],
        ["meetings", "--group"],
        ["demo", "--years", "x"],
        ["groups", "--bogus"],
    ],
)
def test_bad_usage_exits_2_with_usage(cli, args: list[str]) -> None:
    result = cli(*args)
    assert_plain_error(result, 2)
    assert "usage: facilitator" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["participants", "--group", "Nope"], "no group called “Nope”"),
        (["meeting", "open", "--group", "Nope"], "no group called"),
        (["meeting", "close", "99"], "no meeting with id 99"),
        (["checkin", "99", "Ann"], "no meeting with id 99"),
        (["group", "add", "   "], "group name is empty"),
        (["group", "add", "X", "--share-minutes", "90"], "outside 1–30 minutes"),
        (["demo", "--years", "99"], "--years must be between 1 and 30"),
        (["import-roster", "missing.csv", "--group", "X"], "There is no file missing.csv"),
    ],
)
def test_user_errors_exit_1_with_one_plain_line(cli, args: list[str], message: str) -> None:
    assert_plain_error(cli(*args), 1, message)


def test_export_roster_and_attendance(cli, tuesday, tmp_path: Path) -> None:
    cli("meeting", "open", "--group", "Tuesday Circle")
    cli("checkin", "1", HOSTILE_NAME, "--new")
    out = tmp_path / "attendance.csv"
    result = cli("export", "attendance", "--group", "Tuesday Circle", "-o", str(out))
    assert result.code == 0 and "4 rows" in result.out and "keep it private" in result.out
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert {(row[4], row[5]) for row in rows[1:]} == {
        ("Ann", "absent"),
        ("Bo", "absent"),
        ("Cy", "absent"),
        (HOSTILE_NAME, "present"),
    }
    roster = tmp_path / "roster.csv"
    assert cli("export", "roster", "--group", "Tuesday Circle", "-o", str(roster)).code == 0
    names = [row[0] for row in csv.reader(io.StringIO(roster.read_text(encoding="utf-8-sig"), newline=""))]
    assert names == ["Name", HOSTILE_NAME, "Ann", "Bo", "Cy"]
    assert_plain_error(
        cli("export", "roster", "--group", "Tuesday Circle", "--from", "2026-01-01", "-o", str(roster)),
        1,
        "not the roster",
    )
    assert_plain_error(
        cli("export", "roster", "--group", "Tuesday Circle", "-o", str(tmp_path / "no" / "r.csv")),
        1,
        f"There is no such folder ({tmp_path / 'no'})",
    )
    assert_plain_error(
        cli("export", "roster", "--group", "Tuesday Circle", "-o", str(tmp_path)),
        1,
        f"That is a folder, not a file ({tmp_path})",
    )
    assert not list(tmp_path.glob(".*.part"))


def test_import_roster_dry_run_then_real(cli, tmp_path: Path) -> None:
    cli("group", "add", "Family")
    roster = tmp_path / "family.csv"
    roster.write_bytes("Name;Notes\r\nJosé;\r\nZoë;uses a wheelchair\r\nzoë;\r\n".encode("cp1252"))
    dry = cli("import-roster", str(roster), "--group", "Family", "--dry-run")
    assert dry.code == 0
    assert "Windows-1252" in dry.out and "Would add 2 to Family: José, Zoë" in dry.out
    assert "Repeated in the file, counted once: zoë (line 4)" in dry.out and "nothing was stored" in dry.out
    assert json.loads(cli("participants", "--group", "Family", "--json").out) == []
    real = cli("import-roster", str(roster), "--group", "Family")
    assert "Added 2 to Family" in real.out
    again = cli("import-roster", str(roster), "--group", "Family")
    assert "Added 0 to Family." in again.out and "Already on the roster, not doubled: José, Zoë" in again.out
    people = json.loads(cli("participants", "--group", "Family", "--json").out)
    assert {p["name"]: p["note"] for p in people} == {"José": None, "Zoë": "uses a wheelchair"}
    from facilitator.records import open_records
    from facilitator.rules.groups import find_group
    from facilitator.rules.participants import remove_from_roster
    from facilitator.storage.locations import DataLocation

    db = open_records(DataLocation.resolve())
    with db.begin() as session:
        zoe = next(p["id"] for p in people if p["name"] == "Zoë")
        remove_from_roster(session, find_group(session, "Family").id, zoe)
    db.close()
    back = cli("import-roster", str(roster), "--group", "Family")
    assert back.code == 0 and "Added 0 to Family." in back.out
    assert "Put back on the roster, as they were before they left: Zoë" in back.out
    assert json.loads(cli("participants", "--group", "Family", "--json").out) == people  # the same two, as they were


def test_import_roster_with_problems_stores_nothing(cli, tmp_path: Path) -> None:
    cli("group", "add", "Family")
    roster = _write(tmp_path / "bad.csv", "Name\nAnn\n" + "x" * 200 + "\n")
    result = cli("import-roster", str(roster), "--group", "Family")
    assert result.code == 1
    assert "bad.csv, line 3: The name is 200 characters long" in result.err
    assert "nothing was imported" in result.err
    assert json.loads(cli("participants", "--group", "Family", "--json").out) == []


FORCED_DEMO_BACKS_UP = "demo --force first copies the SQLite file; a server's database it cannot copy, and refuses"


def test_demo_fills_an_empty_folder_and_refuses_real_data(cli) -> None:
    first = cli("demo", "--seed", "3")
    assert first.code == 0 and "3 groups, 40 participants" in first.out
    assert cli("demo", "--seed", "4").code == 0  # a demo may replace a demo
    cli("group", "add", "My Real Group")
    refused = cli("demo")
    assert_plain_error(refused, 1, "already holds real records")
    assert "My Real Group" in cli("groups").out


@pytest.mark.sqlite_only(FORCED_DEMO_BACKS_UP)
def test_a_forced_demo_backs_up_the_real_records_first(cli, location: DataLocation) -> None:
    cli("group", "add", "My Real Group")
    forced = cli("demo", "--force")
    assert forced.code == 0 and "Backed up" in forced.out
    assert "My Real Group" not in cli("groups").out
    assert len(list(location.backup_dir.glob("facilitator-*-before-demo.sqlite3"))) == 1


def test_an_unusable_data_folder_is_a_plain_error(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from facilitator.cli import main

    assert main(["--data-dir", str(blocker), "groups"]) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [("not a url", "not a database URL"), ("nosuchdb://x/y", "not a database URL"), ("mssql+pymssql://h/db", "driver")],
)
def test_a_wrong_database_url_is_a_plain_error(url: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from facilitator.cli import main

    assert main(["--database-url", url, "groups"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_environment_variable_chooses_the_data_folder(tmp_path: Path) -> None:
    env = {**os.environ, "FACILITATOR_DATA_DIR": str(tmp_path / "env-data")}
    subprocess.run(
        [sys.executable, "-m", "facilitator", "group", "add", "Env Group"], env=env, check=True, capture_output=True
    )
    assert (tmp_path / "env-data" / "facilitator.sqlite3").exists()


def test_a_name_given_twice_is_checked_in_once(cli, tuesday) -> None:
    cli("meeting", "open", "--group", "Tuesday Circle")
    result = cli("checkin", "1", "Ann", "ann ", "Bo")
    assert result.code == 0
    assert result.out.splitlines() == ["Marked Ann: present.", "Marked Bo: present."]


def test_an_id_too_large_for_any_database_is_a_usage_error(cli) -> None:
    result = cli("checkin", "99999999999999999999999", "Ann")
    assert_plain_error(result, 2, "is not a number from 1 to 2147483647")


def test_control_characters_in_an_error_are_shown_not_obeyed(cli) -> None:
    result = cli("participants", "--group", "\x1b[31mred\nline")
    assert_plain_error(result, 1, "\\x1b[31mred line")
    assert "\x1b" not in result.err


def test_a_fault_inside_the_program_is_one_line_too(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import facilitator.rules.groups

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(facilitator.rules.groups, "list_groups", broken)
    assert_plain_error(cli("groups"), 1, "Something went wrong inside Facilitator (RuntimeError: boom)")


def test_output_to_a_pipe_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    env = {**os.environ, "FACILITATOR_DATA_DIR": str(tmp_path / "d"), "PYTHONIOENCODING": "cp1252"}
    run = [sys.executable, "-m", "facilitator"]
    subprocess.run([*run, "group", "add", "Мария's Circle"], env=env, check=True, capture_output=True)
    listing = subprocess.run([*run, "groups", "--json"], env=env, capture_output=True)
    assert listing.returncode == 0
    assert json.loads(listing.stdout.decode("utf-8"))[0]["name"] == "Мария's Circle"


@pytest.mark.sqlite_only(FORCED_DEMO_BACKS_UP)
def test_every_forced_demo_keeps_its_own_backup(cli, location: DataLocation) -> None:
    cli("group", "add", "Real One")
    assert cli("demo", "--force").code == 0
    cli("group", "add", "Real Two")
    assert cli("demo", "--force").code == 0
    assert len(list(location.backup_dir.glob("facilitator-*-before-demo.sqlite3"))) == 2


def test_no_backup_no_force(tmp_path: Path) -> None:
    """`demo --force` backs up first; where the database is not a file it can copy, it stops."""
    from facilitator.errors import DatabaseProblem
    from facilitator.storage.backups import make_backup

    server = DataLocation.resolve(tmp_path / "d", "postgresql://facilitator@localhost/records")
    with pytest.raises(DatabaseProblem, match="is a server; back it up with the server's own tools"):
        make_backup(server, "before-demo")


def test_with_no_command_the_window_given_opens_on_the_data_folder(location: DataLocation) -> None:
    opened: list[DataLocation] = []

    def window(where: DataLocation) -> int:
        opened.append(where)
        return 7

    # A standalone build has no entry points: its launcher hands the window in.
    assert main(["--data-dir", str(location.data_dir)], window=window) == 7
    assert [where.data_dir for where in opened] == [location.data_dir]


def test_with_no_window_installed_the_command_line_says_so(
    location: DataLocation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [])
    assert main(["--data-dir", str(location.data_dir)]) == 1
    assert capsys.readouterr().err == (
        "facilitator: The window is not installed; reinstall Facilitator with its Qt layer.\n"
    )
