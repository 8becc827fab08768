"""The sign-in sheet: the group's roster, in the form of the name the group chose, with blank rows
for newcomers filling the rest of the last page, and a line about keeping it private. The column
headings repeat on every page, and every page's footer names the group and the day. A blank sheet
names no one, for a room where newcomers should not see who else comes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table
from sqlalchemy.orm import Session

from facilitator.dates import long_date, medium_date
from facilitator.documents.layout import MARGIN, RULE, SHADE, Part, Pdf
from facilitator.rules.groups import get_group
from facilitator.rules.participants import list_participants
from facilitator.text import shown_name

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


def sign_in_content(session: Session, group_id: int, day: date | None = None, *, blank: bool = False) -> SignInContent:
    """The group's current members, shown as the group chooses, for a meeting on `day`; with
    `blank`, no one's name, only rows to write in."""
    group = get_group(session, group_id)
    people = [] if blank else list_participants(session, group.id)
    names = [shown_name(person.display_name, group.name_display) for person in people]
    return SignInContent(group.name, day or date.today(), names)


class _BlankRowsToTheBottom(Flowable):
    """As many blank rows as fit in what is left of the page, and none on a page of their own:
    a fixed number would spill a row or two onto a sheet that names no one."""

    def __init__(self, pdf: Pdf, widths: list[float]) -> None:
        super().__init__()
        self.hAlign = "CENTER"  # as the table of names above, so the columns line up
        self._pdf, self._widths = pdf, widths
        self._table: Table | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        count = int(avail_height // ROW_HEIGHT)
        if not count:
            self._table = None
            return 0, 0
        rows: list[list[object]] = [[""] * len(self._widths) for _ in range(count)]
        grid = [("GRID", (0, 0), (-1, -1), 0.4, RULE)]
        # Tall enough to write in, where a named row grows with a long name.
        self._table = self._pdf.table(rows, grid, colWidths=self._widths, rowHeights=[ROW_HEIGHT] * count)
        return self._table.wrap(avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # whatever does not fit is simply not printed

    def draw(self) -> None:
        if self._table is not None:
            self._table.drawOn(self.canv, 0, 0)


def sign_in_part(pdf: Pdf, content: SignInContent) -> Part:
    header = ["", "Name", "Initials or signature", "Time in"]
    rows: list[list[object]] = [[pdf.text(text, "cell-bold") for text in header]]
    for number, name in enumerate(content.names, start=1):
        rows.append([str(number), pdf.text(name, "cell"), "", ""])  # a number never wraps
    width = pdf.page_size()[0] - 2 * MARGIN
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
    ]
    name_width, time_width = width * 0.45, 22 * mm
    widths = [NUMBER_WIDTH, name_width, width - NUMBER_WIDTH - name_width - time_width, time_width]
    table = pdf.table(rows, style, colWidths=widths, repeatRows=1)
    title = f"Sign-in · {content.group_name}"
    story = [
        pdf.text(title, "title"),
        pdf.text(long_date(content.day), "subtitle"),
        pdf.text(CONFIDENTIAL, "small"),
        table,
        _BlankRowsToTheBottom(pdf, widths),
    ]
    return Part(f"Sign-in · {content.group_name} · {medium_date(content.day)} · private", story)


def sign_in_pdf(pdf: Pdf, content: SignInContent) -> bytes:
    return pdf.render([sign_in_part(pdf, content)], title="Sign-in sheet")
