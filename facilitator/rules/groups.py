"""Use cases for groups: create, rename, archive, restore, list and look up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.storage.models import GROUP_NAME_MAX, Group, Meeting, MeetingState, Membership, utc_now
from facilitator.text import NameDisplay, clean_name, clean_note, name_key

SHARE_MINUTES_RANGE = range(1, 31)


@dataclass(frozen=True)
class GroupInfo:
    """A group as the views and the command line show it."""

    id: int
    name: str
    description: str
    share_seconds: int
    warning_seconds: int
    name_display: NameDisplay
    archived: bool
    member_count: int
    meeting_count: int
    last_meeting_at: datetime | None

    @property
    def share_minutes(self) -> float:
        return self.share_seconds / 60


def create_group(
    session: Session,
    name: str,
    *,
    share_minutes: int = 3,
    description: str = "",
    name_display: NameDisplay = NameDisplay.FULL,
) -> GroupInfo:
    name = clean_name(name, "the group name", GROUP_NAME_MAX)
    _refuse_taken_name(session, name)
    group = Group(
        name=name,
        description=clean_note(description, "the group description"),
        share_seconds=_share_seconds(share_minutes),
        name_display=name_display,
    )
    session.add(group)
    session.flush()
    return group_info(session, group.id)


def rename_group(session: Session, group_id: int, new_name: str) -> GroupInfo:
    group = get_group(session, group_id)
    new_name = clean_name(new_name, "the group name", GROUP_NAME_MAX)
    _refuse_taken_name(session, new_name, except_id=group.id)
    group.name = new_name
    session.flush()
    return group_info(session, group.id)


def update_group(
    session: Session,
    group_id: int,
    *,
    name: str,
    share_minutes: int,
    description: str,
    name_display: NameDisplay | None = None,
) -> GroupInfo:
    group = get_group(session, group_id)
    name = clean_name(name, "the group name", GROUP_NAME_MAX)
    _refuse_taken_name(session, name, except_id=group.id)
    group.name = name
    group.share_seconds = _share_seconds(share_minutes)
    group.description = clean_note(description, "the group description")
    if name_display is not None:
        group.name_display = name_display
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
        select(Group, members.c.n, meetings.c.n, meetings.c.last)
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
            archived=group.archived_at is not None,
            member_count=member_count or 0,
            meeting_count=meeting_count or 0,
            last_meeting_at=last,
        )
        for group, member_count, meeting_count, last in rows
    ]


def _share_seconds(share_minutes: int) -> int:
    if share_minutes not in SHARE_MINUTES_RANGE:
        raise InvalidInput(
            f"A share of {share_minutes} minutes is outside "
            f"{SHARE_MINUTES_RANGE.start}–{SHARE_MINUTES_RANGE.stop - 1} minutes."
        )
    return share_minutes * 60


def _refuse_taken_name(session: Session, name: str, except_id: int | None = None) -> None:
    key = name_key(name)
    for group_id, existing in session.execute(select(Group.id, Group.name)):
        if group_id != except_id and name_key(existing) == key:
            raise AlreadyExists(f"There is already a group called “{existing}”.")
