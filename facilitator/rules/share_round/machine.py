"""The share round: who shares in what order, and a timer state machine driven by a clock.

Pure: no database and no Qt. Time comes from an injected monotonic clock (seconds as a float),
and every figure is computed from it when asked, never by counting ticks, so a display that
repaints late shows the right time and nothing drifts.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from facilitator.errors import InvalidInput, InvalidState

Clock = Callable[[], float]


class RoundState(enum.StrEnum):
    IDLE = "idle"  # ready, nobody sharing yet
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class TurnPhase(enum.StrEnum):
    """How the current turn stands against its time, for the colours and words on screen."""

    CALM = "calm"
    WARNING = "warning"  # inside the warning window before the end
    TIME = "time"  # the allotment is used up (the first moments after it)
    OVERTIME = "overtime"


TIME_PHASE_SECONDS = 10.0  # how long "Time" shows before a turn counts as overtime
FAIR_SHARE_STEP = 15  # fair shares come in quarter minutes
FAIR_SHARE_MINIMUM = 60  # and never under a minute
# Nor over twice the group's share: the last person of a short round is not offered half an hour.
FAIR_SHARE_LIMIT = 2


@dataclass(frozen=True)
class Sharer:
    participant_id: int
    display_name: str
    leaving_early: bool = False  # they must leave before the end, so they share next


@dataclass(frozen=True)
class FairShare:
    """An equal share of the time left for those still to share, within the group's limit."""

    seconds: int  # each share
    people: int
    time_left: float
    equal: int  # the equal share of the time left, before the limit
    group_share: float | None = None  # the group's usual share; the limit is `FAIR_SHARE_LIMIT` times it

    @property
    def limited(self) -> bool:
        """Whether the time would allow more, but a share stops at the group's limit."""
        return self.seconds < self.equal


@dataclass(frozen=True)
class FinishedTurn:
    sharer: Sharer
    position: int
    seconds_used: float
    passed: bool


@dataclass(frozen=True)
class TurnTiming:
    """The current turn at one moment."""

    elapsed: float
    allotment: float
    warning: float

    @property
    def remaining(self) -> float:
        """Seconds left; negative once the turn runs over."""
        return self.allotment - self.elapsed

    @property
    def phase(self) -> TurnPhase:
        if self.remaining > self.warning:
            return TurnPhase.CALM
        if self.remaining > 0:
            return TurnPhase.WARNING
        if self.remaining > -TIME_PHASE_SECONDS:
            return TurnPhase.TIME
        return TurnPhase.OVERTIME

    @property
    def fraction(self) -> float:
        """How much of the allotment is used, from 0 to 1 (for a ring that fills)."""
        return min(1.0, max(0.0, self.elapsed / self.allotment)) if self.allotment > 0 else 1.0


