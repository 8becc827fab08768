"""Use cases for attendance: checking people in, changing or taking back a check-in, the roll."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import import_module
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import ReturningInsert

from facilitator.dates import held_at
from facilitator.errors import AlreadyExists, InvalidState, NotFound
from facilitator.rules.meetings import CHECK_IN_HOURS, check_in_time, get_meeting, writable_meeting
from facilitator.rules.participants import add_participant, add_to_group, get_participant, on_roster_on
from facilitator.rules.share_round.record import PlaceInRound, place_in_round
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingState,
    Membership,
    Participant,
    utc_now,
)
from facilitator.text import name_key

# Why a check-in stays, after the person's name, by where they stand in tonight's round.
IN_THE_ROUND = {
    PlaceInRound.SHARING: "is sharing now, so they stay marked here.",
    PlaceInRound.WAITING: "is waiting to share in tonight's round, so they stay marked here. "
    "Take them out of the queue on the Sharing page first.",
    PlaceInRound.SHARED: "has had a turn in this meeting's share round, so they stay marked here.",
}


@dataclass(frozen=True)
class CheckIn:
    """One person's recorded attendance at one meeting."""

    meeting_id: int
    participant_id: int
    display_name: str
    status: AttendanceStatus
    checked_in_at: datetime
    clock_note: str = ""  # what was done about a clock that made no sense for the meeting


@dataclass(frozen=True)
class RollEntry:
    """One line of a meeting's roll: a member of the group then, and what was recorded."""

    participant_id: int
    display_name: str
    status: AttendanceStatus | None  # None: not (yet) here
    checked_in_at: datetime | None
    utc_offset_minutes: int  # of the clock the meeting was held by, to read `checked_in_at` on

    @property
    def checked_in_where_held(self) -> datetime | None:
        return None if self.checked_in_at is None else held_at(self.checked_in_at, self.utc_offset_minutes)


def check_in(
    session: Session,
    meeting_id: int,
    participant_id: int,
    *,
    status: AttendanceStatus = AttendanceStatus.PRESENT,
    correcting: bool = False,
    now: datetime | None = None,
) -> CheckIn:
    """Record that a member of the meeting's group is present, late or excused. Once per person;
    a closed meeting only takes check-ins as a stamped correction. A time that makes no sense for
    the meeting is moved into it with a word, or refused (`check_in_time`)."""
    clock = now or utc_now()
    if not correcting:
        recorded = _check_in_at_open_meeting(session, meeting_id, participant_id, status, clock)
        if recorded is not None:
            return recorded
    meeting = writable_meeting(session, meeting_id, correcting=correcting, now=now)
    participant = get_participant(session, participant_id)
    day = held_at(meeting.started_at, meeting.utc_offset_minutes).date()
    is_member = session.scalar(
        select(Membership.id).where(
            Membership.group_id == meeting.group_id,
            Membership.participant_id == participant.id,
            or_(Membership.left_on.is_(None), Membership.left_on > day),
        )
    )
    if is_member is None:
        raise NotFound(f"“{participant.display_name}” is not on the roster of {meeting.group.name}.")
    earlier = _attendance(session, meeting.id, participant.id)
    if earlier is not None:
        at = held_at(earlier.checked_in_at, meeting.utc_offset_minutes).strftime("%H:%M")
        raise AlreadyExists(f"“{participant.display_name}” is already marked ({earlier.status.word}, {at}).")
    checked_in_at, clock_note = check_in_time(meeting, participant.display_name, clock, correcting=correcting)
    record = Attendance(meeting=meeting, participant=participant, status=status, checked_in_at=checked_in_at)
    session.add(record)
    session.flush()
    return CheckIn(meeting.id, participant.id, participant.display_name, record.status, checked_in_at, clock_note)


