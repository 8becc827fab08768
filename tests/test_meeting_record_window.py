"""The meeting record from the window: quitting mid-meeting asks, a second meeting the same evening
offers to reopen the first, an empty meeting can be deleted, last time's notes are shown, and the
excused are listed apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from facilitator.dates import short_day
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, list_meetings, open_meeting, open_meeting_of, set_guest_count
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.machine import RoundState
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, MeetingState
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.pages.history.meeting_dialog import QtMeetingDialog
from ui.pages.meeting.close_meeting_dialog import QtCloseMeetingDialog
from ui.shell.main_window import QtMainWindow


class WindowManagerClose(QCloseEvent):
    """The close a person asks for with the window's close button: the window manager's, spontaneous."""

    def spontaneous(self) -> bool:
        return True


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Lee", "Bo", "Cy"):
            add_participant(session, group.id, name)
        return group.id


def _answer(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def answer(box: QMessageBox) -> None:
        seen.append(box.text())
        box.button(button).click()

    when_modal_opens(qtbot, answer, QMessageBox)


def _close_as_a_person_would(window: QtMainWindow) -> bool:
    """Whether the window let itself be closed."""
    event = WindowManagerClose()
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_quitting_mid_meeting_asks_and_keep_working_keeps_the_window_open(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        check_in(session, open_meeting(session, group_id).id, 1)
    window = shown_window(db, qtbot)
    seen: list[str] = []
    _answer(qtbot, QMessageBox.StandardButton.Cancel, seen)
    assert not _close_as_a_person_would(window)
    assert window.isVisible()
    assert seen == [
        "The meeting of Tuesday Circle is still open. Quit anyway?\n\n"
        "Everything recorded is kept; the meeting is offered to resume when Facilitator starts again."
    ]
    _answer(qtbot, QMessageBox.StandardButton.Cancel, seen)
    window.actions_by_name[MainAction.QUIT].trigger()
    assert window.isVisible() and len(seen) == 2
    _answer(qtbot, QMessageBox.StandardButton.Yes, seen)
    window.actions_by_name[MainAction.QUIT].trigger()
    assert not window.isVisible()
    with db.begin() as session:  # quitting anyway leaves the meeting to resume
        assert open_meeting_of(session, group_id) is not None


def test_quitting_mid_round_says_the_round_is_kept(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        for person in (1, 2):
            check_in(session, meeting.id, person)
    window = shown_window(db, qtbot)
    window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    window.share_round.start_or_pause()
    assert window.share_round.round is not None and window.share_round.round.state is RoundState.RUNNING
    seen: list[str] = []
    _answer(qtbot, QMessageBox.StandardButton.Cancel, seen)
    assert not _close_as_a_person_would(window)
    assert seen == [
        "The sharing round of Tuesday Circle is under way. Quit anyway?\n\n"
        "Everything recorded is kept; the round resumes where it stopped when Facilitator starts again."
    ]
    assert window.share_round.round.state is RoundState.RUNNING


def test_quitting_with_no_meeting_open_asks_nothing(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id, now=datetime.now(UTC) - timedelta(days=7))
        close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
    window = shown_window(db, qtbot)
    assert _close_as_a_person_would(window)


def _meeting_page(db: Database, qtbot) -> QtMainWindow:
    window = shown_window(db, qtbot)
    window.show_page(window.check_in)
    return window


def _met_earlier_tonight(db: Database, group_id: int) -> int:
    """Tonight's meeting, Ann checked in, closed: its id."""
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        check_in(session, meeting.id, 1)
        close_meeting(session, meeting.id)
    return meeting.id


def _meetings(db: Database, group_id: int) -> list[tuple[int, MeetingState]]:
    with db.begin() as session:
        return [(m.id, m.state) for m in list_meetings(session, group_id)]


