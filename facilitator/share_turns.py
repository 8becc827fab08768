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
from facilitator.meetings import writable_meeting
from facilitator.models import Participant, ShareTurn, utc_now
from facilitator.rotation import FinishedTurn, Sharer


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


def _turn(session: Session, meeting_id: int, position: int) -> ShareTurn:
    writable_meeting(session, meeting_id)
    turn = session.scalar(select(ShareTurn).where(ShareTurn.meeting_id == meeting_id, ShareTurn.position == position))
    if turn is None:
        raise NotFound(f"Meeting {meeting_id} has no share turn at position {position}.")
    return turn