@dataclass
class ShareRound:
    """One sharing round: a queue, the turn in progress, and the turns done.

    Moves that do not fit the state (pausing a round that is not running, say) raise
    `InvalidState` with a plain sentence; the round is then unchanged.
    """

    queue: list[Sharer]
    allotment: float
    warning: float
    budget: float | None = None  # time for the whole round, when the facilitator gave one
    group_share: float | None = None  # the group's usual share, which bounds the fair share
    clock: Clock = time.monotonic
    state: RoundState = RoundState.IDLE
    current: Sharer | None = None
    finished: list[FinishedTurn] = field(default_factory=list)
    current_position: int = -1  # the current turn's place in the meeting's record of turns
    _next_position: int = 0
    _started_at: float = 0.0
    _paused_at: float | None = None
    _paused_for: float = 0.0
    _extra: float = 0.0

    def __post_init__(self) -> None:
        if self.allotment <= 0:
            raise InvalidInput("A share must last longer than zero seconds.")
        if not 0 <= self.warning < self.allotment:
            raise InvalidInput("The warning must come before the end of the share.")
        if self.budget is not None and self.budget <= 0:
            raise InvalidInput("The round needs some time to share in.")
        ids = [sharer.participant_id for sharer in self.queue]
        if len(ids) != len(set(ids)):
            raise InvalidInput("Someone is in the queue twice.")
        # Positions carry on after the turns already recorded, even if some were later removed.
        self._next_position = max((turn.position for turn in self.finished), default=-1) + 1

    @classmethod
    def resumed(
        cls,
        *,
        queue: list[Sharer],
        allotment: float,
        warning: float,
        budget: float | None = None,
        group_share: float | None = None,
        finished: list[FinishedTurn],
        current: Sharer,
        elapsed: float,
        paused: bool,
        extra: float,
        position: int,
        clock: Clock = time.monotonic,
    ) -> ShareRound:
        """A round picked up again after the program stopped, at the turn that was in progress."""
        round_ = cls(
            queue=queue,
            allotment=allotment,
            warning=warning,
            budget=budget,
            group_share=group_share,
            clock=clock,
            finished=list(finished),
        )
        now = clock()
        round_.current = current
        round_.current_position = position
        round_._next_position = max(round_._next_position, position + 1)
        round_._started_at = now - elapsed
        round_._extra = extra
        round_._paused_at = now if paused else None
        round_.state = RoundState.PAUSED if paused else RoundState.RUNNING
        return round_

    # ---- reading ---------------------------------------------------------------------------

    def timing(self) -> TurnTiming | None:
        """The current turn now, or None between turns."""
        if self.current is None:
            return None
        now = self.clock()
        paused = (now - self._paused_at) if self._paused_at is not None else 0.0
        elapsed = now - self._started_at - self._paused_for - paused
        return TurnTiming(elapsed=elapsed, allotment=self.allotment + self._extra, warning=self.warning)

    @property
    def up_next(self) -> Sharer | None:
        return self.queue[0] if self.queue else None

    @property
    def passed(self) -> list[Sharer]:
        """Who passed on their latest turn, once each and in order, for a second round."""
        latest: dict[int, FinishedTurn] = {}
        for turn in self.finished:
            latest.pop(turn.sharer.participant_id, None)
            latest[turn.sharer.participant_id] = turn
        return [turn.sharer for turn in latest.values() if turn.passed]

    def fair_share(self) -> FairShare | None:
        """An equal share of what is left of the round's time, for the person sharing now and
        everyone waiting; None without a budget or with nobody left."""
        people = len(self.queue) + (self.current is not None)
        if self.budget is None or people == 0:
            return None
        spent = sum(turn.seconds_used for turn in self.finished)
        return fair_share(self.budget - spent, people, self.group_share)

    # ---- moves ------------------------------------------------------------------------------

    def start(self) -> Sharer:
        """Begin the round with the first in the queue."""
        self._require(RoundState.IDLE, "start the round", "it has already started")
        if not self.queue:
            raise InvalidState("Nobody is in the queue to share.")
        return self._begin_next()

    def pause(self) -> None:
        self._require(RoundState.RUNNING, "pause", "no turn is running")
        self._paused_at = self.clock()
        self.state = RoundState.PAUSED

    def resume(self) -> None:
        self._require(RoundState.PAUSED, "resume", "the round is not paused")
        assert self._paused_at is not None
        self._paused_for += self.clock() - self._paused_at
        self._paused_at = None
        self.state = RoundState.RUNNING

    def next(self) -> Sharer | None:
        """End the current turn and begin the next; None when the round is over."""
        return self._end_turn(passed=False)

    def pass_turn(self) -> Sharer | None:
        """The current sharer passes; the next begins. Passes are kept for a second round."""
        return self._end_turn(passed=True)

    def add_time(self, seconds: float) -> None:
        if self.current is None:
            raise InvalidState("There is no turn to give more time to.")
        if seconds <= 0:
            raise InvalidInput("Added time must be more than zero seconds.")
        self._extra += seconds

    def set_allotment(self, seconds: float) -> None:
        """Change each share's length, for the turn in progress and every turn after it. A warning
        that no longer fits inside the share comes at its half-way point instead."""
        if seconds <= 0:
            raise InvalidInput("A share must last longer than zero seconds.")
        self.allotment = seconds
        if self.warning >= seconds:
            self.warning = seconds / 2

    def add_latecomer(self, sharer: Sharer, *, next_up: bool = False) -> None:
        """Someone who arrived late joins the queue: at the end, or to share next."""
        if self.state is RoundState.FINISHED:
            raise InvalidState("The round is over; start a second round to include them.")
        if self.includes(sharer.participant_id):
            raise InvalidState(f"{sharer.display_name} is already in this round.")
        self.queue.insert(0 if next_up else len(self.queue), sharer)

    def move(self, participant_id: int, position: int) -> None:
        """Move someone waiting to another place in the queue (0 is next)."""
        index = self._queue_index(participant_id)
        sharer = self.queue.pop(index)
        self.queue.insert(max(0, min(position, len(self.queue))), sharer)

    def leaving_early(self, participant_id: int) -> Sharer:
        """Someone waiting must leave before the end: they share next, marked so."""
        sharer = replace(self.queue.pop(self._queue_index(participant_id)), leaving_early=True)
        self.queue.insert(0, sharer)
        return sharer

    def remove(self, participant_id: int) -> Sharer:
        """Take someone waiting out of the queue (they left early, say)."""
        return self.queue.pop(self._queue_index(participant_id))

    def second_round(self) -> list[Sharer]:
        """After the round, queue again those who passed; they share in the same order."""
        self._require(RoundState.FINISHED, "offer a second round", "the round is still going")
        again = self.passed
        if not again:
            raise InvalidState("Nobody passed, so there is no second round.")
        self.queue = list(again)
        self.state = RoundState.IDLE
        return again

    # ---- inside -----------------------------------------------------------------------------

    def _begin_next(self) -> Sharer:
        self.current = self.queue.pop(0)
        self.current_position = self._next_position
        self._next_position += 1
        self._started_at = self.clock()
        self._paused_at = None
        self._paused_for = 0.0
        self._extra = 0.0
        self.state = RoundState.RUNNING
        return self.current

    def _end_turn(self, *, passed: bool) -> Sharer | None:
        if self.state not in (RoundState.RUNNING, RoundState.PAUSED) or self.current is None:
            raise InvalidState("No turn is in progress.")
        timing = self.timing()
        assert timing is not None
        used = 0.0 if passed else timing.elapsed
        self.finished.append(FinishedTurn(self.current, self.current_position, used, passed))
        self.current = None
        if not self.queue:
            self.state = RoundState.FINISHED
            return None
        return self._begin_next()

    def _require(self, state: RoundState, action: str, reason: str) -> None:
        if self.state is not state:
            raise InvalidState(f"Cannot {action}: {reason}.")

    def _queue_index(self, participant_id: int) -> int:
        for index, sharer in enumerate(self.queue):
            if sharer.participant_id == participant_id:
                return index
        raise InvalidState("That person is not waiting in the queue.")

    def includes(self, participant_id: int) -> bool:
        """Whether the person is waiting, sharing, or has had a turn in this round."""
        waiting = any(sharer.participant_id == participant_id for sharer in self.queue)
        sharing = self.current is not None and self.current.participant_id == participant_id
        done = any(turn.sharer.participant_id == participant_id for turn in self.finished)
        return waiting or sharing or done


