"""The attendance letter: proof of attendance for one person, naming nobody else, with the
facilitator's name, a line to sign, the date of issue and a code that confirms it is genuine."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from facilitator.dates import full_date, short_day
from facilitator.documents.layout import RULE, Part, Pdf
from facilitator.plurals import counted
from facilitator.rules.letters import LetterFacts

DATE_COLUMNS = 4


def letter_part(pdf: Pdf, facts: LetterFacts, *, organisation: str = "") -> Part:
    where = f"the peer-support group “{facts.group_name}”" if facts.group_name else "a peer-support group"
    span = f"{full_date(facts.date_from)} and {full_date(facts.date_to)}"
    story: list[Flowable] = []
    if organisation and facts.group_name:  # an anonymous letter names no organisation either
        story.append(pdf.text(organisation, "subtitle"))
    story += [
        pdf.text("Confirmation of attendance", "title"),
        pdf.text(f"Issued on {full_date(facts.issued_on)}", "subtitle"),
        Spacer(1, 6 * mm),
        pdf.text("To whom it may concern,"),
    ]
    if facts.count:
        story.append(
            pdf.text(
                f"This confirms that {facts.participant_name} attended {counted(facts.count, 'meeting')} "
                f"of {where} between {span}."
            )
        )
        details = []
        if facts.usual_day:
            details.append(f"The group meets on {facts.usual_day}")
        if facts.usual_minutes:
            details.append(f"{'its' if details else 'Its'} meetings last about {facts.usual_minutes} minutes")
        if details:
            story.append(pdf.text(", and ".join(details) + "."))
        story.append(pdf.text("The dates attended were:", "heading"))
        story.append(_dates_table(pdf, facts))
    else:
        absent = f"Our records show no attendance by {facts.participant_name} at {where} between {span}."
        if facts.joined_on is not None and facts.joined_on > facts.date_to:
            absent += f" {facts.participant_name} joined the group on {full_date(facts.joined_on)}, after this period."
        story.append(pdf.text(absent))
    story += [
        Spacer(1, 4 * mm),
        pdf.text(
            "Attendance is recorded by the group's facilitator at each meeting. The group is peer support "
            "run by volunteers; it is not a treatment programme, and this letter says nothing about what "
            "was discussed, which stays confidential."
        ),
        pdf.text(f"To confirm this letter is genuine, contact the facilitator and quote the code {facts.code}."),
        Spacer(1, 14 * mm),
        _signature(pdf, facts),
    ]
    return Part(f"Confirmation of attendance · code {facts.code}", story)


def letter_pdf(pdf: Pdf, facts: LetterFacts, *, organisation: str = "") -> bytes:
    return pdf.render([letter_part(pdf, facts, organisation=organisation)], title="Confirmation of attendance")


def _dates_table(pdf: Pdf, facts: LetterFacts) -> Table:
    cells: list[str | Paragraph] = [pdf.text(short_day(day), "cell") for day in facts.dates]
    rows = [cells[start : start + DATE_COLUMNS] for start in range(0, len(cells), DATE_COLUMNS)]
    rows[-1] += [""] * (DATE_COLUMNS - len(rows[-1]))
    style = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1)]
    return pdf.table(rows, style, colWidths=["*"] * DATE_COLUMNS)


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
    if not signed_by:
        return "Facilitator"
    return signed_by if "facilitator" in signed_by.casefold() else f"{signed_by}, facilitator"
