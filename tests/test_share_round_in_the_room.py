"""The share round as the room and the facilitator see it: the figures, the display's words and
colours, someone leaving early, and what Undo reaches while the round goes on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QInputDialog

from facilitator.rules.attendance import check_in, meeting_roll
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.machine import TurnPhase
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus
from tests.helpers import FakeClock
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction, SharingAction
from ui.operations.changes import Change
from ui.pages.sharing.room_display import BACKGROUND, NEUTRAL
from ui.shell.main_window import QtMainWindow


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle", share_minutes=3)
        for name in ("Ann Lee", "Bo Chen", "Cy Diaz"):
            add_participant(session, group.id, name)
        return group.id


@pytest.fixture
def meeting_id(db: Database, group_id: int) -> int:
    """Tonight's meeting in the standard format, everyone checked in."""
    with db.begin() as session:
        meeting = open_meeting(session, group_id, format_slug="standard-meeting")
        for entry in meeting_roll(session, meeting.id):
            check_in(session, meeting.id, entry.participant_id)
        return meeting.id


def sharing_window(db: Database, qtbot) -> QtMainWindow:
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    return window


def statuses(db: Database, meeting_id: int) -> dict[str, AttendanceStatus | None]:
    with db.begin() as session:
        return {entry.display_name: entry.status for entry in meeting_roll(session, meeting_id)}


# ---- item 9: the figures ------------------------------------------------------------------------


