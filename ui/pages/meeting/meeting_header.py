"""The open meeting's header: when it opened and its topic, the guests counted, and Close."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from facilitator.dates import short_day
from facilitator.rules.meetings import MeetingInfo
from ui.actions import MainAction, tip
from ui.common.plain import plain_label
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import button


class QtMeetingHeader(QWidget):
    """Says which meeting is open; its buttons ask for one guest more or fewer, or to close it."""

    guests_change_requested = Signal(int)
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meeting_label = plain_label("", object_name="meetingTitle")
        self.meeting_label.setWordWrap(True)  # a long topic title wraps rather than widen the window
        set_points(self.meeting_label, SUBTITLE_POINTS, bold=True)
        self.guest_label = plain_label("Guests: 0", object_name="guestCount")
        self.guest_label.setAccessibleName("Guests")
        self.guest_minus = button("−", tip(MainAction.REMOVE_GUEST.value), "One guest fewer")
        self.guest_plus = button("+", tip(MainAction.ADD_GUEST.value), "One more guest")
        for each in (self.guest_minus, self.guest_plus):
            each.setFixedWidth(36)
        self.guest_minus.clicked.connect(lambda: self.guests_change_requested.emit(-1))
        self.guest_plus.clicked.connect(lambda: self.guests_change_requested.emit(+1))
        self.close_button = button("Close Meeting…", "End the meeting, with notes for next time if you like")
        self.close_button.clicked.connect(self.close_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.meeting_label, 1)
        layout.addWidget(self.guest_minus)
        layout.addWidget(self.guest_label)
        layout.addWidget(self.guest_plus)
        layout.addSpacing(16)
        layout.addWidget(self.close_button)

    def show_meeting(self, meeting: MeetingInfo) -> None:
        opened = meeting.held(meeting.started_at)
        topic_line = f"\nTopic: {meeting.guide_title}" if meeting.guide_title else ""
        self.meeting_label.setText(f"Meeting of {short_day(opened.date())}, opened {opened:%H:%M}{topic_line}")
        self.guest_label.setText(f"Guests: {meeting.guests}")
        self.guest_minus.setEnabled(meeting.guests > 0)
