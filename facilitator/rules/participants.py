"""Use cases for participants and their memberships of groups."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, exists, func, insert, select
from sqlalchemy.orm import Session

from facilitator.dates import held_at
from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.rules.groups import get_group
from facilitator.rules.meeting_times import offset_of_latest
from facilitator.storage.models import (
    DISPLAY_NAME_MAX,
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    Membership,
    MembershipBreak,
    Participant,
    utc_now,
)
from facilitator.text import clean_name, clean_note, name_key, name_matches, name_order, names_alike, same_name


@dataclass(frozen=True)
class ParticipantInfo:
    """A member of one group's roster, with their attendance in that group."""

    id: int
    display_name: str
    note: str | None
    joined_on: date
    left_on: date | None
    meetings_attended: int
    last_seen_at: datetime | None  # the start of the last meeting they came to, on its own clock


def add_participant(
    session: Session,
    group_id: int,
    display_name: str,
    *,
    note: str | None = None,
    joined_on: date | None = None,
) -> ParticipantInfo:
    """A new person on a group's roster. First names or initials are enough."""
    (participant_id,) = add_participants(session, group_id, [(display_name, note)], joined_on=joined_on)
    return participant_info(session, group_id, participant_id)


def add_participants(
    session: Session, group_id: int, people: Iterable[tuple[str, str | None]], *, joined_on: date | None = None
) -> list[int]:
    """New people (name, note) on a group's roster in one go, and their ids (in no particular
    order). A name already there is refused."""
    group = _open_group(session, group_id)
    taken = current_member_keys(session, group.id)
    checked = []
    for display_name, note in people:
        display_name = clean_name(display_name, "the name", DISPLAY_NAME_MAX)
        key = name_key(display_name)
        if key in taken:
            raise AlreadyExists(f"“{taken[key]}” is already on the roster of {group.name}.")
        taken[key] = display_name
        checked.append((display_name, clean_note(note, "the note") or None))
    return add_checked_people(session, group.id, checked, joined_on=joined_on)


def add_checked_people(
    session: Session, group_id: int, people: list[tuple[str, str | None]], *, joined_on: date | None = None
) -> list[int]:
    """`add_participants` for names and notes already cleaned and checked against the roster in
    this transaction (a roster import does so line by line as it reads: a hundred thousand
    names are not cleaned twice)."""
    group = _open_group(session, group_id)
    if not people:
        return []
    now = utc_now()
    rows = [{"display_name": name, "note": note, "created_at": now} for name, note in people]
    # Plain bulk statements in the session's transaction, not an object per person (a tenth of
    # the time and memory). Nothing of the ORM's is loaded that these rows would leave out of
    # date: everything reads rosters by query.
    connection = session.connection()
    ids = list(connection.scalars(insert(_table(Participant)).returning(_table(Participant).c.id), rows))
    day = joined_on or date.today()
    connection.execute(
        insert(_table(Membership)), [{"group_id": group.id, "participant_id": pid, "joined_on": day} for pid in ids]
    )
    return ids


def _table(model: type[Participant | Membership]) -> Table:
    return cast(Table, model.__table__)


def add_to_group(
    session: Session, participant_id: int, group_id: int, *, joined_on: date | None = None
) -> ParticipantInfo:
    """Put someone already known in another group too (one person, several groups)."""
    participant = get_participant(session, participant_id)
    group = _open_group(session, group_id)
    membership = session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.participant_id == participant.id)
    )
    if membership is not None and membership.left_on is None:
        raise AlreadyExists(f"“{participant.display_name}” is already on the roster of {group.name}.")
    namesakes = _named(_current_members(session, group.id), participant.display_name)
    if namesakes:
        raise AlreadyExists(f"Someone called “{namesakes[0].display_name}” is already on the roster of {group.name}.")
    back_on = joined_on or date.today()
    if membership is None:
        session.add(Membership(group=group, participant=participant, joined_on=back_on))
    else:
        if membership.left_on is not None and back_on > membership.left_on:
            membership.breaks.append(MembershipBreak(left_on=membership.left_on, rejoined_on=back_on))
        membership.left_on = None
    session.flush()
    return participant_info(session, group.id, participant.id)


def get_participant(session: Session, participant_id: int) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"There is no participant with id {participant_id}.")
    return participant


def find_member(
    session: Session, group_id: int, name: str, *, or_former: bool = False, or_partial: bool = False
) -> Participant:
    """The current member of the group with this name, under the one rule for names (case, accents
    and spacing aside); with `or_former`, someone who has left it is found too (a letter is often
    asked for after); with `or_partial`, a name the words typed find for one member only ("chloe"
    for Chloé Martin), as a search would."""
    group = get_group(session, group_id)
    members = _current_members(session, group.id)
    found = _named(members, name)
    if not found and or_former:
        found = _named(session.scalars(select(Participant).join(Membership).where(*_left_roster(group.id))), name)
    if not found and or_partial and name_key(name):  # nothing typed finds everyone
        found = [member for member in members if name_matches(name, member.display_name)]
        if len(found) > 1:
            raise InvalidInput(f"“{_typed(name)}” could be {_either(found)}; give more of the name.")
    if len(found) > 1:
        raise InvalidInput(f"“{_typed(name)}” could be {_either(found)}; give the name as the roster spells it.")
    if not found:
        alike = [person.display_name for person in names_alike_on_roster(session, group.id, name)]
        meant = f" Did you mean {names_listed(alike)}?" if alike else ""
        raise NotFound(f"There is nobody called “{_typed(name)}” on the roster of {group.name}.{meant}")
    return found[0]


