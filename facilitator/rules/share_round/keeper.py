"""The share round kept: each move of the round and its save, in one call on the caller's session.

The window holds one `RoundKeeper` and sends it intents (start, pause, next, a latecomer…); the
keeper moves the pure `ShareRound` and writes the turn and the round's queue and settings in the
same transaction, so what the records hold is always what the round is. A move the records
refuse leaves the round as it was.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session

from facilitator.errors import InvalidState
from facilitator.rules.guide_format import PartKind, parse_guide
from facilitator.rules.meetings import get_meeting
from facilitator.rules.share_round.machine import (
    Clock,
    FairShare,
    FinishedTurn,
    RoundState,
    Sharer,
    ShareRound,
    fair_share,
    fitting_warning,
)
from facilitator.rules.share_round.order import Ordering, sharing_order
from facilitator.rules.share_round.turns import (
    finished_turns,
    resumed_round,
    round_saved,
    time_added,
    turn_ended,
    turn_paused,
    turn_resumed,
    turn_started,
    waiting_order,
)
from facilitator.storage.models import utc_now

WallClock = Callable[[], datetime]
ROUND_MINUTES_WITHOUT_FORMAT = 45  # the time for all, when the meeting's format plans none for sharing


@dataclass(frozen=True)
class RoundView:
    """The round as the window shows it between repaints (the ticking time is `ShareRound.timing`).

    Before the round starts, `state` is IDLE and `waiting` holds who will share, in order; once it
    runs, `waiting` is the queue.
    """

    state: RoundState
    current: Sharer | None
    waiting: tuple[Sharer, ...]
    finished: tuple[FinishedTurn, ...]
    passed: tuple[Sharer, ...]
    allotment: float  # each share now; 0 before the round
    fair: FairShare | None  # an equal share of the round's time left, when it has a budget

    @property
    def shared(self) -> int:
        return sum(not turn.passed for turn in self.finished)

    @property
    def people_left(self) -> int:
        return len(self.waiting) + (self.current is not None)

    @property
    def progress(self) -> str:
        """How far the round has come, as its record of turns has it: "5 shared · 1 passed · 2 to go"
        (the person sharing now is still to go)."""
        passed = len(self.passed)
        return f"{self.shared} shared · " + (f"{passed} passed · " if passed else "") + f"{self.people_left} to go"

    @property
    def fair_share(self) -> int | None:
        """Each share, if everyone left had the fair share."""
        return None if self.fair is None else self.fair.seconds

    @property
    def fair_share_offered(self) -> bool:
        """Whether the equal share differs from the share in use, so it is worth offering."""
        return self.fair_share is not None and self.fair_share != round(self.allotment)


def suggested_share(budget_seconds: float, people: int, group_share: float | None = None) -> FairShare:
    """Before the round: the equal share of the time there is for those waiting (at least one)."""
    return fair_share(budget_seconds, max(1, people), group_share)


def round_minutes_planned(session: Session, meeting_id: int) -> int:
    """The time for all, as the meeting's format plans it for its sharing parts."""
    meeting = get_meeting(session, meeting_id)
    if meeting.format is None:
        return ROUND_MINUTES_WITHOUT_FORMAT
    parts = parse_guide(meeting.format.source, meeting.format.slug).parts
    planned = sum(part.minutes or 0 for part in parts if part.kind is PartKind.SHARING)
    return planned or ROUND_MINUTES_WITHOUT_FORMAT


