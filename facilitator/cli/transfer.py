"""Commands that move records in and out as CSV: `export`, `import-roster`."""

from __future__ import annotations

import argparse
from pathlib import Path

from facilitator.cli.common import Commands, day, open_db
from facilitator.cli.output import fail, warn
from facilitator.errors import InvalidInput
from facilitator.plurals import counted
from facilitator.storage.locations import DataLocation


def register(commands: Commands) -> None:
    export = commands.add_parser("export", help="export attendance or the roster to CSV")
    export.add_argument("what", choices=("attendance", "roster"))
    export.add_argument("--group", required=True, metavar="NAME")
    export.add_argument("--from", dest="date_from", type=day, metavar="DATE", help="first day (attendance)")
    export.add_argument("--to", dest="date_to", type=day, metavar="DATE", help="last day (attendance)")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.csv")
    export.set_defaults(handler=cmd_export)

    roster = commands.add_parser("import-roster", help="add names from a CSV file to a group's roster")
    roster.add_argument("file", type=Path, metavar="FILE.csv")
    roster.add_argument("--group", required=True, metavar="NAME")
    roster.add_argument("--name-column", metavar="COLUMN", help="the column holding names, if not recognised")
    roster.add_argument("--dry-run", action="store_true", help="show what would happen; store nothing")
    roster.set_defaults(handler=cmd_import_roster)


def cmd_export(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.exports import attendance_csv, roster_csv, write_export
    from facilitator.rules.groups import find_group

    if args.what == "roster" and (args.date_from or args.date_to):
        raise InvalidInput("--from and --to apply to attendance exports, not the roster.")
    with open_db(location).begin() as session:
        group = find_group(session, args.group)
        if args.what == "roster":
            export = roster_csv(session, group.id)
        else:
            export = attendance_csv(session, group.id, date_from=args.date_from, date_to=args.date_to)
    path = write_export(args.output, export.data)
    print(
        f"Wrote {args.what} of {group.name} to {path} ({counted(export.rows, 'row')}). It holds names: keep it private."
    )
    return 0


def cmd_import_roster(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.roster_import import import_roster, read_roster_file

    roster = read_roster_file(args.file, name_column=args.name_column)
    if roster.problems:
        for problem in roster.problems:
            warn(f"{args.file.name}, {problem}")
        return fail(f"{len(roster.problems)} problem(s) in {args.file.name}; nothing was imported.")
    with open_db(location).begin(commit=not args.dry_run) as session:
        group = find_group(session, args.group)
        group_name = group.name
        result = import_roster(session, group.id, roster)
    print(
        f"Read {args.file.name} ({roster.encoding}, names from “{roster.name_column}”): "
        f"{counted(len(roster.rows) + len(roster.repeated), 'name')}."
    )
    verb = "Would add" if args.dry_run else "Added"
    print(f"{verb} {len(result.added)} to {group_name}" + (f": {', '.join(result.added)}" if result.added else "."))
    if result.back:
        verb = "Would put back" if args.dry_run else "Put back"
        print(f"{verb} on the roster, as they were before they left: {', '.join(result.back)}")
    if result.already_on_roster:
        print(f"Already on the roster, not doubled: {', '.join(result.already_on_roster)}")
    if roster.repeated:
        print(
            "Repeated in the file, counted once: "
            + ", ".join(f"{row.name} (line {row.line})" for row in roster.repeated)
        )
    if args.dry_run:
        print("Dry run: nothing was stored.")
    return 0