@dataclass(frozen=True)
class NameAlike:
    """Someone on the roster whose name is alike a new one: perhaps the person who was meant."""

    id: int
    display_name: str
    same: bool  # the same name under the rule, which a roster cannot hold twice; else only close to it


def names_alike_on_roster(session: Session, group_id: int, name: str) -> list[NameAlike]:
    """Who on the group's roster a new name may mean ("Did you mean Chloé Martin?"), by `names_alike`:
    the same name first, then the names close to it, by `name_key` (asked on the check-in path,
    where the collation table of `name_order` is never read)."""
    alike = [
        NameAlike(member.id, member.display_name, same_name(member.display_name, name))
        for member in _current_members(session, group_id)
        if names_alike(name, member.display_name)
    ]
    return sorted(alike, key=lambda person: (not person.same, name_key(person.display_name)))


def participant_info(session: Session, group_id: int, participant_id: int) -> ParticipantInfo:
    return next(iter(_roster(session, group_id, Membership.group_id == group_id, Participant.id == participant_id)))


def list_participants(session: Session, group_id: int, *, former: bool = False) -> list[ParticipantInfo]:
    """The group's current roster in name order, or with `former` those who have left it."""
    get_group(session, group_id)
    on_list = _left_roster(group_id) if former else _on_roster(group_id)
    return sorted(_roster(session, group_id, *on_list), key=lambda info: name_order(info.display_name))


def former_members(session: Session, group_id: int) -> list[ParticipantInfo]:
    """Those who have left the group, in no order: for looking them up by name (an import puts
    them back), without the collation table that a list people read is put in order by."""
    get_group(session, group_id)
    return _roster(session, group_id, *_left_roster(group_id))


def update_participant(session: Session, participant_id: int, *, display_name: str, note: str | None) -> Participant:
    """Correct a name or the private note. The name stays unique on each roster the person is on."""
    participant = get_participant(session, participant_id)
    display_name = clean_name(display_name, "the name", DISPLAY_NAME_MAX)
    for membership in participant.memberships:
        if membership.left_on is not None:
            continue
        others = [
            namesake
            for namesake in _named(_current_members(session, membership.group_id), display_name)
            if namesake.id != participant.id
        ]
        if others:
            raise AlreadyExists(f"“{others[0].display_name}” is already on the roster of {membership.group.name}.")
    participant.display_name = display_name
    participant.note = clean_note(note, "the note") or None
    session.flush()
    return participant


def remove_from_roster(session: Session, group_id: int, participant_id: int, *, on: date | None = None) -> None:
    """Take someone off a group's roster. Their attendance is kept; they can be added back."""
    group = get_group(session, group_id)
    participant = get_participant(session, participant_id)
    membership = session.scalar(
        select(Membership).where(
            Membership.group_id == group.id,
            Membership.participant_id == participant.id,
            Membership.left_on.is_(None),
        )
    )
    if membership is None:
        raise NotFound(f"“{participant.display_name}” is not on the roster of {group.name}.")
    # Never before they joined, nor before they last came back.
    membership.left_on = max(on or date.today(), membership.joined_on, *(b.rejoined_on for b in membership.breaks))
    session.flush()


@dataclass(frozen=True)
class KnownPerson:
    """Someone on another group's roster, who could join this one too."""

    id: int
    display_name: str
    groups: tuple[str, ...]


def people_outside(session: Session, group_id: int) -> list[KnownPerson]:
    """People on other groups' rosters who are not on this one, by name."""
    inside = select(Membership.participant_id).where(Membership.group_id == group_id, Membership.left_on.is_(None))
    rows = session.execute(
        select(Participant.id, Participant.display_name, Group.name)
        .join(Membership, Membership.participant_id == Participant.id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.left_on.is_(None),
            Participant.id.not_in(inside),
            Group.archived_at.is_(None),
        )
    )
    people: dict[int, tuple[str, list[str]]] = {}
    for person_id, name, group_name in rows:
        people.setdefault(person_id, (name, []))[1].append(group_name)
    found = [KnownPerson(pid, name, tuple(sorted(groups))) for pid, (name, groups) in people.items()]
    return sorted(found, key=lambda person: name_order(person.display_name))


