"""Commands for groups and their rosters: `group add|set|rename|archive|restore`, `groups`, `participants`."""

from __future__ import annotations

import argparse

from facilitator.cli.common import Commands, open_db, positive_int
from facilitator.cli.output import held_day, iso, print_json, print_table
from facilitator.errors import InvalidInput
from facilitator.plurals import counted, plural
from facilitator.storage.locations import DataLocation
from facilitator.text import NEW_GROUP_NAME_DISPLAY, NameDisplay


def register(commands: Commands) -> None:
    group = commands.add_parser("group", help="add, rename, archive or restore a group")
    group_commands = group.add_subparsers(title="group commands", metavar="ACTION", required=True)
    add = group_commands.add_parser("add", help="create a group")
    add.add_argument("name")
    add.add_argument("--share-minutes", type=positive_int, default=3, help="minutes each member shares (default 3)")
    add.add_argument("--description", default="")
    add.add_argument("--weekday", help="the day the group usually meets, like Tuesday")
    add.add_argument("--time", default="", help="the time it usually starts, like 19:00")
    add.add_argument("--place", default="", help="where it usually meets")
    add.add_argument(
        "--names",
        choices=[style.value for style in NameDisplay],
        default=NEW_GROUP_NAME_DISPLAY.value,
        help="how names show where the room can see them: full, first_initial (Ann L., the default) or initials",
    )
    _handout_names_group_option(add, default="no")
    add.set_defaults(handler=cmd_group_add)
    set_ = group_commands.add_parser("set", help="change a group's settings")
    set_.add_argument("name")
    _handout_names_group_option(set_, default=None)
    set_.set_defaults(handler=cmd_group_set)
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


def cmd_group_add(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import create_group, weekday_number

    with open_db(location).begin() as session:
        info = create_group(
            session,
            args.name,
            share_minutes=args.share_minutes,
            description=args.description,
            meeting_weekday=weekday_number(args.weekday) if args.weekday else None,
            meeting_time=args.time,
            place=args.place,
            name_display=NameDisplay(args.names),
            handout_names_group=args.handout_names_group == "yes",
        )
    _say_invisible_left_out(args.name, "the group name")
    print(f"Created group {info.id}: {info.name} ({args.share_minutes}-minute shares).")
    if info.usual_meeting:
        print(f"{info.usual_meeting}.")
    return 0


def cmd_group_set(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group, update_group

    if args.handout_names_group is None:
        raise InvalidInput("Nothing to change: say what to set, like --handout-names-group yes.")
    names_group = args.handout_names_group == "yes"
    with open_db(location).begin() as session:
        group = find_group(session, args.name)
        unchanged = group.handout_names_group == names_group
        info = update_group(session, group.id, handout_names_group=names_group)
    if unchanged:
        state = "name the group" if names_group else "leave the group's name out"
        print(f"Handouts of {info.name} already {state}.")
    else:
        print(f"Handouts of {info.name} {'now name' if names_group else 'no longer name'} the group.")
    return 0


def _handout_names_group_option(parser: argparse.ArgumentParser, *, default: str | None) -> None:
    parser.add_argument(
        "--handout-names-group",
        choices=["yes", "no"],
        default=default,
        help="whether take-home handouts print the group's name (no by default: they go home with people)",
    )


def cmd_group_rename(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group, update_group

    with open_db(location).begin() as session:
        info = update_group(session, find_group(session, args.old).id, name=args.new)
    _say_invisible_left_out(args.new, "the group name")
    print(f"Renamed group {info.id} to {info.name}.")
    return 0


def _say_invisible_left_out(typed: str, what: str) -> None:
    from facilitator.text import invisible_left_out

    if word := invisible_left_out(typed, what):
        print(word)


def cmd_group_archive(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import archive_group, find_group

    with open_db(location).begin() as session:
        info = archive_group(session, find_group(session, args.name).id)
    kept = f"{counted(info.meeting_count, 'meeting')} {plural(info.meeting_count, 'is', 'are')} kept"
    print(f"Archived {info.name}; its {kept}. `group restore` brings it back.")
    return 0


def cmd_group_restore(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group, restore_group

    with open_db(location).begin() as session:
        info = restore_group(session, find_group(session, args.name).id)
    print(f"Restored {info.name}.")
    return 0


def cmd_groups(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import list_groups

    with open_db(location).begin() as session:
        groups = list_groups(session, include_archived=args.all)
    if args.json:
        return print_json(
            [
                {
                    "id": g.id,
                    "name": g.name,
                    "description": g.description,
                    "share_seconds": g.share_seconds,
                    "warning_seconds": g.warning_seconds,
                    "name_display": g.name_display.value,
                    "handout_names_group": g.handout_names_group,
                    "archived": g.archived,
                    "members": g.member_count,
                    "meetings": g.meeting_count,
                    "last_meeting": iso(g.last_meeting_at),
                }
                for g in groups
            ]
        )
    if not groups:
        print("No groups yet. Create one with: facilitator group add NAME")
        return 0
    print_table(
        ("ID", "Group", "Share", "Members", "Meetings", "Last meeting"),
        [
            (
                g.id,
                g.name + (" (archived)" if g.archived else ""),
                f"{g.share_minutes:g} min",
                g.member_count,
                g.meeting_count,
                held_day(g.last_meeting_at),
            )
            for g in groups
        ],
    )
    return 0


def cmd_participants(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.participants import list_participants

    with open_db(location).begin() as session:
        group = find_group(session, args.group)
        roster = list_participants(session, group.id)
    if args.json:
        return print_json(
            [
                {
                    "id": p.id,
                    "name": p.display_name,
                    "note": p.note,
                    "joined_on": p.joined_on.isoformat(),
                    "meetings_attended": p.meetings_attended,
                    "last_seen": iso(p.last_seen_at),
                }
                for p in roster
            ]
        )
    if not roster:
        print(f"Nobody is on the roster of {group.name} yet.")
        return 0
    print_table(
        ("ID", "Name", "Joined", "Attended", "Last seen"),
        [
            (p.id, p.display_name, p.joined_on.isoformat(), p.meetings_attended, held_day(p.last_seen_at))
            for p in roster
        ],
    )
    return 0
