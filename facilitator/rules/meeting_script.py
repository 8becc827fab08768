"""The meeting's script: its format's parts with planned and actual minutes, the topic guide's
prompts ticked off as they are used, and the facilitator's place in it, written as it moves so
that a restart finds the meeting where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitator.errors import InvalidInput
from facilitator.rules.guide_format import Guide, parse_guide
from facilitator.rules.meetings import get_meeting, writable_meeting
from facilitator.storage.models import ScriptMark, ScriptMarkKind, utc_now


@dataclass(frozen=True)
class PartProgress:
    name: str
    planned_minutes: int
    actual_seconds: float  # time spent on the part so far, all visits together
    started: bool


@dataclass(frozen=True)
class MeetingScript:
    guide: Guide | None
    format: Guide | None
    parts: list[PartProgress]
    current_part: int | None  # where the meeting is now; None before the first part
    prompts_used: frozenset[int]

    @property
    def planned_minutes(self) -> int:
        return sum(part.planned_minutes for part in self.parts)

    @property
    def actual_seconds(self) -> float:
        return sum(part.actual_seconds for part in self.parts)


def meeting_script(session: Session, meeting_id: int, *, now: datetime | None = None) -> MeetingScript:
    """The script as it stands: parts with the time spent on each, and the prompts used."""
    meeting = get_meeting(session, meeting_id)
    guide = parse_guide(meeting.guide.source, meeting.guide.slug) if meeting.guide else None
    format_ = parse_guide(meeting.format.source, meeting.format.slug) if meeting.format else None
    marks = session.scalars(
        select(ScriptMark).where(ScriptMark.meeting_id == meeting.id).order_by(ScriptMark.marked_at, ScriptMark.id)
    ).all()
    visits = [mark for mark in marks if mark.kind is ScriptMarkKind.PART]
    until = meeting.ended_at or now or utc_now()
    spent: dict[int, float] = {}
    for index, visit in enumerate(visits):
        end = visits[index + 1].marked_at if index + 1 < len(visits) else until
        spent[visit.number] = spent.get(visit.number, 0.0) + max(0.0, (end - visit.marked_at).total_seconds())
    parts = [
        PartProgress(part.name, part.minutes or 0, spent.get(number, 0.0), number in spent)
        for number, part in enumerate(format_.parts if format_ else [])
    ]
    current = visits[-1].number if visits and visits[-1].number < len(parts) else None
    prompts = frozenset(mark.number for mark in marks if mark.kind is ScriptMarkKind.PROMPT)
    return MeetingScript(guide, format_, parts, current, prompts)


def go_to_part(session: Session, meeting_id: int, number: int, *, now: datetime | None = None) -> None:
    """The meeting moves on (or back) to part `number` of its format, from now."""
    meeting = writable_meeting(session, meeting_id)
    count = len(parse_guide(meeting.format.source, meeting.format.slug).parts) if meeting.format else 0
    if not 0 <= number < count:
        raise InvalidInput(f"The meeting's format has no part {number + 1}.")
    session.add(ScriptMark(meeting_id=meeting.id, kind=ScriptMarkKind.PART, number=number, marked_at=now or utc_now()))
    session.flush()


def mark_prompt(session: Session, meeting_id: int, number: int, used: bool, *, now: datetime | None = None) -> None:
    """Tick a discussion prompt as used, or untick it."""
    meeting = writable_meeting(session, meeting_id)
    count = len(parse_guide(meeting.guide.source, meeting.guide.slug).prompts) if meeting.guide else 0
    if not 0 <= number < count:
        raise InvalidInput(f"The topic guide has no prompt {number + 1}.")
    session.execute(
        delete(ScriptMark).where(
            ScriptMark.meeting_id == meeting.id,
            ScriptMark.kind == ScriptMarkKind.PROMPT,
            ScriptMark.number == number,
        )
    )
    if used:
        session.add(
            ScriptMark(meeting_id=meeting.id, kind=ScriptMarkKind.PROMPT, number=number, marked_at=now or utc_now())
        )
    session.flush()
