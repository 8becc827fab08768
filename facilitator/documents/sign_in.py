"""The sign-in sheet: the group's roster, in the form of the name the group chose, with blank rows
for newcomers, and a line about keeping it private. The column headings repeat on every page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from sqlalchemy.orm import Session

from facilitator.dates import long_date, medium_date
from facilitator.documents.layout import MARGIN, RULE, SHADE, Part, Pdf
from facilitator.rules.groups import get_group
from facilitator.rules.participants import list_participants
from facilitator.text import shown_name

BLANK_ROWS = 8
ROW_HEIGHT = 9 * mm
NUMBER_WIDTH = 12 * mm  # "500" and its padding
CONFIDENTIAL = (
    "Please write only the name you use in this group. This sheet stays with the facilitator, "
    "is kept private, and is never shared."
)


@dataclass(frozen=True)
class SignInContent:
    group_name: str
    day: date
    names: list[str]
    blank_rows: int = BLANK_ROWS


def sign_in_content(session: Session, group_id: int, day: date | None = None) -> SignInContent:
    """The group's current members, shown as the group chooses, for a meeting on `day`."""
    group = get_group(session, group_id)
    names = [shown_name(person.display_name, group.name_display) for person in list_participants(session, group.id)]
    return SignInContent(group.name, day or date.today(), names)


def sign_in_part(pdf: Pdf, content: SignInContent) -> Part:
    header = ["", "Name", "Initials or signature", "Time in"]
    rows: list[list[object]] = [[pdf.text(text, "cell-bold") for text in header]]
    for number, name in enumerate(content.names, start=1):
        rows.append([str(number), pdf.text(name, "cell"), "", ""])  # a number never wraps
    rows += [[""] * 4 for _ in range(content.blank_rows)]
    width = pdf.page_size()[0] - 2 * MARGIN
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
    ]
    table = pdf.table(
        rows,
        style,
        colWidths=[NUMBER_WIDTH, width * 0.45, None, 22 * mm],
        repeatRows=1,
        # Named rows grow with a long name; blank rows are tall enough to write in.
        rowHeights=[None] * (1 + len(content.names)) + [ROW_HEIGHT] * content.blank_rows,
    )
    title = f"Sign-in · {content.group_name}"
    story = [
        pdf.text(title, "title"),
        pdf.text(long_date(content.day), "subtitle"),
        pdf.text(CONFIDENTIAL, "small"),
        table,
    ]
    return Part(f"Sign-in · {content.group_name} · {medium_date(content.day)} · private", story)


def sign_in_pdf(pdf: Pdf, content: SignInContent) -> bytes:
    return pdf.render([sign_in_part(pdf, content)], title="Sign-in sheet")
