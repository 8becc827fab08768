"""The `facilitator` command line. With no command it opens the window."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from facilitator import __version__
from facilitator.errors import FacilitatorError, InvalidInput, print_failure, report_failure
from facilitator.storage.locations import DataLocation, add_location_arguments

PROG = "facilitator"
MAX_NUMBER = 2**31 - 1  # ids and counts beyond this fit no database column


def main(argv: Sequence[str] | None = None) -> int:
    _prepare_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    location = DataLocation.resolve(args.data_dir, args.database_url)
    try:
        if args.handler is None:
            return open_window(location)
        return args.handler(location, args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return report_failure(PROG, exc)


def _prepare_output() -> None:
    """UTF-8 into files and pipes (JSON readers expect it); never a crash on a narrow console."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


def open_window(location: DataLocation) -> int:
    """Start the desktop window, found through the `facilitator.window` entry point.

    The core never imports the Qt layer; the Qt layer registers itself as this entry point.
    """
    from importlib.metadata import entry_points

    found = list(entry_points(group="facilitator.window"))
    if not found:
        raise FacilitatorError("The window is not installed; reinstall Facilitator with its Qt layer.")
    run: Callable[[DataLocation], int] = found[0].load()
    return run(location)


def _fail(message: str) -> int:
    return print_failure(PROG, message)


# ---- argument types: a wrong value is a usage error (exit 2) -------------------------------


