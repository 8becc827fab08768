"""The check-in screen used in the room: open tonight's meeting, check people in as they arrive."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from facilitator.plurals import counted
from facilitator.rules.attendance import (
    CheckIn,
    RollEntry,
    check_in,
    check_in_newcomer,
    meeting_roll,
    redo_newcomer,
    remove_check_in,
    set_status,
    undo_newcomer,
)
from facilitator.rules.groups import GroupInfo
from facilitator.rules.guides import suggested_format, suggested_topic, topic_guide_choices
from facilitator.rules.meetings import (
    MeetingInfo,
    MetToday,
    close_meeting,
    open_meeting,
    open_meeting_of,
    previous_meeting,
    reopen_meeting,
    set_guest_count,
)
from facilitator.rules.participants import names_alike_on_roster
from facilitator.storage.models import AttendanceStatus, GuideKind
from facilitator.text import invisible_left_out
from ui.actions import MeetingKey, keys_of
from ui.common.did_you_mean import Meant, ask_did_you_mean
from ui.common.plain import ask_text, message_box
from ui.common.roll_model import PARTICIPANT_ID_ROLE, STATUS_TEXT, RollModel, status_at
from ui.common.widgets import action_buttons
from ui.operations.changes import Change
from ui.operations.meetings import delete_meeting_opened_by_mistake
from ui.operations.runner import REFUSED, Operations, Session
from ui.pages.meeting.close_meeting_dialog import DELETE_INSTEAD, QtCloseMeetingDialog
from ui.pages.meeting.meeting_choices import Choices, QtMeetingChoices
from ui.pages.meeting.meeting_header import QtMeetingHeader
from ui.pages.meeting.roll_lists import EXCUSED, LATE, PRESENT, QtRollLists, tally
from ui.pages.meeting.undo_commands import ReplayCommand, Work

# The open meeting, the one before it (its notes are for this one) and its roll; or no meeting
# and the choices for opening one.
MeetingState = tuple[MeetingInfo | None, MeetingInfo | None, list[RollEntry], Choices | None]
CONCERNS = Change.MEETING | Change.ATTENDANCE | Change.ROSTER | Change.LIBRARY


class QtCheckInPanel(QWidget):
    """Tonight's meeting of one group: open it, check people in, count guests, close it.

    Every action is committed at once and pushed on the undo stack as a command that replays
    the core's use cases.
    """

    counts_changed = Signal(str)

    def __init__(self, operations: Operations, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkInPanel")
        self._operations = operations
        self._undo = undo_stack
        self.group: GroupInfo | None = None
        self._shown_group: int | None = None  # the group whose meeting `meeting` is
        self._undo_meeting: int | None = None  # the meeting the undo history belongs to
        self.meeting: MeetingInfo | None = None
        self._choices_due = False  # the guides to choose from are still to be read

        self.roll = RollModel(self)
        self.choices = QtMeetingChoices()
        self.header = QtMeetingHeader()
        self.lists = QtRollLists(self.roll)
        # The parts of the lists the page's actions read.
        self.search, self.waiting, self.here = self.lists.search, self.lists.waiting, self.lists.here
        self.waiting_view, self.here_view = self.lists.waiting_view, self.lists.here_view
        self._open_layout = QVBoxLayout()
        self._open_layout.addWidget(self.header)
        self._open_layout.addWidget(self.lists, 1)
        open_page = QWidget()
        open_page.setLayout(self._open_layout)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.choices)
        self.pages.addWidget(open_page)
        self._open_page = open_page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.pages)
        self._connect_views()

    def _connect_views(self) -> None:
        self.choices.open_requested.connect(self.open_meeting)
        self.header.guests_change_requested.connect(self.change_guests)
        self.header.close_requested.connect(self.close_meeting)
        self.lists.check_in_requested.connect(self.check_in_selected)
        self.lists.status_change_requested.connect(self.change_selected)
        self.lists.take_back_requested.connect(self.take_back_selected)
        self.lists.new_person_requested.connect(lambda: self.new_person())
        self.lists.nothing_typed.connect(self._operations.say)
        for key, status in ((MeetingKey.LATE, LATE), (MeetingKey.EXCUSED, EXCUSED)):
            shortcut = QShortcut(keys_of(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda status=status: self._status_key(status))

    # ---- what is shown --------------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        if group is None or group.id != getattr(self.group, "id", None):
            self.search.clear()
            self.choices.forget_choices()
        self.group = group
        self.refresh()

    def add_actions(self, actions: list[QAction]) -> None:
        """Buttons under the lists for the window's actions on tonight's meeting (printing)."""
        row = action_buttons(actions)
        row.addStretch(1)
        self._open_layout.addLayout(row)

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if initiator is not self and changes & CONCERNS:
            self.refresh()

    def shut_down(self) -> None:
        """Nothing runs here between actions: every check-in is already committed."""

    def refresh(self) -> None:
        """Read the meeting and its roll afresh from the database."""
        if self.group is None:
            self.meeting = None
            return
        state = self._operations.run(self._read)
        if state is not REFUSED:
            self._show(state)

    def _read(self, session: Session) -> MeetingState:
        """The group's open meeting and its roll, or the choices for opening one. The guides to
        choose from are read only for a page in sight: the window asks the group's meeting page
        for its meeting (its menus need it), the first time as it opens."""
        assert self.group is not None
        group_id = self.group.id
        meeting = open_meeting_of(session, group_id)
        if meeting is not None:
            return meeting, previous_meeting(session, meeting.id), meeting_roll(session, meeting.id), None
        if not self.isVisibleTo(self.window()):
            return None, None, [], None
        choices = (
            topic_guide_choices(session, GuideKind.TOPIC),
            topic_guide_choices(session, GuideKind.FORMAT),
            suggested_topic(session, group_id),
            suggested_format(session, group_id),
        )
        return None, None, [], choices

    def _show(self, state: MeetingState) -> None:
        group = self.group
        assert group is not None
        meeting, before, roll, choices = state
        # Another meeting than before, for the same group (or on the page's first reading): it was
        # opened or closed, here or elsewhere. Another group's meeting is no change at all.
        same_group = self._shown_group in (None, group.id)
        changed = same_group and getattr(meeting, "id", None) != getattr(self.meeting, "id", None)
        self.meeting, self._shown_group = meeting, group.id
        self._choices_due = meeting is None and choices is None
        if meeting is None:
            self.choices.show_group(group, choices)
            self.pages.setCurrentWidget(self.choices)
            self.roll.set_rows([])
        else:
            self.header.show_meeting(meeting, before)
            self.roll.set_rows(roll)
            self.pages.setCurrentWidget(self._open_page)
            self.lists.select_first_waiting()
        self._update_titles()
        if changed:
            self._operations.announce(Change.MEETING, self)
        if getattr(meeting, "id", None) != self._undo_meeting:
            # Its undo history belongs to another meeting (or to none). Cleared later, as this
            # may run inside an undo command.
            QTimer.singleShot(0, self._undo.clear)
            self._undo_meeting = getattr(meeting, "id", None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._choices_due:
            self.refresh()

    def _update_titles(self) -> None:
        """The lists' titles, and the counts the status bar shows on every page."""
        self.lists.update_titles()
        counts = tally(self.roll.rows())
        if self.meeting is None:
            self.counts_changed.emit("")
        else:
            self.counts_changed.emit(
                f"Present {counts[PRESENT]} · Late {counts[LATE]} · {EXCUSED.word.capitalize()} {counts[EXCUSED]} · "
                f"Guests {self.meeting.guests} · Not here yet {sum(e.status is None for e in self.roll.rows())}"
            )

    def _status_key(self, status: AttendanceStatus) -> None:
        if self.lists.checked_in_has_focus():
            self.change_selected(status)
        elif self.search.hasFocus():
            self.lists.search_entered(status)
        else:
            self.check_in_selected(status)

    # ---- actions --------------------------------------------------------------------------

    def open_meeting(self) -> None:
        group = self.group
        if group is None or self.meeting is not None:
            return
        slug, format_ = self.choices.chosen()

        def open_and_read(session: Session, *, another_today: bool = False) -> MeetingState | MeetingInfo:
            """The new meeting's state; or, when the group met today already, that meeting."""
            try:
                open_meeting(session, group.id, guide_slug=slug, format_slug=format_, another_today=another_today)
            except MetToday as met:
                return met.meeting
            return self._read(session)

        def reopen_and_read(session: Session, meeting_id: int) -> MeetingState:
            reopen_meeting(session, meeting_id)
            return self._read(session)

        state = self._operations.run(open_and_read)
        if isinstance(state, MeetingInfo):
            earlier = state
            reopen = self._reopen_instead(earlier)
            if reopen is None:
                return
            if reopen:
                state = self._operations.run(lambda session: reopen_and_read(session, earlier.id))
            else:
                state = self._operations.run(lambda session: open_and_read(session, another_today=True))
        if state is not REFUSED and not isinstance(state, MeetingInfo):
            self.choices.forget_choices()
            self._show(state)
            self.search.setFocus()

    def _reopen_instead(self, earlier: MeetingInfo) -> bool | None:
        """The group met today already: reopen that meeting (True), open a second (False), or neither (None)."""
        opened = earlier.held(earlier.started_at)
        ended = f", closed at {earlier.held(earlier.ended_at):%H:%M}" if earlier.ended_at else ""
        came = earlier.present + earlier.late
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            "Open Meeting",
            f"{earlier.group_name} already met today: the meeting opened at {opened:%H:%M}{ended}, "
            f"with {counted(came, 'person')} marked here.\n\n"
            "Reopen it to go on with it, or open a second meeting today?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Reopen It")
        box.button(QMessageBox.StandardButton.No).setText("Open a Second Meeting")
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return answer == QMessageBox.StandardButton.Yes

    def check_in_selected(self, status: AttendanceStatus) -> None:
        meeting = self.meeting
        index = self.waiting_view.currentIndex()
        if meeting is None:
            return
        if not index.isValid():
            if self.search.text().strip():
                self.new_person(self.search.text().strip(), status)
            return
        self._check_in(meeting, index.data(PARTICIPANT_ID_ROLE), status)

    def _check_in(self, meeting: MeetingInfo, person: int, status: AttendanceStatus) -> None:
        done = self._operations.run(
            lambda session: check_in(session, meeting.id, person, status=status), Change.ATTENDANCE, self
        )
        if done is REFUSED:
            return
        self._push(
            f"{STATUS_TEXT[status]}: {done.display_name}",
            do=lambda session: check_in(session, meeting.id, person, status=status, now=done.checked_in_at),
            undo=lambda session: remove_check_in(session, meeting.id, person),
        )
        self._tell_of_the_clock(done.clock_note)
        self._after_check_in(done)

    def new_person(self, name: str = "", status: AttendanceStatus = PRESENT) -> None:
        """Add someone to the roster and check them in; a name alike someone's on the roster asks
        first whether that person was meant (one person's attendance stays in one place)."""
        meeting = self.meeting
        if meeting is None:
            return
        typed = ask_text(self, "New Person", "First name or initials (they are added to the roster):", name)
        if typed is None or not typed.strip():
            return
        name = typed
        alike = self._operations.run(lambda session: names_alike_on_roster(session, meeting.group_id, name))
        if alike is REFUSED:
            return
        if alike:
            answer = ask_did_you_mean(self, "New Person", name, alike, lambda meant: f"Mark {meant} Here")
            if answer.person is not None:
                self._check_in(meeting, answer.person.id, status)
            if answer.meant is not Meant.NEW:
                return
        done = self._operations.run(
            lambda session: check_in_newcomer(session, meeting.id, name, status=status),
            Change.ATTENDANCE | Change.ROSTER,
            self,
        )
        if done is REFUSED:
            return
        self._push(
            f"New person: {done.display_name}",
            do=lambda session: redo_newcomer(session, meeting.id, done),
            undo=lambda session: undo_newcomer(session, meeting.id, done.participant_id),
        )
        self._tell_of_the_clock(done.clock_note)
        if word := invisible_left_out(name, "the name"):
            self._operations.say(word)
        self._after_check_in()

    def change_selected(self, status: AttendanceStatus) -> None:
        meeting = self.meeting
        index = self.lists.checked_in_index()
        if meeting is None or not index.isValid() or status_at(index) is status:
            return
        person, before = index.data(PARTICIPANT_ID_ROLE), status_at(index)
        assert before is not None  # everyone in this list is checked in
        done = self._operations.run(
            lambda session: set_status(session, meeting.id, person, status), Change.ATTENDANCE, self
        )
        if done is REFUSED:
            return
        self._push(
            f"{STATUS_TEXT[status]}: {done.display_name}",
            do=lambda session: set_status(session, meeting.id, person, status),
            undo=lambda session: set_status(session, meeting.id, person, before),
        )
        self.refresh()

    def take_back_selected(self) -> None:
        meeting = self.meeting
        index = self.lists.checked_in_index()
        if meeting is None or not index.isValid():
            return
        person = index.data(PARTICIPANT_ID_ROLE)
        removed = self._operations.run(
            lambda session: remove_check_in(session, meeting.id, person), Change.ATTENDANCE, self
        )
        if removed is REFUSED:
            return
        self._push(
            f"Not here: {removed.display_name}",
            do=lambda session: remove_check_in(session, meeting.id, person),
            undo=lambda session: check_in(
                session, meeting.id, person, status=removed.status, now=removed.checked_in_at
            ),
        )
        self.refresh()

    def change_guests(self, delta: int) -> None:
        meeting = self.meeting
        if meeting is None or meeting.guests + delta < 0:
            return
        before, after = meeting.guests, meeting.guests + delta
        if (
            self._operations.run(lambda session: set_guest_count(session, meeting.id, after), Change.ATTENDANCE, self)
            is REFUSED
        ):
            return
        self._push(
            "One more guest" if delta > 0 else "One guest fewer",
            do=lambda session: set_guest_count(session, meeting.id, after),
            undo=lambda session: set_guest_count(session, meeting.id, before),
        )
        self.refresh()

    def close_meeting(self) -> None:
        shown = self.meeting
        if shown is None:
            return
        # Check-ins are shown as they are made, without reading the meeting again: its counts are the roll's.
        counts = tally(self.roll.rows())
        meeting = replace(shown, present=counts[PRESENT], late=counts[LATE], excused=counts[EXCUSED])
        dialog = QtCloseMeetingDialog(meeting, self)
        answer = dialog.exec()
        if answer == DELETE_INSTEAD:
            if delete_meeting_opened_by_mistake(self._operations, self, meeting):
                self.refresh()
            return
        if not answer:
            return
        notes = dialog.notes.toPlainText()

        def close_and_read(session: Session) -> tuple[str, MeetingState]:
            closed = close_meeting(session, meeting.id, notes=notes)
            return closed.clock_note, self._read(session)

        closed = self._operations.run(close_and_read)
        if closed is not REFUSED:
            clock_note, state = closed
            self._show(state)
            self._tell_of_the_clock(clock_note)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _push(self, text: str, *, do: Work, undo: Work) -> None:
        self._undo.push(ReplayCommand(text, self._operations, self, do=do, undo=undo, after=self.refresh))

    def _tell_of_the_clock(self, clock_note: str) -> None:
        """A time the computer's clock gave that made no sense for the meeting was moved into it: say so."""
        if clock_note:
            self._operations.say(clock_note)

    def _after_check_in(self, done: CheckIn | None = None) -> None:
        self.search.clear()
        if done is None:
            self.refresh()
        else:
            # The roll is not read again: the check-in says all that changed, and the room waits.
            self.roll.record(done)
            self.lists.select_first_waiting()
            self._update_titles()
        self.lists.select_first_waiting()
        self.search.setFocus()
