"""A share round written as it goes, and picked up again after the program stopped."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from time import monotonic

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.machine import RoundState, ShareRound
from facilitator.rules.share_round.order import sharing_order
from facilitator.rules.share_round.turns import (
    finished_turns,
    resumed_round,
    round_saved,
    time_added,
    turn_ended,
    turn_in_progress,
    turn_paused,
    turn_resumed,
    turn_started,
)
from facilitator.storage.database import Database

T0 = datetime(2026, 3, 3, 19, 30).astimezone()


def test_a_round_resumes_after_a_crash_with_the_right_elapsed_time(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        meeting = open_meeting(session, group.id, now=T0 - timedelta(minutes=30))
        for name in ("Ann", "Bo", "Cy"):
            person = add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
            check_in(session, meeting.id, person.id, now=T0 - timedelta(minutes=25))
        order = sharing_order(session, meeting.id)

        # Ann shares 150 s; Bo starts, pauses for 60 s, gets 30 s more, and is sharing when the power goes.
        turn_started(session, meeting.id, order[0], 0, now=T0)
        turn_ended(session, meeting.id, 0, seconds_used=150, passed=False, now=T0 + timedelta(seconds=150))
        turn_started(session, meeting.id, order[1], 1, now=T0 + timedelta(seconds=151))
        turn_paused(session, meeting.id, 1, now=T0 + timedelta(seconds=181))
        turn_resumed(session, meeting.id, 1, now=T0 + timedelta(seconds=241))
        time_added(session, meeting.id, 1, 30)

    crash = T0 + timedelta(seconds=301)  # Bo has used 301 - 151 - 60 = 90 s
    with db.begin() as session:
        progress = turn_in_progress(session, meeting.id, now=crash)
        done = finished_turns(session, meeting.id)
    assert progress is not None
    assert (progress.sharer.display_name, progress.position, progress.elapsed, progress.paused, progress.extra) == (
        "Bo",
        1,
        90,
        False,
        30,
    )
    assert [(turn.sharer.display_name, turn.seconds_used) for turn in done] == [("Ann", 150)]

    clock_now = [5000.0]
    round_ = ShareRound.resumed(
        queue=[sharer for sharer in order if sharer not in (progress.sharer, *(t.sharer for t in done))],
        allotment=180,
        warning=60,
        finished=done,
        current=progress.sharer,
        elapsed=progress.elapsed,
        paused=progress.paused,
        extra=progress.extra,
        position=progress.position,
        clock=lambda: clock_now[0],
    )
    timing = round_.timing()
    assert timing is not None and round_.state is RoundState.RUNNING
    assert (timing.elapsed, timing.remaining) == (90, 120)
    clock_now[0] += 20
    assert round_.next() == order[2]
    assert round_.finished[-1].seconds_used == 110


def test_a_turn_paused_when_the_program_stopped_resumes_paused(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Thursday")
        meeting = open_meeting(session, group.id, now=T0)
        person = add_participant(session, group.id, "Ann")
        check_in(session, meeting.id, person.id, now=T0)
        (ann,) = sharing_order(session, meeting.id)
        turn_started(session, meeting.id, ann, 0, now=T0)
        turn_paused(session, meeting.id, 0, now=T0 + timedelta(seconds=45))
        progress = turn_in_progress(session, meeting.id, now=T0 + timedelta(hours=2))
    assert progress is not None and progress.paused and progress.elapsed == 45


def test_closing_the_meeting_ends_a_turn_still_running(db: Database) -> None:
    from sqlalchemy import select

    from facilitator.rules.meetings import close_meeting
    from facilitator.storage.models import ShareTurn

    with db.begin() as session:
        group = create_group(session, "Saturday")
        meeting = open_meeting(session, group.id, now=T0)
        person = add_participant(session, group.id, "Ann")
        check_in(session, meeting.id, person.id, now=T0)
        (ann,) = sharing_order(session, meeting.id)
        turn_started(session, meeting.id, ann, 0, now=T0)
        close_meeting(session, meeting.id, now=T0 + timedelta(seconds=75))
        turn = session.scalar(select(ShareTurn))
        assert turn is not None and turn.seconds_used == 75 and turn.ended_at is not None
        assert turn_in_progress(session, meeting.id) is None


def test_a_resumed_round_keeps_its_own_queue_length_warning_and_budget(db: Database) -> None:
    """The facilitator moved Cy ahead, let a latecomer share next and set 2:30 shares; a crash
    must bring back exactly that, not the group's defaults and the usual order."""
    with db.begin() as session:
        group = create_group(session, "Wednesday", share_minutes=3)
        meeting = open_meeting(session, group.id, now=T0 - timedelta(minutes=30))
        for name in ("Ann", "Bo", "Cy", "Dee"):
            person = add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
            check_in(session, meeting.id, person.id, now=T0 - timedelta(minutes=20))
        ann, bo, cy, dee = sharing_order(session, meeting.id)
        round_ = ShareRound(queue=[ann, bo, cy], allotment=150, warning=40, budget=900, clock=lambda: 0.0)
        first = round_.start()
        turn_started(session, meeting.id, first, round_.current_position, now=T0)
        round_.move(cy.participant_id, 0)
        round_.add_latecomer(dee, next_up=True)
        round_saved(session, meeting.id, round_)

    with db.begin() as session:
        resumed = resumed_round(session, meeting.id, clock=lambda: 7000.0, now=T0 + timedelta(seconds=100))
    assert resumed is not None and resumed.current == ann
    assert [sharer.display_name for sharer in resumed.queue] == ["Dee", "Cy", "Bo"]
    assert (resumed.allotment, resumed.warning, resumed.budget) == (150, 40, 900)
    timing = resumed.timing()
    assert timing is not None and timing.remaining == 50


def test_a_round_from_before_rounds_were_kept_resumes_with_the_groups_defaults(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Friday", share_minutes=4)
        meeting = open_meeting(session, group.id, now=T0 - timedelta(minutes=30))
        for name in ("Ann", "Bo"):
            person = add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
            check_in(session, meeting.id, person.id, now=T0 - timedelta(minutes=20))
        ann, bo = sharing_order(session, meeting.id)
        turn_started(session, meeting.id, ann, 0, now=T0)
        resumed = resumed_round(session, meeting.id, clock=lambda: 0.0, now=T0 + timedelta(seconds=30))
        assert resumed is not None
        assert (resumed.current, resumed.queue, resumed.allotment, resumed.budget) == (ann, [bo], 240, None)
        assert (
            resumed_round(session, open_meeting(session, create_group(session, "Empty").id).id, clock=monotonic) is None
        )


def test_a_round_without_a_time_budget_keeps_having_none_after_restarts(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Saturday")
        meeting = open_meeting(session, group.id, now=T0)
        for name in ("Ann", "Bo"):
            check_in(session, meeting.id, add_participant(session, group.id, name).id, now=T0)
        ann, bo = sharing_order(session, meeting.id)
        round_ = ShareRound(queue=[ann, bo], allotment=180, warning=60, clock=lambda: 0.0)
        turn_started(session, meeting.id, round_.start(), 0, now=T0)
        round_saved(session, meeting.id, round_)
    for _restart in range(2):
        with db.begin() as session:
            resumed = resumed_round(session, meeting.id, clock=lambda: 0.0, now=T0)
            assert resumed is not None and resumed.budget is None and resumed.fair_share() is None
            round_saved(session, meeting.id, resumed)
