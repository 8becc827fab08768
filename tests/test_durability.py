"""Nothing acknowledged is lost: a process checking people in is killed mid-meeting, many times."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from facilitator.db import open_database
from facilitator.models import Attendance
from facilitator.paths import DataLocation

WORKER = """
import sys
from facilitator.attendance import check_in
from facilitator.db import open_database
from facilitator.groups import create_group, find_group
from facilitator.meetings import open_meeting
from facilitator.participants import add_participant
from facilitator.paths import DataLocation
from facilitator.errors import NotFound

db = open_database(DataLocation.resolve(sys.argv[1]))
round_ = sys.argv[2]
with db.begin() as session:
    group = create_group(session, f"Round {round_}")
    people = [add_participant(session, group.id, f"Person {n}").id for n in range(40)]
    meeting = open_meeting(session, group.id).id
print("READY", meeting, flush=True)
for person in people:
    with db.begin() as session:
        check_in(session, meeting, person)
    print("ACK", person, flush=True)  # acknowledged only after the commit returned
"""


@pytest.mark.sqlite_only("kills a writer of the SQLite file, then checks the file with PRAGMA integrity_check")
def test_a_killed_process_loses_no_acknowledged_check_in(tmp_path: Path) -> None:
    data = tmp_path / "data"
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    rng = random.Random(20261124)
    for round_ in range(6):
        kill_after = rng.randrange(1, 35)
        process = subprocess.Popen(
            [sys.executable, str(worker), str(data), str(round_)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        ready = process.stdout.readline().split()
        assert ready[0] == "READY", ready
        meeting_id = int(ready[1])
        acknowledged = []
        for line in process.stdout:
            acknowledged.append(int(line.split()[1]))
            if len(acknowledged) == kill_after:
                process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
                break
        process.wait()
        assert process.returncode != 0

        db = open_database(DataLocation.resolve(data))
        with db.begin() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
            stored = set(session.scalars(select(Attendance.participant_id).where(Attendance.meeting_id == meeting_id)))
        db.close()
        assert len(acknowledged) == kill_after
        assert set(acknowledged) <= stored
