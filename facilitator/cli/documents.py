"""Commands that make printed documents and check letters: `handout`, `sign-in-sheet`, `packet`,
`run-sheet`, `welcome-leaflet`, `card`, `report attendance`, `letter`, `verify-code`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.cli.common import Commands, day, open_db, positive_int
from facilitator.cli.output import warn
from facilitator.errors import FacilitatorError, InvalidInput
from facilitator.plurals import counted
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from facilitator.documents.layout import Pdf
    from facilitator.rules.letters import LetterFacts

MakePdf = Callable[["Session", "Pdf"], bytes]


def register(commands: Commands) -> None:
    _register_meeting_papers(commands)
    _register_reports_and_letters(commands)


def _register_meeting_papers(commands: Commands) -> None:
    """What is printed for a meeting: handout, sign-in sheet, packet, run sheet, leaflet, cards."""
    handout = commands.add_parser("handout", help="the handout PDF for a meeting, or for a guide and a group")
    source = handout.add_mutually_exclusive_group(required=True)
    source.add_argument("--meeting", type=positive_int, metavar="ID", help="the meeting (its topic guide)")
    source.add_argument("--guide", metavar="SLUG", help="a topic guide (with --group)")
    handout.add_argument("--group", metavar="NAME", help="the group, with --guide")
    handout.add_argument("--date", type=day, metavar="DATE", help="the meeting's day, with --guide (default today)")
    handout.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    handout.set_defaults(handler=cmd_handout)

    sheet = commands.add_parser("sign-in-sheet", help="a sign-in sheet PDF with the group's roster")
    sheet.add_argument("--group", required=True, metavar="NAME")
    sheet.add_argument("--date", type=day, metavar="DATE", help="the meeting's day (default today)")
    sheet.add_argument("--blank", action="store_true", help="rows to write in only: no one's name printed")
    sheet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    sheet.set_defaults(handler=cmd_sign_in_sheet)

    packet = commands.add_parser("packet", help="tonight's packet: the handout and the sign-in sheet in one PDF")
    packet.add_argument("--meeting", required=True, type=positive_int, metavar="ID")
    packet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    packet.set_defaults(handler=cmd_packet)

    run_sheet = commands.add_parser(
        "run-sheet", help="a meeting format on paper, filled in with a topic guide: the backup if the laptop fails"
    )
    run_source = run_sheet.add_mutually_exclusive_group(required=True)
    run_source.add_argument("--meeting", type=positive_int, metavar="ID", help="the meeting (its format and topic)")
    run_source.add_argument("--format", metavar="SLUG", help="a meeting format")
    run_sheet.add_argument("--guide", metavar="SLUG", help="the topic guide to fill in, with --format")
    run_sheet.add_argument("--group", metavar="NAME", help="the group (its start time and share length), with --format")
    run_sheet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    run_sheet.set_defaults(handler=cmd_run_sheet)

    leaflet = commands.add_parser("welcome-leaflet", help="a leaflet for newcomers to take home")
    leaflet.add_argument("--group", required=True, metavar="NAME")
    leaflet.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    leaflet.set_defaults(handler=cmd_welcome_leaflet)

    card = commands.add_parser(
        "card", help="a one-page card for the facilitator: crisis, agreements, tricky-moments or self-care"
    )
    card.add_argument("card", metavar="CARD", help="crisis, agreements, tricky-moments or self-care")
    card.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="where to write it (default CARD-card.pdf)")
    card.set_defaults(handler=cmd_card)


def _register_reports_and_letters(commands: Commands) -> None:
    """What is printed from the records: the attendance report, letters, and a letter's check."""
    report = commands.add_parser("report", help="printable reports")
    report_commands = report.add_subparsers(title="reports", metavar="REPORT", required=True)
    attendance = report_commands.add_parser("attendance", help="a group's attendance over a date range, as a PDF")
    attendance.add_argument("--group", required=True, metavar="NAME")
    attendance.add_argument("--from", dest="date_from", required=True, type=day, metavar="DATE")
    attendance.add_argument("--to", dest="date_to", required=True, type=day, metavar="DATE")
    attendance.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    attendance.set_defaults(handler=cmd_report_attendance)

    letter = commands.add_parser(
        "letter",
        aliases=["verify-letter"],  # its first name, kept for scripts that use it
        help="a letter confirming one person's attendance, with a code",
    )
    letter.add_argument("--participant", required=True, metavar="NAME")
    letter.add_argument("--group", required=True, metavar="NAME")
    letter.add_argument("--from", dest="date_from", required=True, type=day, metavar="DATE")
    letter.add_argument("--to", dest="date_to", required=True, type=day, metavar="DATE")
    letter.add_argument("--anonymous", action="store_true", help="leave the group's name out of the letter")
    letter.add_argument(
        "--signed-by", metavar="NAME", help="the printed name of who signs it (required, unless set in the settings)"
    )
    letter.add_argument("--legal-name", default="", metavar="NAME", help="the person's name as a court knows them")
    letter.add_argument("--reference", default="", metavar="TEXT", help="their reference or case number")
    letter.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    letter.set_defaults(handler=cmd_letter)

    code = commands.add_parser("verify-code", help="check that an attendance letter's code was issued here")
    code.add_argument("code", metavar="CODE")
    code.set_defaults(handler=cmd_verify_code)


