"""The sign-in sheet on paper: blank rows fill the last page and never spill onto a sheet of their
own, every page names the group and the day, a blank sheet names no one, and initials read well."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pypdfium2
import pytest
from pypdf import PdfReader

from facilitator.documents.layout import FOOTER_GAP, MARGIN, pdf_for
from facilitator.documents.sign_in import ROW_HEIGHT, sign_in_content, sign_in_pdf
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings
from facilitator.text import NameDisplay, shown_name

T0 = datetime(2026, 3, 3, 19, 0).astimezone()
DAY = date(2026, 3, 3)
FRAME_PADDING = 6  # ReportLab's, inside the writing space


def sheet(db: Database, people: int, paper: str, *, blank: bool = False) -> bytes:
    with db.begin() as session:
        settings = replace(document_settings(session), page_size=paper)
        group = create_group(session, f"Tuesday {paper} {people}", name_display=NameDisplay.FULL)
        for number in range(people):
            add_participant(session, group.id, f"Person{number:03d} Member", joined_on=date(2026, 1, 1))
        # `blank` only when asked, so the other tests also run on a sheet that has no such choice
        content = (
            sign_in_content(session, group.id, DAY, blank=True) if blank else sign_in_content(session, group.id, DAY)
        )
        return sign_in_pdf(pdf_for(settings, clock=lambda: T0), content)


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def lowest_grid_line(data: bytes, page: int) -> float:
    """How far above the paper's bottom edge (in points) the page's table ends, as printed."""
    scale = 2
    image = pypdfium2.PdfDocument(data)[page].render(scale=scale).to_pil().convert("L")
    width, height = image.size
    left, right = int(MARGIN * scale), int(width - MARGIN * scale)
    for y in range(int(height - (MARGIN + FOOTER_GAP) * scale), 0, -1):
        dark = sum(1 for x in range(left, right) if image.getpixel((x, y)) < 235)
        if dark > (right - left) * 0.9:  # a rule across the whole table
            return float(height - y) / scale
    raise AssertionError("no table on the page")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("people", [1, 20, 42, 60])
def test_blank_rows_fill_the_last_page_and_never_make_a_page_of_their_own(
    db: Database, paper: str, people: int
) -> None:
    data = sheet(db, people, paper)
    pages = texts(data)
    assert all("Person" in page for page in pages), "a page holds only blank rows"
    assert f"Person{people - 1:03d} Member" in pages[-1]
    # The table runs down to within one row of the bottom of the page's writing space.
    assert lowest_grid_line(data, len(pages) - 1) < MARGIN + FOOTER_GAP + FRAME_PADDING + ROW_HEIGHT


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("people", [1, 42, 60])
def test_every_page_names_the_group_and_the_day(db: Database, paper: str, people: int) -> None:
    pages = texts(sheet(db, people, paper))
    for page in pages:
        assert f"Tuesday {paper} {people}" in page and "3 Mar 2026" in page.replace(",", "")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_blank_sheet_names_no_one_and_fills_one_page(db: Database, paper: str) -> None:
    data = sheet(db, 42, paper, blank=True)
    pages = texts(data)
    assert len(pages) == 1
    assert "Person" not in pages[0] and "Initials or signature" in pages[0]
    assert f"Tuesday {paper} 42" in pages[0]
    assert lowest_grid_line(data, 0) < MARGIN + FOOTER_GAP + FRAME_PADDING + ROW_HEIGHT


def test_the_command_line_prints_a_blank_sheet(cli, db: Database, tmp_path) -> None:  # noqa: ANN001
    with db.begin() as session:
        group = create_group(session, "Thursday")
        add_participant(session, group.id, "Ann Lee", joined_on=date(2026, 1, 1))
    full, blank = tmp_path / "full.pdf", tmp_path / "blank.pdf"
    assert cli("sign-in-sheet", "--group", "Thursday", "--date", "2026-03-03", "-o", str(full)).code == 0
    result = cli("sign-in-sheet", "--group", "Thursday", "--date", "2026-03-03", "--blank", "-o", str(blank))
    assert result.code == 0
    assert "Ann L." in texts(full.read_bytes())[0]
    assert "Ann" not in texts(blank.read_bytes())[0] and "Thursday" in texts(blank.read_bytes())[0]


@pytest.mark.parametrize(
    ("name", "style", "shown"),
    [
        ("@nn", NameDisplay.INITIALS, "N."),
        ("(Jo)", NameDisplay.INITIALS, "J."),
        ("Zoë", NameDisplay.INITIALS, "Z."),
        ("Zoë", NameDisplay.FIRST_NAME_INITIAL, "Zoë"),
        ("Ann (Jo) Lee", NameDisplay.INITIALS, "A. J. L."),
        ("Ann @lee", NameDisplay.FIRST_NAME_INITIAL, "Ann L."),
        ("Ann – Lee", NameDisplay.FIRST_NAME_INITIAL, "Ann L."),
        ("ann lee", NameDisplay.INITIALS, "A. L."),
        ("E\u0301mile Zola", NameDisplay.INITIALS, "E\u0301. Z."),
        ("@@@", NameDisplay.INITIALS, "@@@"),
    ],
)
def test_initials_read_as_a_person_would_say_them(name: str, style: NameDisplay, shown: str) -> None:
    assert shown_name(name, style) == shown


def test_the_window_prints_a_blank_sheet_from_the_meeting_menu(db: Database, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QDialog, QMenu

    from tests.window_helpers import shown_window, when_modal_opens
    from ui.actions import MainAction

    with db.begin() as session:
        group = create_group(session, "Friday", name_display=NameDisplay.FULL)
        add_participant(session, group.id, "Ann Lee", joined_on=date(2026, 1, 1))
        open_meeting(session, group.id)
    window = shown_window(db, qtbot)
    action = window.actions_by_name[MainAction.PRINT_BLANK_SIGN_IN]
    meeting_menu = next(item.menu() for item in window.menuBar().actions() if item.text() == "&Meeting")
    assert isinstance(meeting_menu, QMenu) and action in meeting_menu.actions()
    assert action.isEnabled() and "&" in action.text()
    seen: list[bytes] = []

    def look(dialog: QDialog) -> None:
        seen.append(dialog.data)  # type: ignore[attr-defined]
        dialog.reject()

    when_modal_opens(qtbot, look, QDialog)
    action.trigger()
    assert seen
    page = texts(seen[0])[0]
    assert "Friday" in page and "Ann" not in page and "Initials or signature" in page
    window.close()
