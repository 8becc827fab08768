"""Commands for meetings: `meetings` (the list), `meeting open|close|reopen|delete`, `checkin`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from facilitator.cli.common import Commands, day, open_db, positive_int
from facilitator.cli.output import iso, print_json, print_table
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from facilitator.rules.attendance import CheckIn
    from facilitator.storage.models import AttendanceStatus


def register(commands: Commands) -> None:
    meetings = commands.add_parser("meetings", help="list a group's meetings")
    meetings.add_argument("--group", required=True, metavar="NAME")
    meetings.add_argument("--from", dest="date_from", type=day, metavar="DATE", help="first day, YYYY-MM-DD")
    meetings.add_argument("--to", dest="date_to", type=day, metavar="DATE", help="last day, YYYY-MM-DD")
    meetings.add_argument("--json", action="store_true", help="machine-readable output")
    meetings.set_defaults(handler=cmd_meetings)

    meeting = commands.add_parser("meeting", help="open, close, reopen or delete a meeting")
    meeting_commands = meeting.add_subparsers(title="meeting commands", metavar="ACTION", required=True)
    open_ = meeting_commands.add_parser("open", help="open today's meeting for a group")
    open_.add_argument("--group", required=True, metavar="NAME")
    open_.add_argument("--guide", metavar="SLUG", help="the topic guide for the meeting")
    open_.add_argument("--format", metavar="SLUG", help="the meeting format (its parts and script)")
    open_.add_argument(
        "--another", action="store_true", help="open a second meeting on a day the group has met already"
    )
    open_.set_defaults(handler=cmd_meeting_open)
    close = meeting_commands.add_parser("close", help="close a meeting")
    close.add_argument("meeting_id", type=positive_int, metavar="MEETING_ID")
    close.add_argument("--notes", default="", help="notes for next time")
    close.set_defaults(handler=cmd_meeting_close)
    reopen = meeting_commands.add_parser("reopen", help="open a closed meeting again, the same day")
    reopen.add_argument("meeting_id", type=positive_int, metavar="MEETING_ID")
    reopen.set_defaults(handler=cmd_meeting_reopen)
    delete = meeting_commands.add_parser("delete", help="delete a meeting nobody was marked at")
    delete.add_argument("meeting_id", type=positive_int, metavar="MEETING_ID")
    delete.set_defaults(handler=cmd_meeting_delete)

    checkin = commands.add_parser("checkin", help="mark people here at an open meeting (or late, or sent word)")
    checkin.add_argument("meeting_id", type=positive_int, metavar="MEETING_ID")
    checkin.add_argument(
        "names",
        nargs="+",
        metavar="NAME",
        help="a name on the roster, with or without its accents, or enough of it to find one person ('chloe')",
    )
    status = checkin.add_mutually_exclusive_group()
    status.add_argument("--late", action="store_const", const="late", dest="status", help="arrived late")
    for flag, shown in (("--sent-word", "they let the group know they cannot come"), ("--excused", argparse.SUPPRESS)):
        # --excused: the old word, kept working for scripts that use it.
        status.add_argument(flag, action="store_const", const="excused", dest="status", help=shown)
    checkin.add_argument("--new", action="store_true", help="add them to the roster first (newcomers)")
    checkin.set_defaults(handler=cmd_checkin, status="present")


def cmd_meetings(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.meetings import list_meetings
    from facilitator.storage.models import AttendanceStatus

    with open_db(location).begin() as session:
        group = find_group(session, args.group)
        meetings = list_meetings(session, group.id, date_from=args.date_from, date_to=args.date_to)
    if args.json:
        return print_json(
            [
                {
                    "id": m.id,
                    "group_id": m.group_id,
                    "date": m.local_date.isoformat(),
                    "started_at": iso(m.started_at),
                    "ended_at": iso(m.ended_at),
                    "state": m.state.value,
                    "guide": m.guide_title,
                    "present": m.present,
                    "late": m.late,
                    "excused": m.excused,
                    "guests": m.guests,
                }
                for m in meetings
            ]
        )
    if not meetings:
        print(f"{group.name} has no meetings in that range.")
        return 0
    print_table(
        ("ID", "Date", "Start", "Topic", "State", "Present", "Late", AttendanceStatus.EXCUSED.word.capitalize())
        + ("Guests",),
        [
            (
                m.id,
                m.local_date.isoformat(),
                m.held(m.started_at).strftime("%H:%M"),
                m.guide_title or "—",
                m.state.value,
                m.present,
                m.late,
                m.excused,
                m.guests,
            )
            for m in meetings
        ],
    )
    return 0


def cmd_meeting_open(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.errors import InvalidState
    from facilitator.rules.groups import find_group
    from facilitator.rules.meetings import MetToday, open_meeting

    try:
        with open_db(location).begin() as session:
            group_id = find_group(session, args.group).id
            info = open_meeting(
                session, group_id, guide_slug=args.guide, format_slug=args.format, another_today=args.another
            )
    except MetToday as refusal:
        raise InvalidState(
            f"{refusal} Reopen it with: facilitator meeting reopen {refusal.meeting.id} "
            "(or add --another to open a second one)."
        ) from None
    print(f"Opened meeting {info.id} for {info.group_name}. Mark people here with: facilitator checkin {info.id} NAME")
    return 0


def cmd_meeting_close(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.plurals import counted
    from facilitator.rules.meetings import close_meeting
    from facilitator.storage.models import AttendanceStatus

    with open_db(location).begin() as session:
        info = close_meeting(session, args.meeting_id, notes=args.notes)
    print(
        f"Closed meeting {info.id} of {info.group_name}: {info.present} present, {info.late} late, "
        f"{info.excused} {AttendanceStatus.EXCUSED.word}, {counted(info.guests, 'guest')}."
    )
    if info.clock_note:
        print(info.clock_note)
    return 0


def cmd_meeting_reopen(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.meetings import reopen_meeting

    with open_db(location).begin() as session:
        info = reopen_meeting(session, args.meeting_id)
    print(f"Reopened meeting {info.id} of {info.group_name}; its attendance is kept.")
    return 0


def cmd_meeting_delete(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.meetings import delete_empty_meeting

    info = delete_empty_meeting(open_db(location), args.meeting_id)
    print(f"Deleted meeting {info.id} of {info.group_name} (nobody was marked at it).")
    return 0


def cmd_checkin(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.errors import NotFound
    from facilitator.rules.attendance import check_in
    from facilitator.rules.meetings import get_meeting
    from facilitator.rules.participants import find_member
    from facilitator.storage.models import AttendanceStatus
    from facilitator.text import name_key

    status = AttendanceStatus(args.status)
    names: dict[str, str] = {}
    for name in args.names:
        names.setdefault(name_key(name), name)  # a name given twice is marked once
    said: list[str] = []
    # All the names or none: one wrong name changes nothing.
    with open_db(location).begin() as session:
        meeting = get_meeting(session, args.meeting_id)
        done = []
        for name in names.values():
            if args.new:
                done.append(_check_in_new(session, meeting.id, name, status, said))
                continue
            try:
                person = find_member(session, meeting.group_id, name, or_partial=True)
            except NotFound as nobody:
                if not name_key(name):
                    raise
                raise NotFound(f"{nobody} If “{' '.join(name.split())}” is someone new, add --new.") from None
            done.append(check_in(session, meeting.id, person.id, status=status))
    for line in said:
        print(line)
    for record in done:
        print(f"Marked {record.display_name}: {record.status.word}.")
        if record.clock_note:
            print(record.clock_note)
    return 0


def _check_in_new(session: Session, meeting_id: int, name: str, status: AttendanceStatus, said: list[str]) -> CheckIn:
    """`checkin --new`: the user's word that this is someone new, even when the name is close to
    someone's on the roster (who is named, in case); a name the same as one there is refused."""
    from facilitator.rules.attendance import check_in_newcomer
    from facilitator.rules.meetings import get_meeting
    from facilitator.rules.participants import names_alike_on_roster, names_listed
    from facilitator.text import invisible_left_out

    alike = names_alike_on_roster(session, get_meeting(session, meeting_id).group_id, name)
    record = check_in_newcomer(session, meeting_id, name, status=status)  # refuses the same name
    if word := invisible_left_out(name, "the name"):
        said.append(word)
    if alike:
        close = names_listed([person.display_name for person in alike], "and")
        are = "is" if len(alike) == 1 else "are"
        said.append(f"Added “{record.display_name}” to the roster as someone new; {close} {are} on it already.")
    return record
