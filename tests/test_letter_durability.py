"""Every attendance letter that exists has a code that checks out: its record is committed before
its file appears. A process issuing letters is killed at random moments, and at the moment a file
is put in place; after each kill, every letter file found names a code the records hold."""

from __future__ import annotations

import errno
import os
import random
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import AttendanceLetter
from tests.test_durability import KILLS

pytestmark = pytest.mark.sqlite_only("kills a writer of the SQLite file and reads the file it left")

LETTER = (
    "verify-letter",
    "--participant",
    "Ann Lee",
    "--group",
    "Tuesday",
    "--from",
    "2020-01-01",
    "--to",
    "2030-12-31",
    "--signed-by",
    "Sam Rivera",
)

# The letter command, run again and again; with "publish", it stops for good (to be killed) the
# moment a PDF is renamed into place.
WORKER = """
import os, sys, time
from facilitator.cli import main

data, out, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "publish"
if pause:
    rename = os.replace

    def replace(source, target):
        rename(source, target)
        if str(target).endswith(".pdf"):
            print("PUBLISHED", flush=True)
            time.sleep(600)

    os.replace = replace
print("READY", flush=True)
for number in range(10_000):
    main(["--data-dir", data, *sys.argv[4:], "-o", os.path.join(out, f"letter-{number}.pdf")])
    sys.stdout.flush()
"""


def _folder_with_ann(data: Path) -> None:
    db = open_records(DataLocation.resolve(data))
    try:
        with db.begin() as session:
            group = create_group(session, "Tuesday")
            ann = add_participant(session, group.id, "Ann Lee", joined_on=date(2025, 1, 1))
            start = datetime(2025, 6, 3, 19, 0).astimezone()
            meeting = open_meeting(session, group.id, now=start)
            check_in(session, meeting.id, ann.id, now=start)
            close_meeting(session, meeting.id, now=start + timedelta(hours=1))
    finally:
        db.close()


def _run(worker: Path, data: Path, out: Path, pause: str, kill_after: int, rng: random.Random) -> None:
    """Start the letter command, and kill it: at the pause, or after `kill_after` letters and a moment."""
    command = [sys.executable, str(worker), str(data), str(out), pause, *LETTER]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    for count, line in enumerate(process.stdout):
        if line.startswith("PUBLISHED") or count + 1 >= kill_after:
            if not line.startswith("PUBLISHED"):
                time.sleep(rng.random() * 0.05)  # lands anywhere in the next letter
            process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
            break
    process.wait()


def _unverified_letters(data: Path, out: Path) -> list[str]:
    """The letter files whose code the records do not hold."""
    db = open_records(DataLocation.resolve(data))
    try:
        with db.begin() as session:
            issued = set(session.scalars(select(AttendanceLetter.code)))
    finally:
        db.close()
    found = []
    for path in out.glob("letter-*.pdf"):
        text = " ".join(page.extract_text() for page in PdfReader(path).pages)
        code = re.search(r"quote\s+the\s+code\s+([A-Z0-9]{4}-[A-Z0-9]{4})", text)  # a line may break in it
        assert code is not None, f"{path.name} is not a whole letter"
        if code[1] not in issued:
            found.append(f"{path.name}: {code[1]}")
    return found


@pytest.mark.timeout(max(120, 8 * KILLS))
def test_a_letter_killed_at_any_moment_never_exists_without_its_record(tmp_path: Path) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    rng = random.Random(20261201)
    data, out = tmp_path / "data", tmp_path / "letters"
    out.mkdir()
    _folder_with_ann(data)
    _run(worker, data, out, "publish", 0, rng)  # the moment its file is put in place
    assert len(list(out.glob("letter-*.pdf"))) == 1
    assert _unverified_letters(data, out) == []
    for _kill in range(max(1, KILLS // 4)):
        _run(worker, data, out, "random", rng.randrange(1, 4), rng)
        assert _unverified_letters(data, out) == []


def test_a_letter_whose_record_cannot_be_kept_leaves_no_file(cli, tmp_path: Path, monkeypatch) -> None:
    _folder_with_ann(tmp_path / "data")
    from facilitator.rules import letters

    def full_disk(session, facts) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(letters, "record_letter", full_disk)
    failed = cli(*LETTER, "-o", str(tmp_path / "letter.pdf"))
    assert failed.code == 1 and "The disk is full, so this could not be done; your records are intact" in failed.err
    assert os.listdir(tmp_path) == ["data"]


def test_a_letter_recorded_whose_file_cannot_be_saved_says_so(cli, tmp_path: Path, monkeypatch) -> None:
    _folder_with_ann(tmp_path / "data")
    target = tmp_path / "letter.pdf"
    rename = os.replace

    def full_disk(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        if Path(destination) == target:
            raise OSError(errno.ENOSPC, "No space left on device")
        rename(source, destination)

    monkeypatch.setattr(os, "replace", full_disk)
    failed = cli(*LETTER, "-o", str(target))
    code = re.search(r"code ([A-Z0-9]{4}-[A-Z0-9]{4})", failed.err)
    assert failed.code == 1 and code is not None, failed.err
    assert failed.err == (
        f"facilitator: The letter for Ann Lee was recorded (code {code[1]}), but its file could not be saved "
        f"to {target}: No space left on device. Make it again once that is put right.\n"
    )
    assert os.listdir(tmp_path) == ["data"]  # no hidden part file left
    monkeypatch.setattr(os, "replace", rename)
    assert cli("verify-code", code[1]).out.startswith(f"Genuine: letter {code[1]}")
