"""The meeting record from the window: quitting mid-meeting asks, a second meeting the same evening
offers to reopen the first, an empty meeting can be deleted, last time's notes are shown, and the
excused are listed apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting, open_meeting_of
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.machine import RoundState
from facilitator.storage.database import Database
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
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
