"""The attendance report as a reader sees it: its orientation, marks, percentages, legend and year
on every page, names in one size, and who printed it when."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import insert
from sqlalchemy.orm import Session

from facilitator.dates import medium_date
from facilitator.documents.attendance_report import report_content, report_pdf
from facilitator.documents.layout import Pdf, pdf_for
from facilitator.documents.settings import change_document_settings
from facilitator.rules.groups import create_group
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import Attendance, AttendanceStatus, Meeting, MeetingState
from facilitator.storage.preferences import document_settings
from facilitator.text import NameDisplay

NOW = datetime(2026, 12, 1, 21, 0).astimezone()
FIRST = datetime(2026, 1, 6, 19, 0, tzinfo=UTC)


@pytest.fixture
def pdf(db: Database) -> Pdf:
    with db.begin() as session:
        return pdf_for(document_settings(session), clock=lambda: NOW)


def group_with(session: Session, names: list[str], weeks: int, status=lambda week, person: AttendanceStatus.PRESENT):
    """A group whose people all joined before `weeks` weekly meetings from FIRST; `status` gives
    each person's mark per week (None: absent)."""
    group = create_group(session, "Report", name_display=NameDisplay.FULL)
    people = [add_participant(session, group.id, name, joined_on=date(2025, 12, 1)).id for name in names]
    rows = [
        {"group_id": group.id, "state": MeetingState.CLOSED, "started_at": FIRST + timedelta(weeks=w)}
        for w in range(weeks)
    ]
    ids = session.scalars(insert(Meeting).returning(Meeting.id), rows).all()
    marks = [
        {"meeting_id": meeting, "participant_id": person, "status": status(week, index)}
        for week, meeting in enumerate(ids)
        for index, person in enumerate(people)
        if status(week, index) is not None
    ]
    if marks:
        session.execute(insert(Attendance), marks)
    return report_content(session, group.id, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))


def texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("size", ["A4", "Letter"])
@pytest.mark.parametrize(("weeks", "portrait"), [(13, True), (14, False)])
def test_a_quarter_prints_portrait_and_more_meetings_landscape(
    db: Database, size: str, weeks: int, portrait: bool
) -> None:
    with db.begin() as session:
        change_document_settings(session, {"paper": size})
        pdf = pdf_for(document_settings(session), clock=lambda: NOW)
        content = group_with(session, ["Ann Lee", "Bo Chen"], weeks)
    reader = PdfReader(io.BytesIO(report_pdf(pdf, content)))
    box = reader.pages[0].mediabox
    assert (box.width < box.height) is portrait
    if portrait:  # the whole quarter on one page
        assert len(reader.pages) == 1 and "Meetings 1–" not in texts(report_pdf(pdf, content))[0]


def test_each_person_has_a_percentage_of_the_meetings_they_were_on_the_roster_for(db: Database, pdf: Pdf) -> None:
    def status(week: int, person: int) -> AttendanceStatus | None:
        if person == 0:
            return AttendanceStatus.LATE if week == 0 else AttendanceStatus.PRESENT  # late counts as came
        return [AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, None][week]  # sent word counts as missed

    with db.begin() as session:
        content = group_with(session, ["Ann Lee", "Bo Chen"], 3, status)
    rows = {
        line.split()[0]: line.split()[-1]
        for line in PdfReader(io.BytesIO(report_pdf(pdf, content)))
        .pages[0]
        .extract_text(extraction_mode="layout")
        .splitlines()
        if line.split()[:1] in (["Ann"], ["Bo"])
    }
    assert rows == {"Ann": "100%", "Bo": "33%"}
    page = PdfReader(io.BytesIO(report_pdf(pdf, content))).pages[0].extract_text(extraction_mode="layout")
    [bo] = [line.split() for line in page.splitlines() if line.split()[:1] == ["Bo"]]
    assert bo[2:5] == ["•", "W", "×"]  # the week Bo sent word: W, as the legend says
    legend = texts(report_pdf(pdf, content))[0]
    assert "• present · L late · W sent word · × absent" in legend
    assert "late counts as attended" in legend and "sent word counts as missed" in legend


def test_one_meeting_reads_in_the_singular(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        content = group_with(session, ["Ann Lee"], 1)
    text = texts(report_pdf(pdf, content))[0]
    assert "1 meeting ·" in text and "1 meetings" not in text and "1 person ·" in text


def test_the_legend_and_the_year_are_on_every_page(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        content = group_with(
            session,
            [f"Member {n:02d}" for n in range(60)],
            40,
            lambda week, person: (week + person) % 4 and AttendanceStatus.PRESENT or None,
        )
    text = texts(report_pdf(pdf, content))
    assert len(text) >= 4
    for page in text:
        assert "× absent" in page and "sent word counts as missed" in page
        assert "Meetings in 2026:" in page


def test_names_print_in_one_size_long_ones_wrap(db: Database, pdf: Pdf) -> None:
    long_name = "Maximiliana Alexandra Konstantinopoulou-Featherstonehaugh"
    with db.begin() as session:
        content = group_with(session, ["Al Wu", long_name], 3)
    sizes: dict[str, set[float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        for word in ("Al", "Wu", "Maximiliana"):
            if word in text.split() or (len(word) > 2 and word in text):
                sizes.setdefault(word, set()).add(round(size * tm[3] * cm[3], 2))

    PdfReader(io.BytesIO(report_pdf(pdf, content))).pages[0].extract_text(visitor_text=visit)
    assert set(sizes) == {"Al", "Wu", "Maximiliana"}, sizes
    assert len(set().union(*sizes.values())) == 1, sizes


def test_the_report_says_when_it_was_printed_and_by_whom(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        content = group_with(session, ["Ann Lee"], 2)
    assert f"Printed on {medium_date(NOW.date())}" in texts(report_pdf(pdf, content))[0]
    assert "prepared by" not in texts(report_pdf(pdf, content))[0]
    with db.begin() as session:
        change_document_settings(session, {"signed-by": "Sam Rivera"})
        content = report_content(session, content.grid.meetings[0].group_id)
    assert f"Printed on {medium_date(NOW.date())} · prepared by Sam Rivera" in texts(report_pdf(pdf, content))[0]