def _roster(session: Session, group_id: int, *conditions: ColumnElement[bool]) -> list[ParticipantInfo]:
    attended = (
        select(
            Attendance.participant_id,
            func.count().label("n"),
            func.max(Meeting.started_at).label("last"),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Meeting.group_id == group_id,
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
        )
        .group_by(Attendance.participant_id)
        .subquery()
    )
    came = (
        select(Attendance.id)
        .where(
            Attendance.meeting_id == Meeting.id,
            Attendance.participant_id == Participant.id,
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
        )
        .correlate_except(Attendance)  # the meeting and the person of the query around it
        .exists()
    )
    last_offset = offset_of_latest(Meeting.group_id == group_id, came)
    rows = session.execute(
        select(Participant, Membership.joined_on, Membership.left_on, attended.c.n, attended.c.last, last_offset)
        .join(Membership)
        .outerjoin(attended, attended.c.participant_id == Participant.id)
        .where(*conditions)
    )
    return [
        ParticipantInfo(
            id=participant.id,
            display_name=participant.display_name,
            note=participant.note,
            joined_on=joined_on,
            left_on=left_on,
            meetings_attended=count or 0,
            last_seen_at=held_at(last, offset) if last else None,
        )
        for participant, joined_on, left_on, count, last, offset in rows
    ]


def current_member_keys(session: Session, group_id: int) -> dict[str, str]:
    """Comparison key → display name of everyone on the group's roster now."""
    names = session.scalars(select(Participant.display_name).join(Membership).where(*_on_roster(group_id)))
    return {name_key(name): name for name in names}


def _current_members(session: Session, group_id: int) -> list[Participant]:
    return list(session.scalars(select(Participant).join(Membership).where(*_on_roster(group_id))))


def _named(people: Iterable[Participant], name: str) -> list[Participant]:
    """Those called `name` under the rule. Records from before the rule ignored accents may hold
    both "Zoe" and "Zoë" on one roster: there the spelling itself tells them apart."""
    found = [person for person in people if same_name(person.display_name, name)]
    spelled = [person for person in found if person.display_name == _typed(name)]
    return spelled or found


def _typed(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _either(people: list[Participant]) -> str:
    return names_listed(sorted((person.display_name for person in people), key=name_key))


def names_listed(names: list[str], last: str = "or") -> str:
    """Names in a sentence: "Ann", "Ann or Bo", "Ann, Bo or Cy" (with `last` "and": "Ann and Bo")."""
    return f"{', '.join(names[:-1])} {last} {names[-1]}" if len(names) > 1 else "".join(names)


@dataclass(frozen=True)
class Tenure:
    """When someone was on a group's roster: from joining until leaving, but for any breaks
    (left, came back) between."""

    joined_on: date
    left_on: date | None
    breaks: tuple[tuple[date, date], ...] = ()

    def covers(self, day: date) -> bool:
        if day < self.joined_on or (self.left_on is not None and day >= self.left_on):
            return False
        return not self.breaks or not any(left_on <= day < rejoined_on for left_on, rejoined_on in self.breaks)


def tenures(session: Session, *conditions: ColumnElement[bool]) -> dict[tuple[int, int], Tenure]:
    """The tenure of each membership meeting the conditions, by (group id, participant id)."""
    breaks: defaultdict[int, list[tuple[date, date]]] = defaultdict(list)
    for membership_id, left_on, rejoined_on in session.execute(
        select(MembershipBreak.membership_id, MembershipBreak.left_on, MembershipBreak.rejoined_on)
        .join(Membership)
        .where(*conditions)
        .order_by(MembershipBreak.left_on)
    ):
        breaks[membership_id].append((left_on, rejoined_on))
    rows = session.execute(
        select(
            Membership.id, Membership.group_id, Membership.participant_id, Membership.joined_on, Membership.left_on
        ).where(*conditions)
    )
    return {
        (group_id, participant_id): Tenure(joined_on, left_on, tuple(breaks[membership_id]))
        for membership_id, group_id, participant_id, joined_on, left_on in rows
    }


def on_roster_on(day: date) -> ColumnElement[bool]:
    """The condition, on memberships, of `Tenure.covers(day)`, for queries that select by it."""
    away = exists().where(
        MembershipBreak.membership_id == Membership.id,
        MembershipBreak.left_on <= day,
        MembershipBreak.rejoined_on > day,
    )
    return (Membership.joined_on <= day) & ((Membership.left_on.is_(None)) | (Membership.left_on > day)) & ~away


def _on_roster(group_id: int) -> tuple[ColumnElement[bool], ...]:
    """Conditions, on a join of participants and memberships, for being on the roster now."""
    return (Membership.group_id == group_id, Membership.left_on.is_(None))


def _left_roster(group_id: int) -> tuple[ColumnElement[bool], ...]:
    return (Membership.group_id == group_id, Membership.left_on.is_not(None))


def _open_group(session: Session, group_id: int) -> Group:
    group = get_group(session, group_id)
    if group.archived_at is not None:
        raise InvalidState(f"The group “{group.name}” is archived; restore it before changing its roster.")
    return group
