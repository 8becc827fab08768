"""Commands that move records in and out: `export` (CSV), `import-roster` (CSV, vCard, workbooks)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.cli.common import Commands, day, open_db
from facilitator.cli.output import fail, warn
from facilitator.errors import InvalidInput
from facilitator.plurals import counted
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from facilitator.rules.roster_import import ImportResult, RosterFile


IMPORT_HELP = """Add the people a roster file names to a group's roster.

Names already on the roster are not doubled; someone who had left the group is put back on it.
Lines with no name (a contact that is only an e-mail address) are skipped and listed.

Nothing is imported when any line has a problem, or when a new name is close to someone on the
roster ("Chloe Marten" beside "Chloé Martin": perhaps the same person); each is listed. Then:
  --skip-bad-rows  imports the other lines and leaves those out;
  --new            adds the close names as new people.
--dry-run shows what would happen to every line and stores nothing."""
BIG_LIST = 50  # names printed one by one up to this many; a count beyond


def register(commands: Commands) -> None:
    export = commands.add_parser("export", help="export attendance or the roster to CSV")
    export.add_argument("what", choices=("attendance", "roster"))
    export.add_argument("--group", required=True, metavar="NAME")
    export.add_argument("--from", dest="date_from", type=day, metavar="DATE", help="first day (attendance)")
    export.add_argument("--to", dest="date_to", type=day, metavar="DATE", help="last day (attendance)")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.csv")
    export.set_defaults(handler=cmd_export)

    roster = commands.add_parser(
        "import-roster",
        help="add names from a roster file (CSV, vCard, Excel or OpenDocument) to a group's roster",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    roster.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="a CSV or text file, a vCard file (.vcf) or a workbook (.xlsx .xls .ods)",
    )
    roster.add_argument("--group", required=True, metavar="NAME")
    roster.add_argument("--name-column", metavar="COLUMN", help="the column holding names, if not recognised")
    roster.add_argument("--sheet", metavar="NAME", help="a workbook's sheet to read (the first one if not given)")
    roster.add_argument(
        "--encoding", metavar="NAME", help="how the file's text is written (e.g. UTF-8, Windows-1252), if misread"
    )
    roster.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the other lines when some have a problem (and leave out names close to someone on the roster)",
    )
    roster.add_argument("--new", action="store_true", help="add names close to someone on the roster as new people")
    roster.add_argument(
        "--dry-run", action="store_true", help="show what would happen to every line of the file; store nothing"
    )
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
    from facilitator.rules.roster_import import import_roster, preview_import, read_roster_file

    # Read whole before the records are opened: a big file holds no lock while it is read.
    roster = read_roster_file(args.file, name_column=args.name_column, encoding=args.encoding, sheet=args.sheet)
    if args.sheet is not None and not roster.sheets:
        return fail(
            f"{args.file.name} is a {roster.kind}, not a workbook: it has no sheet “{args.sheet}” to choose. "
            "Import it without --sheet."
        )
    if args.dry_run:  # said first, above every line
        _say_what_was_read(args.file, roster, dry_run=True)
    with open_db(location).begin(commit=not args.dry_run) as session:
        group = find_group(session, args.group)
        group_name = group.name
        if args.dry_run:
            for row in preview_import(session, group.id, roster):
                print(f"line {row.line}: " + (f"{row.name} — " if row.name else "— ") + row.outcome)
        if roster.problems and not args.skip_bad_rows:
            for problem in roster.problems:
                warn(f"{args.file.name}, {problem}")
            if roster.doubt:  # a misread encoding may be what the problems come from
                warn(f"{roster.doubt} Give it with --encoding NAME.")
            return fail(
                f"{len(roster.problems)} problem(s) in {args.file.name}; nothing was imported. "
                "Add --skip-bad-rows to import the other lines."
            )
        result = import_roster(session, group.id, roster, skip_bad_rows=args.skip_bad_rows, add_close=args.new)
        if result.close and not args.skip_bad_rows:
            session.rollback()  # found as the names were placed for the import, which is not kept
            for row in result.close:
                warn(f"{args.file.name}, line {row.line}: “{row.name}” is {row.detail}")
            return fail(
                f"{counted(len(result.close), 'name')} in {args.file.name} close to someone on the roster; nothing "
                "was imported. Add --new to add such names as new people, or --skip-bad-rows to leave them out."
            )
    if not args.dry_run:
        _say_what_was_read(args.file, roster, dry_run=False)
    _say_what_was_done(roster, result, group_name, would=args.dry_run)
    return 0


def _say_what_was_done(roster: RosterFile, result: ImportResult, group_name: str, *, would: bool) -> None:
    """Who was added, put back, already there, repeated, skipped or left out (or would be)."""
    print(f"{'Would add' if would else 'Added'} {len(result.added)} to {group_name}" + _listed(result.added))
    if result.back:
        print(
            f"{'Would put back' if would else 'Put back'} on the roster, as they were before they left"
            + _listed(result.back)
        )
    if result.already_on_roster:
        print("Already on the roster, not doubled" + _listed(result.already_on_roster))
    if roster.repeated:
        print(
            "Repeated in the file, counted once: "
            + ", ".join(f"{row.name} (line {row.line})" for row in roster.repeated)
        )
    if not would:  # a dry run said it beside each line
        for read in roster.rows:
            if read.left_out:
                print(f"line {read.line}: {read.left_out}")
    if roster.skipped:
        print("Skipped: " + "; ".join(str(each) for each in roster.skipped) + ".")
    if result.left_out:
        print(f"Left out {len(result.left_out)} line(s) with a problem: {', '.join(map(str, result.left_out))}.")
    if result.close:
        print("Left out, close to someone on the roster: " + ", ".join(row.name for row in result.close))
    if would:
        print("Dry run: nothing was stored.")


def _say_what_was_read(path: Path, roster: RosterFile, *, dry_run: bool) -> None:
    """How the file was read, and what to check when the reading was a guess (a dry run shows
    every name below)."""
    how = [roster.encoding, f"sheet “{roster.sheet}”" if roster.sheet else "", f"names from “{roster.name_column}”"]
    names = len(roster.rows) + len(roster.repeated)
    print(f"Read {path.name} ({', '.join(part for part in how if part)}): {counted(names, 'name')}.")
    check = "." if dry_run else "; --dry-run shows every name first."
    if roster.doubt:
        print(f"{roster.doubt} Give it with --encoding NAME{check}")
    if roster.guessed:
        print(
            f"No heading says where the names are: they were taken from column “{roster.name_column}” by what it "
            f"holds. If they are not names, give the column with --name-column{check}"
        )


def _listed(names: list[str]) -> str:
    if not names:
        return "."
    return f": {', '.join(names)}" if len(names) <= BIG_LIST else f" ({counted(len(names), 'name')})."