def test_the_status_bar_counts_the_turns_as_the_record_does(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    assert window.meeting_counts.text() == "Sharing: 0 shared · 3 to go"
    panel.end_turn(passed=False)
    panel.end_turn(passed=False)
    assert window.meeting_counts.text() == "Sharing: 2 shared · 1 to go"  # Cy is sharing, still to go
    panel.end_turn(passed=False)
    assert window.meeting_counts.text() == "Sharing: 3 shared · 0 to go"


def test_the_time_for_all_is_what_the_format_plans_for_sharing(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    setup = window.share_round.setup
    assert setup.round_minutes.value() == 35  # the standard format: "Sharing round (sharing, 35 min)"
    assert setup.fair_share.text() == "6:00 each for 3: at most twice the group's 3:00 share (11:30 each would fit)"


def test_the_fair_share_for_the_last_person_is_capped_and_says_so(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    clock = FakeClock()
    panel.clock = clock
    panel.start_or_pause()
    for _ in range(2):  # Ann and Bo share a minute each: 33 minutes left for Cy alone
        clock.advance(60)
        panel.end_turn(passed=False)
    assert panel.turn.running_fair.text() == (
        "Each share: 3:00 · fair share of the 33:00 left: 6:00 for 1, at most twice the group's 3:00 share"
    )


# ---- item 10: the display after the meeting ------------------------------------------------------


def text_rows(image: QImage) -> list[int]:
    """The rows of the image where the display's white text is."""
    white = QColor("#ffffff").rgb()
    return [y for y in range(image.height()) if any(image.pixel(x, y) == white for x in range(0, image.width(), 2))]


def test_after_the_meeting_closes_the_display_thanks_the_room_in_its_middle(
    db: Database, meeting_id: int, qtbot
) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    panel.show_display()
    display = panel.display
    assert display is not None and display.headline() == "Sharing will begin soon"
    with db.begin() as session:
        close_meeting(session, meeting_id)
    panel.on_changes(Change.MEETING, None)  # as the window passes on a close made elsewhere
    assert display.headline() == "Thank you for coming"
    assert (display.figure(), display.status(), display.footer()) == ("", "", "")
    image = display.grab().toImage()
    rows = text_rows(image)
    assert rows, "the words are drawn"
    middle = (rows[0] + rows[-1]) / 2
    assert abs(middle - image.height() / 2) < image.height() * 0.05  # centred, not in the top third
    assert QColor(image.pixel(5, 5)) == NEUTRAL


# ---- item 14: the facilitator's timer and the display button -------------------------------------


def test_the_facilitators_timer_takes_the_rooms_colours(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    clock = FakeClock()
    panel.clock = clock
    panel.start_or_pause()
    seen = {}
    for phase, seconds in ((TurnPhase.CALM, 0), (TurnPhase.WARNING, 160), (TurnPhase.OVERTIME, 60)):
        clock.advance(seconds)
        panel._tick()
        label = panel.turn.time_label
        assert panel.round is not None and panel.round.timing().phase is phase
        seen[phase] = QColor(label.grab().toImage().pixel(2, 2))
    assert seen == {phase: BACKGROUND[phase] for phase in seen}


def test_the_display_button_says_hide_while_the_display_is_open(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    button = panel.display_controls.display_button
    assert button.text() == "Show Room Display"
    button.click()
    assert panel.display is not None and panel.display.isVisible()
    assert button.text() == "Hide Room Display"
    button.click()
    assert panel.display is None and button.text() == "Show Room Display"


# ---- item 16: leaving early -----------------------------------------------------------------------


def test_someone_leaving_early_is_moved_next_with_one_key(db: Database, meeting_id: int, qtbot) -> None:
    window = sharing_window(db, qtbot)
    panel = window.share_round
    qtbot.keyClick(window, Qt.Key.Key_Space)
    panel.queue_view.list.setCurrentRow(1)  # Cy Diaz
    qtbot.keyClick(window, Qt.Key.Key_E)
    rows = [panel.queue_view.list.item(row).text() for row in range(panel.queue_view.list.count())]
    assert rows == ["Cy Diaz — leaving early", "Bo Chen"]
    again = sharing_window(db, qtbot)  # a restart keeps it
    queue = again.share_round.queue_view.list
    assert [queue.item(row).text() for row in range(queue.count())] == ["Cy Diaz — leaving early", "Bo Chen"]
    assert SharingAction.LEAVING_EARLY.value.shortcut == "E"

    def choose_bo(dialog: QInputDialog) -> None:
        dialog.setTextValue("Bo Chen")
        dialog.accept()

    when_modal_opens(qtbot, choose_bo, QInputDialog)  # nobody highlighted: the key asks who
    again.share_round.leaving_early()
    assert [queue.item(row).text() for row in range(queue.count())] == [
        "Bo Chen — leaving early",
        "Cy Diaz — leaving early",
    ]
    window.close()
    again.close()


# ---- item 5: what Undo reaches ---------------------------------------------------------------------


def test_undo_during_the_round_leaves_the_sharer_checked_in(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot, active=True)
    panel = window.check_in
    window.show_page(panel)
    window.actions_by_name[MainAction.OPEN_MEETING].trigger()
    for name in ("ann", "bo"):
        qtbot.keyClicks(panel.search, name)
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    meeting = panel.meeting
    assert meeting is not None
    window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # Ann shares, Bo waits
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.actions_by_name[MainAction.UNDO].trigger()
    assert statuses(db, meeting.id)["Bo Chen"] is AttendanceStatus.PRESENT
    assert statuses(db, meeting.id)["Ann Lee"] is AttendanceStatus.PRESENT
    assert not window.actions_by_name[MainAction.UNDO].isEnabled()  # nothing to undo on this page

    window.show_page(panel)  # on the meeting page, undo reaches the check-ins, but not Bo's while he waits
    seen: list[str] = []
    when_modal_opens(qtbot, lambda box: (seen.append(box.text()), box.accept()))
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [
        "“Bo Chen” is waiting to share in tonight's round, so they stay marked here. "
        "Take them out of the queue on the Sharing page first."
    ]
    assert statuses(db, meeting.id)["Bo Chen"] is AttendanceStatus.PRESENT
    with qtbot.waitActive(window):  # the message box had the keys
        window.activateWindow()
    qtbot.keyClicks(panel.search, "cy")  # a latecomer not yet in the round: undone as before
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert statuses(db, meeting.id)["Cy Diaz"] is AttendanceStatus.PRESENT
    qtbot.keyClick(panel.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses(db, meeting.id)["Cy Diaz"] is None
    window.close()
