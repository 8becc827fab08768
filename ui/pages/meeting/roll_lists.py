"""The open meeting's roll in lists: those not here yet, those here tonight, and apart, those who
sent word they cannot come; with the search that narrows them, the buttons under each and the keys
of each list."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from facilitator.rules.attendance import RollEntry
from facilitator.storage.models import AttendanceStatus
from ui.actions import MainAction, MeetingKey, first_key, keys_of, tip
from ui.common import roll_model
from ui.common.plain import plain_label
from ui.common.roll_model import RollFilter, RollModel
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import button, named, table_view

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED
# The keys the search box hands on to the page and the window, though a line edit would take them
# for its typing: Ctrl+Z and redo, and the roll's keys (on X11 Ctrl+E is also "end of line").
PASSED_ON = {first_key(name).toCombined() for name in (MainAction.REDO, MeetingKey.LATE, MeetingKey.EXCUSED)}
NOTHING_TYPED = "Type a name first: Enter marks the person it finds here."
STATUS_KEYS: dict[int, AttendanceStatus] = {
    first_key(key).key(): status
    for key, status in (
        (MeetingKey.MARK_PRESENT, PRESENT),
        (MeetingKey.MARK_LATE, LATE),
        (MeetingKey.MARK_EXCUSED, EXCUSED),
    )
}
TAKE_BACK_KEYS = (first_key(MeetingKey.NOT_HERE).key(), Qt.Key.Key_Backspace)
EXCUSED_ROWS_SHOWN = 3  # the excused list's height, in rows: the room's list is the one that grows


def tally(rows: Iterable[RollEntry]) -> dict[AttendanceStatus, int]:
    """How many of the roll were recorded with each status."""
    counts = {status: 0 for status in AttendanceStatus}
    for entry in rows:
        if entry.status is not None:
            counts[entry.status] += 1
    return counts


class QtRollLists(QWidget):
    """Shows `roll`; its buttons and keys ask for a check-in (of the one highlighted among those not
    here yet) or a change (of the one highlighted among those here or excused), which the page
    then records."""

    check_in_requested = Signal(object)  # the AttendanceStatus to check in with
    status_change_requested = Signal(object)  # the AttendanceStatus to change to
    take_back_requested = Signal()
    new_person_requested = Signal()
    nothing_typed = Signal(str)  # a hint for the status bar

    def __init__(self, roll: RollModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roll = roll
        self._build_search()
        self._build_lists()
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.addWidget(self.waiting_title, 0, 0)
        grid.addWidget(self.here_title, 0, 1)
        grid.addWidget(self.waiting_view, 1, 0, 3, 1)
        grid.addWidget(self.here_view, 1, 1)
        grid.addWidget(self.excused_title, 2, 1)
        grid.addWidget(self.excused_view, 3, 1)
        grid.setRowStretch(1, 1)
        grid.addLayout(self._build_waiting_buttons(), 4, 0)
        grid.addLayout(self._build_here_buttons(), 4, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(grid, 1)
        for watched in (self.search, self.waiting_view, self.here_view, self.excused_view):
            watched.installEventFilter(self)
        self.waiting_view.selectionModel().currentChanged.connect(self._update_buttons)
        for view, other in ((self.here_view, self.excused_view), (self.excused_view, self.here_view)):
            view.selectionModel().currentChanged.connect(
                lambda current, _previous, other=other: self._one_checked_in_highlighted(current, other)
            )

    def _build_search(self) -> None:
        self.search = named(QLineEdit(), "checkInSearch")
        late, excused = (keys_of(key).toString() for key in (MeetingKey.LATE, MeetingKey.EXCUSED))
        self.search.setPlaceholderText(
            f"Type a name, then Enter to mark them here · {late} late · {excused} {AttendanceStatus.EXCUSED.word}"
        )
        self.search.setAccessibleName("Find a person to mark here")
        find = keys_of(MainAction.FIND_PERSON).toString(QKeySequence.SequenceFormat.NativeText)
        self.search.setToolTip(f"Typing narrows the list; Enter marks the highlighted person here ({find})")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        set_points(self.search, SUBTITLE_POINTS)

    def _build_lists(self) -> None:
        self.waiting = RollFilter(self.roll, statuses=roll_model.NOT_HERE_YET, parent=self)
        self.here = RollFilter(self.roll, statuses=roll_model.HERE, parent=self)
        self.excused = RollFilter(self.roll, statuses=roll_model.EXCUSED, parent=self)
        self.waiting_view = table_view("waitingList", "Not here yet", self.waiting)
        self.here_view = table_view("hereList", "Here tonight", self.here)
        self.excused_view = table_view("excusedList", f"{EXCUSED.word.capitalize()} tonight", self.excused)
        for model, view in (
            (self.waiting, self.waiting_view),
            (self.here, self.here_view),
            (self.excused, self.excused_view),
        ):
            model.sort(0)
            view.verticalHeader().setDefaultSectionSize(30)
        for view in (self.waiting_view, self.excused_view):  # a name says it all: no status, no time
            view.hideColumn(1)
            view.hideColumn(2)
        self.excused_view.setMaximumHeight(
            self.excused_view.horizontalHeader().sizeHint().height() + 30 * EXCUSED_ROWS_SHOWN + 4
        )
        self.waiting_view.doubleClicked.connect(lambda _index: self.check_in_requested.emit(PRESENT))
        self.waiting_title = plain_label("", object_name="sectionTitle")
        self.here_title = plain_label("", object_name="sectionTitle")
        self.excused_title = plain_label("", object_name="sectionTitle")

    def _build_waiting_buttons(self) -> QGridLayout:
        self.present_button = self._key_button(MeetingKey.PRESENT, "Mark here, present")
        self.late_button = self._key_button(MeetingKey.LATE, "Mark here, late")
        self.excused_button = self._key_button(MeetingKey.EXCUSED, f"Mark {AttendanceStatus.EXCUSED.word}")
        self.new_person_button = button("&New Person…", tip(MainAction.NEW_PERSON.value))
        self.present_button.clicked.connect(lambda: self.check_in_requested.emit(PRESENT))
        self.late_button.clicked.connect(lambda: self.check_in_requested.emit(LATE))
        self.excused_button.clicked.connect(lambda: self.check_in_requested.emit(EXCUSED))
        self.new_person_button.clicked.connect(lambda: self.new_person_requested.emit())
        return _two_by_two((self.present_button, self.late_button, self.excused_button, self.new_person_button))

    def _build_here_buttons(self) -> QGridLayout:
        self.mark_present = self._key_button(MeetingKey.MARK_PRESENT)
        self.mark_late = self._key_button(MeetingKey.MARK_LATE)
        self.mark_excused = self._key_button(MeetingKey.MARK_EXCUSED)
        self.not_here_button = self._key_button(MeetingKey.NOT_HERE, "Take back the mark")
        self.mark_present.clicked.connect(lambda: self.status_change_requested.emit(PRESENT))
        self.mark_late.clicked.connect(lambda: self.status_change_requested.emit(LATE))
        self.mark_excused.clicked.connect(lambda: self.status_change_requested.emit(EXCUSED))
        self.not_here_button.clicked.connect(lambda: self.take_back_requested.emit())
        return _two_by_two((self.mark_present, self.mark_late, self.mark_excused, self.not_here_button))

    @staticmethod
    def _key_button(key: MeetingKey, accessible: str = "") -> QPushButton:
        return button(key.value.text, tip(key.value), accessible)

    # ---- what is shown --------------------------------------------------------------------

    def update_titles(self) -> None:
        """Each list's title with its count, and the buttons for what is highlighted."""
        self.waiting_title.setText(f"Not here yet ({self.waiting.rowCount()})")
        counts = tally(self.roll.rows())
        self.here_title.setText(f"Here tonight ({counts[PRESENT] + counts[LATE]})")
        self.excused_title.setText(f"{EXCUSED.word.capitalize()} ({counts[EXCUSED]})")
        for shown in (self.excused_title, self.excused_view):
            shown.setVisible(counts[EXCUSED] > 0)
        self._update_buttons()

    def checked_in_index(self) -> QModelIndex:
        """The row highlighted among those here and those excused (one at most is), or an invalid index."""
        for view in (self.here_view, self.excused_view):
            if view.currentIndex().isValid():
                return view.currentIndex()
        return QModelIndex()

    def checked_in_has_focus(self) -> bool:
        return self.here_view.hasFocus() or self.excused_view.hasFocus()

    def _one_checked_in_highlighted(self, current: QModelIndex, other: QTableView) -> None:
        """Highlighting someone here or excused takes the highlight off the other list: the buttons
        under them act on one person."""
        if current.isValid() and other.currentIndex().isValid():
            other.selectionModel().clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_waiting = self.waiting_view.currentIndex().isValid()
        has_here = self.checked_in_index().isValid()
        for each in (self.present_button, self.late_button, self.excused_button):
            each.setEnabled(has_waiting)
        for each in (self.mark_present, self.mark_late, self.mark_excused, self.not_here_button):
            each.setEnabled(has_here)

    def _search_changed(self, text: str) -> None:
        self.waiting.set_search(text)
        self.here.set_search(text)
        self.select_first_waiting()
        self.update_titles()

    def select_first_waiting(self) -> None:
        if self.waiting.rowCount() and not self.waiting_view.currentIndex().isValid():
            self.waiting_view.setCurrentIndex(self.waiting.index(0, 0))
        elif self.waiting.rowCount() and self.search.text():
            self.waiting_view.setCurrentIndex(self.waiting.index(0, 0))
        self.waiting_view.selectionModel().select(
            self.waiting_view.currentIndex(),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    # ---- keyboard -------------------------------------------------------------------------

    def search_entered(self, status: AttendanceStatus) -> None:
        """A check-in key pressed in the search: it checks in whom the typing found, never whoever
        happens to be highlighted (a second Enter would check in the next person)."""
        if self.search.text().strip():
            self.check_in_requested.emit(status)
        else:
            self.nothing_typed.emit(NOTHING_TYPED)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo) or event.keyCombination().toCombined() in PASSED_ON)
        ):
            # Left unaccepted, so the key works as the page declares it: Ctrl+Z undoes the last
            # check-in, not the typing that led to it.
            return True
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, modifiers = event.key(), event.modifiers()
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if watched is self.search:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.search_entered(PRESENT)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.waiting_view.setFocus()
                return False
        elif watched is self.waiting_view:
            if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.check_in_requested.emit(PRESENT)
                return True
            if event.text().isprintable() and event.text() and plain or key == Qt.Key.Key_Space:
                # Typing anywhere in the list goes on narrowing it by name.
                self.search.setFocus()
                self.search.insert(event.text())
                return True
        elif watched in (self.here_view, self.excused_view):
            if plain and key in STATUS_KEYS:
                self.status_change_requested.emit(STATUS_KEYS[key])
                return True
            if plain and key in TAKE_BACK_KEYS:
                self.take_back_requested.emit()
                return True
        return False


def _two_by_two(buttons: tuple[QPushButton, QPushButton, QPushButton, QPushButton]) -> QGridLayout:
    grid = QGridLayout()
    for position, each in enumerate(buttons):
        grid.addWidget(each, position // 2, position % 2)
    return grid
