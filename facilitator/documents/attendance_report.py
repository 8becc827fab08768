"""The attendance report: one group over a date range, people down the side and meetings across,
each marked present, late, sent word or absent, with totals for every meeting and every person.

A long range is split into column blocks, each starting on a new page and each repeating the
names and the totals, so that every page can be read on its own; a long roster repeats the
column headings, the legend and the year on every page. A quarter (13 weekly meetings) prints
portrait; more meetings print landscape.

Present is a quiet grey dot and absent a bold cross on a shaded cell, so that absences stand out
in black-and-white print instead of hiding in a wall of letters. Names print in one size: a long
name wraps, whole, rather than shrinking.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table
from sqlalchemy.orm import Session

from facilitator.dates import MONTHS, medium_date
from facilitator.documents.layout import INK, MARGIN, QUIET, RULE, SHADE, Part, Pdf
from facilitator.plurals import counted
from facilitator.rules.attendance_grid import ABSENT, AttendanceGrid, attendance_grid
from facilitator.rules.groups import get_group
from facilitator.storage.models import AttendanceStatus
from facilitator.storage.preferences import document_settings
from facilitator.text import shown_name

MARKS: dict[AttendanceStatus | str | None, str] = {
    AttendanceStatus.PRESENT: "•",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.EXCUSED: "W",  # sent word
    ABSENT: "×",
}
LEGEND = (
    " · ".join(f"{MARKS[status]} {status.word}" for status in AttendanceStatus)
    + " · × absent (shaded) · blank: not on the roster then. "
    "%: meetings attended of those they were on the roster for; "
    f"late counts as attended, {AttendanceStatus.EXCUSED.word} counts as missed."
)
NAME_WIDTH = 40 * mm
TOTAL_WIDTH = 20 * mm
PERCENT_WIDTH = 11 * mm
COLUMN_WIDTH = 8 * mm
PORTRAIT_COLUMNS = 13  # a quarter of weekly meetings; more than this and the report turns landscape
CELL_PADDING = 6  # ReportLab's default left and right padding of a table cell
ZEBRA = colors.HexColor("#f4f4f4")
ABSENT_SHADE = colors.HexColor("#c8c8c8")  # darker than the zebra stripe, so it shows on either


@dataclass(frozen=True)
class ReportContent:
    group_name: str
    date_from: date | None
    date_to: date | None
    grid: AttendanceGrid
    prepared_by: str = ""  # the signer of documents, when one is set


def report_content(
    session: Session, group_id: int, *, date_from: date | None = None, date_to: date | None = None
) -> ReportContent:
    """The group's attendance between two days (both included); names as the group shows them."""
    group = get_group(session, group_id)
    grid = attendance_grid(session, group.id, date_from=date_from, date_to=date_to)
    rows = [replace(row, display_name=shown_name(row.display_name, group.name_display)) for row in grid.rows]
    prepared_by = document_settings(session).facilitator_name.strip()
    return ReportContent(group.name, date_from, date_to, AttendanceGrid(grid.meetings, rows), prepared_by)