def _positive_int(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number")
    value = int(digits[:12])
    if not 1 <= value <= MAX_NUMBER:
        raise argparse.ArgumentTypeError(f"{value} is not a number from 1 to {MAX_NUMBER}")
    return value


def _date(text: str) -> date:
    from facilitator.dates import parse_date

    try:
        return parse_date(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run peer-support meetings: attendance, share rounds, topic guides and handouts. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_location_arguments(parser)
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill the data folder with demo groups and meetings")
    demo.add_argument("--years", type=_positive_int, default=1, help="years of weekly meetings (default 1)")
    demo.add_argument("--seed", type=int, default=1, help="seed for a reproducible demo (default 1)")
    demo.add_argument("--members", type=_positive_int, help="members in the first group, to try a large roster")
    demo.add_argument("--groups", type=_positive_int, default=3, help="how many groups (default 3)")
    demo.add_argument("--force", action="store_true", help="replace real records (a backup is taken first)")
    demo.set_defaults(handler=cmd_demo)

    group = commands.add_parser("group", help="add, rename, archive or restore a group")
    group_commands = group.add_subparsers(title="group commands", metavar="ACTION", required=True)
    add = group_commands.add_parser("add", help="create a group")
    add.add_argument("name")
    add.add_argument("--share-minutes", type=_positive_int, default=3, help="minutes each member shares (default 3)")
    add.add_argument("--description", default="")
    add.add_argument("--weekday", help="the day the group usually meets, like Tuesday")
    add.add_argument("--time", default="", help="the time it usually starts, like 19:00")
    add.add_argument("--place", default="", help="where it usually meets")
    add.set_defaults(handler=cmd_group_add)
    rename = group_commands.add_parser("rename", help="rename a group")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=cmd_group_rename)
    for action, handler, text in (
        ("archive", cmd_group_archive, "archive a group; its history is kept"),
        ("restore", cmd_group_restore, "bring an archived group back"),
    ):
        sub = group_commands.add_parser(action, help=text)
        sub.add_argument("name")
        sub.set_defaults(handler=handler)

    groups = commands.add_parser("groups", help="list the groups")
    groups.add_argument("--all", action="store_true", help="include archived groups")
    groups.add_argument("--json", action="store_true", help="machine-readable output")
    groups.set_defaults(handler=cmd_groups)

    participants = commands.add_parser("participants", help="list a group's roster")
    participants.add_argument("--group", required=True, metavar="NAME")
    participants.add_argument("--json", action="store_true", help="machine-readable output")
    participants.set_defaults(handler=cmd_participants)

    meetings = commands.add_parser("meetings", help="list a group's meetings")
    meetings.add_argument("--group", required=True, metavar="NAME")
    meetings.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day, YYYY-MM-DD")
    meetings.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day, YYYY-MM-DD")
    meetings.add_argument("--json", action="store_true", help="machine-readable output")
    meetings.set_defaults(handler=cmd_meetings)

    meeting = commands.add_parser("meeting", help="open or close a meeting")
    meeting_commands = meeting.add_subparsers(title="meeting commands", metavar="ACTION", required=True)
    open_ = meeting_commands.add_parser("open", help="open today's meeting for a group")
    open_.add_argument("--group", required=True, metavar="NAME")
    open_.add_argument("--guide", metavar="SLUG", help="the topic guide for the meeting")
    open_.add_argument("--format", metavar="SLUG", help="the meeting format (its parts and script)")
    open_.set_defaults(handler=cmd_meeting_open)
    close = meeting_commands.add_parser("close", help="close a meeting")
    close.add_argument("meeting_id", type=_positive_int, metavar="MEETING_ID")
    close.add_argument("--notes", default="", help="notes for next time")
    close.set_defaults(handler=cmd_meeting_close)

    checkin = commands.add_parser("checkin", help="check people in to an open meeting")
    checkin.add_argument("meeting_id", type=_positive_int, metavar="MEETING_ID")
    checkin.add_argument("names", nargs="+", metavar="NAME")
    status = checkin.add_mutually_exclusive_group()
    status.add_argument("--late", action="store_const", const="late", dest="status", help="arrived late")
    status.add_argument(
        "--excused", action="store_const", const="excused", dest="status", help="sent word they cannot come"
    )
    checkin.add_argument("--new", action="store_true", help="add them to the roster first (newcomers)")
    checkin.set_defaults(handler=cmd_checkin, status="present")

    export = commands.add_parser("export", help="export attendance or the roster to CSV")
    export.add_argument("what", choices=("attendance", "roster"))
    export.add_argument("--group", required=True, metavar="NAME")
    export.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day (attendance)")
    export.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day (attendance)")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.csv")
    export.set_defaults(handler=cmd_export)

    roster = commands.add_parser("import-roster", help="add names from a CSV file to a group's roster")
    roster.add_argument("file", type=Path, metavar="FILE.csv")
    roster.add_argument("--group", required=True, metavar="NAME")
    roster.add_argument("--name-column", metavar="COLUMN", help="the column holding names, if not recognised")
    roster.add_argument("--dry-run", action="store_true", help="show what would happen; store nothing")
    roster.set_defaults(handler=cmd_import_roster)

    guides = commands.add_parser("guides", help="list, export or import topic guides and meeting formats")
    guides_commands = guides.add_subparsers(title="guides commands", metavar="ACTION", required=True)
    guides_list = guides_commands.add_parser("list", help="list the guide library")
    guides_list.add_argument("--json", action="store_true", help="machine-readable output")
    guides_list.set_defaults(handler=cmd_guides_list)
    guides_export = guides_commands.add_parser("export", help="write a guide to a file to share or edit")
    guides_export.add_argument("slug", metavar="SLUG")
    guides_export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.md")
    guides_export.set_defaults(handler=cmd_guides_export)
    guides_import = guides_commands.add_parser("import", help="add a guide from a file")
    guides_import.add_argument("file", type=Path, metavar="FILE.md")
    guides_import.add_argument("--replace", action="store_true", help="replace your own guide of the same slug")
    guides_import.set_defaults(handler=cmd_guides_import)

    handout = commands.add_parser("handout", help="the handout PDF for a meeting, or for a guide and a group")
    source = handout.add_mutually_exclusive_group(required=True)
    source.add_argument("--meeting", type=_positive_int, metavar="ID", help="the meeting (its topic guide)")
    source.add_argument("--guide", metavar="SLUG", help="a topic guide (with --group)")
    handout.add_argument("--group", metavar="NAME", help="the group, with --guide")
    handout.add_argument("--date", type=_date, metavar="DATE", help="the meeting's day, with --guide (default today)")
    handout.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    handout.set_defaults(handler=cmd_handout)

    sheet = commands.add_parser("sign-in-sheet", help="a sign-in sheet PDF with the group's roster")
    sheet.add_argument("--group", required=True, metavar="NAME")
    sheet.add_argument("--date", type=_date, metavar="DATE", help="the meeting's day (default today)")
    sheet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    sheet.set_defaults(handler=cmd_sign_in_sheet)

    packet = commands.add_parser("packet", help="tonight's packet: the handout and the sign-in sheet in one PDF")
    packet.add_argument("--meeting", required=True, type=_positive_int, metavar="ID")
    packet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    packet.set_defaults(handler=cmd_packet)

    report = commands.add_parser("report", help="printable reports")
    report_commands = report.add_subparsers(title="reports", metavar="REPORT", required=True)
    attendance = report_commands.add_parser("attendance", help="a group's attendance over a date range, as a PDF")
    attendance.add_argument("--group", required=True, metavar="NAME")
    attendance.add_argument("--from", dest="date_from", required=True, type=_date, metavar="DATE")
    attendance.add_argument("--to", dest="date_to", required=True, type=_date, metavar="DATE")
    attendance.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    attendance.set_defaults(handler=cmd_report_attendance)

    letter = commands.add_parser("verify-letter", help="a letter confirming one person's attendance, with a code")
    letter.add_argument("--participant", required=True, metavar="NAME")
    letter.add_argument("--group", required=True, metavar="NAME")
    letter.add_argument("--from", dest="date_from", required=True, type=_date, metavar="DATE")
    letter.add_argument("--to", dest="date_to", required=True, type=_date, metavar="DATE")
    letter.add_argument("--anonymous", action="store_true", help="leave the group's name out of the letter")
    letter.add_argument("--signed-by", metavar="NAME", help="the facilitator who signs (default from the settings)")
    letter.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    letter.set_defaults(handler=cmd_verify_letter)

    backup = commands.add_parser("backup", help="a verified copy of the records, in the backup folder or where you say")
    backup.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to put the copy")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser("restore", help="put a backup in place of the records (the current ones are kept)")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=cmd_restore)
    check = commands.add_parser("check", help="check the records for damage; exit code 0 when sound")
    check.set_defaults(handler=cmd_check)

    forget = commands.add_parser("forget", help="delete a person and everything about them, when they ask")
    forget.add_argument("--participant", required=True, metavar="NAME")
    forget.add_argument("--group", required=True, metavar="NAME", help="a group they belong to, to find them")
    forget.add_argument("--yes", action="store_true", help="really delete (without it, only say what would go)")
    forget.set_defaults(handler=cmd_forget)

    retention = commands.add_parser("retention", help="how many years of meetings a group keeps; older ones go")
    retention.add_argument("--group", required=True, metavar="NAME")
    retention.add_argument("--years", type=int, metavar="N", help="keep N years (0: keep everything)")
    retention.add_argument("--yes", action="store_true", help="really delete (without it, only say what would go)")
    retention.set_defaults(handler=cmd_retention)

    code = commands.add_parser("verify-code", help="check that an attendance letter's code was issued here")
    code.add_argument("code", metavar="CODE")
    code.set_defaults(handler=cmd_verify_code)
    return parser


