"""Importing a roster: bad rows and rows with no name, names close to someone on the roster, the
program's own export coming back unchanged, a 100,000-line file, and the import-roster command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from facilitator.errors import InvalidInput
from facilitator.rules.exports import neutralise, roster_csv, unneutralise
from facilitator.rules.groups import create_group
from facilitator.rules.participants import add_participant, list_participants
from facilitator.rules.roster_import import Placement, import_roster, preview_import, read_roster, read_roster_file
from facilitator.storage.database import Database

BAD_ROWS = b"Name,Note\nAnn,ok\nCy\x1b[2J,escape\nBo,\n" + b"D" * 100 + b",long\n"


def _group(db: Database, *members: str) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        for name in members:
            add_participant(session, group.id, name, joined_on=date(2025, 1, 1))
    return group.id


def _roster(db: Database, group_id: int) -> list[tuple[str, str | None]]:
    with db.begin() as session:
        return [(person.display_name, person.note) for person in list_participants(session, group_id)]


def test_bad_rows_block_the_import_unless_the_good_rows_are_asked_for(db: Database) -> None:
    group_id = _group(db)
    roster = read_roster(BAD_ROWS)
    with db.begin() as session:
        preview = preview_import(session, group_id, roster)
    assert [(row.line, row.outcome) for row in preview if row.placement is Placement.PROBLEM] == [
        (3, "problem: The name contains a control character (U+001B), which cannot be stored."),
        (5, "problem: The name is 100 characters long; at most 80 fit."),
    ]
    with pytest.raises(InvalidInput, match="2 problem"), db.begin() as session:
        import_roster(session, group_id, roster)
    assert _roster(db, group_id) == []
    with db.begin() as session:
        result = import_roster(session, group_id, roster, skip_bad_rows=True)
    assert result.added == ["Ann", "Bo"]
    assert _roster(db, group_id) == [("Ann", "ok"), ("Bo", None)]


@pytest.mark.sqlite_only("the failure is made by an SQLite trigger")
def test_a_write_that_fails_midway_stores_nothing(db: Database) -> None:
    group_id = _group(db)
    roster = read_roster(("Name\n" + "".join(f"Person {n}\n" for n in range(2000))).encode())
    with db.begin() as session:
        session.execute(
            text(
                "CREATE TRIGGER full_disk AFTER INSERT ON memberships "
                "WHEN (SELECT count(*) FROM memberships) >= 1500 BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    with pytest.raises(DBAPIError, match="disk full"), db.begin() as session:
        import_roster(session, group_id, roster)
    assert _roster(db, group_id) == []
    with db.begin() as session:
        assert session.scalar(text("SELECT count(*) FROM participants")) == 0


def test_rows_with_no_name_are_skipped_and_said_what_they_held(db: Database) -> None:
    group_id = _group(db)
    roster = read_roster(
        b"Name,E-mail,Company,Phone\nAnn,ann@example.org,,\n,bo@example.org,,\n,,Acme Ltd,\n,,,+44 7700 900123\n"
    )
    with db.begin() as session:
        preview = preview_import(session, group_id, roster)
    assert [(row.line, row.placement, row.outcome) for row in preview] == [
        (2, Placement.NEW, "new"),
        (3, Placement.SKIPPED, "skipped: no name (only an e-mail address)"),
        (4, Placement.SKIPPED, "skipped: no name (only a company)"),
        (5, Placement.SKIPPED, "skipped: no name (only a phone number)"),
    ]
    with db.begin() as session:
        assert import_roster(session, group_id, roster).added == ["Ann"]
    assert _roster(db, group_id) == [("Ann", None)]


def test_invisible_characters_left_out_of_an_imported_name_are_said_in_the_preview(db: Database, cli, tmp_path) -> None:
    group_id = _group(db)
    roster = read_roster("Name\nAnn\u3164\n\u115fBo\nCy\n".encode())
    with db.begin() as session:
        preview = preview_import(session, group_id, roster)
    assert [(row.name, row.outcome) for row in preview] == [
        ("Ann", "new — An invisible character (U+3164) is left out of the name."),
        ("Bo", "new — An invisible character (U+115F) is left out of the name."),
        ("Cy", "new"),
    ]
    path = tmp_path / "names.csv"
    path.write_text("Name\nDee\u2800\n", encoding="utf-8")
    done = cli("import-roster", str(path), "--group", "Tuesday")
    assert done.code == 0
    assert "line 2: An invisible character (U+2800) is left out of the name." in done.out
    with db.begin() as session:
        assert "Dee" in [person.display_name for person in list_participants(session, group_id)]


def test_a_name_close_to_someone_on_the_roster_is_added_only_when_asked(db: Database) -> None:
    group_id = _group(db, "Chloé Martin")
    roster = read_roster(b"Name\nChloe Marten\nBo\n")
    with db.begin() as session:
        preview = preview_import(session, group_id, roster)
    assert [(row.name, row.outcome) for row in preview] == [
        ("Chloe Marten", "close to “Chloé Martin” on the roster"),
        ("Bo", "new"),
    ]
    assert preview[0].placement is Placement.CLOSE and not preview[0].will_add
    with db.begin(commit=False) as session:
        result = import_roster(session, group_id, roster)
    assert (result.added, [row.name for row in result.close]) == (["Bo"], ["Chloe Marten"])
    with db.begin() as session:
        result = import_roster(session, group_id, roster, add_close=True)
    assert result.added == ["Chloe Marten", "Bo"]
    assert sorted(name for name, _ in _roster(db, group_id)) == ["Bo", "Chloe Marten", "Chloé Martin"]


PROTECTED = [("-Ann", "+44 7700 900123"), ("+Bo", "-"), ("@Cy", "=1+2"), ("=Dee", "@home"), ("'-Eve", "'=x")]


@pytest.mark.parametrize("cell", ["=1+2", "'=1+2", "''+x", "'", "'a", "Ann", "", "-", "\tx"])
def test_unneutralise_undoes_exactly_what_neutralise_did(cell: str) -> None:
    assert unneutralise(str(neutralise(cell))) == cell


def test_the_roster_export_imports_back_unchanged(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        empty = create_group(session, "Saturday")
        for name, note in PROTECTED:
            add_participant(session, group.id, name, note=note)
        export = roster_csv(session, group.id)
    before = _roster(db, group.id)
    roster = read_roster(export.data)
    with db.begin() as session:
        preview = preview_import(session, group.id, roster)
        assert {row.placement for row in preview} == {Placement.ON_ROSTER}
        result = import_roster(session, group.id, roster)
    assert result.added == [] and result.back == []
    assert _roster(db, group.id) == before
    with db.begin() as session:
        import_roster(session, empty.id, roster)
    assert sorted(_roster(db, empty.id)) == sorted(PROTECTED)


def test_a_100000_line_file_imports(db: Database, tmp_path: Path) -> None:
    group_id = _group(db, "Ann")
    path = tmp_path / "big.csv"
    rows = "".join(f"Person {n},note {n}\n" for n in range(99_999))
    path.write_text(f"Name,Note\n{rows}ann,\n", encoding="utf-8")
    seen: list[int] = []
    roster = read_roster_file(path, progress=seen.append)
    assert seen and seen == sorted(seen) and seen[-1] <= 100_000
    with db.begin() as session:
        result = import_roster(session, group_id, roster)
    assert (len(result.added), result.already_on_roster) == (99_999, ["ann"])
    with db.begin() as session:
        people = {person.display_name: person for person in list_participants(session, group_id)}
    assert len(people) == 100_000
    assert (people["Person 0"].note, people["Person 99998"].note, people["Ann"].note) == ("note 0", "note 99998", None)
    assert people["Person 99998"].joined_on == date.today()


def test_the_file_is_read_before_any_transaction_begins(cli, tmp_path: Path, monkeypatch) -> None:
    from facilitator.rules import roster_import
    from facilitator.storage import database

    events: list[str] = []
    reading = roster_import.read_roster_file
    beginning = database.Database.begin

    def read(*args, **kwargs):
        events.append("read begins")
        try:
            return reading(*args, **kwargs)
        finally:
            events.append("read ends")

    def begin(self, **kwargs):
        events.append("transaction")
        return beginning(self, **kwargs)

    assert cli("group", "add", "Tuesday").code == 0
    (tmp_path / "people.csv").write_text("Name\nAnn\nBo\n")
    monkeypatch.setattr(roster_import, "read_roster_file", read)
    monkeypatch.setattr(database.Database, "begin", begin)
    result = cli("import-roster", str(tmp_path / "people.csv"), "--group", "Tuesday")
    assert result.code == 0, result.err
    assert events[:2] == ["read begins", "read ends"] and "transaction" in events[2:]


def test_import_roster_command_skips_bad_rows_only_when_told(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    path = tmp_path / "people.csv"
    path.write_bytes(BAD_ROWS)
    refused = cli("import-roster", str(path), "--group", "Tuesday")
    assert refused.code == 1
    assert "people.csv, line 3: The name contains a control character (U+001B)" in refused.err
    assert "2 problem(s) in people.csv; nothing was imported. Add --skip-bad-rows to import the other lines." in (
        refused.err
    )
    done = cli("import-roster", str(path), "--group", "Tuesday", "--skip-bad-rows")
    assert done.code == 0, done.err
    assert "Added 2 to Tuesday: Ann, Bo" in done.out
    assert "Left out 2 line(s) with a problem: 3, 5." in done.out


def test_import_roster_command_refuses_close_names_without_new(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    first = tmp_path / "first.csv"
    first.write_text("Name\nChloé Martin\n", encoding="utf-8")
    assert cli("import-roster", str(first), "--group", "Tuesday").code == 0
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\nChloe Marten,\nBo,\n,cy@example.org\n")
    dry = cli("import-roster", str(path), "--group", "Tuesday", "--dry-run", "--new")
    assert dry.code == 0, dry.err
    assert "line 2: Chloe Marten — close to “Chloé Martin” on the roster" in dry.out
    assert "line 3: Bo — new" in dry.out
    assert "line 4: — skipped: no name (only an e-mail address)" in dry.out
    refused = cli("import-roster", str(path), "--group", "Tuesday")
    assert refused.code == 1
    assert "line 2: “Chloe Marten” is close to “Chloé Martin” on the roster" in refused.err
    assert "Add --new to add such names as new people" in refused.err
    done = cli("import-roster", str(path), "--group", "Tuesday", "--new")
    assert done.code == 0, done.err
    assert "Added 2 to Tuesday: Chloe Marten, Bo" in done.out
    assert "Skipped: line 4: no name (only an e-mail address)." in done.out


def test_an_unknown_encoding_is_refused_plainly(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday").code == 0
    (tmp_path / "people.csv").write_text("Name\nAnn\n")
    result = cli("import-roster", str(tmp_path / "people.csv"), "--group", "Tuesday", "--encoding", "klingon")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "facilitator: “klingon” is not an encoding Facilitator knows; try UTF-8, Windows-1252 or ISO-8859-1.\n"
    )


def test_import_roster_help_names_the_kinds_and_options(cli) -> None:
    shown = cli("import-roster", "--help").out
    for option in ("--skip-bad-rows", "--new", "--sheet", "--encoding", "FILE"):
        assert option in shown
    assert "FILE.csv" not in shown


NAMES = ["Chloé Martin", "Chloe Marten", "chloe", "an l", "Ann Lee", "Zoë", "Zoe", "Jon", "John", "Chris",
         "Christopher Lee", "Xavier", "Javier", "Mary Ann", "Mary", "Łukasz", "Lukasz", "Bo", "Ben", "Ken",
         "Nguyễn Văn An", "van an", "Anna-Lena", "Anna Lena", "O'Neil", "ONeil", "Person 7", "Person 70",
         "Anna", "Hanna", "Mari", "Maria", "Marie", "Pedro Martin", "Person 000123", "Ann Leigh"]  # fmt: skip


def test_the_quick_look_up_never_misses_names_alike() -> None:
    from facilitator.rules.roster_import import _Candidates
    from facilitator.text import name_key, names_alike

    alike = [(new, old) for new in NAMES for old in NAMES if names_alike(new, old)]
    assert ("Chloe Marten", "Chloé Martin") in alike and ("chloe", "Chloé Martin") in alike
    roster = _Candidates({name_key(name): name for name in NAMES})
    for new, old in alike:
        found = {name_key(name) for name in roster.for_key(name_key(new))}
        assert name_key(old) in found or name_key(old) == name_key(new), (new, old)
    assert _Candidates({name_key("Pedro Martin"): "Pedro Martin"}).for_key(name_key("Person 000123")) == []
