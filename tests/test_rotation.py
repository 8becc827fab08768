"""The share round's state machine and ordering rules, on a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from facilitator.errors import InvalidInput, InvalidState
from facilitator.rules.share_round.machine import (
    FairShare,
    RoundState,
    Sharer,
    ShareRound,
    TurnPhase,
    check_in_order,
    fair_share,
    fair_share_seconds,
    rotated_order,
    shuffled_order,
)
from tests.helpers import FakeClock

ANN, BO, CY, DEE = (Sharer(n, name) for n, name in enumerate(("Ann", "Bo", "Cy", "Dee"), start=1))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


def make_round(clock: FakeClock, *people: Sharer, allotment: float = 180, warning: float = 60) -> ShareRound:
    return ShareRound(queue=list(people or (ANN, BO, CY)), allotment=allotment, warning=warning, clock=clock)


def test_a_turn_goes_calm_warning_time_overtime(clock: FakeClock) -> None:
    round_ = make_round(clock)
    assert round_.timing() is None and round_.state is RoundState.IDLE
    assert round_.start() == ANN
    phases = []
    for moment in (0, 119, 121, 180, 185, 191, 600):
        clock.now = 1000.0 + moment
        timing = round_.timing()
        assert timing is not None
        phases.append((timing.remaining, timing.phase))
    assert phases == [
        (180, TurnPhase.CALM),
        (61, TurnPhase.CALM),
        (59, TurnPhase.WARNING),
        (0, TurnPhase.TIME),
        (-5, TurnPhase.TIME),
        (-11, TurnPhase.OVERTIME),
        (-420, TurnPhase.OVERTIME),
    ]


def test_pause_resume_and_added_time_are_exact(clock: FakeClock) -> None:
    round_ = make_round(clock)
    round_.start()
    clock.advance(30)
    round_.pause()
    clock.advance(500)  # a long pause costs the sharer nothing
    assert round_.timing().elapsed == 30
    round_.resume()
    clock.advance(20)
    round_.add_time(30)
    round_.pause()
    clock.advance(7)
    round_.resume()
    clock.advance(10)
    timing = round_.timing()
    assert timing is not None
    assert (timing.elapsed, timing.allotment, timing.remaining) == (60, 210, 150)
    assert round_.next() == BO
    assert round_.finished[0].seconds_used == 60
    assert round_.timing().remaining == 180  # added time was Ann's alone


def test_a_two_hour_meeting_does_not_drift(clock: FakeClock) -> None:
    people = [Sharer(n, f"P{n}") for n in range(40)]
    round_ = ShareRound(queue=people, allotment=180, warning=30, clock=clock)
    round_.start()
    total = 0.0
    while round_.state is not RoundState.FINISHED:
        clock.advance(179.999)  # just short of time, turn after turn, for two hours
        total += 179.999
        timing = round_.timing()
        assert timing is not None
        assert timing.remaining == pytest.approx(0.001, abs=1e-9)
        round_.next()
    assert total == pytest.approx(40 * 179.999)
    assert [turn.seconds_used for turn in round_.finished] == pytest.approx([179.999] * 40, abs=1e-9)


def test_passes_are_kept_and_offered_a_second_round(clock: FakeClock) -> None:
    round_ = make_round(clock, ANN, BO, CY, DEE)
    round_.start()
    clock.advance(5)
    assert round_.pass_turn() == BO
    clock.advance(100)
    round_.next()
    round_.pass_turn()
    assert round_.next() is None
    assert round_.state is RoundState.FINISHED and round_.current is None
    assert [(t.sharer.display_name, t.position, t.seconds_used, t.passed) for t in round_.finished] == [
        ("Ann", 0, 0.0, True),
        ("Bo", 1, 100, False),
        ("Cy", 2, 0.0, True),
        ("Dee", 3, 0, False),
    ]
    assert round_.second_round() == [ANN, CY]
    assert round_.start() == ANN


def test_the_queue_can_change_while_the_round_runs(clock: FakeClock) -> None:
    round_ = make_round(clock, ANN, BO, CY)
    round_.start()
    round_.add_latecomer(DEE)
    assert [s.display_name for s in round_.queue] == ["Bo", "Cy", "Dee"]
    round_.move(DEE.participant_id, 0)
    assert round_.up_next == DEE
    late = Sharer(9, "Eve")
    round_.add_latecomer(late, next_up=True)
    assert round_.up_next == late
    assert round_.remove(CY.participant_id) == CY
    assert [s.display_name for s in round_.queue] == ["Eve", "Dee", "Bo"]
    with pytest.raises(InvalidState, match="Ann is already in this round"):
        round_.add_latecomer(ANN)
    with pytest.raises(InvalidState, match="not waiting in the queue"):
        round_.move(ANN.participant_id, 2)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (lambda r: r.pause(), "Cannot pause: no turn is running"),
        (lambda r: r.resume(), "Cannot resume: the round is not paused"),
        (lambda r: r.next(), "No turn is in progress"),
        (lambda r: r.add_time(30), "no turn to give more time"),
        (lambda r: r.second_round(), "the round is still going"),
    ],
)
def test_moves_that_do_not_fit_are_refused_plainly(clock: FakeClock, move, message: str) -> None:
    round_ = make_round(clock)
    with pytest.raises(InvalidState, match=message):
        move(round_)
    assert round_.state is RoundState.IDLE and len(round_.queue) == 3


def test_nonsense_settings_are_refused(clock: FakeClock) -> None:
    with pytest.raises(InvalidInput, match="longer than zero"):
        make_round(clock, allotment=0)
    with pytest.raises(InvalidInput, match="warning must come before"):
        make_round(clock, allotment=60, warning=60)
    with pytest.raises(InvalidInput, match="twice"):
        make_round(clock, ANN, ANN)
    with pytest.raises(InvalidState, match="Nobody is in the queue"):
        ShareRound(queue=[], allotment=60, warning=10, clock=clock).start()


def test_the_ring_fills_from_empty_to_full(clock: FakeClock) -> None:
    round_ = make_round(clock, allotment=120, warning=30)
    round_.start()
    clock.advance(30)
    assert round_.timing().fraction == 0.25
    clock.advance(300)
    assert round_.timing().fraction == 1.0


def test_rotation_moves_the_first_sharer_on_across_three_meetings() -> None:
    roster = [1, 2, 3, 4, 5]
    first_meeting = rotated_order(roster, {1, 2, 3, 4, 5}, previous_first=None)
    second = rotated_order(roster, {1, 2, 3, 5}, previous_first=first_meeting[0])
    third = rotated_order(roster, {1, 3, 4, 5}, previous_first=second[0])
    assert first_meeting == [1, 2, 3, 4, 5]
    assert second == [2, 3, 5, 1]
    assert third == [3, 4, 5, 1]  # 2 is away: the start still moves on past them
    assert rotated_order(roster, {4}, previous_first=4) == [4]
    assert rotated_order(roster, {1, 2}, previous_first=99) == [1, 2]  # last first sharer has left


def test_check_in_order_and_a_repeatable_shuffle() -> None:
    t0 = datetime(2026, 3, 3, 19, 0)
    assert check_in_order([(1, t0 + timedelta(minutes=5)), (2, t0), (3, t0 + timedelta(minutes=1))]) == [2, 3, 1]
    assert shuffled_order([1, 2, 3, 4, 5], seed=7) == shuffled_order([1, 2, 3, 4, 5], seed=7)
    assert sorted(shuffled_order([1, 2, 3, 4, 5], seed=7)) == [1, 2, 3, 4, 5]
    assert shuffled_order(list(range(20)), seed=1) != shuffled_order(list(range(20)), seed=2)


@pytest.mark.parametrize(
    ("seconds_left", "people", "share"),
    [(1800, 10, 180), (1800, 7, 255), (100, 10, 60), (-50, 3, 60), (3600, 1, 3600)],
)
def test_fair_share_budget(seconds_left: float, people: int, share: int) -> None:
    """Quarter minutes, never under a minute: the one rule the set-up and the running round share."""
    assert fair_share_seconds(seconds_left, people) == share


def test_fair_share_needs_someone_to_share() -> None:
    with pytest.raises(InvalidInput):
        fair_share_seconds(600, 0)


def test_a_second_round_offers_each_person_once_and_only_after_a_pass(clock: FakeClock) -> None:
    round_ = make_round(clock, ANN, BO)
    round_.start()
    round_.pass_turn()
    round_.pass_turn()
    assert round_.second_round() == [ANN, BO]
    round_.start()
    round_.pass_turn()  # Ann passes again
    round_.next()  # Bo shares this time
    assert round_.passed == [ANN]
    assert round_.second_round() == [ANN]
    assert [turn.position for turn in round_.finished] == [0, 1, 2, 3]


def test_positions_carry_on_after_recorded_turns_even_with_gaps(clock: FakeClock) -> None:
    from facilitator.rules.share_round.machine import FinishedTurn

    earlier = [FinishedTurn(CY, 1, 120.0, False)]  # position 0 was removed (an undone newcomer)
    round_ = ShareRound(queue=[ANN, BO], allotment=180, warning=60, clock=clock, finished=earlier)
    round_.start()
    assert round_.current_position == 2
    round_.next()
    assert round_.current_position == 3 and round_.finished[-1].position == 2


def fair_seconds(round_: ShareRound) -> int | None:
    fair = round_.fair_share()
    return None if fair is None else fair.seconds


def test_the_fair_share_follows_what_is_left_of_the_rounds_time(clock: FakeClock) -> None:
    round_ = ShareRound(queue=[ANN, BO, CY, DEE], allotment=180, warning=30, budget=12 * 60, clock=clock)
    assert fair_seconds(round_) == 180  # 12 minutes for four
    round_.start()
    clock.advance(300)  # Ann takes five minutes
    round_.next()
    assert fair_seconds(round_) == 135  # seven minutes left for Bo, Cy and Dee: 2:20, in quarter minutes 2:15
    round_.set_allotment(135)
    timing = round_.timing()
    assert timing is not None and timing.allotment == 135
    round_.pass_turn()  # a pass takes none of the time
    assert fair_seconds(round_) == 210
    round_.next()
    round_.next()
    assert round_.state is RoundState.FINISHED and round_.fair_share() is None


def test_the_fair_share_stops_at_twice_the_groups_share_and_says_so() -> None:
    assert fair_share(43 * 60, 1, group_share=180) == FairShare(360, 1, 43 * 60, 43 * 60, 180)
    assert fair_share(43 * 60, 1, group_share=180).limited
    assert not fair_share(10 * 60, 3, group_share=180).limited  # 3:15 each
    assert fair_share(43 * 60, 1) == FairShare(43 * 60, 1, 43 * 60, 43 * 60)  # no group: no limit


def test_without_a_budget_there_is_no_fair_share_and_lengths_stay_positive(clock: FakeClock) -> None:
    round_ = make_round(clock)
    assert round_.fair_share() is None
    with pytest.raises(InvalidInput):
        round_.set_allotment(0)
    with pytest.raises(InvalidInput):
        ShareRound(queue=[ANN], allotment=60, warning=10, budget=0)


def test_a_shorter_share_moves_a_warning_that_no_longer_fits_to_half_way(clock: FakeClock) -> None:
    round_ = ShareRound(queue=[ANN, BO], allotment=300, warning=120, clock=clock)
    round_.start()
    round_.set_allotment(60)
    timing = round_.timing()
    assert timing is not None and timing.phase is TurnPhase.CALM and round_.warning == 30
    clock.advance(31)
    assert round_.timing().phase is TurnPhase.WARNING


def turns(round_: ShareRound) -> list[tuple[str, int, float, bool]]:
    return [(t.sharer.display_name, t.position, t.seconds_used, t.passed) for t in round_.finished]


def test_back_during_a_turn_reopens_the_previous_one_paused_where_its_clock_stood(clock: FakeClock) -> None:
    round_ = ShareRound(queue=[ANN, BO, CY], allotment=180, warning=30, budget=9 * 60, clock=clock)
    round_.start()
    clock.advance(100)
    round_.add_time(60)
    round_.next()
    clock.advance(40)  # Bo has had 40 seconds when the facilitator sees Ann was not done
    reopened = round_.back()
    assert (reopened.sharer, reopened.position, reopened.seconds_used) == (ANN, 0, 100)
    assert round_.state is RoundState.PAUSED and round_.current == ANN and round_.current_position == 0
    assert round_.queue == [BO, CY] and round_.finished == []
    clock.advance(500)  # paused: the clock stands until the facilitator goes on
    timing = round_.timing()
    assert timing is not None and (timing.elapsed, timing.allotment) == (100, 240)  # the minute added stays
    round_.resume()
    clock.advance(20)
    assert round_.next() == BO  # Bo begins again from nothing, in the place their discarded turn had
    assert round_.current_position == 1 and round_.timing().elapsed == 0
    assert turns(round_) == [("Ann", 0, 120, False)]
    assert fair_seconds(round_) == 210  # Bo's 40 discarded seconds count for nothing: 7 minutes for two


def test_back_after_a_pass_reopens_it_from_nothing(clock: FakeClock) -> None:
    round_ = make_round(clock)
    round_.start()
    clock.advance(7)
    round_.pass_turn()
    clock.advance(30)
    round_.back()
    assert round_.current == ANN and round_.timing().elapsed == 0 and round_.passed == []
    round_.resume()
    clock.advance(90)
    round_.next()
    assert turns(round_) == [("Ann", 0, 90, False)] and round_.passed == []


def test_back_at_the_end_of_the_round_reopens_the_last_turn(clock: FakeClock) -> None:
    round_ = make_round(clock, ANN, BO)
    round_.start()
    clock.advance(60)
    round_.next()
    clock.advance(50)
    assert round_.next() is None and round_.state is RoundState.FINISHED
    round_.back()
    assert round_.state is RoundState.PAUSED and round_.current == BO and round_.queue == []  # type: ignore[comparison-overlap]  # back() moved it on
    assert turns(round_) == [("Ann", 0, 60, False)]
    round_.resume()
    clock.advance(10)
    assert round_.next() is None
    assert turns(round_) == [("Ann", 0, 60, False), ("Bo", 1, 60, False)]


def test_back_is_refused_when_there_is_no_earlier_turn(clock: FakeClock) -> None:
    round_ = make_round(clock)
    with pytest.raises(InvalidState, match="^There is no earlier turn to go back to.$"):
        round_.back()
    round_.start()
    clock.advance(30)
    with pytest.raises(InvalidState, match="^There is no earlier turn to go back to.$"):
        round_.back()
    assert round_.state is RoundState.RUNNING and round_.current == ANN and round_.queue == [BO, CY]
    assert round_.timing().elapsed == 30


def test_back_at_the_start_of_a_second_round_reopens_the_pass_without_queueing_twice(clock: FakeClock) -> None:
    round_ = make_round(clock, ANN, BO, CY)
    round_.start()
    round_.pass_turn()  # Ann passes
    clock.advance(60)
    round_.next()
    round_.pass_turn()  # Cy passes, last
    round_.second_round()
    assert round_.start() == ANN and round_.current_position == 3
    clock.advance(20)
    round_.back()  # back from Ann's second turn to Cy's pass
    assert round_.current == CY and round_.current_position == 2 and round_.queue == [ANN]
    assert [sharer.display_name for sharer in round_.passed] == ["Ann"]
    round_.resume()
    clock.advance(45)
    assert round_.next() == ANN and round_.current_position == 3
    round_.back()  # and back again, then once more, to Bo's turn
    round_.back()
    assert round_.current == BO and round_.queue == [CY, ANN] and round_.current_position == 1
    assert turns(round_) == [("Ann", 0, 0, True)] and round_.timing().elapsed == 60