class RoundKeeper:
    """One meeting's share round, kept in step with its records. Every move takes the session of
    the transaction it is saved in and returns what to show."""

    def __init__(self, *, clock: Clock = time.monotonic, wall: WallClock = utc_now) -> None:
        self.clock = clock  # the round's time (monotonic); tests put a fake clock here
        self.wall = wall  # the time written on each turn
        self.meeting_id: int | None = None
        self.round: ShareRound | None = None
        self._waiting: list[Sharer] = []
        self._done: list[FinishedTurn] = []
        self._group_share: float | None = None

    # ---- reading ---------------------------------------------------------------------------

    def load(self, session: Session, meeting_id: int, ordering: Ordering = Ordering.ROTATE) -> RoundView:
        """Pick up the meeting's round where its records left it (a turn in progress after a
        crash), or get the set-up ready: who has not shared yet, in the order chosen."""
        self.meeting_id = meeting_id
        self._group_share = get_meeting(session, meeting_id).group.share_seconds
        self.round = resumed_round(session, meeting_id, clock=self.clock, now=self.wall())
        if self.round is None:
            self._waiting = waiting_order(session, meeting_id, ordering, seed=meeting_id)
            self._done = finished_turns(session, meeting_id)
        else:
            self._waiting, self._done = [], []
        return self.view()

    def drop(self) -> None:
        """Let go of the round (group switched, meeting closed). A turn in progress stays recorded,
        so loading the meeting again picks it up."""
        self.meeting_id = None
        self.round = None
        self._waiting, self._done = [], []

    def view(self) -> RoundView:
        round_ = self.round
        if round_ is None:
            return RoundView(RoundState.IDLE, None, tuple(self._waiting), tuple(self._done), (), 0.0, None)
        return RoundView(
            state=round_.state,
            current=round_.current,
            waiting=tuple(round_.queue),
            finished=tuple(round_.finished),
            passed=tuple(round_.passed),
            allotment=round_.allotment,
            fair=round_.fair_share(),
        )

    def latecomers(self, session: Session) -> list[Sharer]:
        """Those checked in who are not in the round yet, in the order they arrived."""
        round_ = self._round()
        order = sharing_order(session, self._meeting(), Ordering.CHECK_IN)
        return [sharer for sharer in order if not round_.includes(sharer.participant_id)]

    # ---- moves -----------------------------------------------------------------------------

    def start(
        self, session: Session, *, share_seconds: float, warning_seconds: float, budget_seconds: float
    ) -> RoundView:
        """Begin the round with the first waiting, at tonight's share length and warning."""
        if self.round is not None:
            raise InvalidState("Cannot start the round: it has already started.")
        if not self._waiting:
            raise InvalidState("Nobody is in the queue to share.")
        with self._saving(session):
            self.round = ShareRound(
                queue=list(self._waiting),
                allotment=share_seconds,
                warning=fitting_warning(share_seconds, warning_seconds),
                budget=budget_seconds,
                group_share=self._group_share,
                finished=list(self._done),
                clock=self.clock,
            )
            self._turn_started(session, self.round.start())
        return self.view()

    def pause(self, session: Session) -> RoundView:
        round_ = self._round()
        with self._saving(session):
            round_.pause()
            turn_paused(session, self._meeting(), round_.current_position, now=self.wall())
        return self.view()

    def resume(self, session: Session) -> RoundView:
        round_ = self._round()
        with self._saving(session):
            round_.resume()
            turn_resumed(session, self._meeting(), round_.current_position, now=self.wall())
        return self.view()

    def end_turn(self, session: Session, *, passed: bool, fair_share_each_turn: bool = False) -> RoundView:
        """The current turn ends (shared or passed) and the next begins; a group that always
        wants the fair share has the next person's share set to it."""
        round_ = self._round()
        with self._saving(session):
            following = round_.pass_turn() if passed else round_.next()
            ended = round_.finished[-1]
            now = self.wall()
            turn_ended(
                session, self._meeting(), ended.position, seconds_used=ended.seconds_used, passed=passed, now=now
            )
            if following is not None:
                if fair_share_each_turn:
                    self._use_fair_share(round_)
                self._turn_started(session, following, now=now)
        return self.view()

    def add_time(self, session: Session, seconds: float) -> RoundView:
        round_ = self._round()
        with self._saving(session):
            round_.add_time(seconds)
            time_added(session, self._meeting(), round_.current_position, seconds)
        return self.view()

    def use_fair_share(self, session: Session) -> RoundView:
        """The person sharing and everyone waiting get an equal share of the round's time left."""
        round_ = self._round()
        with self._saving(session):
            if round_.current is None:
                raise InvalidState("There is no turn to give the fair share to.")
            self._use_fair_share(round_)
        return self.view()

    def add_latecomer(self, session: Session, sharer: Sharer, *, next_up: bool = False) -> RoundView:
        round_ = self._round()
        with self._saving(session):
            round_.add_latecomer(sharer, next_up=next_up)
        return self.view()

    def move(self, session: Session, participant_id: int, position: int) -> RoundView:
        """Someone waiting moves to another place in the queue (0 is next)."""
        round_ = self._round()
        with self._saving(session):
            self._require_going(round_)
            round_.move(participant_id, position)
        return self.view()

    def reorder(self, session: Session, participant_ids: Sequence[int]) -> RoundView:
        """The queue takes the order given (after a drag), everyone in it once."""
        round_ = self._round()
        with self._saving(session):
            self._require_going(round_)
            for position, participant_id in enumerate(participant_ids):
                round_.move(participant_id, position)
        return self.view()

    def leaving_early(self, session: Session, participant_id: int) -> RoundView:
        """Someone waiting must leave before the end: they share next, marked so in the queue."""
        round_ = self._round()
        with self._saving(session):
            self._require_going(round_)
            round_.leaving_early(participant_id)
        return self.view()

    def remove(self, session: Session, participant_id: int) -> RoundView:
        round_ = self._round()
        with self._saving(session):
            self._require_going(round_)
            round_.remove(participant_id)
        return self.view()

    def second_round(self, session: Session) -> RoundView:
        """After the round, those who passed are offered a turn now, the first beginning at once."""
        round_ = self._round()
        with self._saving(session):
            round_.second_round()
            self._turn_started(session, round_.start())
        return self.view()

    # ---- inside ----------------------------------------------------------------------------

    @contextmanager
    def _saving(self, session: Session) -> Iterator[None]:
        """Make a move and save the round with it; if anything fails the round is put back."""
        before = _copy(self.round) if self.round is not None else None
        try:
            yield
            round_saved(session, self._meeting(), self._round())
        except BaseException:
            if before is None:
                self.round = None
            else:
                _restore(self._round(), before)
            raise

    def _turn_started(self, session: Session, sharer: Sharer, *, now: datetime | None = None) -> None:
        round_ = self._round()
        turn_started(session, self._meeting(), sharer, round_.current_position, now=now or self.wall())

    def _use_fair_share(self, round_: ShareRound) -> None:
        fair = round_.fair_share()
        if fair is not None and fair.seconds != round(round_.allotment):
            round_.set_allotment(fair.seconds)

    def _require_going(self, round_: ShareRound) -> None:
        if round_.state is RoundState.FINISHED:
            raise InvalidState("The round is over.")

    def _round(self) -> ShareRound:
        if self.round is None:
            raise InvalidState("The round has not started.")
        return self.round

    def _meeting(self) -> int:
        if self.meeting_id is None:
            raise InvalidState("No meeting is open for a round.")
        return self.meeting_id


def _copy(round_: ShareRound) -> ShareRound:
    saved = copy.copy(round_)
    saved.queue, saved.finished = list(round_.queue), list(round_.finished)
    return saved


def _restore(round_: ShareRound, saved: ShareRound) -> None:
    """Put the round back as it was, in place: the window and the room display hold it."""
    for each in fields(ShareRound):
        setattr(round_, each.name, getattr(saved, each.name))
