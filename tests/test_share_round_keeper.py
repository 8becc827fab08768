"""The share round's keeper: each move and its save in one call, on an injected clock, with no window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from facilitator.errors import InvalidState
from facilitator.rules.attendance import check_in, meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.keeper import RoundKeeper, suggested_share
from facilitator.rules.share_round.machine import RoundState
from facilitator.rules.share_round.record import PlaceInRound, place_in_round, read_waiting
from facilitator.storage.database import Database
from facilitator.storage.models import ShareRoundRecord, ShareTurn

T0 = datetime(2026, 3, 3, 19, 30).astimezone()


class Clocks:
    """The round's monotonic clock and the wall clock written on the turns, moving together."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return T0 + timedelta(seconds=self.seconds - 1000.0)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def meeting_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday", share_minutes=3)
        meeting = open_meeting(session, group.id, now=T0 - timedelta(minutes=30))
        for name in ("Ann", "Bo", "Cy"):
            person = add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
            check_in(session, meeting.id, person.id, now=T0 - timedelta(minutes=20))
        return meeting.id


def keeper_for(db: Database, meeting_id: int, clocks: Clocks) -> RoundKeeper:
    keeper = RoundKeeper(clock=clocks.monotonic, wall=clocks.wall)
    with db.begin() as session:
        keeper.load(session, meeting_id)
    return keeper


def turn_rows(db: Database, meeting_id: int) -> list[tuple[str, int, float | None, bool, bool, float, float, float]]:
    """Each turn as the records hold it: who (by name), position, seconds used, ended, passed,
    paused seconds, added seconds, and when it started (seconds after T0)."""
    from facilitator.storage.models import Participant

    with db.begin() as session:
        rows = session.execute(
            select(ShareTurn, Participant.display_name)
            .join(Participant, Participant.id == ShareTurn.participant_id)
            .where(ShareTurn.meeting_id == meeting_id)
            .order_by(ShareTurn.position)
        )
        return [
            (
                name,
                turn.position,
                turn.seconds_used,
                turn.ended_at is not None,
                turn.passed,
                turn.paused_seconds,
                turn.extra_seconds,
                (turn.started_at - T0).total_seconds(),
            )
            for turn, name in rows
        ]


def waiting_names(db: Database, meeting_id: int) -> list[str]:
    from facilitator.storage.models import Participant

    with db.begin() as session:
        record = session.get(ShareRoundRecord, meeting_id)
        assert record is not None
        names = {person: name for person, name in session.execute(select(Participant.id, Participant.display_name))}
        return [names[person] for person, _leaving_early in read_waiting(record)]


def test_the_set_up_shows_who_waits_and_nothing_is_written_before_the_start(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    view = keeper.view()
    assert view.state is RoundState.IDLE and view.current is None
    assert [sharer.display_name for sharer in view.waiting] == ["Ann", "Bo", "Cy"]
    assert turn_rows(db, meeting_id) == []
    assert suggested_share(9 * 60, len(view.waiting)).seconds == 180


def test_every_move_is_saved_with_it(db: Database, meeting_id: int, clocks: Clocks) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        view = keeper.start(session, share_seconds=150, warning_seconds=45, budget_seconds=600)
    assert view.state is RoundState.RUNNING and view.current is not None and view.current.display_name == "Ann"
    assert turn_rows(db, meeting_id) == [("Ann", 0, None, False, False, 0.0, 0.0, 0.0)]
    assert waiting_names(db, meeting_id) == ["Bo", "Cy"]

    clocks.advance(30)
    with db.begin() as session:
        assert keeper.pause(session).state is RoundState.PAUSED
    clocks.advance(20)
    with db.begin() as session:
        assert keeper.resume(session).state is RoundState.RUNNING
    with db.begin() as session:
        keeper.add_time(session, 60)
    assert turn_rows(db, meeting_id) == [("Ann", 0, None, False, False, 20.0, 60.0, 0.0)]

    clocks.advance(40)  # Ann has used 70 s
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False)
    assert view.current is not None and view.current.display_name == "Bo" and view.shared == 1
    clocks.advance(5)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=True)
    assert [s.display_name for s in view.passed] == ["Bo"]
    assert view.current is not None and view.current.display_name == "Cy"
    clocks.advance(100)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False)
    assert view.state is RoundState.FINISHED and [s.display_name for s in view.passed] == ["Bo"]
    assert turn_rows(db, meeting_id) == [
        ("Ann", 0, 70.0, True, False, 20.0, 60.0, 0.0),
        ("Bo", 1, 0.0, True, True, 0.0, 0.0, 90.0),
        ("Cy", 2, 100.0, True, False, 0.0, 0.0, 95.0),
    ]

    with db.begin() as session:
        view = keeper.second_round(session)
    assert view.current is not None and view.current.display_name == "Bo"
    assert turn_rows(db, meeting_id)[-1][:4] == ("Bo", 3, None, False)