def _check_in_at_open_meeting(
    session: Session, meeting_id: int, participant_id: int, status: AttendanceStatus, at: datetime
) -> CheckIn | None:
    """The check-in of a current member at an open meeting, at a time within it, in one statement,
    or None for anything else, which `check_in` then looks into step by step (and words its
    refusal, or moves the time into the meeting).

    This is what a facilitator does most, while the room waits, so it is made as lean as the
    database allows: the checks and the insert are one round trip instead of five, and the
    statement is built and compiled once, then handed to the driver as its own SQL with values
    converted as SQLAlchemy would (a compiled statement's own path costs a check-in a quarter
    more than the session around it). The meeting's row is locked as it is read (PostgreSQL;
    SQLite's writers take turns anyway), so a check-in cannot slip past a meeting being closed.
    """
    connection = session.connection()
    prepared = _prepared_check_in(connection.dialect) if connection.dialect.insert_returning else None  # SQLite 3.35 on
    if prepared is None:
        return None
    session.flush()  # the statement goes past the session: what it holds must be written first
    values = {
        "meeting_id": meeting_id,
        "participant_id": participant_id,
        "status": status,
        "at": at,
        "opened_after": at - CHECK_IN_HOURS,
    }
    display_name = connection.exec_driver_sql(*prepared.driver_call(values)).scalar()
    return None if display_name is None else CheckIn(meeting_id, participant_id, display_name, status, at)


@dataclass(frozen=True)
class _PreparedStatement:
    """A statement compiled for one dialect, with the converters of its values."""

    compiled: SQLCompiler
    converters: Mapping[str, Callable[[Any], Any] | None]

    def driver_call(self, values: dict[str, object]) -> tuple[str, tuple[object, ...] | dict[str, object]]:
        """The SQL and the parameters for `exec_driver_sql`, in the driver's own style."""
        params = self.compiled.construct_params(values)
        converted = {
            name: value if (convert := self.converters.get(name)) is None else convert(value)
            for name, value in params.items()
        }
        order = self.compiled.positiontup
        return self.compiled.string, converted if order is None else tuple(converted[name] for name in order)


@lru_cache(maxsize=8)
def _prepared_check_in(dialect: Dialect) -> _PreparedStatement | None:
    statement = _check_in_statement(dialect.name)
    if statement is None:
        return None
    compiled = statement.compile(dialect=dialect)
    converters = {name: bind.type.bind_processor(dialect) for name, bind in compiled.binds.items()}
    return _PreparedStatement(compiled, converters)


@cache
def _check_in_statement(dialect: str) -> ReturningInsert[tuple[str]] | None:
    if dialect not in ("sqlite", "postgresql"):
        return None
    # The dialect in use only: PostgreSQL's module alone costs a laptop's start-up 15 ms.
    insert_or_nothing = import_module(f"sqlalchemy.dialects.{dialect}").insert
    attendance = Attendance.__table__
    checks = (
        select(
            Meeting.id,
            Membership.participant_id,
            bindparam("status", type_=attendance.c.status.type),
            bindparam("at", type_=attendance.c.checked_in_at.type),
        )
        .join(Membership, Membership.group_id == Meeting.group_id)
        .where(
            Meeting.id == bindparam("meeting_id"),
            Meeting.state == MeetingState.OPEN,
            Meeting.started_at <= bindparam("at", type_=attendance.c.checked_in_at.type),
            Meeting.started_at > bindparam("opened_after", type_=attendance.c.checked_in_at.type),
            Membership.participant_id == bindparam("participant_id"),
            Membership.left_on.is_(None),
        )
        .with_for_update(of=Meeting)
    )
    name = select(Participant.display_name).where(Participant.id == bindparam("participant_id")).scalar_subquery()
    statement: ReturningInsert[tuple[str]] = (
        insert_or_nothing(attendance)
        .from_select(["meeting_id", "participant_id", "status", "checked_in_at"], checks)
        .on_conflict_do_nothing()
        .returning(name)
    )
    return statement


def check_in_newcomer(
    session: Session,
    meeting_id: int,
    display_name: str,
    *,
    status: AttendanceStatus = AttendanceStatus.PRESENT,
    now: datetime | None = None,
) -> CheckIn:
    """Add someone new to the meeting's group and check them in, in one step."""
    meeting = writable_meeting(session, meeting_id)
    newcomer = add_participant(session, meeting.group_id, display_name)
    return check_in(session, meeting.id, newcomer.id, status=status, now=now)


