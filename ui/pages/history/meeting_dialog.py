"""A past meeting, to look at or correct. Every correction is stamped on the meeting's record; a
meeting that recorded no one (opened by mistake) can be deleted."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import day_at, short_day
from facilitator.plurals import counted
from facilitator.rules.attendance import CheckIn, check_in, meeting_roll, remove_check_in, set_status
from facilitator.rules.meetings import MAX_GUESTS, MeetingInfo, meeting_info, set_guest_count, set_notes
from facilitator.storage.models import AttendanceStatus, MeetingState
from ui.common.fit import fit_to_screen
from ui.common.plain import NOTES_FOR_NEXT_TIME, plain_label
from ui.common.roll_model import PARTICIPANT_ID_ROLE, STATUS_TEXT, RollModel, status_at
from ui.common.widgets import button as widget_button
from ui.common.widgets import named, table_view
from ui.operations.changes import Change
from ui.operations.meetings import delete_meeting_opened_by_mistake
from ui.operations.runner import REFUSED, Operations, Session


class QtMeetingDialog(QDialog):
    """One meeting's roll, guests and notes. On a closed meeting every change is a correction."""

    def __init__(self, operations: Operations, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self._operations = operations
        self._meeting_id = meeting_id
        self.meeting: MeetingInfo | None = None
        self.changed = False
        self.title = plain_label("", object_name="sectionTitle")
        self.corrected = plain_label("", object_name="correctedNote")
        self.roll = RollModel(self)
        self.view = table_view("meetingRoll", "Who came to this meeting", self.roll)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        self.status_buttons: dict[AttendanceStatus | None, QPushButton] = {}
        row = QHBoxLayout()
        for status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED, None):
            text = "Absent" if status is None else STATUS_TEXT[status]
            button = widget_button(f"Mark {text.title()}", f"Correct the record: {text.lower()} at this meeting")
            button.clicked.connect(lambda _checked=False, status=status: self.mark(status))
            self.status_buttons[status] = button
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(plain_label("Guests:"))
        self.guests = named(QSpinBox(), "meetingGuests")
        self.guests.setRange(0, MAX_GUESTS)
        self.guests.setAccessibleName("Guests")
        self.guests.setKeyboardTracking(False)
        self.guests.valueChanged.connect(self._guests_changed)
        row.addWidget(self.guests)
        self.notes = named(QPlainTextEdit(), "pastMeetingNotes")
        self.notes.setAccessibleName("Meeting notes")
        self.notes.setPlaceholderText(NOTES_FOR_NEXT_TIME)
        self.notes.setFixedHeight(70)
        self.notes.setTabChangesFocus(True)
        self.save_notes = widget_button("Save Notes", "Keep the changed notes")
        self.save_notes.clicked.connect(self._notes_saved)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.delete_button = buttons.addButton("Delete Meeting…", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setToolTip("Delete this meeting: only one where nobody was marked (opened by mistake)")
        self.delete_button.clicked.connect(self.delete_meeting)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.corrected)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(plain_label("Notes:"))
        layout.addWidget(self.notes)
        layout.addWidget(self.save_notes, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(620, 640))
        self.refresh()

    @property
    def correcting(self) -> bool:
        return self.meeting is not None and self.meeting.state is MeetingState.CLOSED

    def refresh(self) -> None:
        found = self._operations.run(
            lambda session: (meeting_info(session, self._meeting_id), meeting_roll(session, self._meeting_id))
        )
        if found is REFUSED:
            return
        self.meeting = meeting = found[0]
        self.roll.closed = meeting.state is MeetingState.CLOSED
        self.roll.set_rows(found[1])
        started = meeting.held(meeting.started_at)
        self.setWindowTitle(f"Meeting of {short_day(started.date())}")
        topic = f" · {meeting.guide_title}" if meeting.guide_title else ""
        self.title.setText(
            f"{meeting.group_name}, {day_at(started)}{topic}\n"
            f"{meeting.present} present · {meeting.late} late · {meeting.excused} {AttendanceStatus.EXCUSED.word} · "
            f"{counted(meeting.guests, 'guest')}"
        )
        self.delete_button.setEnabled(meeting.empty)
        self.corrected.setText(f"Corrected on {day_at(meeting.held(meeting.edited_at))}" if meeting.edited_at else "")
        self.corrected.setVisible(meeting.edited_at is not None)
        self.guests.blockSignals(True)
        self.guests.setValue(meeting.guests)
        self.guests.blockSignals(False)
        if not self.notes.hasFocus():
            self.notes.setPlainText(meeting.notes)
        self._update_buttons()

    def delete_meeting(self) -> None:
        if self.meeting is not None and delete_meeting_opened_by_mistake(self._operations, self, self.meeting):
            self.changed = True
            self.accept()

    def _update_buttons(self) -> None:
        index = self.view.currentIndex()
        current = status_at(index) if index.isValid() else "nothing"
        for status, button in self.status_buttons.items():
            button.setEnabled(index.isValid() and status is not current)

    def mark(self, status: AttendanceStatus | None) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        person, before = index.data(PARTICIPANT_ID_ROLE), status_at(index)
        meeting, correcting = self._meeting_id, self.correcting

        def change(session: Session) -> CheckIn:
            if status is None:
                return remove_check_in(session, meeting, person, correcting=correcting)
            if before is None:
                return check_in(session, meeting, person, status=status, correcting=correcting)
            return set_status(session, meeting, person, status, correcting=correcting)

        if self._operations.run(change, Change.ATTENDANCE) is not REFUSED:
            self.changed = True
            self.refresh()

    def _guests_changed(self, value: int) -> None:
        meeting, correcting = self._meeting_id, self.correcting
        if (
            self._operations.run(lambda s: set_guest_count(s, meeting, value, correcting=correcting), Change.ATTENDANCE)
            is not REFUSED
        ):
            self.changed = True
        self.refresh()

    def _notes_saved(self) -> None:
        meeting, correcting, notes = self._meeting_id, self.correcting, self.notes.toPlainText()
        if (
            self._operations.run(lambda s: set_notes(s, meeting, notes, correcting=correcting), Change.MEETING)
            is not REFUSED
        ):
            self.changed = True
        self.refresh()
