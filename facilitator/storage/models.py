"""The stored records, as typed SQLAlchemy 2.0 mappings. Times are UTC and timezone-aware."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from facilitator.dates import utc_offset_minutes
from facilitator.text import NEW_GROUP_NAME_DISPLAY, NameDisplay

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GROUP_NAME_MAX = 120
DISPLAY_NAME_MAX = 80
PLACE_MAX = 200


def utc_now() -> datetime:
    return datetime.now(UTC)


def _offset_at_start(context: DefaultExecutionContext) -> int:
    """A new meeting is held by this computer's clock: its zone's offset when the meeting starts."""
    started_at: datetime = context.get_current_parameters()["started_at"]  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy
    return utc_offset_minutes(started_at)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored as UTC and always read back timezone-aware.

    SQLite has no time zones, so the value is stored as naive UTC there; PostgreSQL keeps
    `timestamptz`. Naive datetimes are refused, so local time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"  # stored so (no migration); people read `word`

    @property
    def word(self) -> str:
        """The status as the window, the command line and the documents say it: the group's own
        "sent word" for someone who let the group know they cannot come ("excused" sounds like
        school or court)."""
        return "sent word" if self is AttendanceStatus.EXCUSED else self.value


class MeetingState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class GuideKind(enum.StrEnum):
    TOPIC = "topic"
    FORMAT = "format"


def _string_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    # Stored as short strings with a CHECK constraint, the same on SQLite and PostgreSQL.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    meeting_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday, as in `date.weekday()`
    meeting_time: Mapped[time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    share_seconds: Mapped[int] = mapped_column(Integer, default=180)
    warning_seconds: Mapped[int] = mapped_column(Integer, default=60)
    name_display: Mapped[NameDisplay] = mapped_column(
        # The server's default stays what the migrations made it (only rows written outside
        # SQLAlchemy take it); every group made through the models gets the privacy-first one.
        _string_enum(NameDisplay, "name_display"),
        default=NEW_GROUP_NAME_DISPLAY,
        server_default=NameDisplay.FULL.value,
    )
    # A handout goes home with people: it names the group only when the group chooses.
    handout_names_group: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    archived_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(back_populates="group")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="group")

    __table_args__ = (
        CheckConstraint("share_seconds > 0", name="share_positive"),
        CheckConstraint("warning_seconds >= 0", name="warning_not_negative"),
        CheckConstraint("meeting_weekday BETWEEN 0 AND 6", name="weekday_range"),
    )


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )

    # Ids are never reused, even after a record is deleted: an undone check-in can be redone
    # with the same person, and an id in an old letter or export never names someone else.
    __table_args__ = {"sqlite_autoincrement": True}


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    group: Mapped[Group] = relationship(back_populates="memberships")
    participant: Mapped[Participant] = relationship(back_populates="memberships")
    breaks: Mapped[list[MembershipBreak]] = relationship(
        back_populates="membership", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("group_id", "participant_id"),)


class MembershipBreak(Base):
    """A time someone was off a group's roster, from leaving until they came back: the group's
    meetings then were not theirs to miss."""

    __tablename__ = "membership_breaks"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    left_on: Mapped[date] = mapped_column(Date)
    rejoined_on: Mapped[date] = mapped_column(Date)

    membership: Mapped[Membership] = relationship(back_populates="breaks")

    __table_args__ = (CheckConstraint("rejoined_on > left_on", name="not_empty"),)


class TopicGuide(Base):
    __tablename__ = "topic_guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[GuideKind] = mapped_column(_string_enum(GuideKind, "guide_kind"), default=GuideKind.TOPIC)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text)  # the guide file's text, kept whole so no field is lost
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="RESTRICT"))
    state: Mapped[MeetingState] = mapped_column(_string_enum(MeetingState, "meeting_state"), default=MeetingState.OPEN)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    guide_id: Mapped[int | None] = mapped_column(ForeignKey("topic_guides.id", ondelete="SET NULL"))
    format_id: Mapped[int | None] = mapped_column(ForeignKey("topic_guides.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    guest_count: Mapped[int] = mapped_column(Integer, default=0)
    edited_at: Mapped[datetime | None]  # set when a closed meeting's record is corrected
    # The offset from UTC of the clock the meeting was held by, so that it prints at the time it
    # was held wherever the records are read later (`dates.held_at`).
    utc_offset_minutes: Mapped[int] = mapped_column(Integer, default=_offset_at_start)

    group: Mapped[Group] = relationship(back_populates="meetings")
    guide: Mapped[TopicGuide | None] = relationship(foreign_keys=[guide_id])
    format: Mapped[TopicGuide | None] = relationship(foreign_keys=[format_id])
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting", passive_deletes=True)

    __table_args__ = (
        CheckConstraint("guest_count >= 0", name="guests_not_negative"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        Index("ix_meetings_group_started", "group_id", "started_at"),
    )


class Attendance(Base):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(_string_enum(AttendanceStatus, "attendance_status"))
    checked_in_at: Mapped[datetime] = mapped_column(default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)


class ShareTurn(Base):
    __tablename__ = "share_turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    seconds_used: Mapped[float | None]
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Enough to resume a turn after a crash with its elapsed time right: pauses and added time.
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[float] = mapped_column(default=0.0, server_default="0")
    extra_seconds: Mapped[float] = mapped_column(default=0.0, server_default="0")

    __table_args__ = (
        UniqueConstraint("meeting_id", "position"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )


class ScriptMarkKind(enum.StrEnum):
    PART = "part"  # the meeting moved to this part of its format
    PROMPT = "prompt"  # this discussion prompt of the topic guide was used


class ScriptMark(Base):
    """The facilitator's place in the meeting's script, written as it moves: when each part of the
    format began (a part may be returned to), and which prompts have been used."""

    __tablename__ = "script_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ScriptMarkKind] = mapped_column(_string_enum(ScriptMarkKind, "script_mark_kind"))
    number: Mapped[int] = mapped_column(Integer)  # the part's or prompt's place, from 0
    marked_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (CheckConstraint("number >= 0", name="number_not_negative"),)


# A person waiting in a saved round: their id, or {"id": …, "leaving_early": true} (rules/share_round/record.py).
WaitingEntry = int | dict[str, int | bool]


class ShareRoundRecord(Base):
    """A meeting's sharing round as the facilitator set it up and has changed it since: the share
    length, warning, time budget and who is still waiting, in order. With the share turns, it lets
    a round resume after a crash exactly as it was."""

    __tablename__ = "share_rounds"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    share_seconds: Mapped[int] = mapped_column(Integer)
    warning_seconds: Mapped[int] = mapped_column(Integer)
    budget_seconds: Mapped[int | None] = mapped_column(Integer)  # None: no time given for the whole round
    waiting: Mapped[list[WaitingEntry]] = mapped_column(JSON)  # who is waiting, next first
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    __table_args__ = (
        CheckConstraint("share_seconds > 0", name="share_positive"),
        CheckConstraint("warning_seconds >= 0", name="warning_not_negative"),
    )


class AttendanceLetter(Base):
    """A letter that confirms someone's attendance, recorded so that its code can be checked
    later ("was this letter really issued, and for whom?")."""

    __tablename__ = "attendance_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    meetings_attended: Mapped[int] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  # the group's name left out
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    # The person's name as a court or programme knows them, and its reference or case number: printed
    # on the letter and kept here only (never on the roster, in reports or exports), gone with the person.
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utc_now)

    participant: Mapped[Participant] = relationship()
    group: Mapped[Group] = relationship()


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
