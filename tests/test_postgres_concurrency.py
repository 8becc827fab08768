"""Two processes on one PostgreSQL database at once, as two facilitators' laptops would be: check-ins
that race lose nothing and double nothing."""

from __future__ import annotations

import multiprocessing
import queue
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from facilitator.errors import FacilitatorError, user_message
from facilitator.records import open_records
from facilitator.rules.attendance import check_in, meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import Attendance, AttendanceStatus
from tests.conftest import postgres_test_url

pytestmark = pytest.mark.skipif(
    postgres_test_url() is None, reason="needs FACILITATOR_TEST_DATABASE_URL (a PostgreSQL server); CI sets it"
)

ROUNDS = 200
WAIT_SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    worker: str
    participant_id: int
    result: str  # "checked in", "refused" (a plain message) or "failed" (anything else)
    message: str
    started: float  # time.monotonic(), the same clock in every process on one machine
    ended: float


def _check_in_worker(
    url: str, data_dir: str, worker: str, meeting_id: int, plan: list[int], barrier: Any, results: Any
) -> None:
    """One process: for each person in the plan, wait for the other process, then check them in."""
    db = open_records(DataLocation(Path(data_dir), url))
    try:
        for participant_id in plan:
            barrier.wait(WAIT_SECONDS)
            started = time.monotonic()
            try:
                with db.begin() as session:
                    check_in(session, meeting_id, participant_id)
                result, message = "checked in", ""
            except FacilitatorError as exc:
                result, message = "refused", str(exc)
            except Exception as exc:
                result, message = "failed", f"{type(exc).__name__}: {user_message(exc) or exc}"
            results.put(Outcome(worker, participant_id, result, message, started, time.monotonic()))
    finally:
        db.close()


def _race(location: DataLocation, meeting_id: int, plans: dict[str, list[int]]) -> list[Outcome]:
    """Run one process per plan, in step: round n starts in every process at the same moment."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as a second laptop would be
    barrier = context.Barrier(len(plans))
    results = context.Queue()
    processes = [
        context.Process(
            target=_check_in_worker,
            args=(location.explicit_database_url, str(location.data_dir), name, meeting_id, plan, barrier, results),
        )
        for name, plan in plans.items()
    ]
    for process in processes:
        process.start()
    outcomes = []
    try:
        for _ in range(sum(len(plan) for plan in plans.values())):
            try:
                outcomes.append(results.get(timeout=WAIT_SECONDS))
            except queue.Empty:
                codes = [process.exitcode for process in processes]
                pytest.fail(f"a worker stopped answering (exit codes {codes})")
    finally:
        for process in processes:
            process.join(WAIT_SECONDS)
            if process.is_alive():
                process.terminate()
    assert [process.exitcode for process in processes] == [0] * len(processes)
    return outcomes


def _meeting_with_roster(db: Database, size: int) -> tuple[int, list[int]]:
    with db.begin() as session:
        group = create_group(session, "Thursday Circle")
        people = [add_participant(session, group.id, f"Member {n:03}").id for n in range(size)]
        return open_meeting(session, group.id).id, people


def _stored(db: Database, meeting_id: int) -> list[int]:
    with db.begin() as session:
        return list(session.scalars(select(Attendance.participant_id).where(Attendance.meeting_id == meeting_id)))


def _overlap(first: Outcome, second: Outcome) -> bool:
    return first.started < second.ended and second.started < first.ended


def _assert_raced(pairs: list[list[Outcome]]) -> None:
    """The test proves something only if the two processes really were in the database together."""
    together = sum(1 for pair in pairs if _overlap(*pair))
    assert together >= len(pairs) // 10, f"the two processes wrote at the same time in only {together} rounds"


def test_two_processes_checking_in_different_people_at_once_lose_no_check_in(
    db: Database, location: DataLocation
) -> None:
    meeting_id, people = _meeting_with_roster(db, 2 * ROUNDS)
    plans = {"front desk": people[0::2], "back door": people[1::2]}

    outcomes = _race(location, meeting_id, plans)

    assert [outcome for outcome in outcomes if outcome.result != "checked in"] == []
    assert sorted(_stored(db, meeting_id)) == sorted(people)  # every acknowledged check-in, each once
    with db.begin() as session:
        roll = meeting_roll(session, meeting_id)
    assert len(roll) == len(people) and all(entry.status is AttendanceStatus.PRESENT for entry in roll)
    _assert_raced([[o for o in outcomes if o.participant_id in pair] for pair in zip(*plans.values(), strict=True)])


def test_the_same_person_checked_in_by_two_processes_at_once_is_stored_once(
    db: Database, location: DataLocation
) -> None:
    meeting_id, people = _meeting_with_roster(db, ROUNDS)

    outcomes = _race(location, meeting_id, {"front desk": people, "back door": people})

    # Exactly one side is told the person is checked in; the other, plainly, that they already are.
    for person in people:
        sides = sorted(outcome.result for outcome in outcomes if outcome.participant_id == person)
        assert sides == ["checked in", "refused"], (person, sides)
    assert all("already marked" in o.message for o in outcomes if o.result != "checked in")
    assert sorted(_stored(db, meeting_id)) == sorted(people)
    with db.begin() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == ROUNDS
    _assert_raced([[o for o in outcomes if o.participant_id == person] for person in people])
