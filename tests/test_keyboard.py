"""The keyboard as a person uses it, under a real X server with a window manager: where the focus
is when a dialog opens, which keys reach the check-in search, and the round's keys while the room
display is open."""

from __future__ import annotations

import pytest

from facilitator.rules.attendance import meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting_of
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus
from tests.real_display import press, show_and_activate, type_text
from ui.actions import MainAction
from ui.app import application
from ui.shell.main_window import QtMainWindow

pytestmark = pytest.mark.real_display

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Lee", "Bo", "Cy", "Zoë"):
            add_participant(session, group.id, name)
        return group.id


@pytest.fixture
def window(db: Database, group_id: int, qtbot):
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    show_and_activate(qtbot, main)
    yield main
    main.close()


@pytest.fixture
def meeting_window(window: QtMainWindow, qtbot) -> QtMainWindow:
    window.show_page(window.check_in)
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.waitUntil(window.check_in.search.hasFocus)
    return window


def recorded(db: Database, group_id: int) -> dict[str, AttendanceStatus | None]:
    with db.begin() as session:
        meeting = open_meeting_of(session, group_id)
        assert meeting is not None
        return {entry.display_name: entry.status for entry in meeting_roll(session, meeting.id)}


# ---- the check-in search ------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "status"), [("Return", PRESENT), ("Ctrl+L", LATE), ("Ctrl+E", EXCUSED)])
def test_every_key_the_search_names_works_from_the_search_box(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot, keys: str, status: AttendanceStatus
) -> None:
    search = meeting_window.check_in.search
    assert keys.replace("Return", "Enter") in search.placeholderText()
    type_text(qtbot, "cy")
    press(qtbot, keys)
    qtbot.waitUntil(lambda: recorded(db, group_id)["Cy"] is status)
    assert search.text() == "" and search.hasFocus()


@pytest.mark.parametrize("keys", ["Return", "Ctrl+L", "Ctrl+E"])
def test_a_check_in_key_with_nothing_typed_checks_nobody_in(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot, keys: str
) -> None:
    type_text(qtbot, "bo")
    press(qtbot, "Return")
    qtbot.waitUntil(lambda: recorded(db, group_id)["Bo"] is PRESENT)
    press(qtbot, keys)  # once more, the search now empty and the next person highlighted
    assert recorded(db, group_id) == {"Ann Lee": None, "Bo": PRESENT, "Cy": None, "Zoë": None}
    assert meeting_window.statusBar().currentMessage() == "Type a name first: Enter checks in the person it finds."
    press(qtbot, "Down")  # into the list: there, Enter checks in the one highlighted
    highlighted = meeting_window.check_in.waiting_view.currentIndex().data()
    press(qtbot, "Return")
    qtbot.waitUntil(lambda: recorded(db, group_id)[highlighted] is PRESENT)
