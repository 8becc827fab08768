"""The check-in screen driven as a facilitator would: by keyboard, by mouse, with undo and redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from sqlalchemy import select

from facilitator.rules.attendance import meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting, open_meeting_of
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, Participant
from tests.conftest import HOSTILE_NAME
from tests.window_helpers import when_modal_opens
from ui.actions import MainAction
from ui.app import application
from ui.pages.meeting.close_meeting_dialog import QtCloseMeetingDialog
from ui.shell.main_window import QtMainWindow

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Lee", "Bo", "Cy", "Zoë", HOSTILE_NAME):
            add_participant(session, group.id, name)
        return group.id


@pytest.fixture
def window(db: Database, group_id: int, qtbot):
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.show_page(main.check_in)
    yield main
    main.close()


def recorded(db: Database, group_id: int) -> dict[str, AttendanceStatus | None]:
    with db.begin() as session:
        meeting = open_meeting_of(session, group_id)
        assert meeting is not None
        return {entry.display_name: entry.status for entry in meeting_roll(session, meeting.id)}


def test_open_the_meeting_then_check_in_by_keyboard_alone(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    assert panel.pages.currentWidget() is panel.choices
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert panel.meeting is not None
    assert window.tabs.tabText(1) == "Meeting (open)"
    assert panel.search.hasFocus()

    qtbot.keyClicks(panel.search, "an l")
    assert panel.waiting.rowCount() == 1
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.search.text() == ""
    qtbot.keyClicks(panel.search, "zo")
    qtbot.keyClick(panel.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.search, "cy")
    qtbot.keyClick(panel.search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert recorded(db, group_id) == {
        "<b>Ann</b> & =cmd()": None,
        "Ann Lee": PRESENT,
        "Bo": None,
        "Cy": EXCUSED,
        "Zoë": LATE,
    }
    assert window.meeting_counts.text() == "Present 1 · Late 1 · Sent word 1 · Guests 0 · Not here yet 2"
    assert panel.lists.here_title.text() == "Here tonight (2)"

    # In the list itself: arrows move, Enter checks in, and letters go on narrowing the search.
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.waiting_view.hasFocus()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_Return)
    assert recorded(db, group_id)["Bo"] is PRESENT
    panel.waiting_view.setFocus()
    qtbot.keyClicks(panel.waiting_view, "Lee")
    assert panel.search.text() == "Lee"
    assert list(recorded(db, group_id).values()).count(None) == 1  # typing recorded nothing


def test_check_in_by_mouse_and_correct_a_status(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    qtbot.mouseClick(panel.choices.open_button, Qt.MouseButton.LeftButton)
    first_row = panel.waiting_view.visualRect(panel.waiting.index(1, 0)).center()
    qtbot.mouseClick(panel.waiting_view.viewport(), Qt.MouseButton.LeftButton, pos=first_row)
    qtbot.mouseClick(panel.lists.present_button, Qt.MouseButton.LeftButton)
    assert recorded(db, group_id)["Ann Lee"] is PRESENT

    here_row = panel.here_view.visualRect(panel.here.index(0, 0)).center()
    qtbot.mouseClick(panel.here_view.viewport(), Qt.MouseButton.LeftButton, pos=here_row)
    qtbot.mouseClick(panel.lists.mark_late, Qt.MouseButton.LeftButton)
    assert recorded(db, group_id)["Ann Lee"] is LATE
    qtbot.mouseClick(panel.lists.not_here_button, Qt.MouseButton.LeftButton)
    assert recorded(db, group_id)["Ann Lee"] is None

    qtbot.mouseClick(panel.header.guest_plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.header.guest_plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.header.guest_minus, Qt.MouseButton.LeftButton)
    assert panel.header.guest_label.text() == "Guests: 1"


def test_undo_and_redo_every_kind_of_action(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    undo, redo = window.actions_by_name[MainAction.UNDO], window.actions_by_name[MainAction.REDO]
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert not undo.isEnabled()
    qtbot.keyClicks(panel.search, "bo")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert undo.isEnabled() and undo.text() == "&Undo Present: Bo"
    panel.here_view.setCurrentIndex(panel.here.index(0, 0))
    qtbot.keyClick(panel.here_view, Qt.Key.Key_E)
    panel.change_guests(1)
    assert recorded(db, group_id)["Bo"] is EXCUSED

    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # guest
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # excused → present
    assert panel.meeting.guests == 0
    assert recorded(db, group_id)["Bo"] is PRESENT
    undo.trigger()  # the check-in itself
    assert recorded(db, group_id)["Bo"] is None
    assert not undo.isEnabled()

    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert recorded(db, group_id)["Bo"] is PRESENT
    redo.trigger()
    redo.trigger()
    assert recorded(db, group_id)["Bo"] is EXCUSED and panel.meeting.guests == 1


def test_a_new_person_is_added_checked_in_and_undone_completely(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.keyClicks(panel.search, "Dee")  # nobody matches: Enter offers to add them

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        assert dialog.textValue() == "Dee"
        dialog.setTextValue("Dee K.")
        dialog.accept()

    when_modal_opens(qtbot, answer)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert recorded(db, group_id)["Dee K."] is PRESENT
    window.actions_by_name[MainAction.UNDO].trigger()
    assert "Dee K." not in recorded(db, group_id)
    with db.begin() as session:
        assert session.scalar(select(Participant).where(Participant.display_name == "Dee K.")) is None
    window.actions_by_name[MainAction.REDO].trigger()
    assert recorded(db, group_id)["Dee K."] is PRESENT


def test_names_with_markup_are_shown_literally_in_the_check_in_lists(window, qtbot) -> None:
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    names = [panel.waiting.index(row, 0).data() for row in range(panel.waiting.rowCount())]
    assert HOSTILE_NAME in names
    tooltip = panel.waiting.index(names.index(HOSTILE_NAME), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Ann&lt;/b&gt;" in tooltip


def test_closing_the_meeting_asks_for_notes(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()

    def write_notes(dialog: QtCloseMeetingDialog) -> None:
        qtbot.keyClicks(dialog.notes, "Room change next week")
        dialog.close_button.click()

    when_modal_opens(qtbot, write_notes)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert panel.meeting is None and window.tabs.tabText(1) == "Meeting"
    with db.begin() as session:
        assert open_meeting_of(session, group_id) is None
    assert window.overview.recent_model.rowCount() in (0, 1)
    window.show_page(window.overview)
    assert window.overview.recent_model.rowCount() == 1
    assert not window.actions_by_name[MainAction.UNDO].isEnabled()


def test_a_meeting_left_open_is_offered_for_resume(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        other = create_group(session, "Another Group")
        open_meeting(session, group_id)
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    main.group_list.setCurrentIndex(main.group_model.index(main.group_model.row_of(other.id)))  # type: ignore[arg-type]  # listed
    seen: list[str] = []

    def resume(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal_opens(qtbot, resume)
    main.offer_resume()
    assert "Tuesday Circle" in seen[0] and "still open" in seen[0]
    assert main.current_group().id == group_id
    assert main.current_page() is main.check_in and main.check_in.meeting is not None
    assert main.focusWidget() is main.check_in.search  # where typing goes once the window is active
    main.close()


def test_the_check_in_list_stays_quick_with_500_members(db: Database, qtbot) -> None:
    from facilitator.rules.demo import build_demo

    with db.begin() as session:
        build_demo(session, years=2, members=580)
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    big = max(range(main.group_model.rowCount()), key=lambda row: main.group_model.group(row).member_count)
    main.group_list.setCurrentIndex(main.group_model.index(big))
    main.show_page(main.check_in)
    main.actions_by_name[MainAction.OPEN_MEETING].trigger()
    panel = main.check_in
    assert panel.waiting.rowCount() >= 500
    qtbot.keyClicks(panel.search, "zo")
    assert 0 < panel.waiting.rowCount() < 60
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.here.rowCount() == 1
    main.close()


def test_undo_after_the_meeting_was_closed_elsewhere_is_refused_calmly(
    window, db: Database, group_id: int, qtbot
) -> None:
    from facilitator.rules.meetings import close_meeting

    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.keyClicks(panel.search, "bo")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    with db.begin() as session:  # another window, or the command line
        close_meeting(session, panel.meeting.id)
    seen: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    when_modal_opens(qtbot, read)
    window.actions_by_name[MainAction.UNDO].trigger()
    qtbot.waitUntil(lambda: bool(seen) and not window.undo_stack.count())
    assert "closed" in seen[0]
    assert panel.meeting is None and window.tabs.tabText(1) == "Meeting"
    assert window.actions_by_name[MainAction.OPEN_MEETING].isEnabled()


def test_choosing_the_status_a_person_already_has_changes_nothing(window, qtbot) -> None:
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.keyClicks(panel.search, "bo")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    panel.here_view.setCurrentIndex(panel.here.index(0, 0))
    before = window.undo_stack.count()
    qtbot.keyClick(panel.here_view, Qt.Key.Key_P)
    panel.change_selected(PRESENT)
    assert window.undo_stack.count() == before


def test_redo_after_someone_else_was_added_still_means_the_newcomer(window, db: Database, group_id: int, qtbot) -> None:
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    when_modal_opens(qtbot, lambda dialog: dialog.accept())
    panel.new_person("Zed")
    panel.here_view.setCurrentIndex(panel.here.index(0, 0))
    qtbot.keyClick(panel.here_view, Qt.Key.Key_L)
    undo, redo = window.actions_by_name[MainAction.UNDO], window.actions_by_name[MainAction.REDO]
    undo.trigger()
    undo.trigger()
    with db.begin() as session:
        add_participant(session, group_id, "Yan")
    panel.refresh()
    redo.trigger()
    redo.trigger()
    statuses = recorded(db, group_id)
    assert statuses["Zed"] is LATE and statuses["Yan"] is None


def test_the_date_range_cannot_be_set_back_to_front(db: Database, group_id: int, qtbot) -> None:
    from datetime import date

    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show_page(main.history)
    history = main.history
    history.all_dates.setChecked(False)
    history.date_from.setDate(QDate(2026, 3, 1))
    history.date_to.setDate(QDate(2026, 3, 10))
    history.date_from.setDate(QDate(2026, 4, 1))  # after the last day: the last day follows
    assert history.date_range() == (date(2026, 4, 1), date(2026, 4, 1))
    assert QApplication.activeModalWidget() is None
    main.close()


def test_a_name_typed_without_its_accent_finds_the_person_and_enter_checks_them_in(
    window, db: Database, group_id: int, qtbot
) -> None:
    with db.begin() as session:
        add_participant(session, group_id, "Chloé Martin")
        add_participant(session, group_id, "Lucía")
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.keyClicks(panel.search, "chloe")
    assert [panel.waiting.index(row, 0).data() for row in range(panel.waiting.rowCount())] == ["Chloé Martin"]
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # no "New Person" question: this test would hang on it
    qtbot.keyClicks(panel.search, "LUCIA")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    statuses = recorded(db, group_id)
    assert (statuses["Chloé Martin"], statuses["Lucía"]) == (PRESENT, PRESENT)
    assert len(statuses) == 7  # nobody was added


def answer_did_you_mean(qtbot, button_text: str, asked: list[str]) -> None:
    """On the "Did you mean …?" question when it opens: note its text and press `button_text`."""

    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        (chosen,) = [button for button in box.buttons() if button.text() == button_text]
        chosen.click()

    when_modal_opens(qtbot, answer, QMessageBox)


def test_a_new_name_a_letter_away_from_someone_asks_did_you_mean_first(
    window, db: Database, group_id: int, qtbot
) -> None:
    with db.begin() as session:
        add_participant(session, group_id, "Chloé Martin")
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    asked: list[str] = []

    def add(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog) and dialog.textValue() == "chloe martine"
        answer_did_you_mean(qtbot, "Mark Chloé Martin Here", asked)
        dialog.accept()

    qtbot.keyClicks(panel.search, "chloe martine")  # nobody matches: Enter offers to add them
    when_modal_opens(qtbot, add, QInputDialog)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert asked == [
        "Did you mean Chloé Martin?\n\n“chloe martine” is close to the name of Chloé Martin, who is on the roster "
        "already; if they are the same person, adding someone new would split their attendance in two."
    ]
    statuses = recorded(db, group_id)
    assert statuses["Chloé Martin"] is PRESENT and len(statuses) == 6  # nobody was added

    # Checked in already, she is no longer in the list the search narrows: the question still comes.
    def add_again(dialog: QInputDialog) -> None:
        answer_did_you_mean(qtbot, "Cancel", asked)
        dialog.accept()

    qtbot.keyClicks(panel.search, "chloe")
    when_modal_opens(qtbot, add_again, QInputDialog)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert asked[1].startswith("Did you mean Chloé Martin?\n\n“chloe” is close to the name of Chloé Martin")
    assert len(recorded(db, group_id)) == 6

    # Someone new after all: the other answer adds them.
    window.actions_by_name[MainAction.UNDO].trigger()
    when_modal_opens(
        qtbot, lambda dialog: (answer_did_you_mean(qtbot, "Add “Chloé Marten” Anyway", asked), dialog.accept())
    )
    panel.new_person("Chloé Marten")
    statuses = recorded(db, group_id)
    assert statuses["Chloé Marten"] is PRESENT and statuses["Chloé Martin"] is None
