"""The attendance letter: proof of attendance for one person, naming nobody else. A letterhead says
who sent it and where to check it; page 1 holds the whole confirmation (the summary, the signature
line and the code), so it stands alone; a list of dates too long to join it follows on pages of
its own, grouped by month, each page naming the person and carrying the code and "Page n of m".
Dates and times are written in the user's custom (`DateCustom`)."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from facilitator.dates import DAYS, DateCustom, date_custom
from facilitator.documents.layout import FOOTER_GAP, MARGIN, RULE, Part, Pdf
from facilitator.plurals import counted
from facilitator.rules.letters import LetterFacts

DATE_COLUMNS = 5  # dates in a row under their month: a weekly group's month on one line
MONTH_COLUMN = 34 * mm
FRAME_PADDING = 12  # ReportLab's frame: 6 pt inside each edge


def letter_pdf(pdf: Pdf, facts: LetterFacts, *, custom: DateCustom | None = None) -> bytes:
    """The letter, its dates written in `custom` (by default the environment's: the command line's)."""
    part = letter_part(pdf, facts, custom or date_custom())
    return pdf.render([part], title="Confirmation of attendance")


def letter_part(pdf: Pdf, facts: LetterFacts, custom: DateCustom) -> Part:
    story = [*_letterhead(pdf, facts, custom), *_confirmation(pdf, facts, custom)]
    signature = [Spacer(1, 12 * mm), _signature(pdf, facts)]
    if facts.count:
        dates = _dates(pdf, facts, custom)
        if _fits(pdf, [*story, *dates, *signature]):
            story += [*dates, KeepTogether(signature)]
        else:
            listed = (
                f"The {facts.count} dates attended are listed by month on the following pages, each marked "
                f"with {_named(facts)}'s name and this letter's code."
            )
            story += [pdf.text(listed), KeepTogether(signature), PageBreak(), *dates]
    else:
        story.append(KeepTogether(signature))
    return Part(f"Code {facts.code} · confirmation of attendance for {_named(facts)}", story)


def _letterhead(pdf: Pdf, facts: LetterFacts, custom: DateCustom) -> list[Flowable]:
    """Who sent the letter and where to check it. A letter that leaves the group out leaves the
    organisation out too (its name may say what the group is for), but keeps the contact."""
    head: list[Flowable] = []
    if facts.organisation:
        head.append(pdf.text(facts.organisation, "strong"))
    if facts.contact:
        head.append(pdf.text(f"To check this letter: {_one_line(facts.contact)}", "small"))
    if head:
        rule = pdf.table([[""]], [("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE)], colWidths=["100%"], rowHeights=[2 * mm])
        head += [rule, Spacer(1, 4 * mm)]
    head += [
        pdf.text("Confirmation of attendance", "title"),
        pdf.text(f"Issued on {custom.full_day(facts.issued_on)}", "subtitle"),
    ]
    if facts.reference:
        head.append(pdf.text(f"Reference: {facts.reference}", "subtitle"))
    return [*head, Spacer(1, 6 * mm), pdf.text("To whom it may concern,")]


def _confirmation(pdf: Pdf, facts: LetterFacts, custom: DateCustom) -> list[Flowable]:
    where = f"the peer-support group “{facts.group_name}”" if facts.group_name else "a peer-support group"
    span = f"{custom.day(facts.date_from)} and {custom.day(facts.date_to)}"
    who = facts.participant_name
    if facts.legal_name and facts.legal_name != who:
        who = f"{facts.legal_name}, known in the group as {facts.participant_name},"
    story: list[Flowable] = []
    if facts.count:
        story.append(
            pdf.text(f"This confirms that {who} attended {counted(facts.count, 'meeting')} of {where} between {span}.")
        )
        schedule = _schedule(facts, custom)
        if schedule:
            story.append(pdf.text(schedule))
    else:
        absent = f"Our records show no attendance by {who} at {where} between {span}."
        if facts.joined_on is not None and facts.joined_on > facts.date_to:
            absent += f" {facts.participant_name} joined the group on {custom.day(facts.joined_on)}, after this period."
        story.append(pdf.text(absent))
    whom = _one_line(facts.contact) if facts.contact else f"{facts.signed_by}, who signed it,"
    return [
        *story,
        pdf.text(
            "Attendance is recorded by the group's facilitator at each meeting. The group is peer support "
            "run by volunteers; it is not a treatment programme, and this letter says nothing about what "
            "was discussed, which stays confidential."
        ),
        pdf.text(f"To confirm this letter is genuine, contact {whom} and quote the code {facts.code}."),
    ]


def _schedule(facts: LetterFacts, custom: DateCustom) -> str:
    """ "The group meets on Tuesdays at 7:00 PM, and its meetings last about 90 minutes.", from the
    group's usual day and time as set for it; nothing of a schedule the group has not set."""
    details = []
    if facts.meets_weekday is not None:
        at = f" at {custom.clock(facts.meets_at)}" if facts.meets_at is not None else ""
        details.append(f"The group meets on {DAYS[facts.meets_weekday]}s{at}")
    if facts.usual_minutes:
        details.append(f"{'its' if details else 'Its'} meetings last about {facts.usual_minutes} minutes")
    return ", and ".join(details) + "." if details else ""


