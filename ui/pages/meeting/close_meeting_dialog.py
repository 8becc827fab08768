"""Closing a meeting: a last look at who came, and notes for next time."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from facilitator.dates import short_day
from facilitator.rules.meetings import MeetingInfo
from ui.common.plain import plain_label
from ui.common.widgets import named


class QtCloseMeetingDialog(QDialog):
    def __init__(self, meeting: MeetingInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeMeetingDialog")
        self.setWindowTitle("Close Meeting")
        opened = meeting.held(meeting.started_at)
        summary = plain_label(
            f"{meeting.group_name}, {short_day(opened.date())}\n"
            f"{meeting.present} present · {meeting.late} late · {meeting.excused} excused · {meeting.guests} guests"
        )
        self.notes = named(QPlainTextEdit(), "meetingNotes")
        self.notes.setPlaceholderText("Notes for next time (optional): a room change, something to follow up…")
        self.notes.setAccessibleName("Notes for next time")
        self.notes.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText("Close Meeting")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.notes.setFocus()