def test_the_queue_changes_are_saved_as_they_are_made(db: Database, meeting_id: int, clocks: Clocks) -> None:
    from facilitator.storage.models import Meeting

    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    with db.begin() as session:  # two arrive late
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        for name in ("Dee", "Eve"):
            check_in(session, meeting_id, add_participant(session, meeting.group_id, name).id, now=clocks.wall())
    with db.begin() as session:
        late = keeper.latecomers(session)
        assert [sharer.display_name for sharer in late] == ["Dee", "Eve"]
        keeper.add_latecomer(session, late[0], next_up=True)
        keeper.add_latecomer(session, late[1])
    assert waiting_names(db, meeting_id) == ["Dee", "Bo", "Cy", "Eve"]
    bo, cy = (s.participant_id for s in keeper.view().waiting[1:3])
    with db.begin() as session:
        keeper.move(session, cy, 0)
    assert waiting_names(db, meeting_id) == ["Cy", "Dee", "Bo", "Eve"]
    with db.begin() as session:
        keeper.reorder(session, [s.participant_id for s in reversed(keeper.view().waiting)])
    assert waiting_names(db, meeting_id) == ["Eve", "Bo", "Dee", "Cy"]
    with db.begin() as session:
        keeper.remove(session, bo)
    assert waiting_names(db, meeting_id) == ["Eve", "Dee", "Cy"]


def test_a_round_killed_mid_turn_resumes_from_what_was_saved(db: Database, meeting_id: int, clocks: Clocks) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=150, warning_seconds=200, budget_seconds=600)
    assert keeper.round is not None and keeper.round.warning == 149  # a warning after the end comes just before
    bo = keeper.view().waiting[0]
    with db.begin() as session:
        keeper.move(session, bo.participant_id, 1)  # Cy before Bo
    clocks.advance(50)
    with db.begin() as session:
        keeper.end_turn(session, passed=False)
    clocks.advance(15)
    with db.begin() as session:
        keeper.pause(session)
    clocks.advance(600)  # the program is killed while paused; a new one starts much later
    again = keeper_for(db, meeting_id, clocks)
    view = again.view()
    assert view.state is RoundState.PAUSED and view.current is not None and view.current.display_name == "Cy"
    assert [s.display_name for s in view.waiting] == ["Bo"] and view.allotment == 150
    assert [(t.sharer.display_name, t.seconds_used) for t in view.finished] == [("Ann", 50)]
    assert again.round is not None and (again.round.warning, again.round.budget) == (149, 600)
    timing = again.round.timing()
    assert timing is not None and timing.elapsed == 15

    with db.begin() as session:
        again.resume(session)
    clocks.advance(45)
    with db.begin() as session:
        again.end_turn(session, passed=False)
    assert [(row[0], row[1], row[2]) for row in turn_rows(db, meeting_id)] == [
        ("Ann", 0, 50.0),
        ("Cy", 1, 60.0),
        ("Bo", 2, None),
    ]


def test_a_move_the_records_refuse_leaves_the_round_as_it_was(db: Database, meeting_id: int, clocks: Clocks) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    with db.begin() as session:
        close_meeting(session, meeting_id, now=clocks.wall())
    clocks.advance(20)
    with pytest.raises(InvalidState), db.begin() as session:
        keeper.end_turn(session, passed=False)
    view = keeper.view()
    assert view.state is RoundState.RUNNING and view.current is not None and view.current.display_name == "Ann"
    assert [s.display_name for s in view.waiting] == ["Bo", "Cy"] and view.finished == ()


def test_a_group_that_always_wants_the_fair_share_gets_it_at_each_turn(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=9 * 60)
    clocks.advance(300)  # Ann shares 5 minutes: 4 minutes left for two
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False)
    assert (view.allotment, view.fair_share, view.fair_share_offered) == (180, 120, True)
    with db.begin() as session:
        view = keeper.use_fair_share(session)
    assert (view.allotment, view.fair_share_offered) == (120, False)
    clocks.advance(20)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False, fair_share_each_turn=True)
    assert view.allotment == 210  # 3:40 left for Cy alone, in quarter minutes
    with db.begin() as session:
        record = session.get(ShareRoundRecord, meeting_id)
        assert record is not None and record.share_seconds == 210


