"""Dates as people read them: one form, from one place in the core, in the window, the documents
and the command line's sentences ("Tue 3 Mar 2026"), never a machine's "2026-03-03" beside it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.letters import check_letter, genuine_message, letter_facts, record_letter
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database

ROOT = Path(__file__).resolve().parent.parent


def test_a_checked_letter_code_reads_its_dates_in_one_form(db: Database, cli) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        ann = add_participant(session, group.id, "Ann Lee", joined_on=date(2025, 1, 1))
        meeting = open_meeting(session, group.id, now=datetime(2025, 6, 3, 19, 0).astimezone())
        check_in(session, meeting.id, ann.id, now=meeting.started_at)
        close_meeting(session, meeting.id, now=meeting.started_at.replace(hour=20))
        issued = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
        facts = letter_facts(
            session, ann.id, group.id, date(2025, 1, 1), date(2025, 12, 31), signed_by="Sam Rivera", now=issued
        )
        record_letter(session, facts)
        message = genuine_message(check_letter(session, facts.code))
    assert "was issued on 5 Mar 2026 for Ann Lee of Tuesday Circle" in message
    assert message.endswith("from 1 Jan 2025 to 31 Dec 2025.")
    assert cli("verify-code", facts.code).out.strip() == message


# A calendar date written with strftime codes (%d, %b, %B, %a, %A, %Y, %m): outside the core's
# dates module, each is a second way of showing a date.
DATE_CODES = re.compile(r"%[dbBaAYm]")
ALLOWED = {
    "facilitator/dates.py",  # the one place
    "facilitator/storage/backups.py",  # backup file names, sorted by a machine
    "facilitator/storage/crash_reports.py",  # crash report file names, likewise
}


def test_dates_people_read_are_written_by_the_core_dates_module_only() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("facilitator", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in ALLOWED and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DATE_CODES.search(line) and ("strftime" in line or re.search(r"\{[^}]*:[^}]*%", line))
    ]
    assert found == []
