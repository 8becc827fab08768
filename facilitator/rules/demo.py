"""A lived-in, reproducible demo: three groups and years of weekly meetings, for trying the program."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, delete, insert, select
from sqlalchemy.orm import Session

from facilitator.dates import local_moment
from facilitator.errors import BackupFailed, FacilitatorError, InvalidInput, InvalidState, user_message
from facilitator.storage.backups import make_backup
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import (
    Attendance,
    AttendanceStatus,
    Base,
    Group,
    GuideKind,
    Meeting,
    MeetingState,
    Membership,
    Participant,
    Setting,
    ShareTurn,
    TopicGuide,
)

# A digest of everything the demo built (`_fingerprint`), so that anything added or changed since counts
# as real. (Before it, the demo kept only its groups' ids, under "demo.group_ids": such records count as real.)
DEMO_SETTING = "demo.fingerprint"
MAX_YEARS = 30
MAX_GROUPS = 40
MAX_MEMBERS = 1000
SHARED_MEMBERS = 4

FIRST_NAMES = (
    "Amara",
    "Bogdan",
    "Chen",
    "Dara",
    "Eilidh",
    "Fatima",
    "Gustavo",
    "Hana",
    "Ibrahim",
    "Jonas",
    "Kiri",
    "Leila",
    "Mateo",
    "Nia",
    "Oksana",
    "Priya",
    "Quentin",
    "Rosa",
    "Sione",
    "Tomasz",
    "Uchenna",
    "Valentina",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Aroha",
    "Björn",
    "Carmen",
    "Dmitri",
    "Esi",
    "Finn",
    "Grace",
    "Hamid",
    "Inés",
    "Jae-won",
    "Kofi",
    "Lucía",
    "Mei",
    "Niamh",
    "Olu",
    "Pedro",
    "Rahel",
    "Siobhan",
    "Thanh",
    "Mariam",
)


@dataclass(frozen=True)
class DemoGroup:
    name: str
    description: str
    weekday: int
    starts: time
    place: str
    share_minutes: int
    members: int


DEMO_GROUPS = (
    DemoGroup(
        "Tuesday Dual Recovery Circle",
        "Peer support for people living with both a mental-health condition and a substance-use problem.",
        1,
        time(19, 0),
        "St Anne's Hall, back room",
        3,
        18,
    ),
    DemoGroup(
        "Family & Friends Support",
        "For partners, parents, children and friends of someone in recovery.",
        3,
        time(18, 30),
        "Riverside Library, meeting room 2",
        4,
        12,
    ),
    DemoGroup(
        "Newcomers' Welcome",
        "A gentle first stop: what a peer group is like, with no pressure to share.",
        5,
        time(10, 30),
        "Community Centre, room B",
        2,
        14,
    ),
)

PRIVATE_NOTES = (
    "Prefers to pass in the first round.",
    "Uses the side entrance; ring the bell.",
    "Asked for a printed attendance letter each month.",
    "Likes to help set out the chairs.",
    "New to the area; was referred by the clinic.",
)
NOTES = (
    "Room change next week: we meet in the main hall.",
    "Two newcomers tonight; remember the welcome leaflet.",
    "Ran ten minutes over; keep an eye on the check-in round.",
    "Holiday season: several people away.",
)


@dataclass(frozen=True)
class DemoSummary:
    groups: int
    participants: int
    meetings: int
    check_ins: int
    share_turns: int


@dataclass(frozen=True)
class DemoMade:
    """The demo built, and the backup of what it replaced (None: nothing was there, or the records
    are on a server, whose own backups cover them)."""

    summary: DemoSummary
    backup: Path | None


def holds_records(session: Session) -> bool:
    """True when the database holds any record at all, beyond the built-in guides."""
    return any(session.execute(_rows(table).limit(1)).first() is not None for table in _tables())


def holds_real_data(session: Session) -> bool:
    """True when the database holds anything the demo did not make itself: every record is
    compared with the fingerprint the demo left of what it built, so a person, meeting, check-in,
    rename, setting, guide or letter added or changed since counts. Records with no
    fingerprint are real, unless there are none."""
    marker = session.get(Setting, DEMO_SETTING)
    if marker is None:
        return holds_records(session)
    return marker.value != _fingerprint(session)


def replace_with_demo(
    db: Database,
    *,
    years: int = 1,
    seed: int = 1,
    members: int | None = None,
    groups: int = len(DEMO_GROUPS),
    force: bool = False,
) -> DemoMade:
    """`build_demo` for the command line: with `force`, whatever the database holds is backed up
    first, and nothing is replaced when the backup cannot be made (BackupFailed)."""
    backup = None
    if force:
        with db.begin() as session:
            anything = holds_records(session)
        if anything:
            backup = _backup_before_replacing(db.location)
    with db.begin() as session:
        summary = build_demo(session, years=years, seed=seed, members=members, groups=groups, force=force)
    return DemoMade(summary, backup)


def build_demo(
    session: Session,
    *,
    years: int = 1,
    seed: int = 1,
    members: int | None = None,
    groups: int = len(DEMO_GROUPS),
    today: date | None = None,
    force: bool = False,
) -> DemoSummary:
    """Replace the database's records with demo data. Real data is only replaced with `force`
    (`replace_with_demo` backs it up first).

    `members` sets the size of the first group, to try the program with a large roster.
    """
    if not 1 <= years <= MAX_YEARS:
        raise InvalidInput(f"--years must be between 1 and {MAX_YEARS}, not {years}.")
    specs = _group_specs(groups, members)
    if not force and holds_real_data(session):
        raise InvalidState(
            "This data folder already holds real records; the demo will not touch them. "
            "Use another --data-dir, or --force to replace them (a backup is taken first)."
        )
    _clear(session)
    today = today or date.today()
    rng = random.Random(f"{seed}:{years}")
    first_day = today - timedelta(weeks=52 * years)
    people = _people(session, rng, first_day, sum(spec.members for spec in specs) - SHARED_MEMBERS)
    memberships = _memberships(session, rng, specs, people, first_day, today)
    group_by_name = {group.name: group for group in session.scalars(select(Group))}
    meetings, check_ins, turns = _meetings(session, rng, specs, group_by_name, memberships, first_day, today)
    session.flush()
    session.merge(Setting(key=DEMO_SETTING, value=_fingerprint(session)))
    session.flush()
    return DemoSummary(len(specs), len(people), meetings, check_ins, turns)


def _tables() -> list[Table]:
    return sorted(Base.metadata.tables.values(), key=lambda table: table.name)


def _rows(table: Table) -> Select[Any]:
    """Every record of the table that someone could have made, in a stable order: not the
    built-in guides (the program's own library, brought up to date with it) nor the fingerprint."""
    query = select(table).order_by(*table.primary_key.columns)
    if table is TopicGuide.__table__:
        query = query.where(table.c.builtin.is_(False))
    elif table is Setting.__table__:
        query = query.where(table.c.key != DEMO_SETTING)
    return query


def _fingerprint(session: Session) -> str:
    """A digest of every value of every record but the built-in guides."""
    digest = hashlib.sha256()
    for table in _tables():
        digest.update(f"\0{table.name}\0".encode())
        for row in session.execute(_rows(table)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _backup_before_replacing(location: DataLocation) -> Path | None:
    """A checked backup of a SQLite file; None for records on a server, whose own backups cover them."""
    if location.database_path is None:
        return None
    try:
        return make_backup(location, "before-demo")
    except (FacilitatorError, OSError, sqlite3.Error) as exc:
        cause = user_message(exc) or str(exc)
        raise BackupFailed(f"Nothing was replaced: the backup that comes first could not be made. {cause}") from exc


# Each member of a group: the person, the day they joined, the day they left (if they did), and how
# likely they are to come on a given week.
Members = list[tuple[Participant, date, date | None, float]]


def _group_specs(groups: int, members: int | None) -> list[DemoGroup]:
    if not len(DEMO_GROUPS) <= groups <= MAX_GROUPS:
        raise InvalidInput(f"--groups must be between {len(DEMO_GROUPS)} and {MAX_GROUPS}, not {groups}.")
    # More groups than the three: copies of them, numbered, to try the program at an organisation's scale.
    specs = [
        replace(DEMO_GROUPS[number % 3], name=f"{DEMO_GROUPS[number % 3].name} {number // 3 + 1}") if number >= 3
        else DEMO_GROUPS[number]
        for number in range(groups)
    ]  # fmt: skip
    if members is not None:
        if not SHARED_MEMBERS <= members <= MAX_MEMBERS:
            raise InvalidInput(f"--members must be between {SHARED_MEMBERS} and {MAX_MEMBERS}, not {members}.")
        specs[0] = replace(specs[0], members=members)
    return specs


def _people(session: Session, rng: random.Random, first_day: date, needed: int) -> list[Participant]:
    """`needed` people with first names (then first names and an initial), a few with a private note."""
    names = list(FIRST_NAMES)
    rng.shuffle(names)
    names += [f"{name} {initial}." for initial in "ABCDEFGHIJKLMNOPRSTVWYZ" for name in FIRST_NAMES]
    people = [
        Participant(
            display_name=name,
            note=rng.choice(PRIVATE_NOTES) if rng.random() < 0.15 else None,
            created_at=local_moment(first_day, time(12)),
        )
        for name in names[:needed]
    ]
    session.add_all(people)
    session.flush()
    return people


def _memberships(
    session: Session,
    rng: random.Random,
    specs: list[DemoGroup],
    people: list[Participant],
    first_day: date,
    today: date,
) -> dict[str, Members]:
    """The groups, and who joined each when (and left, for some), by group name."""
    pool = iter(people)
    memberships: dict[str, Members] = {}
    for spec in specs:
        group = Group(
            name=spec.name,
            description=spec.description,
            meeting_weekday=spec.weekday,
            meeting_time=spec.starts,
            place=spec.place,
            share_seconds=spec.share_minutes * 60,
            created_at=local_moment(first_day, time(12)),
        )
        session.add(group)
        roster: list[Participant] = []
        if spec is specs[-1]:
            # Some people belong to the dual-recovery group and the newcomers' group: one person, two groups.
            roster = [entry[0] for entry in memberships[specs[0].name][:SHARED_MEMBERS]]
        roster += [next(pool) for _ in range(spec.members - len(roster))]
        rows = []
        for index, person in enumerate(roster):
            founding = index < spec.members // 2
            joined = (
                first_day
                if founding
                else first_day + timedelta(days=rng.randrange(0, max(1, (today - first_day).days - 30)))
            )
            left = None
            if rng.random() < 0.15:
                left = joined + timedelta(days=rng.randrange(60, 400))
                left = left if left < today else None
            rows.append((person, joined, left, rng.uniform(0.45, 0.95)))
            session.add(Membership(group=group, participant=person, joined_on=joined, left_on=left))
        memberships[spec.name] = rows
    session.flush()
    return memberships


def _meetings(
    session: Session,
    rng: random.Random,
    specs: list[DemoGroup],
    group_by_name: dict[str, Group],
    memberships: dict[str, Members],
    first_day: date,
    today: date,
) -> tuple[int, int, int]:
    """Every group's weekly meetings from `first_day` to `today`, with who came and who shared:
    how many meetings, check-ins and share turns were made."""
    topics = list(
        session.scalars(select(TopicGuide).where(TopicGuide.kind == GuideKind.TOPIC).order_by(TopicGuide.slug))
    )
    formats = {row.slug: row for row in session.scalars(select(TopicGuide).where(TopicGuide.kind == GuideKind.FORMAT))}
    meeting_count = check_ins = turns = 0
    for group_number, spec in enumerate(specs):
        group = group_by_name[spec.name]
        day = first_day + timedelta(days=(spec.weekday - first_day.weekday()) % 7)
        number = 0
        while day < today:
            started = local_moment(day, spec.starts)
            meeting = Meeting(
                group=group,
                state=MeetingState.CLOSED,
                started_at=started,
                ended_at=started + timedelta(minutes=90),
                guest_count=rng.choice((0, 0, 0, 1, 1, 2, 3)),
                notes=rng.choice(NOTES) if rng.random() < 0.05 else "",
                # Each group works through the topics in turn, from its own starting point.
                guide=topics[(number + 3 * group_number) % len(topics)] if topics else None,
                format=formats.get("newcomer-meeting" if "Newcomer" in spec.name else "standard-meeting"),
            )
            session.add(meeting)
            session.flush()
            attendance_rows, turn_rows = _attendance(rng, meeting, memberships[spec.name], day, spec, number)
            if attendance_rows:
                session.execute(insert(Attendance), attendance_rows)
            if turn_rows:
                session.execute(insert(ShareTurn), turn_rows)
            meeting_count += 1
            check_ins += len(attendance_rows)
            turns += len(turn_rows)
            number += 1
            day += timedelta(weeks=1)
    return meeting_count, check_ins, turns


def _attendance(
    rng: random.Random,
    meeting: Meeting,
    members: Members,
    day: date,
    spec: DemoGroup,
    number: int,
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    attendance: list[dict[str, object]] = []
    in_room: list[tuple[Participant, datetime]] = []
    for person, joined, left, keenness in members:
        if joined > day or (left is not None and left <= day):
            continue
        if rng.random() < keenness:
            late = rng.random() < 0.1
            arrived = meeting.started_at + timedelta(minutes=rng.randrange(10, 30) if late else -rng.randrange(0, 10))
            status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
            attendance.append(
                dict(meeting_id=meeting.id, participant_id=person.id, status=status, checked_in_at=arrived)
            )
            in_room.append((person, arrived))
        elif rng.random() < 0.2:
            attendance.append(
                dict(
                    meeting_id=meeting.id,
                    participant_id=person.id,
                    status=AttendanceStatus.EXCUSED,
                    checked_in_at=meeting.started_at - timedelta(hours=rng.randrange(2, 48)),
                )
            )
    turns: list[dict[str, object]] = []
    if in_room:
        # Each week the round begins one place further along, as the rotation rule does.
        shift = number % len(in_room)
        order = in_room[shift:] + in_room[:shift]
        clock = meeting.started_at + timedelta(minutes=20)
        for position, (person, _arrived) in enumerate(order):
            passed = rng.random() < 0.08
            used = 0.0 if passed else max(20.0, rng.gauss(spec.share_minutes * 60, 35))
            turns.append(
                dict(
                    meeting_id=meeting.id,
                    participant_id=person.id,
                    position=position,
                    started_at=clock,
                    ended_at=clock + timedelta(seconds=used),
                    seconds_used=round(used, 1),
                    passed=passed,
                )
            )
            clock += timedelta(seconds=used + 5)
    return attendance, turns


def _clear(session: Session) -> None:
    # Topic guides are the library, not records of people; the demo leaves them be.
    for model in (ShareTurn, Attendance, Meeting, Membership, Participant, Group):
        session.execute(delete(model))
    session.execute(delete(Setting).where(Setting.key == DEMO_SETTING))
