"""Commands that keep the records safe or let them go: `backup`, `restore`, `check`, `forget`,
`retention`, and `demo` (which backs up real records before it replaces them)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.cli.common import Commands, open_db, positive_int
from facilitator.cli.output import fail
from facilitator.dates import medium_date
from facilitator.plurals import counted
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from facilitator.rules.privacy import RetentionPreview


def register(commands: Commands) -> None:
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
    retention.add_argument(
        "--clock-is-right",
        action="store_true",
        help="delete even though the computer's clock disagrees with the records (after checking it)",
    )
    retention.set_defaults(handler=cmd_retention)

    demo = commands.add_parser("demo", help="fill the data folder with demo groups and meetings")
    demo.add_argument("--years", type=positive_int, default=1, help="years of weekly meetings (default 1)")
    demo.add_argument("--seed", type=int, default=1, help="seed for a reproducible demo (default 1)")
    demo.add_argument("--members", type=positive_int, help="members in the first group, to try a large roster")
    demo.add_argument("--groups", type=positive_int, default=3, help="how many groups (default 3)")
    demo.add_argument("--force", action="store_true", help="replace real records (a backup is taken first)")
    demo.set_defaults(handler=cmd_demo)


def cmd_backup(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.storage.backups import backup_to, make_backup

    path = backup_to(location, args.output) if args.output else make_backup(location, "by-hand")
    print(f"Backed up the records to {path} (checked). It holds names: keep it private.")
    return 0


def cmd_restore(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.records import restore_records

    kept = restore_records(location, args.file)
    print(f"Restored the records from {args.file.name}. The records it replaced are kept in {kept}.")
    return 0


def cmd_check(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.records import check_records

    report = check_records(location)
    if report.ok:
        where = " They are on a read-only disk, so nothing can be changed there." if report.read_only else ""
        print(f"Sound: the records in {location.database_path} passed the integrity and link checks.{where}")
        return 0
    return fail(
        f"Damaged: {report.problems[0]} ({len(report.problems)} problem(s)). Nothing more will be written "
        "to them; restore a backup."
    )


def cmd_forget(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.groups import find_group
    from facilitator.rules.participants import find_member
    from facilitator.rules.privacy import forget_safely, person_records

    db = open_db(location)
    with db.begin() as session:
        person = find_member(session, find_group(session, args.group).id, args.participant)
        records = person_records(session, person.id)
    what = (
        f"{records.display_name}: member of {', '.join(records.groups)}; "
        f"{counted(records.check_ins, 'attendance mark')}, "
        f"{counted(records.share_turns, 'share turn')}, {counted(records.letters, 'letter')}"
    )
    if not args.yes:
        print(f"Would delete {what}. Nothing was deleted; run again with --yes to do it.")
        return 0
    forgotten = forget_safely(db, records.participant_id)
    print(f"Deleted {what}. {forgotten.copies.message}".strip())
    return 0


def cmd_retention(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.errors import InvalidState
    from facilitator.rules.groups import find_group
    from facilitator.rules.privacy import ClockInDoubt, apply_retention_safely, retention_preview

    db = open_db(location)
    with db.begin() as session:
        group = find_group(session, args.group)
        preview = retention_preview(session, group.id, args.years)
    rule = f"{group.name} keeps {preview.kept_for}"
    if not args.yes:
        print(f"{rule}: that would delete {_going(preview)} now. Nothing was changed; run again with --yes to do it.")
        return 0
    try:
        applied = apply_retention_safely(db, group.id, args.years, clock_confirmed=args.clock_is_right)
    except ClockInDoubt as doubt:
        # A script runs `--yes` unattended; only a person who has checked the clock says it is right.
        raise InvalidState(f"{doubt} If the clock is right, run again with --clock-is-right.") from None
    kept = applied.backup
    print(f"{rule}. Deleted {_going(applied.gone)}." + (f" A backup from just before is in {kept}." if kept else ""))
    return 0


def _going(preview: RetentionPreview) -> str:
    if preview.before and preview.meetings:
        meetings, check_ins = counted(preview.meetings, "meeting"), counted(preview.check_ins, "attendance mark")
        return f"{meetings} before {medium_date(preview.before)} with {check_ins}"
    return "nothing"


def cmd_demo(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.demo import replace_with_demo

    made = replace_with_demo(
        open_db(location), years=args.years, seed=args.seed, members=args.members, groups=args.groups, force=args.force
    )
    if made.backup is not None:
        print(f"Backed up the records it replaces to {made.backup}")
    summary = made.summary
    print(
        f"Demo ready in {location.data_dir}: {counted(summary.groups, 'group')}, "
        f"{counted(summary.participants, 'participant')}, {counted(summary.meetings, 'meeting')}, "
        f"{counted(summary.check_ins, 'attendance mark')}, {counted(summary.share_turns, 'share turn')}."
    )
    return 0
