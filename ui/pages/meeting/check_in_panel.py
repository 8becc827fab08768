"""The check-in screen used in the room: open tonight's meeting, check people in as they arrive."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import local
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
from facilitator.rules.guides import GuideChoice, Suggestion, suggested_format, suggested_topic, topic_guide_choices
from facilitator.rules.meetings import MeetingInfo, close_meeting, open_meeting, open_meeting_of, set_guest_count
from facilitator.storage.models import AttendanceStatus, GuideKind
from ui.actions import MainAction, MeetingKey, first_key, keys_of, tip
from ui.common.plain import plain_label
from ui.common.roll_model import PARTICIPANT_ID_ROLE, STATUS_TEXT, RollFilter, RollModel, status_at
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import action_buttons, button, named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session
from ui.pages.meeting.close_meeting_dialog import QtCloseMeetingDialog
from ui.pages.meeting.undo_commands import ReplayCommand, Work

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED
REDO_KEYS = first_key(MainAction.REDO).toCombined()
STATUS_KEYS: dict[int, AttendanceStatus] = {
    first_key(key).key(): status
    for key, status in (
        (MeetingKey.MARK_PRESENT, PRESENT),
        (MeetingKey.MARK_LATE, LATE),
        (MeetingKey.MARK_EXCUSED, EXCUSED),
    )
}
TAKE_BACK_KEYS = (first_key(MeetingKey.NOT_HERE).key(), Qt.Key.Key_Backspace)
# The open meeting and its roll, or no meeting and the choices for opening one.
Choices = tuple[list[GuideChoice], list[GuideChoice], Suggestion | None, Suggestion | None]
MeetingState = tuple[MeetingInfo | None, list[RollEntry], Choices | None]
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
        self.meeting: MeetingInfo | None = None
        self._choices_due = False  # the guides to choose from are still to be read

        # -- no meeting open
        self.no_meeting_title = plain_label("No meeting is open", object_name="sectionTitle")
        self.no_meeting_text = plain_label("When people start to arrive, open tonight's meeting and check them in.")
        set_points(self.no_meeting_text, SUBTITLE_POINTS)
        self.guide_choice = named(QComboBox(), "guideChoice")
        self.guide_choice.setAccessibleName("Topic guide for the meeting")
        self.guide_choice.setToolTip("The topic guide the meeting will use (optional)")
        self.format_choice = named(QComboBox(), "formatChoice")
        self.format_choice.setAccessibleName("Meeting format")
        self.format_choice.setToolTip("The parts of the meeting and what to read in each (optional)")
        for box in (self.guide_choice, self.format_choice):
            box.activated.connect(lambda _index, box=box: box.setProperty("chosen", True))
        self.choices = QFormLayout()
        self.choices.addRow("&Topic:", self.guide_choice)
        self.choices.addRow("Fo&rmat:", self.format_choice)
        self.open_button = button("Open Tonight's Meeting", tip(MainAction.OPEN_MEETING.value))
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.open_meeting)
        closed_layout = QVBoxLayout()
        closed_layout.addStretch(1)
        for widget in (self.no_meeting_title, self.no_meeting_text):
            closed_layout.addWidget(widget)
        closed_layout.addLayout(self.choices)
        closed_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        closed_layout.addStretch(2)
        closed_page = QWidget()
        closed_page.setLayout(closed_layout)

        # -- meeting open
        self.meeting_label = plain_label("", object_name="meetingTitle")
        self.meeting_label.setWordWrap(True)  # a long topic title wraps rather than widen the window
        set_points(self.meeting_label, SUBTITLE_POINTS, bold=True)
        self.guest_label = plain_label("Guests: 0", object_name="guestCount")
        self.guest_label.setAccessibleName("Guests")
        self.guest_minus = button("−", tip(MainAction.REMOVE_GUEST.value), "One guest fewer")
        self.guest_plus = button("+", tip(MainAction.ADD_GUEST.value), "One more guest")
        for each in (self.guest_minus, self.guest_plus):
            each.setFixedWidth(36)
        self.guest_minus.clicked.connect(lambda: self.change_guests(-1))
        self.guest_plus.clicked.connect(lambda: self.change_guests(+1))
        self.close_button = button("Close Meeting…", "End the meeting, with notes for next time if you like")
        self.close_button.clicked.connect(self.close_meeting)
        header = QHBoxLayout()
        header.addWidget(self.meeting_label, 1)
        header.addWidget(self.guest_minus)
        header.addWidget(self.guest_label)
        header.addWidget(self.guest_plus)
        header.addSpacing(16)
        header.addWidget(self.close_button)

        self.search = named(QLineEdit(), "checkInSearch")
        late, excused = (keys_of(key).toString() for key in (MeetingKey.LATE, MeetingKey.EXCUSED))
        self.search.setPlaceholderText(f"Type a name, then Enter to check in · {late} late · {excused} excused")
        self.search.setAccessibleName("Find a person to check in")
        find = keys_of(MainAction.FIND_PERSON).toString(QKeySequence.SequenceFormat.NativeText)
        self.search.setToolTip(f"Typing narrows the list; Enter checks in the highlighted person ({find})")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        set_points(self.search, SUBTITLE_POINTS)

        self.roll = RollModel(self)
        self.waiting = RollFilter(self.roll, checked_in=False, parent=self)
        self.waiting.sort(0)
        self.here = RollFilter(self.roll, checked_in=True, parent=self)
        self.here.sort(0)
        self.waiting_view = table_view("waitingList", "Not here yet", self.waiting)
        self.here_view = table_view("hereList", "Checked in tonight", self.here)
        for view in (self.waiting_view, self.here_view):
            view.verticalHeader().setDefaultSectionSize(30)
        self.waiting_view.hideColumn(1)
        self.waiting_view.hideColumn(2)
        self.waiting_view.doubleClicked.connect(lambda _index: self.check_in_selected(PRESENT))
        self.waiting_title = plain_label("", object_name="sectionTitle")
        self.here_title = plain_label("", object_name="sectionTitle")

        self.present_button = self._key_button(MeetingKey.PRESENT, "Check in present")
        self.late_button = self._key_button(MeetingKey.LATE, "Check in late")
        self.excused_button = self._key_button(MeetingKey.EXCUSED, "Mark excused")
        self.new_person_button = button("&New Person…", tip(MainAction.NEW_PERSON.value))
        self.present_button.clicked.connect(lambda: self.check_in_selected(PRESENT))
        self.late_button.clicked.connect(lambda: self.check_in_selected(LATE))
        self.excused_button.clicked.connect(lambda: self.check_in_selected(EXCUSED))
        self.new_person_button.clicked.connect(lambda: self.new_person())
        self.not_here_button = self._key_button(MeetingKey.NOT_HERE, "Take back check-in")
        self.not_here_button.clicked.connect(self.take_back_selected)
        self.mark_present = self._key_button(MeetingKey.MARK_PRESENT)
        self.mark_late = self._key_button(MeetingKey.MARK_LATE)
        self.mark_excused = self._key_button(MeetingKey.MARK_EXCUSED)
        self.mark_present.clicked.connect(lambda: self.change_selected(PRESENT))
        self.mark_late.clicked.connect(lambda: self.change_selected(LATE))
        self.mark_excused.clicked.connect(lambda: self.change_selected(EXCUSED))

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.addWidget(self.waiting_title, 0, 0)
        grid.addWidget(self.here_title, 0, 1)
        grid.addWidget(self.waiting_view, 1, 0)
        grid.addWidget(self.here_view, 1, 1)
        left_buttons = QGridLayout()
        for position, each in enumerate(
            (self.present_button, self.late_button, self.excused_button, self.new_person_button)
        ):
            left_buttons.addWidget(each, position // 2, position % 2)
        right_buttons = QGridLayout()
        for position, each in enumerate((self.mark_present, self.mark_late, self.mark_excused, self.not_here_button)):
            right_buttons.addWidget(each, position // 2, position % 2)
        grid.addLayout(left_buttons, 2, 0)
        grid.addLayout(right_buttons, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.open_layout = open_layout = QVBoxLayout()
        open_layout.addLayout(header)
        open_layout.addWidget(self.search)
        open_layout.addLayout(grid, 1)
        open_page = QWidget()
        open_page.setLayout(open_layout)

        self.pages = QStackedWidget()
        self.pages.addWidget(closed_page)
        self.pages.addWidget(open_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.pages)
        self._closed_page, self._open_page = closed_page, open_page

        for watched in (self.search, self.waiting_view, self.here_view):
            watched.installEventFilter(self)
        for key, status in ((MeetingKey.LATE, LATE), (MeetingKey.EXCUSED, EXCUSED)):
            shortcut = QShortcut(keys_of(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda status=status: self._status_key(status))
        self.here_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.waiting_view.selectionModel().currentChanged.connect(self._update_buttons)

    # ---- what is shown --------------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        if group is None or group.id != getattr(self.group, "id", None):
            self.search.clear()
            self._forget_choices()
        self.group = group
        self.refresh()

    def add_actions(self, actions: list[QAction]) -> None:
        """Buttons under the lists for the window's actions on tonight's meeting (printing)."""
        row = action_buttons(actions)
        row.addStretch(1)
        self.open_layout.addLayout(row)

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
            return meeting, meeting_roll(session, meeting.id), None
        if not self.isVisibleTo(self.window()):
            return None, [], None
        choices = (
            topic_guide_choices(session, GuideKind.TOPIC),
            topic_guide_choices(session, GuideKind.FORMAT),
            suggested_topic(session, group_id),
            suggested_format(session, group_id),
        )
        return None, [], choices

    def _show(self, state: MeetingState) -> None:
        group = self.group
        assert group is not None
        meeting, roll, choices = state
        changed = getattr(meeting, "id", None) != getattr(self.meeting, "id", None)
        self.meeting = meeting
        self._choices_due = meeting is None and choices is None
        if meeting is None:
            self.no_meeting_title.setText(f"No meeting of {group.name} is open")
            if choices is not None:
                topics, formats, topic, format_ = choices
                self._fill_choice(self.guide_choice, "No topic guide", topics, topic)
                self._fill_choice(self.format_choice, "No format", formats, format_)
            self.open_button.setEnabled(not group.archived)
            self.pages.setCurrentWidget(self._closed_page)
            self.roll.set_rows([])
        else:
            opened = local(meeting.started_at)
            topic_line = f"\nTopic: {meeting.guide_title}" if meeting.guide_title else ""
            self.meeting_label.setText(f"Meeting of {opened:%a %d %b %Y}, opened {opened:%H:%M}{topic_line}")
            self.guest_label.setText(f"Guests: {meeting.guests}")
            self.guest_minus.setEnabled(meeting.guests > 0)
            self.roll.set_rows(roll)
            self.pages.setCurrentWidget(self._open_page)
            self._select_first_waiting()
        self._update_titles()
        if changed:
            # The meeting was opened or closed (here or elsewhere): its undo history no longer
            # applies. Cleared later, as this may run inside an undo command.
            QTimer.singleShot(0, self._undo.clear)
            self._operations.announce(Change.MEETING, self)

    def _key_button(self, key: MeetingKey, accessible: str = "") -> QPushButton:
        return button(key.value.text, tip(key.value), accessible)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._choices_due:
            self.refresh()

    def _update_titles(self) -> None:
        waiting = self.waiting.rowCount()
        self.waiting_title.setText(f"Not here yet ({waiting})")
        counts = {status: 0 for status in AttendanceStatus}
        for entry in self.roll.rows():
            if entry.status is not None:
                counts[entry.status] += 1
        here = counts[PRESENT] + counts[LATE]
        excused = f" · {counts[EXCUSED]} excused" if counts[EXCUSED] else ""
        self.here_title.setText(f"Here tonight ({here}){excused}")
        if self.meeting is None:
            self.counts_changed.emit("")
        else:
            self.counts_changed.emit(
                f"Present {counts[PRESENT]} · Late {counts[LATE]} · Excused {counts[EXCUSED]} · "
                f"Guests {self.meeting.guests} · Not here yet {sum(e.status is None for e in self.roll.rows())}"
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_waiting = self.waiting_view.currentIndex().isValid()
        has_here = self.here_view.currentIndex().isValid()
        for each in (self.present_button, self.late_button, self.excused_button):
            each.setEnabled(has_waiting)
        for each in (self.mark_present, self.mark_late, self.mark_excused, self.not_here_button):
            each.setEnabled(has_here)

    def _search_changed(self, text: str) -> None:
        self.waiting.set_search(text)
        self.here.set_search(text)
        self._select_first_waiting()
        self._update_titles()

    def _select_first_waiting(self) -> None:
        if self.waiting.rowCount() and not self.waiting_view.currentIndex().isValid():
            self.waiting_view.setCurrentIndex(self.waiting.index(0, 0))
        elif self.waiting.rowCount() and self.search.text():
            self.waiting_view.setCurrentIndex(self.waiting.index(0, 0))
        self.waiting_view.selectionModel().select(
            self.waiting_view.currentIndex(),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    # ---- keyboard -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo) or event.keyCombination().toCombined() == REDO_KEYS)
        ):
            # Ctrl+Z in the search box undoes the last check-in, not the typing that led to it.
            return True
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, modifiers = event.key(), event.modifiers()
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if watched is self.search:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.check_in_selected(PRESENT)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.waiting_view.setFocus()
                return False
        elif watched is self.waiting_view:
            if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.check_in_selected(PRESENT)
                return True
            if event.text().isprintable() and event.text() and plain or key == Qt.Key.Key_Space:
                # Typing anywhere in the list goes on narrowing it by name.
                self.search.setFocus()
                self.search.insert(event.text())
                return True
        elif watched is self.here_view:
            if plain and key in STATUS_KEYS:
                self.change_selected(STATUS_KEYS[key])
                return True
            if plain and key in TAKE_BACK_KEYS:
                self.take_back_selected()
                return True
        return False

    def _status_key(self, status: AttendanceStatus) -> None:
        if self.here_view.hasFocus():
            self.change_selected(status)
        else:
            self.check_in_selected(status)

    # ---- actions --------------------------------------------------------------------------

    @staticmethod
    def _fill_choice(box: QComboBox, none: str, choices: list[GuideChoice], suggested: Suggestion | None) -> None:
        """The library's guides of one kind, the suggested one marked. What the facilitator chose
        stays chosen; until they choose, the suggestion is."""
        chosen = box.currentData() if box.property("chosen") else None
        box.blockSignals(True)
        box.clear()
        box.addItem(none, None)
        for choice in choices:
            if suggested is not None and choice.slug == suggested.slug:
                box.addItem(f"{choice.title} (suggested: {suggested.reason})", choice.slug)
            else:
                box.addItem(choice.title, choice.slug)
        keep = box.findData(chosen) if chosen is not None else -1
        box.setCurrentIndex(keep if keep >= 0 else max(0, box.findData(suggested.slug)) if suggested else 0)
        box.blockSignals(False)

    def open_meeting(self) -> None:
        group = self.group
        if group is None or self.meeting is not None:
            return
        slug, format_ = self.guide_choice.currentData(), self.format_choice.currentData()

        def open_and_read(session: Session) -> MeetingState:
            open_meeting(session, group.id, guide_slug=slug, format_slug=format_)
            return self._read(session)

        state = self._operations.run(open_and_read)
        if state is not REFUSED:
            self._forget_choices()  # the next meeting starts from fresh suggestions
            self._show(state)
            self.search.setFocus()

    def _forget_choices(self) -> None:
        for box in (self.guide_choice, self.format_choice):
            box.setProperty("chosen", False)

    def check_in_selected(self, status: AttendanceStatus) -> None:
        meeting = self.meeting
        index = self.waiting_view.currentIndex()
        if meeting is None:
            return
        if not index.isValid():
            if self.search.text().strip():
                self.new_person(self.search.text().strip(), status)
            return
        person = index.data(PARTICIPANT_ID_ROLE)
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
        self._after_check_in(done)

    def new_person(self, name: str = "", status: AttendanceStatus = PRESENT) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        name, accepted = QInputDialog.getText(
            self, "New Person", "First name or initials (they are added to the roster):", text=name
        )
        if not accepted or not name.strip():
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
        self._after_check_in()

    def change_selected(self, status: AttendanceStatus) -> None:
        meeting = self.meeting
        index = self.here_view.currentIndex()
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
        index = self.here_view.currentIndex()
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
        meeting = self.meeting
        if meeting is None:
            return
        dialog = QtCloseMeetingDialog(meeting, self)
        if not dialog.exec():
            return
        notes = dialog.notes.toPlainText()

        def close_and_read(session: Session) -> MeetingState:
            close_meeting(session, meeting.id, notes=notes)
            return self._read(session)

        state = self._operations.run(close_and_read)
        if state is not REFUSED:
            self._show(state)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _push(self, text: str, *, do: Work, undo: Work) -> None:
        self._undo.push(ReplayCommand(text, self._operations, self, do=do, undo=undo, after=self.refresh))

    def _after_check_in(self, done: CheckIn | None = None) -> None:
        self.search.clear()
        if done is None:
            self.refresh()
        else:
            # The roll is not read again: the check-in says all that changed, and the room waits.
            self.roll.record(done)
            self._select_first_waiting()
            self._update_titles()
        self._select_first_waiting()
        self.search.setFocus()
