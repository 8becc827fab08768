"""Closing a meeting: a last look at who came, and notes for next time; for a meeting nobody came
to (opened by mistake, say), the offer to delete it instead."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from facilitator.dates import short_day
from facilitator.plurals import counted
from facilitator.rules.meetings import MeetingInfo
from facilitator.storage.models import AttendanceStatus
from ui.common.plain import NOTES_FOR_NEXT_TIME, plain_label
from ui.common.widgets import named

DELETE_INSTEAD = 2  # the dialog's answer, beside Accepted (close it) and Rejected (neither)


class QtCloseMeetingDialog(QDialog):
    def __init__(self, meeting: MeetingInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeMeetingDialog")
        self.setWindowTitle("Close Meeting")
        opened = meeting.held(meeting.started_at)
        summary = plain_label(
            f"{meeting.group_name}, {short_day(opened.date())}\n"
            f"{meeting.present} present · {meeting.late} late · {meeting.excused} {AttendanceStatus.EXCUSED.word} · "
            f"{counted(meeting.guests, 'guest')}"
        )
        self.notes = named(QPlainTextEdit(), "meetingNotes")
        self.notes.setPlaceholderText(NOTES_FOR_NEXT_TIME)
        self.notes.setAccessibleName("Notes for next time")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlainText(meeting.notes)  # a reopened meeting's, kept from its first closing
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText("Close Meeting")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        self.nobody = plain_label(
            "Nobody was marked at this meeting and no guest was counted. If it was opened by "
            "mistake, delete it instead: closed, it would count as a meeting everyone missed.",
            object_name="nobodyCheckedIn",
        )
        self.nobody.setWordWrap(True)
        self.delete_button = buttons.addButton("Delete Meeting…", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.clicked.connect(lambda: self.done(DELETE_INSTEAD))
        for shown in (self.nobody, self.delete_button):
            shown.setVisible(meeting.empty)
        layout.addWidget(self.nobody)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.notes.setFocus()
