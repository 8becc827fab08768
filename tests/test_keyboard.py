"""The keyboard as a person uses it, under a real X server with a window manager: where the focus
is when a dialog opens, which keys reach the check-in search, and the round's keys while the room
display is open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QPushButton, QWidget
from sqlalchemy import select

from facilitator.rules.attendance import check_in, meeting_roll
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import open_meeting, open_meeting_of
from facilitator.rules.participants import add_participant, list_participants
from facilitator.rules.share_round.machine import RoundState, TurnPhase
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, ShareTurn
from tests.real_display import press, show_and_activate, type_text, wait_until_active
from tests.window_helpers import when_modal_opens
from ui.actions import MainAction
from ui.app import application
from ui.operations.document_dialogs import (
    QtCrisisContactsDialog,
    QtDocumentSettingsDialog,
    QtLetterDialog,
    QtReportDialog,
)
from ui.operations.group_dialog import GroupDialog
from ui.operations.import_dialog import QtImportDialog
from ui.pages.guides.guide_editor import QtGuideEditor
from ui.pages.meeting.close_meeting_dialog import QtCloseMeetingDialog
from ui.pages.roster.person_dialog import PersonDialog
from ui.pages.sharing.room_display import BACKGROUND
from ui.shell.main_window import QtMainWindow

pytestmark = pytest.mark.real_display

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Bell", "Bo", "Cy", "Zoë"):
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


def test_find_and_undo_work_from_the_search_box(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot
) -> None:
    search = meeting_window.check_in.search
    type_text(qtbot, "cy")
    press(qtbot, "Ctrl+F")  # the key its tooltip names: the typing is selected, to type over
    qtbot.waitUntil(lambda: search.selectedText() == "cy")
    press(qtbot, "Return")
    qtbot.waitUntil(lambda: recorded(db, group_id)["Cy"] is PRESENT)
    press(qtbot, "Ctrl+Z")  # undoes the check-in, not the typing
    qtbot.waitUntil(lambda: recorded(db, group_id)["Cy"] is None)


@pytest.mark.parametrize("keys", ["Return", "Ctrl+L", "Ctrl+E"])
def test_a_check_in_key_with_nothing_typed_checks_nobody_in(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot, keys: str
) -> None:
    type_text(qtbot, "bo")
    press(qtbot, "Return")
    qtbot.waitUntil(lambda: recorded(db, group_id)["Bo"] is PRESENT)
    press(qtbot, keys)  # once more, the search now empty and the next person highlighted
    assert recorded(db, group_id) == {"Ann Bell": None, "Bo": PRESENT, "Cy": None, "Zoë": None}
    assert meeting_window.statusBar().currentMessage() == "Type a name first: Enter marks the person it finds here."
    press(qtbot, "Down")  # into the list: there, Enter checks in the one highlighted
    highlighted = meeting_window.check_in.waiting_view.currentIndex().data()
    press(qtbot, "Return")
    qtbot.waitUntil(lambda: recorded(db, group_id)[highlighted] is PRESENT)


# ---- dialogs ------------------------------------------------------------------------------


def typed_into(qtbot, seen: list[tuple[str, bool]], field: str = "") -> Callable[[QWidget], None]:
    """Types "Ann Lee" into a modal dialog as it opens, notes what its line edit named `field` (or
    its only one) holds and whether it is still open, then presses Enter."""

    def act(dialog: QWidget) -> None:
        try:
            wait_until_active(qtbot, dialog)
            type_text(qtbot, "Ann Lee")
            seen.append((dialog.findChild(QLineEdit, field).text(), dialog.isVisible()))
            press(qtbot, "Return")
        finally:
            dialog.close()  # were it left open, the test would hang

    return act


def test_typing_into_new_group_fills_its_name_and_enter_creates_it(window: QtMainWindow, db: Database, qtbot) -> None:
    seen: list[tuple[str, bool]] = []
    when_modal_opens(qtbot, typed_into(qtbot, seen, "groupName"), GroupDialog)
    press(qtbot, "Ctrl+N")
    assert seen == [("Ann Lee", True)]
    with db.begin() as session:
        assert "Ann Lee" in [group.name for group in list_groups(session)]


def test_typing_into_add_person_fills_the_name_and_enter_adds_them(
    window: QtMainWindow, db: Database, group_id: int, qtbot
) -> None:
    window.show_page(window.roster)
    seen: list[tuple[str, bool]] = []
    when_modal_opens(qtbot, typed_into(qtbot, seen, "personName"), PersonDialog)
    qtbot.mouseClick(window.roster.add_button, Qt.MouseButton.LeftButton)
    assert seen == [("Ann Lee", True)]
    with db.begin() as session:
        assert "Ann Lee" in [p.display_name for p in list_participants(session, group_id)]


def test_typing_into_new_person_at_check_in_fills_the_name(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot
) -> None:
    seen: list[tuple[str, bool]] = []
    when_modal_opens(qtbot, typed_into(qtbot, seen), QInputDialog)
    press(qtbot, "Ctrl+Shift+N")
    assert seen == [("Ann Lee", True)]


def every_dialog(window: QtMainWindow, group_id: int, folder: Path) -> dict[str, QDialog]:
    """One of each dialog the program has with a field to type in, as its action opens it."""
    group, meeting = window.current_group(), window.check_in.meeting
    roster = folder / "roster.csv"
    roster.write_bytes(b"Name\nAnn Lee\n")
    assert group is not None and meeting is not None
    people = window.roster.model.rows()
    return {
        "groupName": GroupDialog(lambda fields: group, window),
        "personName": PersonDialog(lambda name, note: None, window),
        "meetingNotes": QtCloseMeetingDialog(meeting, window),
        "pageSize": QtDocumentSettingsDialog(window.operations, window),
        "reportFrom": QtReportDialog(group.name, window),
        "letterPerson": QtLetterDialog(group.name, people, set(), "", window),
        "nameColumn": QtImportDialog(window.operations, group, roster, window),
        "guideText": QtGuideEditor(window.operations, "# A topic\n", parent=window),
        "crisisContacts": QtCrisisContactsDialog(window.operations, window),
    }


@pytest.mark.parametrize(
    "field",
    [
        "groupName",
        "personName",
        "meetingNotes",
        "pageSize",
        "reportFrom",
        "letterPerson",
        "nameColumn",
        "guideText",
        "crisisContacts",
    ],
)
def test_every_dialog_opens_with_the_focus_in_its_first_field(
    meeting_window: QtMainWindow, group_id: int, qtbot, field: str, tmp_path: Path
) -> None:
    dialogs = every_dialog(meeting_window, group_id, tmp_path)
    dialog = dialogs.pop(field)
    for other in dialogs.values():
        other.deleteLater()
    show_and_activate(qtbot, dialog)
    assert QApplication.focusWidget().objectName() == field
    dialog.close()
    dialog.deleteLater()


# ---- the share round and the room display -------------------------------------------------


@pytest.fixture
def sharing_window(db: Database, group_id: int, qtbot) -> Iterator[QtMainWindow]:
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        for person in list_participants(session, group_id)[:3]:
            check_in(session, meeting.id, person.id)
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    show_and_activate(qtbot, main)
    main.actions_by_name[MainAction.SHOW_SHARING].trigger()
    yield main
    main.close()  # and the room display with it


def sharer(window: QtMainWindow) -> str:
    return window.share_round.turn.sharer.text()


def state(window: QtMainWindow) -> RoundState | None:
    return None if window.share_round.round is None else window.share_round.round.state


def test_the_room_display_opens_without_taking_the_keyboard(sharing_window: QtMainWindow, qtbot) -> None:
    panel = sharing_window.share_round
    press(qtbot, "Ctrl+D")
    display = panel.display
    assert display is not None
    qtbot.waitExposed(display)
    press(qtbot, "Space")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    assert sharing_window.isActiveWindow() and not display.isActiveWindow()
    first = sharer(sharing_window)
    press(qtbot, "+")
    qtbot.waitUntil(lambda: panel.round.timing().allotment == panel.setup.chosen()[0] + 60)
    press(qtbot, "N")
    qtbot.waitUntil(lambda: sharer(sharing_window) != first)
    press(qtbot, "B")
    qtbot.waitUntil(lambda: display.blank)
    assert display.headline() == ""
    press(qtbot, "B")
    qtbot.waitUntil(lambda: not display.blank)
    press(qtbot, "P")
    qtbot.waitUntil(lambda: len(panel.round.passed) == 1)


def test_the_rounds_keys_work_on_the_room_display_when_it_is_clicked(sharing_window: QtMainWindow, qtbot) -> None:
    panel = sharing_window.share_round
    press(qtbot, "Ctrl+D")
    display = panel.display
    assert display is not None
    qtbot.waitExposed(display)
    qtbot.mouseClick(display, Qt.MouseButton.LeftButton)
    display.activateWindow()
    wait_until_active(qtbot, display)
    press(qtbot, "Space")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    first = sharer(sharing_window)
    press(qtbot, "N")
    qtbot.waitUntil(lambda: sharer(sharing_window) != first)
    press(qtbot, "B")
    qtbot.waitUntil(lambda: display.blank)


def test_f11_on_the_only_screen_leaves_the_round_in_hand(sharing_window: QtMainWindow, qtbot) -> None:
    panel = sharing_window.share_round
    press(qtbot, "Ctrl+D Space")
    display = panel.display
    assert display is not None
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    qtbot.mouseClick(display, Qt.MouseButton.LeftButton)
    display.activateWindow()
    wait_until_active(qtbot, display)
    press(qtbot, "F11")
    qtbot.waitUntil(display.isFullScreen)
    first = sharer(sharing_window)
    press(qtbot, "N")  # the facilitator's controls are hidden; the round's keys still work
    qtbot.waitUntil(lambda: sharer(sharing_window) != first)
    press(qtbot, "Escape")  # leaves full screen, and does not pause the turn
    qtbot.waitUntil(lambda: not display.isFullScreen())
    assert state(sharing_window) is RoundState.RUNNING
    show_and_activate(qtbot, sharing_window)  # the facilitator's window is there to go back to
    press(qtbot, "Escape")  # there, a remote's Esc pauses the turn
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.PAUSED)


def test_a_presenter_remote_drives_the_round(sharing_window: QtMainWindow, qtbot) -> None:
    panel = sharing_window.share_round
    press(qtbot, "F5")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    first = sharer(sharing_window)
    press(qtbot, "F5")  # start again does not pause
    press(qtbot, "PgDown")
    qtbot.waitUntil(lambda: sharer(sharing_window) != first)
    assert state(sharing_window) is RoundState.RUNNING
    press(qtbot, "Esc")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.PAUSED)
    press(qtbot, "Shift+F5")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    press(qtbot, ".")
    qtbot.waitUntil(panel.display_controls.blank.isChecked)
    press(qtbot, "B")
    qtbot.waitUntil(lambda: not panel.display_controls.blank.isChecked())


def test_page_down_and_up_page_through_a_list_outside_the_round(
    meeting_window: QtMainWindow, db: Database, group_id: int, qtbot
) -> None:
    meeting_window.show_page(meeting_window.share_round)
    press(qtbot, "PgDown PgUp Esc")  # no round yet: nothing starts
    assert meeting_window.share_round.round is None
    meeting_window.show_page(meeting_window.check_in)
    waiting = meeting_window.check_in.waiting_view
    waiting.setFocus()
    waiting.setCurrentIndex(waiting.model().index(0, 0))
    press(qtbot, "PgDown")
    qtbot.waitUntil(lambda: waiting.currentIndex().row() == waiting.model().rowCount() - 1)
    press(qtbot, "PgUp")
    qtbot.waitUntil(lambda: waiting.currentIndex().row() == 0)


def test_a_presenter_remotes_page_up_brings_the_previous_turn_back(
    sharing_window: QtMainWindow, db: Database, group_id: int, qtbot
) -> None:
    panel = sharing_window.share_round
    press(qtbot, "F5")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.RUNNING)
    first = sharer(sharing_window)
    press(qtbot, "PgUp")  # the first turn: nothing to go back to, the turn runs on
    assert state(sharing_window) is RoundState.RUNNING and sharer(sharing_window) == first
    press(qtbot, "PgDown")
    qtbot.waitUntil(lambda: sharer(sharing_window) != first)
    second = sharer(sharing_window)
    press(qtbot, "PgUp")
    qtbot.waitUntil(lambda: sharer(sharing_window) == first)
    assert state(sharing_window) is RoundState.PAUSED  # the facilitator chooses when it goes on
    assert panel.queue_view.list.item(0).text().startswith(second)
    with db.begin() as session:
        meeting = open_meeting_of(session, group_id)
        assert meeting is not None
        rows = session.scalars(select(ShareTurn).where(ShareTurn.meeting_id == meeting.id)).all()
        assert [(turn.position, turn.ended_at) for turn in rows] == [(0, None)]  # the second turn left no row
    press(qtbot, "Shift+F5 PgDown PgDown PgDown")
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.FINISHED)
    last = panel.round_summary.summary.item(2).text()
    press(qtbot, "PgUp")  # after the round, the last turn again
    qtbot.waitUntil(lambda: state(sharing_window) is RoundState.PAUSED)
    assert last.split(". ", 1)[1].startswith(sharer(sharing_window) + " — ")


def test_on_the_facilitators_only_screen_the_display_leaves_the_rounds_controls_in_sight(
    sharing_window: QtMainWindow, qtbot
) -> None:
    panel = sharing_window.share_round
    press(qtbot, "Space Ctrl+D")
    display = panel.display
    assert display is not None
    turn = panel.turn
    name = QRect(turn.sharer.mapToGlobal(QPoint(0, 0)), turn.sharer.sizeHint())  # the name, not the label's width
    places = {"the name": name, "the queue": QRect(panel.queue_view.mapToGlobal(QPoint(0, 0)), panel.queue_view.size())}
    for each in turn.findChildren(QPushButton):
        places[each.text()] = QRect(each.mapToGlobal(QPoint(0, 0)), each.size())

    def covered() -> list[str]:
        return [what for what, place in places.items() if display.frameGeometry().intersects(place)]

    qtbot.waitExposed(display)
    qtbot.waitUntil(lambda: display.screen().availableGeometry().contains(display.frameGeometry()))
    assert covered() == []
    assert display.width() >= 320 and display.height() >= 200


def test_the_room_display_stays_in_sight_after_a_dialog_on_the_facilitators_window(
    sharing_window: QtMainWindow, qtbot
) -> None:
    panel = sharing_window.share_round
    sharing_window.showMaximized()  # as on a laptop: the display's window sits over the facilitator's
    qtbot.waitUntil(sharing_window.isMaximized)
    press(qtbot, "Space Ctrl+D")
    display = panel.display
    assert display is not None
    qtbot.waitExposed(display)
    assert display.frameGeometry().intersects(sharing_window.frameGeometry())

    def in_sight() -> bool:  # the screen as the room sees it, just inside the display's corner
        screen = display.screen()
        corner = display.geometry().topLeft() + QPoint(4, 4) - screen.geometry().topLeft()
        return screen.grabWindow(0).toImage().pixelColor(corner) == BACKGROUND[TurnPhase.CALM]

    qtbot.waitUntil(in_sight)

    def dismiss(dialog: QWidget) -> None:
        wait_until_active(qtbot, dialog)
        press(qtbot, "Esc")

    when_modal_opens(qtbot, dismiss)
    press(qtbot, "E")  # Leaving Early asks who, in a dialog over the facilitator's window
    wait_until_active(qtbot, sharing_window)
    assert state(sharing_window) is RoundState.RUNNING  # Esc closed the question, the turn runs on
    qtbot.waitUntil(in_sight)
