"""CSV exports of rosters and attendance, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.rules.attendance_grid import attendance_grid
from facilitator.rules.participants import list_participants
from facilitator.storage.locations import write_private_file
from facilitator.storage.models import AttendanceStatus

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """Text that a spreadsheet would run as a formula is shown as text instead, behind a `'`.
    Text that already looks so protected gets one more, so that `unneutralise` can tell them apart."""
    if isinstance(cell, str) and cell.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """A cell as it was before `neutralise`: our own export read back gives the names and notes
    as they were typed (`unneutralise(neutralise(text)) == text` for any text)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


@dataclass(frozen=True)
class CsvExport:
    data: bytes
    rows: int  # not counting the header


def csv_export(header: Sequence[str], rows: Sequence[Sequence[object]]) -> CsvExport:
    """UTF-8 with a byte-order mark, so that spreadsheets on Windows read accents correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return CsvExport(buffer.getvalue().encode("utf-8-sig"), len(rows))


def roster_csv(session: Session, group_id: int) -> CsvExport:
    rows = [
        (
            p.display_name,
            p.note or "",
            p.joined_on.isoformat(),
            p.meetings_attended,
            p.last_seen_at.date().isoformat() if p.last_seen_at else "",
        )
        for p in list_participants(session, group_id)
    ]
    return csv_export(("Name", "Note", "Joined", "Meetings attended", "Last seen"), rows)


def attendance_csv(
    session: Session, group_id: int, *, date_from: date | None = None, date_to: date | None = None
) -> CsvExport:
    """One row per meeting and member: present, late, sent word, or absent if they were on the roster."""
    grid = attendance_grid(session, group_id, date_from=date_from, date_to=date_to)
    rows = []
    for column, meeting in enumerate(grid.meetings):
        day = meeting.local_date.isoformat()
        begins = meeting.held(meeting.started_at).strftime("%H:%M")
        for person in grid.rows:
            mark, checked_in_at = person.marks[column], person.checked_in[column]
            if mark is None:
                continue
            rows.append(
                (
                    day,
                    begins,
                    meeting.id,
                    meeting.guide_title or "",
                    person.display_name,
                    mark.word if isinstance(mark, AttendanceStatus) else str(mark),
                    meeting.held(checked_in_at).strftime("%H:%M") if checked_in_at else "",
                )
            )
    return csv_export(("Date", "Start", "Meeting", "Topic", "Participant", "Status", "Marked at"), rows)


def write_export(path: Path, data: bytes) -> Path:
    """Write an export where the user asked, whole or not at all, readable by the user alone."""
    write_private_file(path, data)
    return path