# ---- commands -----------------------------------------------------------------------------


def _database(location: DataLocation):  # type: ignore[no-untyped-def]
    from facilitator.records import open_records

    return open_records(location)


def cmd_demo(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.demo import build_demo, holds_real_data
    from facilitator.storage.backups import make_backup

    db = _database(location)
    with db.begin() as session:
        replacing_real = holds_real_data(session)
    if replacing_real and args.force:
        print(f"Backed up the records it replaces to {make_backup(location, 'before-demo')}")
    with db.begin() as session:
        summary = build_demo(
            session, years=args.years, seed=args.seed, members=args.members, groups=args.groups, force=args.force
        )
    print(
        f"Demo ready in {location.data_dir}: {summary.groups} groups, {summary.participants} participants, "
        f"{summary.meetings} meetings, {summary.check_ins} check-ins, {summary.share_turns} share turns."
    )
    return 0


def cmd_group_add(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import create_group, weekday_number

    with _database(location).begin() as session:
        info = create_group(
            session,
            args.name,
            share_minutes=args.share_minutes,
            description=args.description,
            meeting_weekday=weekday_number(args.weekday) if args.weekday else None,
            meeting_time=args.time,
            place=args.place,
        )
    print(f"Created group {info.id}: {info.name} ({args.share_minutes}-minute shares).")
    if info.usual_meeting:
        print(f"{info.usual_meeting}.")
    return 0


def cmd_group_rename(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group, rename_group

    with _database(location).begin() as session:
        info = rename_group(session, find_group(session, args.old).id, args.new)
    print(f"Renamed group {info.id} to {info.name}.")
    return 0


def cmd_group_archive(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import archive_group, find_group

    with _database(location).begin() as session:
        info = archive_group(session, find_group(session, args.name).id)
    print(f"Archived {info.name}; its {info.meeting_count} meetings are kept. `group restore` brings it back.")
    return 0


def cmd_group_restore(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group, restore_group

    with _database(location).begin() as session:
        info = restore_group(session, find_group(session, args.name).id)
    print(f"Restored {info.name}.")
    return 0


def cmd_groups(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import list_groups

    with _database(location).begin() as session:
        groups = list_groups(session, include_archived=args.all)
    if args.json:
        return _print_json(
            [
                {
                    "id": g.id,
                    "name": g.name,
                    "description": g.description,
                    "share_seconds": g.share_seconds,
                    "warning_seconds": g.warning_seconds,
                    "name_display": g.name_display.value,
                    "archived": g.archived,
                    "members": g.member_count,
                    "meetings": g.meeting_count,
                    "last_meeting": _iso(g.last_meeting_at),
                }
                for g in groups
            ]
        )
    if not groups:
        print("No groups yet. Create one with: facilitator group add NAME")
        return 0
    _print_table(
        ("ID", "Group", "Share", "Members", "Meetings", "Last meeting"),
        [
            (
                g.id,
                g.name + (" (archived)" if g.archived else ""),
                f"{g.share_minutes:g} min",
                g.member_count,
                g.meeting_count,
                _local_date(g.last_meeting_at),
            )
            for g in groups
        ],
    )
    return 0


def cmd_participants(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.participants import list_participants

    with _database(location).begin() as session:
        group = find_group(session, args.group)
        roster = list_participants(session, group.id)
    if args.json:
        return _print_json(
            [
                {
                    "id": p.id,
                    "name": p.display_name,
                    "note": p.note,
                    "joined_on": p.joined_on.isoformat(),
                    "meetings_attended": p.meetings_attended,
                    "last_seen": _iso(p.last_seen_at),
                }
                for p in roster
            ]
        )
    if not roster:
        print(f"Nobody is on the roster of {group.name} yet.")
        return 0
    _print_table(
        ("ID", "Name", "Joined", "Attended", "Last seen"),
        [
            (p.id, p.display_name, p.joined_on.isoformat(), p.meetings_attended, _local_date(p.last_seen_at))
            for p in roster
        ],
    )
    return 0


def cmd_meetings(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.dates import local
    from facilitator.rules.groups import find_group
    from facilitator.rules.meetings import list_meetings

    with _database(location).begin() as session:
        group = find_group(session, args.group)
        meetings = list_meetings(session, group.id, date_from=args.date_from, date_to=args.date_to)
    if args.json:
        return _print_json(
            [
                {
                    "id": m.id,
                    "group_id": m.group_id,
                    "date": m.local_date.isoformat(),
                    "started_at": _iso(m.started_at),
                    "ended_at": _iso(m.ended_at),
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
    _print_table(
        ("ID", "Date", "Start", "Topic", "State", "Present", "Late", "Excused", "Guests"),
        [
            (
                m.id,
                m.local_date.isoformat(),
                local(m.started_at).strftime("%H:%M"),
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
    from facilitator.rules.groups import find_group
    from facilitator.rules.meetings import open_meeting

    with _database(location).begin() as session:
        info = open_meeting(session, find_group(session, args.group).id, guide_slug=args.guide, format_slug=args.format)
    print(f"Opened meeting {info.id} for {info.group_name}. Check people in with: facilitator checkin {info.id} NAME")
    return 0


def cmd_meeting_close(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.meetings import close_meeting

    with _database(location).begin() as session:
        info = close_meeting(session, args.meeting_id, notes=args.notes)
    print(
        f"Closed meeting {info.id} of {info.group_name}: {info.present} present, {info.late} late, "
        f"{info.excused} excused, {info.guests} guests."
    )
    return 0


def cmd_checkin(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.attendance import check_in, check_in_newcomer
    from facilitator.rules.meetings import get_meeting
    from facilitator.rules.participants import find_member
    from facilitator.storage.models import AttendanceStatus
    from facilitator.text import name_key

    status = AttendanceStatus(args.status)
    names: dict[str, str] = {}
    for name in args.names:
        names.setdefault(name_key(name), name)  # a name given twice is checked in once
    # All the names or none: one wrong name changes nothing.
    with _database(location).begin() as session:
        meeting = get_meeting(session, args.meeting_id)
        done = [
            check_in_newcomer(session, meeting.id, name, status=status)
            if args.new
            else check_in(session, meeting.id, find_member(session, meeting.group_id, name).id, status=status)
            for name in names.values()
        ]
    for record in done:
        print(f"Checked in {record.display_name} ({record.status.value}).")
    return 0


def cmd_export(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.exports import attendance_csv, roster_csv, write_export
    from facilitator.rules.groups import find_group

    if args.what == "roster" and (args.date_from or args.date_to):
        raise InvalidInput("--from and --to apply to attendance exports, not the roster.")
    with _database(location).begin() as session:
        group = find_group(session, args.group)
        if args.what == "roster":
            export = roster_csv(session, group.id)
        else:
            export = attendance_csv(session, group.id, date_from=args.date_from, date_to=args.date_to)
    path = write_export(args.output, export.data)
    print(f"Wrote {args.what} of {group.name} to {path} ({export.rows} rows). It holds names: keep it private.")
    return 0


def cmd_import_roster(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.roster_import import Placement, import_roster, read_roster_file

    roster = read_roster_file(args.file, name_column=args.name_column)
    if roster.problems:
        for problem in roster.problems:
            print(f"{PROG}: {args.file.name}, {problem}", file=sys.stderr)
        return _fail(f"{len(roster.problems)} problem(s) in {args.file.name}; nothing was imported.")
    with _database(location).begin(commit=not args.dry_run) as session:
        group = find_group(session, args.group)
        group_name = group.name
        result = import_roster(session, group.id, roster)
    print(
        f"Read {args.file.name} ({roster.encoding}, names from “{roster.name_column}”): "
        f"{len(roster.rows) + len(roster.repeated)} names."
    )
    verb = "Would add" if args.dry_run else "Added"
    print(f"{verb} {len(result.added)} to {group_name}" + (f": {', '.join(result.added)}" if result.added else "."))
    if result.back:
        verb = "Would put" if args.dry_run else "Put"
        print(f"{verb} {Placement.BACK.text}, as they were before they left: {', '.join(result.back)}")
    if result.already_on_roster:
        print(f"{Placement.ON_ROSTER.text.capitalize()}, not doubled: {', '.join(result.already_on_roster)}")
    if roster.repeated:
        repeated = ", ".join(f"{row.name} (line {row.line})" for row in roster.repeated)
        print(f"{Placement.REPEATED.text.capitalize()}, counted once: {repeated}")
    if args.dry_run:
        print("Dry run: nothing was stored.")
    return 0


def cmd_guides_list(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import list_guides

    with _database(location).begin() as session:
        guides = list_guides(session)
    if args.json:
        return _print_json(
            [
                {
                    "slug": g.slug,
                    "kind": g.kind.value,
                    "title": g.title,
                    "theme": g.theme,
                    "builtin": g.builtin,
                    "version": g.version,
                    "summary": g.summary,
                }
                for g in guides
            ]
        )
    _print_table(
        ("Slug", "Kind", "Title", "Theme", "Whose"),
        [(g.slug, g.kind.value, g.title, g.theme or "—", g.owner) for g in guides],
    )
    return 0


def cmd_guides_export(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import export_guide

    with _database(location).begin() as session:
        path = export_guide(session, args.slug, args.output)
    print(f"Wrote the guide {args.slug} to {path}.")
    return 0


def cmd_guides_import(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import import_guide

    with _database(location).begin() as session:
        guide = import_guide(session, args.file, replace=args.replace)
    print(f"Imported {args.file.name}: {guide.kind.value} “{guide.title}” ({guide.slug}).")
    return 0


def _write_pdf(location: DataLocation, args: argparse.Namespace, make: Callable[..., bytes]) -> Path:
    """Make a PDF from the records and write it where asked, all in one transaction: a letter's
    record is kept only if its file was written."""
    from facilitator.documents.layout import pdf_for
    from facilitator.storage.locations import write_private_file
    from facilitator.storage.preferences import document_settings

    with _database(location).begin() as session:
        pdf = pdf_for(document_settings(session))
        data = make(session, pdf)
        write_private_file(args.output, data)
    for warning in pdf.warnings:
        print(f"{PROG}: note: {warning}", file=sys.stderr)
    return args.output


def cmd_handout(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.handout import handout_content, handout_pdf
    from facilitator.rules.groups import find_group

    if args.guide is not None and args.group is None:
        raise InvalidInput("--guide needs --group: the group the handout is for.")
    if args.meeting is not None and (args.group or args.date):
        raise InvalidInput("--group and --date go with --guide; a meeting already has its group and day.")

    def make(session, pdf):  # type: ignore[no-untyped-def]
        if args.meeting is not None:
            content = handout_content(session, meeting_id=args.meeting)
        else:
            group = find_group(session, args.group)
            content = handout_content(session, guide_slug=args.guide, group_id=group.id, day=args.date)
        return handout_pdf(pdf, content)

    print(f"Wrote the handout to {_write_pdf(location, args, make)}.")
    return 0


def cmd_sign_in_sheet(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.sign_in import sign_in_content, sign_in_pdf
    from facilitator.rules.groups import find_group

    def make(session, pdf):  # type: ignore[no-untyped-def]
        return sign_in_pdf(pdf, sign_in_content(session, find_group(session, args.group).id, args.date))

    print(f"Wrote the sign-in sheet to {_write_pdf(location, args, make)}. It holds names: keep it private.")
    return 0


def cmd_packet(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.packet import packet_content, packet_pdf

    def make(session, pdf):  # type: ignore[no-untyped-def]
        return packet_pdf(pdf, *packet_content(session, args.meeting))

    print(f"Wrote tonight's packet (handout and sign-in sheet) to {_write_pdf(location, args, make)}.")
    return 0


def cmd_report_attendance(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.attendance_report import report_content, report_pdf
    from facilitator.rules.groups import find_group

    if args.date_to < args.date_from:
        raise InvalidInput("--to is before --from.")

    def make(session, pdf):  # type: ignore[no-untyped-def]
        group = find_group(session, args.group)
        return report_pdf(pdf, report_content(session, group.id, date_from=args.date_from, date_to=args.date_to))

    print(f"Wrote the attendance report to {_write_pdf(location, args, make)}. It holds names: keep it private.")
    return 0


def cmd_verify_letter(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.letter import letter_pdf
    from facilitator.rules.groups import find_group
    from facilitator.rules.letters import issue_letter
    from facilitator.rules.participants import find_member
    from facilitator.storage.preferences import document_settings

    issued = []

    def make(session, pdf):  # type: ignore[no-untyped-def]
        group = find_group(session, args.group)
        person = find_member(session, group.id, args.participant, or_former=True)
        settings = document_settings(session)
        signer = args.signed_by if args.signed_by is not None else settings.facilitator_name
        facts = issue_letter(
            session, person.id, group.id, args.date_from, args.date_to, anonymous=args.anonymous, signed_by=signer
        )
        issued.append(facts)
        return letter_pdf(pdf, facts, organisation=settings.organisation)

    path = _write_pdf(location, args, make)
    facts = issued[0]
    meetings = f"{facts.count} meeting{'s' * (facts.count != 1)}"
    print(f"Wrote a letter for {facts.participant_name} ({meetings}) to {path}. Its code is {facts.code}.")
    return 0


def cmd_verify_code(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.dates import local
    from facilitator.rules.letters import check_letter

    with _database(location).begin() as session:
        letter = check_letter(session, args.code)
    anonymous = " (the group's name was left out of the letter)" if letter.anonymous else ""
    print(
        f"Genuine: letter {letter.code} was issued on {local(letter.issued_at):%d %b %Y} for "
        f"{letter.participant_name} of {letter.group_name}{anonymous}: {letter.meetings_attended} meetings "
        f"from {letter.date_from.isoformat()} to {letter.date_to.isoformat()}."
    )
    return 0


def cmd_backup(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.storage.backups import backup_to, make_backup

    path = backup_to(location, args.output) if args.output else make_backup(location, "by-hand")
    print(f"Backed up the records to {path} (checked). It holds names: keep it private.")
    return 0


def cmd_restore(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.storage.backups import restore
    from facilitator.storage.instance_lock import InstanceLock

    with InstanceLock(location.data_dir):
        kept = restore(location, args.file)
    print(f"Restored the records from {args.file.name}. The records it replaced are kept in {kept}.")
    return 0


def cmd_check(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.storage.backups import check_database

    report = check_database(location)
    if report.ok:
        print(f"Sound: the records in {location.database_path} passed the integrity and link checks.")
        return 0
    return _fail(f"Damaged: {report.problems[0]} ({len(report.problems)} problem(s)). Restore a backup.")


def cmd_forget(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.participants import find_member
    from facilitator.rules.privacy import forget_person, person_records
    from facilitator.storage.backups import backup_first

    with _database(location).begin() as session:
        person = find_member(session, find_group(session, args.group).id, args.participant)
        records = person_records(session, person.id)
    what = (
        f"{records.display_name}: member of {', '.join(records.groups)}; {records.check_ins} check-ins, "
        f"{records.share_turns} share turns, {records.letters} letters"
    )
    if not args.yes:
        print(f"Would delete {what}. Nothing was deleted; run again with --yes to do it.")
        return 0
    kept = backup_first(location, "before-forgetting")
    with _database(location).begin() as session:
        forget_person(session, records.participant_id)
    print(f"Deleted {what}." + (f" A backup from just before is in {kept}." if kept else ""))
    return 0


def cmd_retention(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.privacy import apply_retention, retention_preview, set_retention_years
    from facilitator.storage.backups import backup_first

    with _database(location).begin() as session:
        group = find_group(session, args.group)
        preview = retention_preview(session, group.id, args.years)
    rule = f"{group.name} keeps {preview.kept_for}"
    going = (
        f"{preview.meetings} meetings before {preview.before.isoformat()} with {preview.check_ins} check-ins"
        if preview.before and preview.meetings
        else "nothing"
    )
    if not args.yes:
        print(f"{rule}: that would delete {going} now. Nothing was changed; run again with --yes to do it.")
        return 0
    kept = backup_first(location, "before-retention") if preview.meetings else None
    with _database(location).begin() as session:
        if args.years is not None:
            set_retention_years(session, group.id, args.years)
        apply_retention(session, group.id)
    print(f"{rule}. Deleted {going}." + (f" A backup from just before is in {kept}." if kept else ""))
    return 0


# ---- output -------------------------------------------------------------------------------


def _print_json(value: Any) -> int:
    print(json.dumps(value, ensure_ascii=False, indent=2))
    return 0


def _print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    for row in cells:
        aligned = (cell.rjust(w) if num else cell.ljust(w) for cell, w, num in zip(row, widths, numeric, strict=True))
        print("  ".join(aligned).rstrip())


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _local_date(moment: Any) -> str:
    from facilitator.dates import local

    return local(moment).date().isoformat() if moment is not None else "—"
