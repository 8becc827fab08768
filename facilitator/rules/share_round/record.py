"""The round's saved queue read and written in one place, and where someone stands in tonight's round.

Resting on the records alone (no other rule), so that taking back a check-in can ask it without
the share round's other modules, which read the attendance themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.storage.models import Meeting, MeetingState, ShareRoundRecord, ShareTurn, WaitingEntry

LEAVING_EARLY = "leaving_early"


class PlaceInRound(enum.Enum):
    WAITING = "waiting"
    SHARING = "sharing"
    SHARED = "shared"  # a turn of theirs has ended (shared or passed)


def stored_waiting(queue: Sequence[tuple[int, bool]]) -> list[WaitingEntry]:
    """The queue as the record keeps it: each person's id, next first; someone leaving early as
    {"id": …, "leaving_early": true}, so records written before the mark still read the same."""
    return [{"id": person, LEAVING_EARLY: True} if early else person for person, early in queue]


def read_waiting(record: ShareRoundRecord) -> list[tuple[int, bool]]:
    """Who is waiting in the saved round, next first, and whether each is leaving early."""
    return [
        (int(entry["id"]), bool(entry.get(LEAVING_EARLY))) if isinstance(entry, dict) else (entry, False)
        for entry in record.waiting
    ]


def place_in_round(session: Session, meeting_id: int, participant_id: int) -> PlaceInRound | None:
    """Where the person stands in the meeting's share round as recorded; None if not in it. Once
    the meeting has closed, nobody is waiting any more."""
    ended = session.scalars(
        select(ShareTurn.ended_at.is_not(None)).where(
            ShareTurn.meeting_id == meeting_id, ShareTurn.participant_id == participant_id
        )
    ).all()
    if ended and not all(ended):
        return PlaceInRound.SHARING
    if ended:
        return PlaceInRound.SHARED
    meeting, record = session.get(Meeting, meeting_id), session.get(ShareRoundRecord, meeting_id)
    if meeting is None or meeting.state is not MeetingState.OPEN:
        return None
    if record is not None and any(person == participant_id for person, _early in read_waiting(record)):
        return PlaceInRound.WAITING
    return None