def _dates(pdf: Pdf, facts: LetterFacts, custom: DateCustom) -> list[Flowable]:
    """The dates attended under their months: a table whose first row, repeated on every page it
    runs onto, names whose dates they are."""
    months: dict[tuple[int, int], list[str]] = {}
    for day in facts.dates:
        months.setdefault((day.year, day.month), []).append(custom.day_in_month(day))
    heading = pdf.text(f"Meetings attended by {_named(facts)}", "cell-bold")
    rows: list[list[object]] = [[heading, *[""] * DATE_COLUMNS]]
    rules = []
    for (year, number), days in months.items():
        rules.append(("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.4, RULE))
        for start in range(0, len(days), DATE_COLUMNS):
            chunk = days[start : start + DATE_COLUMNS]
            month = pdf.text(custom.month(date(year, number, 1)), "cell-bold") if start == 0 else ""
            rows.append([month, *(pdf.text(day, "cell") for day in chunk), *[""] * (DATE_COLUMNS - len(chunk))])
    style = [
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *rules,
    ]
    widths = [MONTH_COLUMN] + ["*"] * DATE_COLUMNS
    return [Spacer(1, 3 * mm), pdf.table(rows, style, colWidths=widths, repeatRows=1)]


def _fits(pdf: Pdf, story: list[Flowable]) -> bool:
    """Whether the flowables fit on one page, as the page's frame will lay them out."""
    page_width, page_height = pdf.page_size()
    width = page_width - 2 * MARGIN - FRAME_PADDING
    room = page_height - 2 * MARGIN - FOOTER_GAP - FRAME_PADDING
    used = 0.0
    for flowable in story:
        _width, height = flowable.wrap(width, room)
        used += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return used <= room


def _signature(pdf: Pdf, facts: LetterFacts) -> Table:
    rows: list[list[object]] = [["", ""], [pdf.text(signer_line(facts.signed_by), "cell"), pdf.text("Date", "cell")]]
    style = [
        ("LINEBELOW", (0, 0), (0, 0), 0.6, RULE),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]
    return pdf.table(rows, style, colWidths=["60%", "30%"], rowHeights=[12 * mm, None], hAlign="LEFT")


def signer_line(signed_by: str) -> str:
    """The line under the signature: the name as typed, with the role added once, only when what
    was typed does not already say it ("Sam Rivera, facilitator" stays as it is)."""
    return signed_by if "facilitator" in signed_by.casefold() else f"{signed_by}, facilitator"


def _named(facts: LetterFacts) -> str:
    """The person as the letter's reader knows them: the legal name when it was given."""
    return facts.legal_name or facts.participant_name


def _one_line(text: str) -> str:
    """A contact kept over several lines (an address), on one."""
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())