def report_part(pdf: Pdf, content: ReportContent) -> Part:
    grid = content.grid
    meetings = grid.meetings
    wide = len(meetings) > PORTRAIT_COLUMNS
    page_width = pdf.page_size(wide)[0] - 2 * MARGIN
    per_block = max(1, int((page_width - NAME_WIDTH - TOTAL_WIDTH - PERCENT_WIDTH) // COLUMN_WIDTH))
    blocks = [range(start, min(start + per_block, len(meetings))) for start in range(0, len(meetings), per_block)]
    span = _span(content)
    intro: list[Flowable] = [
        pdf.text(f"Attendance · {content.group_name}", "title"),
        pdf.text(span, "subtitle"),
        pdf.text(_printed(pdf, content), "small"),
    ]
    if not meetings:
        intro.append(pdf.text("No meetings were held in this range."))
        return Part(f"Attendance · {content.group_name} · {span}", intro)
    came = sum(grid.came(column) for column in range(len(meetings)))
    guests = sum(meeting.guests for meeting in meetings)
    intro.append(
        pdf.text(
            f"{counted(len(meetings), 'meeting')} · {counted(len(grid.rows), 'person')} · {counted(came, 'arrival')} "
            f"and {counted(guests, 'guest')} · "
            f"on average {(came + guests) / len(meetings):.1f} in the room",
        )
    )
    story: list[Flowable] = list(intro)
    for number, block in enumerate(blocks):
        if number:
            story.append(PageBreak())
            story.append(pdf.text(f"Attendance · {content.group_name} (continued)", "heading"))
        if len(blocks) > 1:
            first, last = meetings[block.start].local_date, meetings[block.stop - 1].local_date
            which = f"Meetings {block.start + 1}–{block.stop} of {len(meetings)}"
            story.append(pdf.text(f"{which}: {medium_date(first)} to {medium_date(last)}", "small"))
        story.append(_block_table(pdf, content, block))
    return Part(f"Attendance · {content.group_name} · {span} · private", story, wide=wide)


def report_pdf(pdf: Pdf, content: ReportContent) -> bytes:
    return pdf.render([report_part(pdf, content)], title="Attendance report")


def _block_table(pdf: Pdf, content: ReportContent, block: range) -> Table:
    grid = content.grid
    meetings = [grid.meetings[column] for column in block]
    years = sorted({meetings[0].local_date.year, meetings[-1].local_date.year})
    # The legend and the year are the table's first row, so that they repeat on every page with the headings.
    legend = pdf.text(f"Meetings in {'–'.join(str(year) for year in years)}: {LEGEND}", "small")
    # Plain strings where they fit (a table draws them as they are, with no markup to escape):
    # a ten-year report has tens of thousands of cells, and paragraphs cost far more to lay out.
    header: list[str | Paragraph] = ["Name"]
    header += [f"{meeting.local_date.day}\n{MONTHS[meeting.local_date.month - 1][:3]}" for meeting in meetings]
    header += ["Came\n(all dates)", "%"]
    # The meeting totals sit under the dates, so that they repeat with them on every page.
    rows: list[list[str | Paragraph]] = [
        [legend],
        header,
        ["Came", *[str(grid.came(column)) for column in block], "", ""],
        ["Guests", *[str(meeting.guests) for meeting in meetings], "", ""],
        ["In the room", *[str(grid.came(c) + grid.meetings[c].guests) for c in block], "", ""],
    ]
    heading_rows = len(rows)
    absences: list[list[tuple[object, ...]]] = []
    for person in grid.rows:
        row = len(rows)
        marks = [MARKS.get(person.marks[column], "") if person.marks[column] is not None else "" for column in block]
        name = pdf.cell(person.display_name, NAME_WIDTH - 2 * CELL_PADDING)
        totals = [f"{person.attended} of {person.expected}", _percent(person.attended, person.expected)]
        rows.append([name, *marks, *totals])
        absences += [_absent_cell(pdf, column, row) for column, mark in enumerate(marks, 1) if mark == MARKS[ABSENT]]
    style = [*_grid_style(pdf, heading_rows), *(command for cell in absences for command in cell)]
    return pdf.table(
        rows,
        style,
        colWidths=[NAME_WIDTH, *[COLUMN_WIDTH] * len(meetings), TOTAL_WIDTH, PERCENT_WIDTH],
        repeatRows=heading_rows,
        hAlign="LEFT",
    )


def _absent_cell(pdf: Pdf, column: int, row: int) -> list[tuple[object, ...]]:
    """An absence stands out from the quiet marks around it: bold, dark, on a shaded cell."""
    return [
        ("BACKGROUND", (column, row), (column, row), ABSENT_SHADE),
        ("FONT", (column, row), (column, row), pdf.bold, 9),
        ("TEXTCOLOR", (column, row), (column, row), INK),
    ]


def _grid_style(pdf: Pdf, heading_rows: int) -> list[tuple[object, ...]]:
    """The table's look: the legend across the top, shaded headings, zebra rows of people."""
    return [
        ("SPAN", (0, 0), (-1, 0)),
        ("FONT", (0, 1), (-1, heading_rows - 1), pdf.bold, 8),
        ("FONT", (1, 1), (-1, 1), pdf.font, 7.5),
        ("FONT", (0, heading_rows), (0, -1), pdf.font, pdf.styles["cell"].fontSize),  # as a wrapped name's paragraph
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 1), (-1, heading_rows - 1), SHADE),
        ("ROWBACKGROUNDS", (0, heading_rows), (-1, -1), [colors.white, ZEBRA]),
        ("TEXTCOLOR", (1, heading_rows), (-3, -1), QUIET),
        ("LINEBELOW", (0, heading_rows - 1), (-1, heading_rows - 1), 1.2, RULE),
        ("GRID", (0, 1), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("LEFTPADDING", (1, 1), (-1, -1), 1),
        ("RIGHTPADDING", (1, 1), (-1, -1), 1),
        ("TOPPADDING", (0, 1), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
    ]


def _percent(attended: int, expected: int) -> str:
    """Attended of the meetings on the roster, in whole percent ("" when there were none)."""
    return f"{round(100 * attended / expected)}%" if expected else ""


def _printed(pdf: Pdf, content: ReportContent) -> str:
    """When the report was printed and, when a signer is set, who prepared it."""
    printed = f"Printed on {medium_date(pdf.clock().date())}"
    return f"{printed} · prepared by {content.prepared_by}" if content.prepared_by else printed


def _span(content: ReportContent) -> str:
    if content.date_from and content.date_to:
        return f"{medium_date(content.date_from)} to {medium_date(content.date_to)}"
    if content.date_from:
        return f"from {medium_date(content.date_from)}"
    if content.date_to:
        return f"up to {medium_date(content.date_to)}"
    return "all dates"
