"""The share round's record: each turn written as it starts, pauses, resumes and ends.

This is what lets a round resume after a crash at the turn in progress, with its elapsed time
right, and what the next meeting's rotation is worked out from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.errors import NotFound
from facilitator.rules.meetings import get_meeting, writable_meeting
from facilitator.rules.share_round.machine import Clock, FinishedTurn, Sharer, ShareRound, fitting_warning
from facilitator.rules.share_round.order import Ordering, sharing_order
from facilitator.rules.share_round.record import read_waiting, stored_waiting
from facilitator.storage.models import Participant, ShareRoundRecord, ShareTurn, utc_now


@dataclass(frozen=True)
class TurnInProgress:
    sharer: Sharer
    position: int
    elapsed: float
    paused: bool
    extra: float


def turn_started(
    session: Session, meeting_id: int, sharer: Sharer, position: int, *, now: datetime | None = None
) -> None:
    meeting = writable_meeting(session, meeting_id)
    session.add(
        ShareTurn(
            meeting_id=meeting.id, participant_id=sharer.participant_id, position=position, started_at=now or utc_now()
        )
    )
    session.flush()


def turn_paused(session: Session, meeting_id: int, position: int, *, now: datetime | None = None) -> None:
    _turn(session, meeting_id, position).paused_at = now or utc_now()


def turn_resumed(session: Session, meeting_id: int, position: int, *, now: datetime | None = None) -> None:
    turn = _turn(session, meeting_id, position)
    if turn.paused_at is not None:
        turn.paused_seconds += ((now or utc_now()) - turn.paused_at).total_seconds()
        turn.paused_at = None


def time_added(session: Session, meeting_id: int, position: int, seconds: float) -> None:
    _turn(session, meeting_id, position).extra_seconds += seconds


def turn_ended(
    session: Session, meeting_id: int, position: int, *, seconds_used: float, passed: bool, now: datetime | None = None
) -> None:
    turn = _turn(session, meeting_id, position)
    turn.ended_at = now or utc_now()
    turn.seconds_used = 0.0 if passed else round(seconds_used, 3)
    turn.passed = passed
    turn.paused_at = None


def turn_in_progress(session: Session, meeting_id: int, *, now: datetime | None = None) -> TurnInProgress | None:
    """The turn that was running when the program stopped, with the time it had used."""
    row = session.execute(
        select(ShareTurn, Participant.display_name)
        .join(Participant, Participant.id == ShareTurn.participant_id)
        .where(ShareTurn.meeting_id == meeting_id, ShareTurn.ended_at.is_(None))
        .order_by(ShareTurn.position.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    turn, name = row
    until = turn.paused_at or now or utc_now()
    elapsed = (until - turn.started_at).total_seconds() - turn.paused_seconds
    return TurnInProgress(
        Sharer(turn.participant_id, name),
        turn.position,
        max(0.0, elapsed),
        turn.paused_at is not None,
        turn.extra_seconds,
    )


def finished_turns(session: Session, meeting_id: int) -> list[FinishedTurn]:
    rows = session.execute(
        select(ShareTurn, Participant.display_name)
        .join(Participant, Participant.id == ShareTurn.participant_id)
        .where(ShareTurn.meeting_id == meeting_id, ShareTurn.ended_at.is_not(None))
        .order_by(ShareTurn.position)
    )
    return [
        FinishedTurn(Sharer(turn.participant_id, name), turn.position, turn.seconds_used or 0.0, turn.passed)
        for turn, name in rows
    ]


def round_saved(session: Session, meeting_id: int, round_: ShareRound) -> None:
    """Keep the round's share length, warning, budget and waiting order, so that a crash or a
    restart picks the round up as the facilitator last left it."""
    writable_meeting(session, meeting_id)
    record = session.get(ShareRoundRecord, meeting_id) or ShareRoundRecord(meeting_id=meeting_id)
    record.share_seconds = max(1, round(round_.allotment))
    record.warning_seconds = round(round_.warning)
    record.budget_seconds = round(round_.budget) if round_.budget else None
    record.waiting = stored_waiting([(sharer.participant_id, sharer.leaving_early) for sharer in round_.queue])
    session.add(record)
    session.flush()


def waiting_order(
    session: Session, meeting_id: int, ordering: Ordering = Ordering.ROTATE, *, seed: int = 0
) -> list[Sharer]:
    """Those present who have not had a turn at this meeting, in the order of the rule chosen."""
    had_turn = set(session.scalars(select(ShareTurn.participant_id).where(ShareTurn.meeting_id == meeting_id)))
    order = sharing_order(session, meeting_id, ordering, seed=seed)
    return [sharer for sharer in order if sharer.participant_id not in had_turn]


def resumed_round(session: Session, meeting_id: int, *, clock: Clock, now: datetime | None = None) -> ShareRound | None:
    """The round that was going when the program stopped, at the turn in progress with its
    elapsed time right and its queue, share length and warning as they were; None if no turn
    was in progress."""
    progress = turn_in_progress(session, meeting_id, now=now)
    if progress is None:
        return None
    done = finished_turns(session, meeting_id)
    group = get_meeting(session, meeting_id).group
    record = session.get(ShareRoundRecord, meeting_id)
    if record is not None:
        waiting = read_waiting(record)
        rows = session.execute(
            select(Participant.id, Participant.display_name).where(Participant.id.in_([p for p, _ in waiting]))
        )
        names = {person: name for person, name in rows}
        queue = [Sharer(person, names[person], early) for person, early in waiting if person in names]
        share, warning, budget = record.share_seconds, record.warning_seconds, record.budget_seconds
    else:  # a round begun before rounds were kept: the group's defaults, in the usual order
        queue = waiting_order(session, meeting_id)
        share, warning, budget = group.share_seconds, group.warning_seconds, None
    return ShareRound.resumed(
        queue=queue,
        allotment=share,
        warning=fitting_warning(share, warning),
        budget=budget,
        group_share=group.share_seconds,
        finished=done,
        current=progress.sharer,
        elapsed=progress.elapsed,
        paused=progress.paused,
        extra=progress.extra,
        position=progress.position,
        clock=clock,
    )


def _turn(session: Session, meeting_id: int, position: int) -> ShareTurn:
    writable_meeting(session, meeting_id)
    turn = session.scalar(select(ShareTurn).where(ShareTurn.meeting_id == meeting_id, ShareTurn.position == position))
    if turn is None:
        raise NotFound(f"Meeting {meeting_id} has no share turn at position {position}.")
    return turn
