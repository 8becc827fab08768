"""Nothing acknowledged is lost: a process checking people in and recording share turns is killed
at random moments, many times (CI: FACILITATOR_CRASH_KILLS=200), and after every kill the
database passes its checks and holds everything the process had acknowledged."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select, text

from facilitator.records import open_records
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import Attendance, ShareTurn

KILLS = int(os.environ.get("FACILITATOR_CRASH_KILLS", "24"))
LANES = 4  # data folders killed in parallel, so that many kills take little time

WORKER = """
import sys
from facilitator.rules.attendance import check_in
from facilitator.records import open_records
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.locations import DataLocation
from facilitator.rules.share_round.machine import Sharer
from facilitator.rules.share_round.turns import turn_ended, turn_started

db = open_records(DataLocation.resolve(sys.argv[1]))
with db.begin() as session:
    group = create_group(session, f"Round {sys.argv[2]}")
    people = [add_participant(session, group.id, f"Person {n}").id for n in range(30)]
    meeting = open_meeting(session, group.id).id
print("READY", meeting, flush=True)
for position, person in enumerate(people):
    with db.begin() as session:
        check_in(session, meeting, person)
    print("CHECKIN", person, flush=True)  # acknowledged only once the commit has returned
    with db.begin() as session:
        turn_started(session, meeting, Sharer(person, "x"), position)
    print("STARTED", position, flush=True)
    with db.begin() as session:
        turn_ended(session, meeting, position, seconds_used=1.5, passed=False)
    print("ENDED", position, flush=True)
"""


def _one_kill(worker: Path, data: Path, round_: int, rng: random.Random) -> tuple[int, dict[str, list[int]]]:
    """Run the worker, kill it at a random moment, and return what it had acknowledged."""
    process = subprocess.Popen([sys.executable, str(worker), str(data), str(round_)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    ready = process.stdout.readline().split()
    assert ready[0] == "READY", ready
    acknowledged: dict[str, list[int]] = {"CHECKIN": [], "STARTED": [], "ENDED": []}
    stop_after = rng.randrange(1, 80)
    for count, line in enumerate(process.stdout, start=1):
        kind, number = line.split()
        acknowledged[kind].append(int(number))
        if count == stop_after:
            time.sleep(rng.random() * 0.004)  # often lands in the middle of the next transaction
            process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
            break
    process.wait()
    return int(ready[1]), acknowledged


def _lane(tmp_path: Path, worker: Path, lane: int, kills: int) -> int:
    data = tmp_path / f"lane{lane}"
    rng = random.Random(20261124 + lane)
    for round_ in range(kills):
        meeting_id, acknowledged = _one_kill(worker, data, round_, rng)
        db = open_records(DataLocation.resolve(data))
        try:
            with db.begin() as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert session.execute(text("PRAGMA foreign_key_check")).all() == []
                checked_in = set(
                    session.scalars(select(Attendance.participant_id).where(Attendance.meeting_id == meeting_id))
                )
                turns = {
                    turn.position: turn
                    for turn in session.scalars(select(ShareTurn).where(ShareTurn.meeting_id == meeting_id))
                }
        finally:
            db.close()
        assert set(acknowledged["CHECKIN"]) <= checked_in, (lane, round_)
        assert set(acknowledged["STARTED"]) <= set(turns), (lane, round_)
        assert all(turns[position].ended_at is not None for position in acknowledged["ENDED"]), (lane, round_)
    return kills


@pytest.mark.sqlite_only("kills a writer of the SQLite file, then checks the file with PRAGMA integrity_check")
# Each kill starts a Python that imports SQLAlchemy: on a slow machine a full run (CI's 200 kills)
# takes minutes, more than the suite's 120 s allowance for a single test.
@pytest.mark.timeout(max(120, 2 * KILLS))
def test_killed_processes_lose_no_acknowledged_check_in_or_share_turn(tmp_path: Path) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    per_lane = [KILLS // LANES + (lane < KILLS % LANES) for lane in range(LANES)]
    with ThreadPoolExecutor(LANES) as pool:
        done = sum(pool.map(lambda lane: _lane(tmp_path, worker, lane, per_lane[lane]), range(LANES)))
    assert done == KILLS