def test_the_round_says_how_far_it_has_come_as_the_records_do(db: Database, meeting_id: int, clocks: Clocks) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        view = keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=45 * 60)
    assert view.progress == "0 shared · 3 to go"  # Ann is sharing: she is still to go
    clocks.advance(60)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=True)
    assert view.progress == "0 shared · 1 passed · 2 to go"
    clocks.advance(60)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False)
    assert view.progress == "1 shared · 1 passed · 1 to go"
    clocks.advance(60)
    with db.begin() as session:
        view = keeper.end_turn(session, passed=False)
    assert view.state is RoundState.FINISHED and view.progress == "2 shared · 1 passed · 0 to go"
    assert [row[3:5] for row in turn_rows(db, meeting_id)] == [(True, True), (True, False), (True, False)]


def test_the_fair_share_for_the_last_person_is_at_most_twice_the_groups_share(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=45 * 60)
    for _ in range(2):  # Ann and Bo share a minute each: 43 minutes left for Cy alone
        clocks.advance(60)
        with db.begin() as session:
            view = keeper.end_turn(session, passed=False)
    assert view.fair is not None and (view.fair.seconds, view.fair.limited, view.fair.time_left) == (360, True, 43 * 60)
    with db.begin() as session:
        view = keeper.use_fair_share(session)
    assert view.allotment == 360
    again = keeper_for(db, meeting_id, clocks)  # the cap is the group's, so a restart keeps it
    resumed = again.view().fair
    assert resumed is not None and (resumed.seconds, resumed.limited) == (360, True)


def test_the_time_for_the_round_is_what_the_format_plans_for_sharing(db: Database) -> None:
    from facilitator.rules.share_round.keeper import round_minutes_planned

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        planned = []
        for format_slug in ("standard-meeting", "newcomer-meeting", None):
            meeting = open_meeting(session, group.id, format_slug=format_slug, another_today=True)
            planned.append(round_minutes_planned(session, meeting.id))
            close_meeting(session, meeting.id)
    assert planned == [35, 30, 45]