def undo_newcomer(session: Session, meeting_id: int, participant_id: int) -> None:
    """Take back a "new person" check-in made by mistake: the check-in goes, and so does the
    person if this was all there is of them (no other meeting, no other group)."""
    remove_check_in(session, meeting_id, participant_id)
    participant = get_participant(session, participant_id)
    other_attendance = session.scalar(select(Attendance.id).where(Attendance.participant_id == participant.id))
    if other_attendance is None and len(participant.memberships) == 1:
        session.delete(participant)  # their membership goes with them
        session.flush()


def redo_newcomer(session: Session, meeting_id: int, participant: CheckIn) -> CheckIn:
    """Bring back a newcomer whose check-in was undone, with the same id, so that anything
    recorded about them afterwards (a status change, say) still points at them.
    Ids are never reused (see `Participant`), so the id is free unless the person was kept."""
    meeting = writable_meeting(session, meeting_id)
    if session.get(Participant, participant.participant_id) is None:
        session.add(Participant(id=participant.participant_id, display_name=participant.display_name))
        session.flush()
        add_to_group(session, participant.participant_id, meeting.group_id)
    return check_in(
        session, meeting.id, participant.participant_id, status=participant.status, now=participant.checked_in_at
    )


def set_status(
    session: Session,
    meeting_id: int,
    participant_id: int,
    status: AttendanceStatus,
    *,
    correcting: bool = False,
    now: datetime | None = None,
) -> CheckIn:
    """Change a check-in from present to late, or to sent word, or back. The time is kept.
    Choosing the status it already has changes nothing, and stamps no correction."""
    meeting = get_meeting(session, meeting_id)
    record = _attendance(session, meeting.id, participant_id)
    if record is None:
        name = get_participant(session, participant_id).display_name
        raise NotFound(f"“{name}” is not marked at meeting {meeting.id}.")
    if record.status != status:
        writable_meeting(session, meeting.id, correcting=correcting, now=now)
        record.status = status
        session.flush()
    return CheckIn(meeting.id, participant_id, record.participant.display_name, record.status, record.checked_in_at)


def remove_check_in(
    session: Session, meeting_id: int, participant_id: int, *, correcting: bool = False, now: datetime | None = None
) -> CheckIn:
    """Take a check-in back (a mistaken click). Returns what was removed, so it can be redone.
    Someone in tonight's share round keeps theirs: the round's record says they are here."""
    meeting = writable_meeting(session, meeting_id, correcting=correcting, now=now)
    record = _attendance(session, meeting.id, participant_id)
    if record is None:
        name = get_participant(session, participant_id).display_name
        raise NotFound(f"“{name}” is not marked at meeting {meeting.id}.")
    place = place_in_round(session, meeting.id, participant_id)
    if place is not None:
        raise InvalidState(f"“{record.participant.display_name}” {IN_THE_ROUND[place]}")
    removed = CheckIn(meeting.id, participant_id, record.participant.display_name, record.status, record.checked_in_at)
    session.execute(delete(Attendance).where(Attendance.id == record.id))
    return removed


def meeting_roll(session: Session, meeting_id: int) -> list[RollEntry]:
    """Everyone on the group's roster on the meeting's day, and anyone recorded, by name."""
    meeting = get_meeting(session, meeting_id)
    day = held_at(meeting.started_at, meeting.utc_offset_minutes).date()
    if meeting.state is MeetingState.OPEN:
        # A meeting resumed on a later day shows the roster as it is now.
        day = max(day, date.today())
    rows = session.execute(
        select(Participant.id, Participant.display_name, Attendance.status, Attendance.checked_in_at)
        .join(Membership, Membership.participant_id == Participant.id)
        .outerjoin(Attendance, and_(Attendance.participant_id == Participant.id, Attendance.meeting_id == meeting.id))
        .where(
            Membership.group_id == meeting.group_id,
            or_(Attendance.id.is_not(None), on_roster_on(day)),
        )
    )
    entries = [RollEntry(*row, meeting.utc_offset_minutes) for row in rows]
    return sorted(entries, key=lambda entry: name_key(entry.display_name))


def _attendance(session: Session, meeting_id: int, participant_id: int) -> Attendance | None:
    return session.scalar(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.participant_id == participant_id)
    )
