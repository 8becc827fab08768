"""Names sorted as people read them (issue 17, item 11): by the Unicode Collation Algorithm in the
core (rosters, sign-in sheets, reports, the command line) and by Qt's collator in the window, the
same order in both; the collation table is never read for a check-in."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from facilitator import text
from facilitator.documents.attendance_report import report_content, report_pdf
from facilitator.documents.layout import pdf_for
from facilitator.documents.sign_in import sign_in_content, sign_in_pdf
from facilitator.rules.attendance import check_in, meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant, list_participants, names_alike_on_roster
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings
from facilitator.text import NameDisplay, name_order
from ui.actions import MainAction
from ui.app import application
from ui.shell.main_window import QtMainWindow

# In the order the Unicode Collation Algorithm gives (DUCET): Ł is an L with a mark, so Łukasz
# comes after Lucía, not after Zoë; Þ is a letter of its own after Z, not "th"; then the scripts
# in their order, Georgian before Armenian, and the ideographs last.
IN_ORDER = ["Anders", "Émile", "Lucía", "Łukasz", "Ölmez", "Tuva", "Zeynep", "Zoë", "Þóra", "ვახტანგ", "Արամ", "王小明"]
# Typed in this order, so that no order of adding can pass for the order of reading.
TYPED = ["Zoë", "Łukasz", "王小明", "Lucía", "Արամ", "Émile", "Þóra", "Ölmez", "ვახტანგ", "Zeynep", "Tuva", "Anders"]
# What a document's font draws (Georgian, Armenian and the ideographs may have no font on the machine).
PRINTED = [name for name in IN_ORDER if name[0] not in "ვԱ王"]


def test_the_core_order_is_the_collation_algorithm() -> None:
    assert sorted(TYPED, key=name_order) == IN_ORDER
    assert sorted(["de la Cruz", "Dean", "Delacroix", "ann", "Ann"], key=name_order) == [
        "ann",
        "Ann",
        "de la Cruz",
        "Dean",
        "Delacroix",
    ]


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle", name_display=NameDisplay.FULL)
        for name in TYPED:
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
        return group.id


def test_the_roster_is_in_reading_order(db: Database, group_id: int, cli) -> None:
    with db.begin() as session:
        assert [person.display_name for person in list_participants(session, group_id)] == IN_ORDER
    listed = cli("participants", "--group", "Tuesday Circle").out
    assert [name for name in IN_ORDER if name in listed] == IN_ORDER
    assert sorted(IN_ORDER, key=listed.index) == IN_ORDER


def printed_order(data: bytes) -> list[str]:
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return sorted((name for name in PRINTED if name in words), key=words.index)


def test_the_sign_in_sheet_is_in_reading_order(db: Database, group_id: int) -> None:
    with db.begin() as session:
        data = sign_in_pdf(pdf_for(document_settings(session)), sign_in_content(session, group_id, date(2026, 3, 3)))
    assert printed_order(data) == PRINTED


def test_the_attendance_report_is_in_reading_order(db: Database, group_id: int) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id, now=datetime(2026, 3, 3, 19, 0, tzinfo=UTC))
        for person in list_participants(session, group_id):
            check_in(session, meeting.id, person.id, now=datetime(2026, 3, 3, 19, 5, tzinfo=UTC))
        close_meeting(session, meeting.id, now=datetime(2026, 3, 3, 21, 0, tzinfo=UTC))
        content = report_content(session, group_id, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        data = report_pdf(pdf_for(document_settings(session)), content)
    assert [row.display_name for row in content.grid.rows] == IN_ORDER
    assert printed_order(data) == PRINTED


def test_the_collation_table_is_not_read_for_a_check_in(db: Database, group_id: int) -> None:
    text._collator.cache_clear()
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        roll = meeting_roll(session, meeting.id)
        check_in(session, meeting.id, roll[0].participant_id)
        names_alike_on_roster(session, group_id, "Zoe")
    assert text._collator.cache_info().currsize == 0


# ---- the window -------------------------------------------------------------------------------


@pytest.fixture
def window(db: Database, group_id: int, qtbot):
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def column(model) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_window_roster_sorts_as_the_core_does_on_a_click_on_the_name(window) -> None:
    window.actions_by_name[MainAction.SHOW_ROSTER].trigger()
    roster = window.roster
    assert column(roster.filter) == IN_ORDER
    roster.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert column(roster.filter) == IN_ORDER[::-1]
    roster.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert column(roster.filter) == IN_ORDER


def test_the_check_in_lists_are_in_reading_order(window, qtbot) -> None:
    window.show_page(window.check_in)
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    panel = window.check_in
    assert column(panel.waiting) == IN_ORDER
    for name in ("Zoë", "Émile", "王小明", "Łukasz"):
        panel.search.setText(name)
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert column(panel.here) == ["Émile", "Łukasz", "Zoë", "王小明"]
    assert column(panel.waiting) == [name for name in IN_ORDER if name not in ("Zoë", "Émile", "王小明", "Łukasz")]


def test_the_collation_table_is_not_read_at_start_up_nor_for_a_check_in(db: Database, group_id: int, qtbot) -> None:
    text._collator.cache_clear()
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.show_page(main.check_in)
    main.actions_by_name[MainAction.OPEN_MEETING].trigger()
    main.check_in.search.setText("Zoë")
    qtbot.keyClick(main.check_in.search, Qt.Key.Key_Return)
    assert column(main.check_in.here) == ["Zoë"]
    assert text._collator.cache_info().currsize == 0
    main.close()
