"""Attendance over time: one person's record across their groups, and who has not been seen lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from facilitator.dates import held_at, local_moment
from facilitator.rules.groups import get_group
from facilitator.rules.meeting_times import offset_of_latest
from facilitator.rules.participants import get_participant, tenures
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    Membership,
    MembershipBreak,
    Participant,
)
from facilitator.text import name_order

MILESTONES = (10, 25, 50, 100, 250, 500)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class TimelineEntry:
    meeting_id: int
    group_name: str
    started_at: datetime  # on the clock the meeting was held by
    status: AttendanceStatus | None  # None: a meeting of their group they did not come to


@dataclass(frozen=True)
class ParticipantHistory:
    participant_id: int
    display_name: str
    note: str | None
    groups: tuple[str, ...]
    timeline: tuple[TimelineEntry, ...]  # newest first
    monthly: tuple[tuple[date, int], ...]  # first day of each of the last 12 months, meetings attended

    @property
    def meetings_attended(self) -> int:
        return sum(entry.status in ATTENDED for entry in self.timeline)

    @property
    def meetings_held(self) -> int:
        return len(self.timeline)

    @property
    def attendance_rate(self) -> float | None:
        """Share of their groups' meetings, while they were a member, that they came to."""
        return self.meetings_attended / self.meetings_held if self.timeline else None

    @property
    def last_seen_at(self) -> datetime | None:
        return next((entry.started_at for entry in self.timeline if entry.status in ATTENDED), None)

    @property
    def milestones(self) -> tuple[int, ...]:
        return tuple(mark for mark in MILESTONES if self.meetings_attended >= mark)

    @property
    def next_milestone(self) -> int | None:
        return next((mark for mark in MILESTONES if self.meetings_attended < mark), None)


def participant_history(session: Session, participant_id: int, *, today: date | None = None) -> ParticipantHistory:
    """Everything about one person's attendance: every meeting of their groups while they were
    a member (and any other meeting they came to), newest first, with monthly counts."""
    participant = get_participant(session, participant_id)
    groups = dict(
        session.execute(
            select(Group.id, Group.name).join(Membership).where(Membership.participant_id == participant.id)
        ).all()
    )
    recorded = dict(
        session.execute(
            select(Attendance.meeting_id, Attendance.status).where(Attendance.participant_id == participant.id)
        ).all()
    )
    tenure_in = {
        group_id: tenure
        for (group_id, _), tenure in tenures(session, Membership.participant_id == participant.id).items()
    }
    timeline = []
    for group_id, tenure in tenure_in.items():
        # A day early: a meeting held on the joining day elsewhere may start before it begins here.
        since = local_moment(tenure.joined_on - timedelta(days=1))
        meetings = session.execute(
            select(Meeting.id, Meeting.started_at, Meeting.utc_offset_minutes).where(
                Meeting.group_id == group_id, Meeting.started_at >= since
            )
        ).all()
        for meeting_id, started_at, offset in meetings:
            held = held_at(started_at, offset)
            if meeting_id in recorded or tenure.covers(held.date()):
                timeline.append(TimelineEntry(meeting_id, groups[group_id], held, recorded.get(meeting_id)))
    # Attendance at meetings from before the recorded joining date still counts.
    listed = {entry.meeting_id for entry in timeline}
    missing = [meeting_id for meeting_id in recorded if meeting_id not in listed]
    if missing:
        for meeting_id, group_name, started_at, offset in session.execute(
            select(Meeting.id, Group.name, Meeting.started_at, Meeting.utc_offset_minutes)
            .join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id.in_(missing))
        ):
            timeline.append(TimelineEntry(meeting_id, group_name, held_at(started_at, offset), recorded[meeting_id]))
    timeline.sort(key=lambda entry: entry.started_at, reverse=True)
    return ParticipantHistory(
        participant_id=participant.id,
        display_name=participant.display_name,
        note=participant.note,
        groups=tuple(sorted(groups[group_id] for group_id, tenure in tenure_in.items() if tenure.left_on is None)),
        timeline=tuple(timeline),
        monthly=_monthly(timeline, today or date.today()),
    )


def _monthly(timeline: list[TimelineEntry], today: date) -> tuple[tuple[date, int], ...]:
    months = []
    first = today.replace(day=1)
    for _ in range(12):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    counts = dict.fromkeys(months, 0)
    for entry in timeline:
        month = entry.started_at.date().replace(day=1)
        if entry.status in ATTENDED and month in counts:
            counts[month] += 1
    return tuple(sorted(counts.items()))


@dataclass(frozen=True)
class ReachOut:
    """A member not seen for a while: someone the facilitator may want to check on."""

    participant_id: int
    display_name: str
    last_seen_at: datetime | None  # on the clock that meeting was held by
    on_roster_since: date  # when they joined, or last came back


def reach_out_list(session: Session, group_id: int, weeks: int, *, today: date | None = None) -> list[ReachOut]:
    """Current members who have not come for `weeks` weeks (longest absence first)."""
    get_group(session, group_id)
    since = local_moment((today or date.today()) - timedelta(weeks=weeks))
    last_seen = (
        select(Attendance.participant_id, func.max(Meeting.started_at).label("last"))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Meeting.group_id == group_id, Attendance.status.in_(ATTENDED))
        .group_by(Attendance.participant_id)
        .subquery()
    )
    came = (
        select(Attendance.id)
        .where(
            Attendance.meeting_id == Meeting.id,
            Attendance.participant_id == Participant.id,
            Attendance.status.in_(ATTENDED),
        )
        .correlate_except(Attendance)  # the meeting and the person of the query around it
        .exists()
    )
    came_back = (
        select(MembershipBreak.membership_id, func.max(MembershipBreak.rejoined_on).label("back"))
        .group_by(MembershipBreak.membership_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Participant.id,
            Participant.display_name,
            last_seen.c.last,
            offset_of_latest(Meeting.group_id == group_id, came),
            Membership.joined_on,
            came_back.c.back,
        )
        .join(Membership, and_(Membership.participant_id == Participant.id, Membership.group_id == group_id))
        .outerjoin(last_seen, last_seen.c.participant_id == Participant.id)
        .outerjoin(came_back, came_back.c.membership_id == Membership.id)
        .where(Membership.left_on.is_(None))
    ).all()
    # Someone just back is not missing yet, whenever they last came before they left.
    quiet = [
        ReachOut(pid, name, held_at(last, offset) if last else None, back or joined_on)
        for pid, name, last, offset, joined_on, back in rows
        if local_moment(back or joined_on) < since and (last is None or last < since)
    ]
    never_seen = datetime.min.replace(tzinfo=since.tzinfo)
    return sorted(quiet, key=lambda person: (person.last_seen_at or never_seen, name_order(person.display_name)))