def test_opening_again_the_same_evening_offers_to_reopen_the_meeting(db: Database, group_id: int, qtbot) -> None:
    earlier = _met_earlier_tonight(db, group_id)
    window = _meeting_page(db, qtbot)
    panel = window.check_in
    seen: list[str] = []
    _answer(qtbot, QMessageBox.StandardButton.Cancel, seen)
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert seen[0].startswith("Tuesday Circle already met today: the meeting opened at ")
    assert seen[0].endswith("with 1 person marked here.\n\nReopen it to go on with it, or open a second meeting today?")
    assert panel.meeting is None and _meetings(db, group_id) == [(earlier, MeetingState.CLOSED)]
    _answer(qtbot, QMessageBox.StandardButton.Yes, seen)  # Reopen It
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert panel.meeting is not None and panel.meeting.id == earlier
    assert _meetings(db, group_id) == [(earlier, MeetingState.OPEN)]
    assert panel.here.rowCount() == 1  # Ann, checked in before it was closed


def test_a_second_meeting_the_same_evening_is_opened_only_when_asked_for(db: Database, group_id: int, qtbot) -> None:
    earlier = _met_earlier_tonight(db, group_id)
    window = _meeting_page(db, qtbot)
    asked: list[str] = []
    _answer(qtbot, QMessageBox.StandardButton.No, asked)  # Open a Second Meeting
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert len(asked) == 1 and asked[0].startswith("Tuesday Circle already met today")
    second = window.check_in.meeting
    assert second is not None and second.id != earlier
    assert _meetings(db, group_id) == [(earlier, MeetingState.CLOSED), (second.id, MeetingState.OPEN)]


def test_closing_a_meeting_nobody_came_to_offers_to_delete_it(db: Database, group_id: int, qtbot) -> None:
    window = _meeting_page(db, qtbot)
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert panel.meeting is not None
    said: list[str] = []

    def delete_instead(dialog: QtCloseMeetingDialog) -> None:
        said.append(dialog.nobody.text() if dialog.nobody.isVisibleTo(dialog) else "")
        _answer(qtbot, QMessageBox.StandardButton.Yes, said)  # Delete Meeting, confirmed
        dialog.delete_button.click()

    when_modal_opens(qtbot, delete_instead, QtCloseMeetingDialog)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert said[0] == (
        "Nobody was marked at this meeting and no guest was counted. If it was opened by "
        "mistake, delete it instead: closed, it would count as a meeting everyone missed."
    )
    assert said[1].startswith("Delete the meeting of Tuesday Circle opened on ")
    assert _meetings(db, group_id) == []
    assert panel.meeting is None and panel.pages.currentWidget() is panel.choices


def test_closing_a_meeting_someone_came_to_offers_no_delete(db: Database, group_id: int, qtbot) -> None:
    window = _meeting_page(db, qtbot)
    panel = window.check_in
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    panel.check_in_selected(AttendanceStatus.PRESENT)  # the first not here yet, checked in here
    offered: list[bool] = []

    def look(dialog: QtCloseMeetingDialog) -> None:
        offered.append(dialog.delete_button.isVisibleTo(dialog) or dialog.nobody.isVisibleTo(dialog))
        dialog.close_button.click()

    when_modal_opens(qtbot, look, QtCloseMeetingDialog)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert offered == [False]
    assert [state for _id, state in _meetings(db, group_id)] == [MeetingState.CLOSED]


def test_an_empty_meeting_in_the_history_can_be_deleted_and_one_with_a_check_in_cannot(
    db: Database, group_id: int, qtbot
) -> None:
    with db.begin() as session:
        kept = open_meeting(session, group_id, now=datetime.now(UTC) - timedelta(days=7))
        check_in(session, kept.id, 1, now=kept.started_at)
        close_meeting(session, kept.id, now=kept.started_at + timedelta(hours=1))
        empty = open_meeting(session, group_id)
        close_meeting(session, empty.id)
    window = shown_window(db, qtbot)
    full_dialog = QtMeetingDialog(window.operations, kept.id, window)
    assert not full_dialog.delete_button.isEnabled()
    empty_dialog = QtMeetingDialog(window.operations, empty.id, window)
    assert empty_dialog.delete_button.isEnabled()
    _answer(qtbot, QMessageBox.StandardButton.Yes, [])
    empty_dialog.delete_button.click()
    assert _meetings(db, group_id) == [(kept.id, MeetingState.CLOSED)]