def test_someone_leaving_early_shares_next_and_a_restart_keeps_it(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
        cy = keeper.view().waiting[1]
        view = keeper.leaving_early(session, cy.participant_id)
    assert [(s.display_name, s.leaving_early) for s in view.waiting] == [("Cy", True), ("Bo", False)]
    assert waiting_names(db, meeting_id) == ["Cy", "Bo"]
    again = keeper_for(db, meeting_id, clocks)  # the program stops and starts again
    assert [(s.display_name, s.leaving_early) for s in again.view().waiting] == [("Cy", True), ("Bo", False)]
    clocks.advance(60)
    with db.begin() as session:
        view = again.end_turn(session, passed=False)
    assert view.current is not None and view.current.display_name == "Cy"


def test_someone_in_the_round_keeps_their_check_in(db: Database, meeting_id: int, clocks: Clocks) -> None:
    from facilitator.rules.attendance import remove_check_in

    keeper = keeper_for(db, meeting_id, clocks)
    ann, bo, cy = keeper.view().waiting
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    refusals = []
    for person in (ann, bo):
        with pytest.raises(InvalidState) as refused, db.begin() as session:
            remove_check_in(session, meeting_id, person.participant_id)
        refusals.append(str(refused.value))
    clocks.advance(60)
    with db.begin() as session:
        keeper.end_turn(session, passed=False)
    with pytest.raises(InvalidState) as refused, db.begin() as session:
        remove_check_in(session, meeting_id, ann.participant_id)
    refusals.append(str(refused.value))
    assert refusals == [
        "“Ann” is sharing now, so they stay marked here.",
        "“Bo” is waiting to share in tonight's round, so they stay marked here. "
        "Take them out of the queue on the Sharing page first.",
        "“Ann” has had a turn in this meeting's share round, so they stay marked here.",
    ]
    assert checked_in(db, meeting_id) == {"Ann", "Bo", "Cy"}
    with db.begin() as session:
        close_meeting(session, meeting_id, now=clocks.wall())
    with db.begin() as session:  # a correction afterwards: Cy never had a turn, so hers can go
        remove_check_in(session, meeting_id, cy.participant_id, correcting=True)
    assert checked_in(db, meeting_id) == {"Ann", "Bo"}


def checked_in(db: Database, meeting_id: int) -> set[str]:
    with db.begin() as session:
        return {entry.display_name for entry in meeting_roll(session, meeting_id) if entry.status}


def test_going_back_leaves_the_records_as_the_round_is_and_a_restart_resumes_there(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    clocks.advance(10)
    with db.begin() as session:
        keeper.add_time(session, 30)
    clocks.advance(90)
    with db.begin() as session:
        keeper.end_turn(session, passed=False)  # Ann, 100 seconds
    clocks.advance(25)
    with db.begin() as session:
        view = keeper.back(session)  # Bo's 25 seconds are discarded; Ann's turn again
    assert view.state is RoundState.PAUSED and view.current is not None and view.current.display_name == "Ann"
    assert [s.display_name for s in view.waiting] == ["Bo", "Cy"] and view.finished == ()
    # Ann's turn is in progress again, paused where it stood (started at 0, 25 s paused so far: 125 − 100);
    # Bo's discarded turn has no row, and Bo waits first again.
    assert turn_rows(db, meeting_id) == [("Ann", 0, None, False, False, 25.0, 30.0, 0.0)]
    assert waiting_names(db, meeting_id) == ["Bo", "Cy"]
    with db.begin() as session:
        assert place_in_round(session, meeting_id, view.waiting[0].participant_id) is PlaceInRound.WAITING

    clocks.advance(300)  # the program stops while the reopened turn is paused; a new one starts
    again = keeper_for(db, meeting_id, clocks)
    view = again.view()
    assert view.state is RoundState.PAUSED and view.current is not None and view.current.display_name == "Ann"
    assert [s.display_name for s in view.waiting] == ["Bo", "Cy"] and view.finished == ()
    assert again.round is not None and again.round.current_position == 0
    timing = again.round.timing()
    assert timing is not None and (timing.elapsed, timing.allotment) == (100, 210)
    with db.begin() as session:
        again.resume(session)
    clocks.advance(20)
    with db.begin() as session:
        again.end_turn(session, passed=False)
    clocks.advance(5)
    with db.begin() as session:
        again.end_turn(session, passed=True)
    assert [row[:5] for row in turn_rows(db, meeting_id)] == [
        ("Ann", 0, 120.0, True, False),
        ("Bo", 1, 0.0, True, True),
        ("Cy", 2, None, False, False),
    ]


def test_going_back_after_the_round_reopens_the_last_turn_in_the_records(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    for _ in range(2):
        clocks.advance(60)
        with db.begin() as session:
            keeper.end_turn(session, passed=False)
    with db.begin() as session:
        keeper.end_turn(session, passed=True)  # Cy passes; the round is over
    assert keeper.view().state is RoundState.FINISHED
    clocks.advance(40)
    with db.begin() as session:
        view = keeper.back(session)
    assert view.state is RoundState.PAUSED and view.current is not None and view.current.display_name == "Cy"
    assert view.passed == () and view.progress == "2 shared · 1 to go"
    assert [row[:5] for row in turn_rows(db, meeting_id)] == [
        ("Ann", 0, 60.0, True, False),
        ("Bo", 1, 60.0, True, False),
        ("Cy", 2, None, False, False),
    ]
    again = keeper_for(db, meeting_id, clocks)
    assert again.round is not None and again.round.timing().elapsed == 0
    assert again.view().current == view.current


def test_going_back_with_nothing_to_go_back_to_is_refused_and_writes_nothing(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    clocks.advance(30)
    with pytest.raises(InvalidState, match="^There is no earlier turn to go back to.$"), db.begin() as session:
        keeper.back(session)
    assert turn_rows(db, meeting_id) == [("Ann", 0, None, False, False, 0.0, 0.0, 0.0)]
    assert keeper.view().state is RoundState.RUNNING and keeper.view().current.display_name == "Ann"


def test_going_back_once_the_meeting_closed_leaves_round_and_records_as_they_were(
    db: Database, meeting_id: int, clocks: Clocks
) -> None:
    keeper = keeper_for(db, meeting_id, clocks)
    with db.begin() as session:
        keeper.start(session, share_seconds=180, warning_seconds=30, budget_seconds=900)
    clocks.advance(60)
    with db.begin() as session:
        keeper.end_turn(session, passed=False)
    with db.begin() as session:
        close_meeting(session, meeting_id, now=clocks.wall())
    before = turn_rows(db, meeting_id)
    with pytest.raises(InvalidState), db.begin() as session:
        keeper.back(session)
    view = keeper.view()
    assert view.state is RoundState.RUNNING and view.current is not None and view.current.display_name == "Bo"
    assert [t.sharer.display_name for t in view.finished] == ["Ann"] and turn_rows(db, meeting_id) == before
