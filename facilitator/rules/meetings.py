"""Use cases for meetings: open (once a day, unless on purpose), close, reopen, delete when
nobody came, look up and list with their attendance counts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Function, and_, case, delete, false, func, or_, select
from sqlalchemy.orm import Session

from facilitator.dates import day_at, day_starts, held_at, local
from facilitator.errors import InvalidInput, InvalidState, NotFound
from facilitator.plurals import counted
from facilitator.rules.groups import get_group
from facilitator.storage.backups import backup_before_deleting
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GuideKind,
    Meeting,
    MeetingState,
    ShareTurn,
    TopicGuide,
    utc_now,
)
from facilitator.text import clean_note

MAX_GUESTS = 999
# A check-in this long after the meeting's start belongs to another meeting. It covers the longest
# evening or day-long meeting, and resuming after a crash or a power cut the same evening; a
# meeting left open overnight is closed, and the day's own opened, before anyone else comes in.
CHECK_IN_HOURS = timedelta(hours=12)
EARLIER_CLOCK = "The computer's clock reads earlier than this meeting's start"


@dataclass(frozen=True)
class MeetingInfo:
    """One meeting with its head counts, as listings show it."""

    id: int
    group_id: int
    group_name: str
    state: MeetingState
    started_at: datetime
    ended_at: datetime | None
    guide_title: str | None
    guide_slug: str | None
    present: int
    late: int
    excused: int
    guests: int
    notes: str
    edited_at: datetime | None
    utc_offset_minutes: int  # of the clock the meeting was held by
    clock_note: str = ""  # from closing: what was done about a clock that made no sense for the meeting

    def held(self, moment: datetime) -> datetime:
        """A moment of this meeting on the clock it was held by."""
        return held_at(moment, self.utc_offset_minutes)

    @property
    def local_date(self) -> date:
        """The day the meeting was held, where it was held."""
        return self.held(self.started_at).date()

    @property
    def empty(self) -> bool:
        """Nobody was checked in, and no guest counted: the meeting recorded no one."""
        return self.present + self.late + self.excused + self.guests == 0


class MetToday(InvalidState):
    """The group already has a meeting on the day: reopen it, or open another on purpose."""

    def __init__(self, message: str, meeting: MeetingInfo) -> None:
        super().__init__(message)
        self.meeting = meeting


def open_meeting(
    session: Session,
    group_id: int,
    *,
    guide_slug: str | None = None,
    format_slug: str | None = None,
    now: datetime | None = None,
    another_today: bool = False,
) -> MeetingInfo:
    """Start a meeting of the group now, with its topic guide and meeting format if named. A
    group has at most one open meeting at a time, and one meeting a day unless `another_today`
    says the second is meant (an evening's meeting opened twice by mistake splits its record)."""
    moment = now or utc_now()
    group = get_group(session, group_id)
    if group.archived_at is not None:
        raise InvalidState(f"The group “{group.name}” is archived; restore it to meet again.")
    already_open = session.scalar(
        select(Meeting).where(Meeting.group_id == group.id, Meeting.state == MeetingState.OPEN).limit(1)
    )
    if already_open is not None:
        since = day_at(held_at(already_open.started_at, already_open.utc_offset_minutes))
        raise InvalidState(
            f"{group.name} already has meeting {already_open.id} open since {since}; close it before opening another."
        )
    earlier = None if another_today else meeting_on_the_day(session, group.id, moment)
    if earlier is not None:
        raise MetToday(
            f"{group.name} already met today: meeting {earlier.id}, opened at "
            f"{earlier.held(earlier.started_at):%H:%M}. Reopen it, or open a second meeting today on purpose.",
            earlier,
        )
    meeting = Meeting(
        group=group,
        started_at=moment,
        guide=_library_guide(session, guide_slug, GuideKind.TOPIC),
        format=_library_guide(session, format_slug, GuideKind.FORMAT),
    )
    session.add(meeting)
    session.flush()
    return meeting_info(session, meeting.id)


def meeting_on_the_day(session: Session, group_id: int, now: datetime | None = None) -> MeetingInfo | None:
    """The group's latest meeting held on the day `now` falls on, on this computer's clock (each
    meeting's day read on the clock it was held by, as listings read it); None if it has none."""
    day = local(now or utc_now()).date()
    held = _meeting_infos(session, *meetings_between(session, group_id, day, day))
    return held[-1] if held else None


def reopen_meeting(session: Session, meeting_id: int, *, now: datetime | None = None) -> MeetingInfo:
    """Open a closed meeting again, to go on with it: its check-ins, guests and notes are kept.
    Only while check-ins could still be made to it (`CHECK_IN_HOURS` from its start)."""
    meeting = get_meeting(session, meeting_id, for_update=True)
    if meeting.state is MeetingState.OPEN:
        raise InvalidState(f"Meeting {meeting.id} is open already.")
    group = meeting.group
    if group.archived_at is not None:
        raise InvalidState(f"The group “{group.name}” is archived; restore it to meet again.")
    if open_meeting_of(session, group.id) is not None:
        raise InvalidState(f"{group.name} has another meeting open; close it before reopening this one.")
    if (now or utc_now()) > meeting.started_at + CHECK_IN_HOURS:
        raise InvalidState(
            f"Meeting {meeting.id} opened on {held_moment(meeting, meeting.started_at)}, too long ago to go on "
            "with; open a new meeting instead."
        )
    meeting.state, meeting.ended_at = MeetingState.OPEN, None
    session.flush()
    return meeting_info(session, meeting.id)


def empty_meeting(session: Session, meeting_id: int) -> MeetingInfo:
    """The meeting, if it recorded no one and so may be deleted; else a refusal saying what it holds."""
    info = meeting_info(session, meeting_id)
    checked_in = info.present + info.late + info.excused
    if checked_in:
        raise InvalidState(
            f"Meeting {info.id} has {counted(checked_in, 'person', 'people')} marked, so it is kept; "
            "take the marks back first if they were made by mistake."
        )
    if info.guests:
        raise InvalidState(f"Meeting {info.id} counted {counted(info.guests, 'guest')}, so it is kept.")
    return info


def delete_empty_meeting(db: Database, meeting_id: int) -> MeetingInfo:
    """Delete a meeting that recorded no one (opened by mistake), after a backup like every
    deletion; refused, with nothing deleted, for a meeting with anyone checked in or any guest.
    Call it with the `Database`, outside any transaction (the backup is taken between two).
    Raises BackupFailed, deleting nothing, when the backup cannot be made."""
    with db.begin() as session:
        empty_meeting(session, meeting_id)
    backup_before_deleting(db.location, "before-deleting-a-meeting")
    with db.begin() as session:
        get_meeting(session, meeting_id, for_update=True)  # a check-in made meanwhile is seen
        info = empty_meeting(session, meeting_id)
        session.execute(delete(Meeting).where(Meeting.id == meeting_id))
    return info


def _library_guide(session: Session, slug: str | None, kind: GuideKind) -> TopicGuide | None:
    if slug is None:
        return None
    what = "topic guide" if kind is GuideKind.TOPIC else "meeting format"
    guide = session.scalar(select(TopicGuide).where(TopicGuide.slug == slug.strip()))
    if guide is None or guide.kind is not kind:
        raise NotFound(f"There is no {what} “{slug.strip()}”.")
    return guide


def close_meeting(session: Session, meeting_id: int, *, notes: str = "", now: datetime | None = None) -> MeetingInfo:
    """End the meeting, keeping notes for next time. Later changes are corrections.

    A meeting never ends before it started: under a clock that reads earlier than its start, it
    ends at its start, or at its last check-in if later, and the result's `clock_note` says so."""
    meeting = get_meeting(session, meeting_id, for_update=True)
    if meeting.state is MeetingState.CLOSED:
        raise InvalidState(f"Meeting {meeting.id} is already closed.")
    ended_at, clock_note = now or utc_now(), ""
    if ended_at < meeting.started_at:
        last_check_in = session.scalar(
            select(func.max(Attendance.checked_in_at)).where(Attendance.meeting_id == meeting.id)
        )
        ended_at = max(meeting.started_at, last_check_in or meeting.started_at)
        clock_note = f"{EARLIER_CLOCK}; its end was recorded as {held_moment(meeting, ended_at)}."
    meeting.state, meeting.ended_at = MeetingState.CLOSED, ended_at
    # A share turn still running when the meeting closes ends with it, with the time it used.
    for turn in session.scalars(
        select(ShareTurn).where(ShareTurn.meeting_id == meeting.id, ShareTurn.ended_at.is_(None))
    ):
        until = turn.paused_at or meeting.ended_at
        turn.seconds_used = round(max(0.0, (until - turn.started_at).total_seconds() - turn.paused_seconds), 3)
        turn.ended_at = meeting.ended_at
        turn.paused_at = None
    meeting.notes = clean_note(notes, "the text of the meeting notes")
    session.flush()
    return replace(meeting_info(session, meeting.id), clock_note=clock_note)


def check_in_time(meeting: Meeting, display_name: str, now: datetime, *, correcting: bool) -> tuple[datetime, str]:
    """When a check-in made at `now` is recorded, with a word when the clock made no sense for the
    meeting: before its start, the check-in is recorded at the start; more than `CHECK_IN_HOURS`
    after it, it is refused. A correction, made later by nature, is recorded at the start."""
    if correcting:
        return meeting.started_at, ""
    if now < meeting.started_at:
        return meeting.started_at, (
            f"{EARLIER_CLOCK}; {display_name}'s mark was recorded at its start, "
            f"{held_moment(meeting, meeting.started_at)}."
        )
    if now > meeting.started_at + CHECK_IN_HOURS:  # the same line as the one-statement check-in's
        raise InvalidState(
            f"This meeting opened on {held_moment(meeting, meeting.started_at)}; close it and open today's."
        )
    return now, ""


def held_moment(meeting: Meeting, moment: datetime) -> str:
    """A moment of the meeting as a person reads it ("Tue 3 Mar 2026 at 19:00"), where it was held."""
    return day_at(held_at(moment, meeting.utc_offset_minutes))


def writable_meeting(
    session: Session, meeting_id: int, *, correcting: bool = False, now: datetime | None = None
) -> Meeting:
    """The meeting, if its record may change now: open, or closed and being corrected.

    A correction to a closed meeting is stamped, so that the record shows it was edited.
    """
    meeting = get_meeting(session, meeting_id, for_update=True)
    if meeting.state is MeetingState.CLOSED:
        if not correcting:
            raise InvalidState(f"Meeting {meeting.id} is closed; correct it from the meeting history.")
        meeting.edited_at = now or utc_now()
    return meeting


def set_guest_count(
    session: Session, meeting_id: int, count: int, *, correcting: bool = False, now: datetime | None = None
) -> MeetingInfo:
    """Guests are counted, never named."""
    if not 0 <= count <= MAX_GUESTS:
        raise InvalidInput(f"{count} guests is outside 0–{MAX_GUESTS}.")
    meeting = get_meeting(session, meeting_id)
    if meeting.guest_count != count:
        writable_meeting(session, meeting.id, correcting=correcting, now=now)
        meeting.guest_count = count
        session.flush()
    return meeting_info(session, meeting.id)


def set_notes(
    session: Session, meeting_id: int, notes: str, *, correcting: bool = False, now: datetime | None = None
) -> MeetingInfo:
    """Change the meeting's notes; unchanged notes stamp no correction."""
    meeting = get_meeting(session, meeting_id)
    cleaned = clean_note(notes, "the text of the meeting notes")
    if meeting.notes != cleaned:
        writable_meeting(session, meeting.id, correcting=correcting, now=now)
        meeting.notes = cleaned
        session.flush()
    return meeting_info(session, meeting.id)


def open_meetings(session: Session) -> list[MeetingInfo]:
    """Meetings still open, oldest first: after a crash or power cut, these can be resumed."""
    return _meeting_infos(session, Meeting.state == MeetingState.OPEN)


def open_meeting_of(session: Session, group_id: int) -> MeetingInfo | None:
    found = _meeting_infos(session, Meeting.group_id == group_id, Meeting.state == MeetingState.OPEN)
    return found[0] if found else None


def previous_meeting(session: Session, meeting_id: int) -> MeetingInfo | None:
    """The group's meeting before this one, whose notes for next time are for this one."""
    meeting = get_meeting(session, meeting_id)
    before = (
        select(Meeting.id)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.id != meeting.id,
            or_(
                Meeting.started_at < meeting.started_at,
                and_(Meeting.started_at == meeting.started_at, Meeting.id < meeting.id),
            ),
        )
        .order_by(Meeting.started_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    found = _meeting_infos(session, Meeting.id.in_(before))
    return found[0] if found else None


def get_meeting(session: Session, meeting_id: int, *, for_update: bool = False) -> Meeting:
    """The meeting record, or a plain "no meeting with id" refusal. With `for_update`, changes to
    the meeting take turns (on PostgreSQL, a row lock until commit; SQLite's writers always take
    turns): two laptops checking the same person in, or checking in while another closes the
    meeting, see each other's work instead of racing past it."""
    meeting = session.get(Meeting, meeting_id, with_for_update=for_update or None, populate_existing=for_update)
    if meeting is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    return meeting


def meeting_info(session: Session, meeting_id: int) -> MeetingInfo:
    get_meeting(session, meeting_id)
    return _meeting_infos(session, Meeting.id == meeting_id)[0]


def list_meetings(
    session: Session, group_id: int, *, date_from: date | None = None, date_to: date | None = None
) -> list[MeetingInfo]:
    """The group's meetings held between two days (both included), oldest first."""
    get_group(session, group_id)
    return _meeting_infos(session, *meetings_between(session, group_id, date_from, date_to))


def recent_meetings(session: Session, group_id: int, count: int) -> list[MeetingInfo]:
    """The group's latest meetings, newest first."""
    get_group(session, group_id)
    latest = select(Meeting.id).where(Meeting.group_id == group_id).order_by(Meeting.started_at.desc()).limit(count)
    return _meeting_infos(session, Meeting.id.in_(latest))[::-1]


def meetings_between(
    session: Session, group_id: int, date_from: date | None, date_to: date | None
) -> list[ColumnElement[bool]]:
    """Conditions selecting a group's meetings held between two days, both included, each day read
    on the clock the meeting was held by: the group's few offsets, each with its own bounds."""
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(f"The range starts ({date_from}) after it ends ({date_to}).")
    conditions = [Meeting.group_id == group_id]
    if date_from is None and date_to is None:
        return conditions
    offsets = session.scalars(select(Meeting.utc_offset_minutes).where(Meeting.group_id == group_id).distinct())
    held = []
    for offset in offsets:
        bounds = [Meeting.utc_offset_minutes == offset]
        if date_from is not None:
            bounds.append(Meeting.started_at >= day_starts(date_from, offset))
        if date_to is not None:
            bounds.append(Meeting.started_at < day_starts(date_to + timedelta(days=1), offset))
        held.append(and_(*bounds))
    conditions.append(or_(*held) if held else false())
    return conditions


def _meeting_infos(session: Session, *conditions: ColumnElement[bool]) -> list[MeetingInfo]:
    def status_count(status: AttendanceStatus) -> Function[int]:
        return func.count(case((Attendance.status == status, 1)))

    counts = (
        select(
            Attendance.meeting_id,
            status_count(AttendanceStatus.PRESENT).label("present"),
            status_count(AttendanceStatus.LATE).label("late"),
            status_count(AttendanceStatus.EXCUSED).label("excused"),
        )
        # Only the meetings asked for: the database would otherwise count every check-in ever
        # made before picking out a dozen (it cannot push the join into the grouping).
        .where(Attendance.meeting_id.in_(select(Meeting.id).where(*conditions)))
        .group_by(Attendance.meeting_id)
        .subquery()
    )
    # Columns, named as MeetingInfo's fields, not Meeting objects: a listing of ten years of
    # meetings would otherwise spend most of its time building ORM objects it reads once.
    rows = session.execute(
        select(
            Meeting.id,
            Meeting.group_id,
            Group.name.label("group_name"),
            Meeting.state,
            Meeting.started_at,
            Meeting.ended_at,
            TopicGuide.title.label("guide_title"),
            TopicGuide.slug.label("guide_slug"),
            *(
                func.coalesce(count, 0).label(count.name)
                for count in (counts.c.present, counts.c.late, counts.c.excused)
            ),
            Meeting.guest_count.label("guests"),
            Meeting.notes,
            Meeting.edited_at,
            Meeting.utc_offset_minutes,
        )
        .join(Group, Group.id == Meeting.group_id)
        .outerjoin(TopicGuide, TopicGuide.id == Meeting.guide_id)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(*conditions)
        .order_by(Meeting.started_at, Meeting.id)
    )
    return [MeetingInfo(**row._asdict()) for row in rows]