def test_last_times_notes_are_shown_while_the_next_meeting_is_open(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        last_week = open_meeting(session, group_id, now=datetime.now(UTC) - timedelta(days=7))
        close_meeting(session, last_week.id, notes="Room 4 from now on\nBring the leaflets")
    window = _meeting_page(db, qtbot)
    header = window.check_in.header
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    assert header.last_time.isVisibleTo(window)
    day = last_week.held(last_week.started_at)
    said = f"Notes from last time ({short_day(day.date())}):\nRoom 4 from now on\nBring the leaflets"
    assert header.last_time.text() == said
    when_modal_opens(qtbot, lambda dialog: dialog.close_button.click(), QtCloseMeetingDialog)
    window.check_in.check_in_selected(AttendanceStatus.PRESENT)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert not header.isVisibleTo(window)  # gone with the meeting it was for


def test_the_excused_are_listed_apart_without_a_time(db: Database, group_id: int, qtbot) -> None:
    window = _meeting_page(db, qtbot)
    panel = window.check_in
    lists = panel.lists
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.keyClicks(panel.search, "ann")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.search, "cy")
    panel.check_in_selected(AttendanceStatus.EXCUSED)

    def names(model: QAbstractItemModel) -> list[str]:
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    assert (names(panel.here), names(lists.excused), names(panel.waiting)) == (["Ann Lee"], ["Cy"], ["Bo"])
    assert lists.here_title.text() == "Here tonight (1)"
    assert lists.excused_title.text() == "Sent word (1)" and lists.excused_view.isVisibleTo(window)
    assert lists.excused_view.isColumnHidden(1) and lists.excused_view.isColumnHidden(2)
    assert panel.here.index(0, 2).data() != "" and lists.excused.index(0, 2).data() == ""  # no arrival time
    lists.excused_view.setFocus()
    lists.excused_view.setCurrentIndex(lists.excused.index(0, 0))
    qtbot.keyClick(lists.excused_view, Qt.Key.Key_L)  # they came after all, late
    assert names(panel.here) == ["Ann Lee", "Cy"] and not lists.excused_view.isVisibleTo(window)


def test_counts_read_right_in_the_singular(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        check_in(session, meeting.id, 1)
        set_guest_count(session, meeting.id, 1)
    window = _meeting_page(db, qtbot)
    summary: list[str] = []

    def look(dialog: QtCloseMeetingDialog) -> None:
        summary.extend(label.text() for label in dialog.findChildren(QLabel) if "present" in label.text())
        dialog.reject()

    when_modal_opens(qtbot, look, QtCloseMeetingDialog)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert summary and summary[0].endswith("1 present · 0 late · 0 sent word · 1 guest")
    tooltip = window.group_model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "3 members · 1 meeting<" in tooltip


def test_every_note_field_reminds_the_facilitator_never_to_write_what_anyone_shared(
    db: Database, group_id: int, qtbot
) -> None:
    from ui.pages.roster.person_dialog import PersonDialog

    with db.begin() as session:
        past = open_meeting(session, group_id, now=datetime.now(UTC) - timedelta(days=7))
        close_meeting(session, past.id, now=past.started_at + timedelta(hours=1))
    window = _meeting_page(db, qtbot)
    seen: list[str] = []

    def look(dialog: QtCloseMeetingDialog) -> None:
        seen.append(dialog.notes.placeholderText())
        dialog.close_button.click()

    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    window.check_in.check_in_selected(AttendanceStatus.PRESENT)
    when_modal_opens(qtbot, look, QtCloseMeetingDialog)
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    seen.append(QtMeetingDialog(window.operations, past.id, window).notes.placeholderText())
    seen.append(PersonDialog(lambda name, note: None, window).note_edit.placeholderText())

    assert len(seen) == 3 and all(text.endswith("Never what anyone shared.") for text in seen), seen