def _write_pdf(
    location: DataLocation,
    args: argparse.Namespace,
    make: MakePdf,
    *,
    record: Callable[[Session], str] | None = None,
) -> Path:
    """Make a PDF from the records and write it where asked. What `record` keeps (a letter issued)
    is committed before the file appears: the PDF waits, whole, in a hidden file beside the target
    until then, so a letter that exists always has its record. `record` says what it recorded, for
    the message should the file then not be saved."""
    from facilitator.documents.layout import pdf_for
    from facilitator.storage.locations import publish_file, stage_private_file
    from facilitator.storage.preferences import document_settings

    target: Path = args.output
    staged: Path | None = None
    recorded = ""
    try:
        with open_db(location).begin() as session:
            pdf = pdf_for(document_settings(session))
            staged = stage_private_file(target, make(session, pdf))
            if record is not None:
                recorded = record(session)
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    try:
        publish_file(staged, target)
    except OSError as exc:
        if not recorded:
            raise
        raise FacilitatorError(
            f"{recorded}, but its file could not be saved to {target.absolute()}: {exc.strerror or exc}. "
            "Make it again once that is put right."
        ) from None
    for warning in pdf.warnings:
        warn(f"note: {warning}")
    return target


def cmd_handout(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.handout import handout_content, handout_pdf
    from facilitator.rules.groups import find_group

    if args.guide is not None and args.group is None:
        raise InvalidInput("--guide needs --group: the group the handout is for.")
    if args.meeting is not None and (args.group or args.date):
        raise InvalidInput("--group and --date go with --guide; a meeting already has its group and day.")

    def make(session: Session, pdf: Pdf) -> bytes:
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

    def make(session: Session, pdf: Pdf) -> bytes:
        group_id = find_group(session, args.group).id
        return sign_in_pdf(pdf, sign_in_content(session, group_id, args.date, blank=args.blank))

    written = _write_pdf(location, args, make)
    if args.blank:
        print(f"Wrote a blank sign-in sheet to {written}.")
    else:
        print(f"Wrote the sign-in sheet to {written}. It holds names: keep it private.")
    return 0


def cmd_packet(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.packet import packet_content, packet_pdf

    def make(session: Session, pdf: Pdf) -> bytes:
        return packet_pdf(pdf, *packet_content(session, args.meeting))

    print(f"Wrote tonight's packet (handout and sign-in sheet) to {_write_pdf(location, args, make)}.")
    return 0


def cmd_run_sheet(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.run_sheet import run_sheet_content, run_sheet_pdf
    from facilitator.rules.groups import find_group

    if args.meeting is not None and (args.guide or args.group):
        raise InvalidInput("--guide and --group go with --format; a meeting already has its topic and group.")

    def make(session: Session, pdf: Pdf) -> bytes:
        group_id = find_group(session, args.group).id if args.group is not None else None
        content = run_sheet_content(
            session, meeting_id=args.meeting, format_slug=args.format, guide_slug=args.guide, group_id=group_id
        )
        return run_sheet_pdf(pdf, content)

    print(f"Wrote the run sheet to {_write_pdf(location, args, make)}.")
    return 0


def cmd_welcome_leaflet(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.welcome_leaflet import leaflet_content, leaflet_pdf
    from facilitator.rules.groups import find_group

    def make(session: Session, pdf: Pdf) -> bytes:
        return leaflet_pdf(pdf, leaflet_content(session, find_group(session, args.group).id))

    print(f"Wrote the welcome leaflet to {_write_pdf(location, args, make)}.")
    return 0


def cmd_card(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.cards import card_content, card_named, card_pdf

    chosen = card_named(args.card)
    if args.output is None:
        args.output = Path(f"{chosen.value}-card.pdf")

    def make(session: Session, pdf: Pdf) -> bytes:
        return card_pdf(pdf, card_content(session, chosen))

    print(f"Wrote the {chosen.title.lower()} to {_write_pdf(location, args, make)}.")
    return 0


def cmd_report_attendance(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.attendance_report import report_content, report_pdf
    from facilitator.rules.groups import find_group

    if args.date_to < args.date_from:
        raise InvalidInput("--to is before --from.")

    def make(session: Session, pdf: Pdf) -> bytes:
        group = find_group(session, args.group)
        return report_pdf(pdf, report_content(session, group.id, date_from=args.date_from, date_to=args.date_to))

    print(f"Wrote the attendance report to {_write_pdf(location, args, make)}. It holds names: keep it private.")
    return 0


def cmd_letter(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.letter import letter_pdf
    from facilitator.rules.groups import find_group
    from facilitator.rules.letters import SignerNeeded, letter_facts, record_letter
    from facilitator.rules.participants import find_member
    from facilitator.storage.preferences import document_settings

    drafted: list[LetterFacts] = []

    def make(session: Session, pdf: Pdf) -> bytes:
        group = find_group(session, args.group)
        person = find_member(session, group.id, args.participant, or_former=True)
        settings = document_settings(session)
        try:
            facts = letter_facts(
                session,
                person.id,
                group.id,
                args.date_from,
                args.date_to,
                anonymous=args.anonymous,
                signed_by=args.signed_by if args.signed_by is not None else settings.facilitator_name,
                legal_name=args.legal_name,
                reference=args.reference,
            )
        except SignerNeeded:
            raise InvalidInput(
                "A letter needs the printed name of the person who signs it: give --signed-by NAME, "
                "or set it once with “facilitator settings set signed-by NAME”."
            ) from None
        drafted.append(facts)
        return letter_pdf(pdf, facts)

    def record(session: Session) -> str:
        record_letter(session, drafted[0])
        return f"The letter for {drafted[0].participant_name} was recorded (code {drafted[0].code})"

    path = _write_pdf(location, args, make, record=record)
    facts = drafted[0]
    meetings = counted(facts.count, "meeting")
    print(f"Wrote a letter for {facts.participant_name} ({meetings}) to {path}. Its code is {facts.code}.")
    if not facts.contact:
        warn(
            f"note: the letter gives no contact to check its code but {facts.signed_by}'s name; "
            "set one with “facilitator settings set contact PHONE-OR-E-MAIL”."
        )
    return 0


def cmd_verify_code(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.letters import check_letter, genuine_message

    with open_db(location).begin() as session:
        letter = check_letter(session, args.code)
    print(genuine_message(letter))
    return 0