# ---- who goes first ---------------------------------------------------------------------------


def rotated_order(roster: Sequence[int], present: Collection[int], previous_first: int | None) -> list[int]:
    """Those present, in roster order, starting one place after last meeting's first sharer.

    If last time's first sharer is absent now, the round starts with whoever present comes
    after them on the roster, so the start keeps moving round the group week by week.
    """
    ordered = [person for person in roster if person in present]
    if not ordered or previous_first is None or previous_first not in roster:
        return ordered
    start = roster.index(previous_first)
    following = (roster[(start + step) % len(roster)] for step in range(1, len(roster) + 1))
    first = next(person for person in following if person in present)
    cut = ordered.index(first)
    return ordered[cut:] + ordered[:cut]


def check_in_order(check_ins: Sequence[tuple[int, datetime]]) -> list[int]:
    """Those present in the order they arrived (participant id, check-in time)."""
    return [person for person, _ in sorted(check_ins, key=lambda pair: pair[1])]


def shuffled_order(present: Sequence[int], seed: int) -> list[int]:
    """A fair random order that the same seed always repeats (so it can be explained later)."""
    return random.Random(seed).sample(list(present), len(present))


def fair_share_seconds(seconds_left: float, people_left: int) -> int:
    """An equal share of the time left for those still to share, rounded down to quarter
    minutes and never under a minute."""
    if people_left <= 0:
        raise InvalidInput("Nobody is left to share.")
    share = int(max(0.0, seconds_left) // people_left)
    return max(FAIR_SHARE_MINIMUM, share - share % FAIR_SHARE_STEP)


def fair_share(seconds_left: float, people_left: int, group_share: float | None = None) -> FairShare:
    """The equal share (`fair_share_seconds`), never over `FAIR_SHARE_LIMIT` times the group's share."""
    equal = fair_share_seconds(seconds_left, people_left)
    seconds = equal if group_share is None else min(equal, int(FAIR_SHARE_LIMIT * group_share))
    return FairShare(seconds, people_left, max(0.0, seconds_left), equal, group_share)


def fitting_warning(allotment: float, warning: float) -> float:
    """The warning asked for, moved to a second before the end if it would come at or after it."""
    return min(warning, allotment - 1)
