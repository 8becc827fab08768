"""Use cases for groups: create, change their settings, rename, archive, restore, list and look up."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from facilitator.dates import held_at
from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.rules.meeting_times import offset_of_latest
from facilitator.storage.models import GROUP_NAME_MAX, PLACE_MAX, Group, Meeting, MeetingState, Membership, utc_now
from facilitator.text import NEW_GROUP_NAME_DISPLAY, NameDisplay, clean_name, clean_note, name_key

SHARE_MINUTES_RANGE = range(1, 31)
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")  # 0 = Monday
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")


@dataclass(frozen=True)
class GroupInfo:
    """A group as the views and the command line show it."""

    id: int
    name: str
    description: str
    share_seconds: int
    warning_seconds: int
    name_display: NameDisplay
    meeting_weekday: int | None  # the usual day, 0 = Monday as in `date.weekday()`
    meeting_time: time | None  # the usual starting time, local
    place: str  # where the group usually meets
    handout_names_group: bool  # whether take-home handouts print the group's name
    archived: bool
    member_count: int
    meeting_count: int
    last_meeting_at: datetime | None  # on the clock that meeting was held by

    @property
    def share_minutes(self) -> float:
        return self.share_seconds / 60

    @property
    def usual_meeting(self) -> str:
        """When and where the group usually meets, as one line ("Meets Tuesdays at 19:00 · St Mark's Hall");
        a part not given is left out, and nothing given gives ""."""
        when = " ".join(
            part
            for part in (
                WEEKDAYS[self.meeting_weekday] if self.meeting_weekday is not None else "",
                f"at {self.meeting_time:%H:%M}" if self.meeting_time is not None else "",
            )
            if part
        )
        return " · ".join(part for part in (f"Meets {when}" if when else "", self.place) if part)


class Keep(enum.Enum):
    """A setting `update_group` is not asked to change, where None is a value of its own."""

    AS_IT_IS = "as it is"


@dataclass(frozen=True)
class GroupFields:
    """The settings a person gives a group, as typed; named as `create_group` and `update_group` take them."""

    name: str
    share_minutes: int = 3
    description: str = ""
    name_display: NameDisplay = NEW_GROUP_NAME_DISPLAY
    meeting_weekday: int | None = None
    meeting_time: str = ""  # "19:00"; empty for no usual time
    place: str = ""
    handout_names_group: bool = False


def create_group(
    session: Session,
    name: str,
    *,
    share_minutes: int = 3,
    description: str = "",
    name_display: NameDisplay = NEW_GROUP_NAME_DISPLAY,
    meeting_weekday: int | None = None,
    meeting_time: str = "",
    place: str = "",
    handout_names_group: bool = False,
) -> GroupInfo:
    """A new group. The usual weekday, time ("19:00") and place are optional; its handouts name
    it only when `handout_names_group` (they go home with people)."""
    name = clean_name(name, "the group name", GROUP_NAME_MAX)
    _refuse_taken_name(session, name)
    group = Group(
        name=name,
        description=clean_note(description, "the group description"),
        share_seconds=_share_seconds(share_minutes),
        name_display=name_display,
        meeting_weekday=_weekday(meeting_weekday),
        meeting_time=_meeting_time(meeting_time),
        place=_place(place),
        handout_names_group=handout_names_group,
    )
    session.add(group)
    session.flush()
    return group_info(session, group.id)


def update_group(
    session: Session,
    group_id: int,
    *,
    name: str | None = None,
    share_minutes: int | None = None,
    description: str | None = None,
    meeting_weekday: int | None | Keep = Keep.AS_IT_IS,
    meeting_time: str | None = None,
    place: str | None = None,
    name_display: NameDisplay | None = None,
    handout_names_group: bool | None = None,
) -> GroupInfo:
    """Change what is given of a group's settings (None, or `Keep.AS_IT_IS` for the weekday, where
    None means no usual day, leaves a setting as it is); each is checked before any is changed.
    Renaming, from Group Settings or `facilitator group rename`, comes here: a name must be sound
    and not taken."""
    group = get_group(session, group_id)
    if name is not None:
        name = clean_name(name, "the group name", GROUP_NAME_MAX)
        _refuse_taken_name(session, name, except_id=group.id)
    share_seconds = _share_seconds(share_minutes) if share_minutes is not None else group.share_seconds
    if description is not None:
        description = clean_note(description, "the group description")
    weekday = group.meeting_weekday if meeting_weekday is Keep.AS_IT_IS else _weekday(meeting_weekday)
    starts = group.meeting_time if meeting_time is None else _meeting_time(meeting_time)
    place = group.place if place is None else _place(place)
    group.meeting_weekday, group.meeting_time, group.place = weekday, starts, place
    group.name = name if name is not None else group.name
    group.share_seconds = share_seconds
    group.description = description if description is not None else group.description
    if name_display is not None:
        group.name_display = name_display
    if handout_names_group is not None:
        group.handout_names_group = handout_names_group
    session.flush()
    return group_info(session, group.id)


def archive_group(session: Session, group_id: int) -> GroupInfo:
    """Take a group out of the everyday list. Its meetings and attendance are kept."""
    group = get_group(session, group_id)
    if group.archived_at is not None:
        raise InvalidState(f"The group “{group.name}” is already archived.")
    open_meeting = session.scalar(
        select(Meeting.id).where(Meeting.group_id == group.id, Meeting.state == MeetingState.OPEN).limit(1)
    )
    if open_meeting is not None:
        raise InvalidState(f"The group “{group.name}” has meeting {open_meeting} still open; close it first.")
    group.archived_at = utc_now()
    session.flush()
    return group_info(session, group.id)


def restore_group(session: Session, group_id: int) -> GroupInfo:
    group = get_group(session, group_id)
    if group.archived_at is None:
        raise InvalidState(f"The group “{group.name}” is not archived.")
    group.archived_at = None
    session.flush()
    return group_info(session, group.id)


def get_group(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound(f"There is no group with id {group_id}.")
    return group


def find_group(session: Session, name: str) -> Group:
    """The group with this name, ignoring case and extra spaces."""
    key = name_key(name)
    for group in session.scalars(select(Group)):
        if name_key(group.name) == key:
            return group
    known = ", ".join(sorted(session.scalars(select(Group.name).where(Group.archived_at.is_(None)))))
    hint = f" Groups: {known}." if known else " There are no groups yet."
    raise NotFound(f"There is no group called “{name.strip()}”.{hint}")


def group_info(session: Session, group_id: int) -> GroupInfo:
    return next(info for info in _group_infos(session, Group.id == group_id))


def list_groups(session: Session, *, include_archived: bool = False) -> list[GroupInfo]:
    condition = true() if include_archived else Group.archived_at.is_(None)
    return sorted(_group_infos(session, condition), key=lambda info: (info.archived, name_key(info.name)))


def _group_infos(session: Session, condition: ColumnElement[bool]) -> list[GroupInfo]:
    members = (
        select(Membership.group_id, func.count().label("n"))
        .where(Membership.left_on.is_(None))
        .group_by(Membership.group_id)
        .subquery()
    )
    meetings = (
        select(Meeting.group_id, func.count().label("n"), func.max(Meeting.started_at).label("last"))
        .group_by(Meeting.group_id)
        .subquery()
    )
    rows = session.execute(
        select(Group, members.c.n, meetings.c.n, meetings.c.last, offset_of_latest(Meeting.group_id == Group.id))
        .outerjoin(members, members.c.group_id == Group.id)
        .outerjoin(meetings, meetings.c.group_id == Group.id)
        .where(condition)
    )
    return [
        GroupInfo(
            id=group.id,
            name=group.name,
            description=group.description,
            share_seconds=group.share_seconds,
            warning_seconds=group.warning_seconds,
            name_display=group.name_display,
            meeting_weekday=group.meeting_weekday,
            meeting_time=group.meeting_time,
            place=group.place,
            handout_names_group=group.handout_names_group,
            archived=group.archived_at is not None,
            member_count=member_count or 0,
            meeting_count=meeting_count or 0,
            last_meeting_at=held_at(last, offset) if last else None,
        )
        for group, member_count, meeting_count, last, offset in rows
    ]


def _share_seconds(share_minutes: int) -> int:
    if share_minutes not in SHARE_MINUTES_RANGE:
        raise InvalidInput(
            f"A share of {share_minutes} minutes is outside "
            f"{SHARE_MINUTES_RANGE.start}–{SHARE_MINUTES_RANGE.stop - 1} minutes."
        )
    return share_minutes * 60


def weekday_number(typed: str) -> int:
    """The weekday a person named, "Tuesday", "tuesdays" or "tue", as 0 (Monday) to 6 (Sunday)."""
    key = name_key(typed)
    for number, days in enumerate(WEEKDAYS):
        if len(key) >= 3 and days.casefold().startswith(key):
            return number
    raise InvalidInput(f"“{typed.strip()[:20]}” is not a day of the week; name one, like Tuesday.")


def _weekday(weekday: int | None) -> int | None:
    if weekday is not None and weekday not in range(len(WEEKDAYS)):
        raise InvalidInput(f"The usual weekday {weekday} is not one of 0 (Monday) to 6 (Sunday).")
    return weekday


def _meeting_time(typed: str) -> time | None:
    """The usual time as typed, "19:00" or "7.30"; empty for none."""
    text = typed.strip()
    if not text:
        return None
    found = _CLOCK.fullmatch(text)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise InvalidInput(f"The usual time “{text[:20]}” is not a time of day; write it like 19:00.")
    return time(int(found[1]), int(found[2]))


def _place(place: str) -> str:
    return clean_name(place, "the meeting place", PLACE_MAX) if place.strip() else ""


def _refuse_taken_name(session: Session, name: str, except_id: int | None = None) -> None:
    key = name_key(name)
    for group_id, existing in session.execute(select(Group.id, Group.name)):
        if group_id != except_id and name_key(existing) == key:
            raise AlreadyExists(f"There is already a group called “{existing}”.")
